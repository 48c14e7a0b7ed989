import {
  AlignmentType,
  BorderStyle,
  convertMillimetersToTwip,
  Document,
  Footer,
  LineRuleType,
  Packer,
  DocumentGridType,
  HeightRule,
  Paragraph,
  SectionType,
  Tab,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  type FileChild,
  type ISectionOptions,
} from 'docx';
import type { CompiledTable } from '../../../domain/compiled-table.ts';
import type { Notice } from '../../../domain/plan-document.ts';
import {
  BLACK,
  BODY,
  BODY_CHARACTER,
  chineseDate,
  docxText,
  documentStyles,
  Fonts,
  gridParagraph,
  LANDSCAPE_TEXT_WIDTH,
  landscapePageNumberFooters,
  landscapeSection,
  LINE_PITCH,
  linesOf,
  NO_GRID_STYLES,
  oneLine,
  pageNumberFooters,
  PORTRAIT_TEXT_WIDTH,
  portraitSection,
  RED,
  rule,
  run,
  runOptions,
  Sizes,
  TITLE_RUN,
  TITLE_STYLE,
  titleLines,
  widthInCharacters,
  type RunStyle,
} from './docx/gb-t-9704.ts';
import { finishedStylesXml } from './docx/word-xml.ts';
import { progressTable } from './docx/progress-table.ts';

/**
 * The notice (通报) as a Word file laid out by GB/T 9704-2012: 版头 with the red rule, title,
 * recipients, body, attachment line, issuer and date, contact; then the progress table as the
 * attachment on landscape pages; then 版记 (抄送, 印发) at the foot of an even last portrait page.
 * Page numbers `— 1 —` right on odd pages, left on even pages, outside the 版心 on landscape pages
 * too; none on the 版记 page and the blank page before it.
 * The layout's figures and reasons: src/server/documents/writers/docx/gb-t-9704.ts, decision 006.
 */

export interface NoticeDocxInput {
  notice: Notice;
  table: CompiledTable;
  /** A draft for review: the document carries the mark 征求意见稿 (default false). */
  draft?: boolean;
}

const TITLE: RunStyle = TITLE_RUN;
/** The draft mark under a title: 3号 楷体, as 征求意见稿 are customarily marked (decision 022). */
const DRAFT_MARK: RunStyle = { ...BODY, font: Fonts.kaiTi };
export const DRAFT_MARK_TEXT = '（征求意见稿）';
const HEADING_1: RunStyle = { ...BODY, font: Fonts.heiTi };
const HEADING_2: RunStyle = { ...BODY, font: Fonts.kaiTi };
const RECORD: RunStyle = { font: Fonts.fangSong, size: Sizes.siHao };

const present = (text: string | null | undefined): text is string => text !== null && text !== undefined && oneLine(text) !== '';
const lines = (count: number) => count * LINE_PITCH;
const characters = (count: number) => Math.round(count * BODY_CHARACTER);

export async function renderNoticeDocx(input: NoticeDocxInput): Promise<Uint8Array> {
  const { notice, table } = input;
  const draft = input.draft ?? false;
  const sections: ISectionOptions[] = [
    { properties: portraitSection(), footers: pageNumberFooters(), children: noticeChildren(notice, draft) },
    { properties: landscapeSection(), footers: landscapePageNumberFooters(), children: attachmentChildren(table, true, draft) },
  ];
  const record = recordTable(notice);
  if (record) sections.push(recordSection(record));
  return pack(sections, present(notice.title) ? oneLine(notice.title) : table.title);
}

/** The progress table alone (title and table on landscape pages), for "export the table". */
export async function renderTableDocx(table: CompiledTable, options: { draft?: boolean } = {}): Promise<Uint8Array> {
  return pack(
    [{ properties: landscapeSection(), footers: landscapePageNumberFooters(), children: attachmentChildren(table, false, options.draft ?? false) }],
    table.title,
  );
}

async function pack(sections: ISectionOptions[], title: string): Promise<Uint8Array> {
  const styles = documentStyles();
  const document = new Document({
    title: oneLine(title),
    creator: 'diaodu',
    lastModifiedBy: 'diaodu',
    evenAndOddHeaderAndFooters: true,
    styles,
    sections,
  });
  const stylesXml = await finishedStylesXml(styles, NO_GRID_STYLES);
  return new Uint8Array(await Packer.toBuffer(document, false, [{ path: 'word/styles.xml', data: stylesXml }]));
}

/**
 * A title (7.3.1) in 2号 小标宋, centred, broken between words into a trapezoid or diamond by
 * explicit line breaks (`titleLines`), one grid line a line of text (the style does not snap to
 * the grid); the draft mark under it when the document is a draft.
 */
function titleParagraphs(text: string, maxCharacters: number, draft: boolean, spacing: { before?: number; after?: number }): Paragraph[] {
  const lines = titleLines(text, maxCharacters);
  const paragraphs = [
    gridParagraph({
      style: TITLE_STYLE,
      alignment: AlignmentType.CENTER,
      spacing: { before: spacing.before ?? 0, after: draft ? 0 : (spacing.after ?? 0) },
      children: lines.map((line, index) => new TextRun({ text: docxText(line), ...(index > 0 ? { break: 1 } : {}), ...runOptions(TITLE) })),
    }),
  ];
  if (draft)
    paragraphs.push(gridParagraph({ alignment: AlignmentType.CENTER, spacing: { after: spacing.after ?? 0 }, children: [run(DRAFT_MARK_TEXT, DRAFT_MARK)] }));
  return paragraphs;
}

/** Title characters (2号, 22 pt) a line of the 版心 holds: 20 on portrait, 28 on landscape pages. */
const titleCharacters = (textWidth: number) => Math.floor(textWidth / (TITLE.size * 10));

function noticeChildren(notice: Notice, draft: boolean): FileChild[] {
  const children: Paragraph[] = [];
  const office = present(notice.issuingOffice) ? oneLine(notice.issuingOffice) : null;

  // 版头 (7.2): the issuing office's mark 35 mm below the top of the 版心, red 小标宋, as wide as fits;
  // the document number two lines below it, and the red rule 4 mm under the number.
  if (office) {
    const mark = /文件$/.test(office) ? office : `${office}文件`;
    const fullWidth = (Sizes.xiaoChu / 2) * 20 * widthInCharacters(mark);
    const scale = Math.min(100, Math.floor((PORTRAIT_TEXT_WIDTH / fullWidth) * 100));
    children.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        widowControl: false,
        spacing: { before: convertMillimetersToTwip(35), after: lines(2) },
        children: [run(mark, { font: Fonts.xiaoBiaoSong, size: Sizes.xiaoChu, color: RED, scale })],
      }),
    );
  }
  const redRule = { bottom: rule(12, RED, 11) };
  if (present(notice.docNumber)) {
    children.push(gridParagraph({ alignment: AlignmentType.CENTER, border: redRule, children: [run(oneLine(notice.docNumber), BODY)] }));
  } else if (office) {
    children.push(gridParagraph({ border: redRule, children: [] }));
  }

  // 标题 two lines under the rule, 2号 小标宋, centred (7.3.1).
  if (present(notice.title)) children.push(...titleParagraphs(notice.title, titleCharacters(PORTRAIT_TEXT_WIDTH), draft, { before: lines(2) }));
  else if (draft)
    children.push(gridParagraph({ alignment: AlignmentType.CENTER, spacing: { before: lines(2) }, children: [run(DRAFT_MARK_TEXT, DRAFT_MARK)] }));

  // 主送机关 one line under the title, flush left, full-width colon (7.3.2).
  if (present(notice.recipients)) {
    const recipients = oneLine(notice.recipients).replace(/[:：]$/, '');
    children.push(gridParagraph({ spacing: { before: lines(1) }, children: [run(`${recipients}：`, BODY)] }));
  }

  // 正文: each paragraph indented two characters; `一、` headings 黑体, `（一）` headings 楷体 (7.3.3).
  for (const text of notice.body) for (const line of linesOf(text)) children.push(bodyParagraph(line));

  // 附件说明 one line under the body, two characters in; a long name wraps under its own first character (7.3.4).
  if (present(notice.attachment)) {
    const label = '附件：';
    children.push(
      gridParagraph({
        spacing: { before: lines(1) },
        indent: { left: characters(2 + widthInCharacters(label)), hanging: characters(widthInCharacters(label)) },
        children: [run(`${label}${oneLine(notice.attachment)}`, BODY)],
      }),
    );
  }

  // 发文机关署名 one line down, two characters from the right; the date on the next line starting two
  // characters right of the issuer's first character, or two characters from the right if it is the longer (7.3.5.2).
  // Both are placed by their left indent: the issuer is Chinese, so its width is known exactly, and
  // the date's first character then stands where it must whatever the width of its digits.
  const issuer = present(notice.issuer) ? oneLine(notice.issuer) : null;
  const date = notice.date ? chineseDate(notice.date) : null;
  const { issuerLeft, dateLeft } = signatureIndents(issuer, date);
  if (issuer) children.push(gridParagraph({ spacing: { before: lines(1) }, indent: { left: issuerLeft }, children: [run(issuer, BODY)] }));
  if (date) children.push(gridParagraph({ ...(issuer ? {} : { spacing: { before: lines(1) } }), indent: { left: dateLeft }, children: [run(date, BODY)] }));

  // 附注 (the contact) on the next line, two characters in, in brackets (7.3.6).
  const contact = contactLine(notice.contact);
  if (contact) children.push(gridParagraph({ indent: { firstLine: characters(2) }, children: [run(contact, BODY)] }));
  return children;
}

/** `一、…` is a first-level heading (黑体), `（一）…` a second-level one (楷体): the font runs to the first full stop, the rest is body text. */
function bodyParagraph(text: string): Paragraph {
  const level = /^[一二三四五六七八九十百]+、/.test(text) ? HEADING_1 : /^[（(][一二三四五六七八九十百]+[）)]/.test(text) ? HEADING_2 : null;
  const children = [];
  if (level) {
    const stop = text.indexOf('。');
    const heading = stop === -1 ? text : text.slice(0, stop + 1);
    children.push(run(heading, level));
    if (heading.length < text.length) children.push(run(text.slice(heading.length), BODY));
  } else {
    children.push(run(text, BODY));
  }
  return gridParagraph({ alignment: AlignmentType.JUSTIFIED, indent: { firstLine: characters(2), firstLineChars: 200 }, children });
}

/**
 * Left indents (twips) of the issuer and the date (7.3.5.2): the issuer ends two characters from
 * the right; the date's first character is two characters right of the issuer's. When the date is
 * the longer, the date ends two characters from the right and the issuer moves left to keep the two.
 */
export function signatureIndents(issuer: string | null, date: string | null): { issuerLeft: number; dateLeft: number } {
  const lineWidth = PORTRAIT_TEXT_WIDTH / BODY_CHARACTER;
  const issuerWidth = issuer ? widthInCharacters(issuer) : 0;
  const dateWidth = date ? widthInCharacters(date) : 0;
  const rightAligned = (width: number) => Math.max(0, lineWidth - 2 - width);
  if (!issuer || !date) return { issuerLeft: characters(rightAligned(issuerWidth)), dateLeft: characters(rightAligned(dateWidth)) };
  if (dateWidth + 2 <= issuerWidth) {
    const issuerStart = rightAligned(issuerWidth);
    return { issuerLeft: characters(issuerStart), dateLeft: characters(issuerStart + 2) };
  }
  const dateStart = rightAligned(dateWidth);
  return { issuerLeft: characters(Math.max(0, dateStart - 2)), dateLeft: characters(dateStart) };
}

/** `（联系人：厅污染防治“三大战役”办 谭建波 联系电话：028-80589030）` (an ideographic space between the two), parts that are missing left out. */
export function contactLine(contact: Notice['contact']): string | null {
  const who = [contact.unit, contact.name].filter(present).map(oneLine).join(' ');
  const parts = [who ? `联系人：${who}` : null, present(contact.phone) ? `联系电话：${oneLine(contact.phone)}` : null].filter((part) => part !== null);
  return parts.length === 0 ? null : `（${parts.join('\u3000')}）`;
}

/** 附件 (8): the word 附件 flush left in 黑体 on the first line, the table's title centred, then the table. */
function attachmentChildren(table: CompiledTable, withLabel: boolean, draft: boolean): FileChild[] {
  const children: FileChild[] = [];
  if (withLabel) children.push(gridParagraph({ children: [run('附件', HEADING_1)] }));
  children.push(...titleParagraphs(table.title, titleCharacters(LANDSCAPE_TEXT_WIDTH), draft, { before: withLabel ? lines(1) : 0, after: lines(1) }));
  children.push(...progressTable(table, { afterLabel: withLabel, draft }));
  // The section has to end with a paragraph (it carries the section's properties); a 1 pt one, so a
  // table that fills its last page does not push an empty line onto a page of its own.
  children.push(new Paragraph({ widowControl: false, spacing: { before: 0, after: 0, line: 20, lineRule: LineRuleType.EXACT }, run: { size: 2 } }));
  return children;
}

/**
 * 版记 (7.4) on the last page, which must be even: a section that starts on an even page (Word and
 * LibreOffice both put a blank page before it when the table ends on an even page) holding the
 * 版记 table at the foot of the 版心, its last rule on the 版心's lower edge: an empty paragraph of
 * exact height fills the 版心 above it (the section has no line grid, so both programs keep that
 * height; LibreOffice 7 neither keeps the footer of such a section nor floats a table as wide as
 * the 版心 to the foot, decision 022). Its footers are empty: neither the blank page nor this page
 * has a page number.
 */
function recordSection(record: { table: Table; height: number }): ISectionOptions {
  const empty = () => new Footer({ children: [new Paragraph({})] });
  const portrait = portraitSection();
  const spacer = Math.max(20, 22 * LINE_PITCH - record.height - RECORD_SLACK);
  return {
    properties: { ...portrait, type: SectionType.EVEN_PAGE, titlePage: true, grid: { type: DocumentGridType.DEFAULT, linePitch: LINE_PITCH } },
    footers: { default: empty(), even: empty(), first: empty() },
    children: [
      new Paragraph({ widowControl: false, spacing: { before: 0, after: 0, line: spacer, lineRule: LineRuleType.EXACT }, run: { size: 2 } }),
      record.table,
      new Paragraph({ widowControl: false, spacing: { before: 0, after: 0, line: 20, lineRule: LineRuleType.EXACT }, run: { size: 2 } }),
    ],
  };
}

/** Room left under the 版记 (twips) so that rounding never pushes the closing paragraph onto another page. */
const RECORD_SLACK = 30;

/**
 * 版记 (7.4): 抄送 and 印发 lines in 4号 仿宋 between a thick rule above, a thin rule between them
 * and a thick rule below; the rules as wide as the 版心, the text one character in from each side
 * (a table as wide as the 版心, no side borders, cell margins of one character); the printing
 * office on the left and `…印发` on the right of one line.
 */
function recordTable(notice: Notice): { table: Table; height: number } | null {
  const thick = rule(8, BLACK, 0);
  const thin = rule(6, BLACK, 0);
  const none = { style: BorderStyle.NONE, size: 0, color: 'auto' };
  const oneCharacter = 20 * 14;
  const cc = notice.cc.map(oneLine).filter((name) => name !== '');
  const by = present(notice.printed.by) ? oneLine(notice.printed.by) : '';
  const on = notice.printed.date ? `${chineseDate(notice.printed.date)}印发` : '';
  const line = { before: 0, after: 0, line: LINE_PITCH, lineRule: LineRuleType.EXACT } as const;
  const rows: Paragraph[] = [];
  const rowLines: number[] = [];
  if (cc.length > 0) {
    const label = '抄送：';
    const text = `${label}${cc.join('，').replace(/[。.]$/, '')}。`;
    // Lines of 4号 characters in the cell (the 版心 less a character each side), continued under the label's end.
    const perLine = Math.floor(PORTRAIT_TEXT_WIDTH / oneCharacter) - 2;
    rowLines.push(1 + Math.max(0, Math.ceil((widthInCharacters(text) - perLine) / (perLine - widthInCharacters(label)))));
    rows.push(
      new Paragraph({
        widowControl: false,
        spacing: line,
        indent: { left: widthInCharacters(label) * oneCharacter, hanging: widthInCharacters(label) * oneCharacter },
        children: [run(text, RECORD)],
      }),
    );
  }
  if (by || on) rowLines.push(1);
  if (by || on)
    rows.push(
      new Paragraph({
        widowControl: false,
        spacing: line,
        tabStops: [{ type: TabStopType.RIGHT, position: PORTRAIT_TEXT_WIDTH - 2 * oneCharacter }],
        children: [run(by, RECORD), ...(on ? [new TextRun({ children: [new Tab()] }), run(on, RECORD)] : [])],
      }),
    );
  if (rows.length === 0) return null;
  const table = new Table({
    width: { size: PORTRAIT_TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [PORTRAIT_TEXT_WIDTH],
    layout: TableLayoutType.FIXED,
    indent: { size: 0, type: WidthType.DXA },
    margins: { left: oneCharacter, right: oneCharacter, top: 0, bottom: 0 },
    borders: { top: thick, bottom: thick, insideHorizontal: thin, left: none, right: none, insideVertical: none },
    rows: rows.map(
      (paragraph, index) =>
        new TableRow({
          cantSplit: true,
          height: { value: rowLines[index]! * LINE_PITCH, rule: HeightRule.ATLEAST },
          children: [new TableCell({ width: { size: PORTRAIT_TEXT_WIDTH, type: WidthType.DXA }, children: [paragraph] })],
        }),
    ),
  });
  return { table, height: rowLines.reduce((sum, count) => sum + count * LINE_PITCH, 0) };
}
