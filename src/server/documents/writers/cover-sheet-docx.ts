import {
  AlignmentType,
  BorderStyle,
  convertMillimetersToTwip,
  Document,
  HeightRule,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type ITableCellBorders,
} from 'docx';
import { A4, docxText, Fonts, PORTRAIT_MARGINS, Sizes } from './docx/gb-t-9704.ts';

/**
 * The 发文稿纸 (cover sheet) of a notice: the form an office files with the draft, on which the
 * leader signs (签发), the reviewer initials (核稿) and the drafter signs (拟稿). Filled from the
 * notice and its sign-off record; a step not yet taken leaves its cell blank for the pen.
 * Dates are already written the Chinese way (2017年10月11日) by the caller.
 */
export type CoverSheet = {
  /** The office's name (某某厅办公室): heads the form as “…发文稿纸”. */
  issuingOffice: string | null;
  docNumber: string | null;
  title: string | null;
  /** 主送 */
  recipients: string | null;
  /** 抄送, one line per addressee as on the notice. */
  cc: string[];
  attachment: string | null;
  /** 主办单位: the unit that drafted it. */
  hostUnit: string | null;
  /** 印数 (copies). */
  copies: number | null;
  signer: { name: string; opinion: string | null; date: string | null } | null;
  reviewer: { name: string; opinion: string | null; date: string | null } | null;
  drafter: { name: string; date: string | null } | null;
};

// 版心 156 mm: label 24, value 62 (a 文号 of 13 characters in 小四 fits), label 24, value 46.
const LABEL_WIDTH = convertMillimetersToTwip(24);
const WIDE_VALUE = convertMillimetersToTwip(62);
const NARROW_VALUE = convertMillimetersToTwip(46);
const WIDTHS = [LABEL_WIDTH, WIDE_VALUE, LABEL_WIDTH, NARROW_VALUE];
const FULL = WIDE_VALUE + LABEL_WIDTH + NARROW_VALUE;
const CELL_MARGINS = {
  left: convertMillimetersToTwip(1.5),
  right: convertMillimetersToTwip(1.5),
  top: convertMillimetersToTwip(1),
  bottom: convertMillimetersToTwip(1),
};

const border = { style: BorderStyle.SINGLE, size: 8, color: '000000' } as const;
const BORDERS: ITableCellBorders = { top: border, bottom: border, left: border, right: border };

const clean = (text: string | null | undefined): string => (text ? docxText(text).replace(/\s+/g, ' ').trim() : '');

function runs(text: string, options: { bold?: boolean; font?: string; size?: number } = {}) {
  return new TextRun({
    text,
    font: { eastAsia: options.font ?? Fonts.fangSong, ascii: options.font ?? Fonts.fangSong, hAnsi: options.font ?? Fonts.fangSong },
    size: options.size ?? Sizes.siHao,
    bold: options.bold,
  });
}

function paragraph(text: string, options: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; font?: string; size?: number; before?: number } = {}) {
  return new Paragraph({
    alignment: options.align ?? AlignmentType.LEFT,
    spacing: { before: options.before ?? 0, after: 0, line: 360 },
    children: [runs(text, { font: options.font, size: options.size })],
  });
}

function label(text: string) {
  return new TableCell({
    width: { size: LABEL_WIDTH, type: WidthType.DXA },
    borders: BORDERS,
    verticalAlign: VerticalAlign.CENTER,
    margins: CELL_MARGINS,
    children: [paragraph(text, { align: AlignmentType.CENTER, font: Fonts.heiTi })],
  });
}

function value(lines: string[], options: { span?: number; narrow?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; top?: boolean } = {}) {
  const span = options.span ?? 1;
  return new TableCell({
    width: { size: span === 3 ? FULL : options.narrow ? NARROW_VALUE : WIDE_VALUE, type: WidthType.DXA },
    columnSpan: span,
    borders: BORDERS,
    verticalAlign: options.top ? VerticalAlign.TOP : VerticalAlign.CENTER,
    margins: CELL_MARGINS,
    children: (lines.length > 0 ? lines : ['']).map((line) => paragraph(line, { align: options.align, size: Sizes.xiaoSi })),
  });
}

function row(heightMm: number, cells: TableCell[]) {
  return new TableRow({ height: { value: convertMillimetersToTwip(heightMm), rule: HeightRule.ATLEAST }, cantSplit: true, children: cells });
}

/** `李岳东`, an ideographic space, `2017年10月11日`; or the name alone while the date is not yet there. */
const signature = (name: string | undefined, date: string | null | undefined) => [clean(name), date ?? ''].filter(Boolean).join('　');

/** One A4 page: the heading and a bordered table with the form's fields. */
export async function renderCoverSheetDocx(sheet: CoverSheet): Promise<Uint8Array> {
  const office = clean(sheet.issuingOffice);
  const heading = `${office}发文稿纸`;
  const signerLines = sheet.signer ? [clean(sheet.signer.opinion), '', signature(sheet.signer.name, sheet.signer.date)] : [];
  const reviewerLines = sheet.reviewer
    ? [...(sheet.reviewer.opinion ? [clean(sheet.reviewer.opinion)] : []), signature(sheet.reviewer.name, sheet.reviewer.date)]
    : [];
  const drafterLines = sheet.drafter ? [signature(sheet.drafter.name, sheet.drafter.date)] : [];
  const table = new Table({
    layout: TableLayoutType.FIXED,
    width: { size: WIDTHS.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    columnWidths: WIDTHS,
    rows: [
      row(52, [label('签　发'), value(signerLines, { span: 3, top: true })]),
      row(28, [label('核　稿'), value(reviewerLines, { span: 3, top: true })]),
      row(14, [label('拟　稿'), value(drafterLines), label('主办单位'), value([clean(sheet.hostUnit)], { narrow: true })]),
      row(14, [label('文　号'), value([clean(sheet.docNumber)]), label('印　数'), value([sheet.copies ? `${sheet.copies}份` : ''], { narrow: true })]),
      row(18, [label('主　送'), value([clean(sheet.recipients)], { span: 3 })]),
      row(18, [label('抄　送'), value([sheet.cc.map(clean).filter(Boolean).join('，')], { span: 3 })]),
      row(30, [label('标　题'), value([clean(sheet.title)], { span: 3 })]),
      row(16, [label('附　件'), value([clean(sheet.attachment)], { span: 3 })]),
    ],
  });

  const document = new Document({
    creator: office || '办公室',
    title: heading,
    styles: { default: { document: { run: { font: Fonts.fangSong, size: Sizes.siHao } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: A4.width, height: A4.height },
            margin: { top: PORTRAIT_MARGINS.top, bottom: PORTRAIT_MARGINS.bottom, left: PORTRAIT_MARGINS.left, right: PORTRAIT_MARGINS.right },
          },
        },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 0, after: convertMillimetersToTwip(6) },
            children: [runs(heading, { font: Fonts.xiaoBiaoSong, size: Sizes.erHao })],
          }),
          table,
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
