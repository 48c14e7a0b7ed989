import { AlignmentType, convertMillimetersToTwip, Document, LineRuleType, Packer, Paragraph, Tab, TabStopType, TextRun, VerticalAlignSection, type FileChild, type ISectionOptions } from 'docx';
import type { CompiledTable } from '../../../domain/compiled-table.ts';
import type { Notice } from '../../../domain/plan-document.ts';
import {
  BLACK,
  BODY,
  BODY_CHARACTER,
  chineseDate,
  documentStyles,
  Fonts,
  gridParagraph,
  landscapeSection,
  LINE_PITCH,
  linesOf,
  oneLine,
  pageNumberFooters,
  PORTRAIT_TEXT_WIDTH,
  portraitSection,
  RED,
  rule,
  run,
  Sizes,
  widthInCharacters,
  type RunStyle,
} from './docx/gb-t-9704.ts';
import { progressTable } from './docx/progress-table.ts';

/**
 * The notice (通报) as a Word file laid out by GB/T 9704-2012: 版头 with the red rule, title,
 * recipients, body, attachment line, issuer and date, contact; then the progress table as the
 * attachment on landscape pages; then 版记 (抄送, 印发) at the foot of a last portrait page.
 * Page numbers `— 1 —` right on odd pages, left on even pages, throughout.
 * The layout's figures and reasons: src/server/documents/writers/docx/gb-t-9704.ts, decision 006.
 */

export interface NoticeDocxInput {
  notice: Notice;
  table: CompiledTable;
}

const TITLE: RunStyle = { font: Fonts.xiaoBiaoSong, size: Sizes.erHao };
const HEADING_1: RunStyle = { ...BODY, font: Fonts.heiTi };
const HEADING_2: RunStyle = { ...BODY, font: Fonts.kaiTi };
const RECORD: RunStyle = { font: Fonts.fangSong, size: Sizes.siHao };

const present = (text: string | null | undefined): text is string => text !== null && text !== undefined && oneLine(text) !== '';
const lines = (count: number) => count * LINE_PITCH;
const characters = (count: number) => Math.round(count * BODY_CHARACTER);

export async function renderNoticeDocx(input: NoticeDocxInput): Promise<Uint8Array> {
  const { notice, table } = input;
  const sections: ISectionOptions[] = [
    { properties: portraitSection(), footers: pageNumberFooters(), children: noticeChildren(notice) },
    { properties: landscapeSection(), footers: pageNumberFooters(), children: attachmentChildren(table, true) },
  ];
  const record = recordChildren(notice);
  if (record.length > 0)
    sections.push({ properties: { ...portraitSection(), verticalAlign: VerticalAlignSection.BOTTOM }, footers: pageNumberFooters(), children: record });
  return pack(sections, present(notice.title) ? oneLine(notice.title) : table.title);
}

/** The progress table alone (title and table on landscape pages), for "export the table". */
export async function renderTableDocx(table: CompiledTable): Promise<Uint8Array> {
  return pack([{ properties: landscapeSection(), footers: pageNumberFooters(), children: attachmentChildren(table, false) }], table.title);
}

async function pack(sections: ISectionOptions[], title: string): Promise<Uint8Array> {
  const document = new Document({
    title: oneLine(title),
    creator: 'diaodu',
    evenAndOddHeaderAndFooters: true,
    styles: documentStyles(),
    sections,
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

function noticeChildren(notice: Notice): FileChild[] {
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
  if (present(notice.title))
    children.push(gridParagraph({ alignment: AlignmentType.CENTER, spacing: { before: lines(2) }, children: [run(oneLine(notice.title), TITLE)] }));

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
  const issuer = present(notice.issuer) ? oneLine(notice.issuer) : null;
  const date = notice.date ? chineseDate(notice.date) : null;
  const { issuerRight, dateRight } = signatureIndents(issuer, date);
  if (issuer)
    children.push(gridParagraph({ alignment: AlignmentType.RIGHT, spacing: { before: lines(1) }, indent: { right: issuerRight }, children: [run(issuer, BODY)] }));
  if (date)
    children.push(
      gridParagraph({ alignment: AlignmentType.RIGHT, ...(issuer ? {} : { spacing: { before: lines(1) } }), indent: { right: dateRight }, children: [run(date, BODY)] }),
    );

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

export function signatureIndents(issuer: string | null, date: string | null): { issuerRight: number; dateRight: number } {
  const issuerWidth = issuer ? widthInCharacters(issuer) : 0;
  const dateWidth = date ? widthInCharacters(date) : 0;
  if (!issuer || !date) return { issuerRight: characters(2), dateRight: characters(2) };
  // The date's first character two characters right of the issuer's: right indent = issuer width − date width.
  const dateRight = issuerWidth - dateWidth;
  if (dateRight >= 2) return { issuerRight: characters(2), dateRight: characters(dateRight) };
  return { issuerRight: characters(dateWidth + 4 - issuerWidth), dateRight: characters(2) };
}

/** `（联系人：厅污染防治“三大战役”办 谭建波 联系电话：028-80589030）` (an ideographic space between the two), parts that are missing left out. */
export function contactLine(contact: Notice['contact']): string | null {
  const who = [contact.unit, contact.name].filter(present).map(oneLine).join(' ');
  const parts = [who ? `联系人：${who}` : null, present(contact.phone) ? `联系电话：${oneLine(contact.phone)}` : null].filter((part) => part !== null);
  return parts.length === 0 ? null : `（${parts.join('\u3000')}）`;
}

/** 附件 (8): the word 附件 flush left in 黑体 on the first line, the table's title centred, then the table. */
function attachmentChildren(table: CompiledTable, withLabel: boolean): FileChild[] {
  const children: FileChild[] = [];
  if (withLabel) children.push(gridParagraph({ children: [run('附件', HEADING_1)] }));
  children.push(
    gridParagraph({ alignment: AlignmentType.CENTER, spacing: { before: withLabel ? lines(1) : 0, after: lines(1) }, children: [run(oneLine(table.title), TITLE)] }),
  );
  children.push(...progressTable(table, { afterLabel: withLabel }));
  // The section has to end with a paragraph (it carries the section's properties); a 1 pt one, so a
  // table that fills its last page does not push an empty line onto a page of its own.
  children.push(new Paragraph({ widowControl: false, spacing: { before: 0, after: 0, line: 20, lineRule: LineRuleType.EXACT }, run: { size: 2 } }));
  return children;
}

/**
 * 版记 (7.4): 抄送 and 印发 lines in 4号 仿宋, one character in from each side, between a thick rule
 * above, a thin rule between them and a thick rule below; the printing office on the left and
 * `…印发` on the right of one line.
 */
function recordChildren(notice: Notice): FileChild[] {
  const thick = rule(8, BLACK);
  const thin = rule(6, BLACK);
  const oneCharacter = 20 * 14;
  const cc = notice.cc.map(oneLine).filter((name) => name !== '');
  const by = present(notice.printed.by) ? oneLine(notice.printed.by) : '';
  const on = notice.printed.date ? `${chineseDate(notice.printed.date)}印发` : '';
  const children: Paragraph[] = [];
  if (cc.length > 0) {
    const label = '抄送：';
    children.push(
      gridParagraph({
        indent: { left: oneCharacter + widthInCharacters(label) * oneCharacter, right: oneCharacter, hanging: widthInCharacters(label) * oneCharacter },
        border: { top: thick, bottom: by || on ? thin : thick },
        children: [run(`${label}${cc.join('，').replace(/[。.]$/, '')}。`, RECORD)],
      }),
    );
  }
  if (by || on) {
    children.push(
      gridParagraph({
        indent: { left: oneCharacter, right: oneCharacter },
        tabStops: [{ type: TabStopType.RIGHT, position: PORTRAIT_TEXT_WIDTH - oneCharacter }],
        border: { ...(cc.length > 0 ? {} : { top: thick }), bottom: thick },
        children: [run(by, RECORD), ...(on ? [new TextRun({ children: [new Tab()] }), run(on, RECORD)] : [])],
      }),
    );
  }
  return children;
}
