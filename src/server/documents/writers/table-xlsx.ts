import ExcelJS from 'exceljs';
import type { RoundStatisticsView, UnitStatisticsRow } from '../../../domain/api/round-statistics-view.ts';
import { hasDueColumn, type CompiledRow, type CompiledTable } from '../../../domain/compiled-table.ts';
import { DRAFT_MARK } from '../../../domain/export-options.ts';
import { DEFAULT_TIME_ZONE, formatDateTimeZh } from '../../../domain/dates.ts';
import { SUBMISSION_STATE_LABELS } from '../../../domain/limits.ts';
import { invalid } from '../../../domain/errors.ts';
import type { Notice } from '../../../domain/plan-document.ts';
import { stripControlCharacters } from '../../../domain/text.ts';
import { chineseDate } from './docx/gb-t-9704.ts';
import { NOTICE_SHEET_FIELDS, NOTICE_SHEET_NAME, type NoticeSheetField } from '../notice-sheet.ts';

/**
 * The progress table (调度表) as an Excel workbook, from the same compiled model as the Word
 * writer: a title row, the header row, one row per task with the chapter and section cells merged
 * over their tasks; header rows frozen on screen and repeated on every printed page; A4 landscape
 * fitted to the page width. With a notice, a second sheet `通报` holds its fields as label/value
 * rows so that importing the workbook gives back the whole `diaodu.plan/1` document. With a
 * round's statistics, a last sheet `报送情况` (`STATISTICS_SHEET_NAME`): the totals on top, then
 * one row per unit (the importer never reads it). Every text cell is a plain string (never a
 * formula) in the Text number format; only the statistics' counts are numbers. Decision 007.
 */

// The 通报 sheet's labels live beside the importer's light modules, so reading a plan does not load
// exceljs (decision 039); re-exported here for the writer's callers.
export { NOTICE_LIST_FIELDS, NOTICE_SHEET_FIELDS, NOTICE_SHEET_NAME, type NoticeSheetField } from '../notice-sheet.ts';

/** The sheet of the table when the round label leaves nothing usable. */
const DEFAULT_TABLE_SHEET_NAME = '调度表';

/** Excel refuses a cell longer than this (UTF-16 code units) and "repairs" the file by cutting it. */
export const XLSX_CELL_MAX = 32_767;

/**
 * 宋体 (SimSun): every Chinese Windows and WPS has it and it is Excel's own East Asian default, so
 * the sheet opens the same everywhere; 仿宋_GB2312 is the official document's face and belongs to
 * the Word file (it is not part of Windows itself). charset 134 is GB2312, which tells Excel to use
 * the font for Chinese text.
 */
export const FONT = { name: '宋体', charset: 134, size: 11 } as const;
export const TITLE_FONT = { ...FONT, size: 16, bold: true } as const;
export const HEADER_FONT = { ...FONT, bold: true } as const;

const THIN = { style: 'thin' } as const;
export const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN } as const;

/**
 * Column widths in Excel's units (about one Latin character; a Chinese character takes two):
 * chapter, section, task, lead department, leaders, units, progress. The task and progress columns
 * carry the prose, progress the most; the name columns fit 4–6 Chinese characters a line.
 */
export const XLSX_COLUMN_WIDTHS: readonly number[] = [16, 16, 42, 14, 11, 14, 64];

/** The 完成时限 column's width, before 推进情况, in a table whose tasks have due dates. */
const XLSX_DUE_WIDTH = 12;

/** The widths of this table's columns: the seven, or eight with 完成时限 (hasDueColumn). */
function columnWidthsOf(table: CompiledTable): readonly number[] {
  return hasDueColumn(table) ? [...XLSX_COLUMN_WIDTHS.slice(0, 6), XLSX_DUE_WIDTH, XLSX_COLUMN_WIDTHS[6]!] : XLSX_COLUMN_WIDTHS;
}

/**
 * Row heights. Readers do not fit rows to wrapped text on their own (LibreOffice showed every row
 * one line high), so each row's height is estimated from its text: a Chinese character takes two
 * width units, ASCII one, and a column of width w holds about 0.93·w units of 11 pt 宋体 a line.
 * A line is 15 pt (Excel draws 11 pt 宋体 on 14.25 pt; LibreOffice's stand-in is a little taller).
 * Excel's limit is 409 pt a row: the rare longer cell keeps its text but shows only the top.
 */
const LINE_POINTS = 15;
const ROW_PADDING_POINTS = 4;
export const XLSX_MAX_ROW_POINTS = 409;
const UNITS_PER_WIDTH = 0.93;

/** Lines a text takes in a column of `width` at `fontPoints` (11 pt is the table's size). */
export function estimatedLines(text: string, width: number, fontPoints: number = FONT.size): number {
  const capacity = Math.max(1, Math.floor((width * UNITS_PER_WIDTH * FONT.size) / fontPoints));
  return xlsxText(text)
    .split('\n')
    .reduce((lines, line) => {
      let units = 0;
      for (const char of line) units += char.charCodeAt(0) < 0x80 ? 1 : 2;
      return lines + Math.max(1, Math.ceil(units / capacity));
    }, 0);
}

const rowPoints = (lines: number, linePoints = LINE_POINTS) => Math.min(XLSX_MAX_ROW_POINTS, lines * linePoints + ROW_PADDING_POINTS);

/** Which columns hold names (centred) rather than prose (left); 6 is 完成时限 when the table has it (progress is last). */
const CENTRED_COLUMNS = new Set([3, 4, 5]);
const CENTRED_WITH_DUE = new Set([3, 4, 5, 6]);

/** The rows above the first task: the title and the header. */
export const XLSX_HEADER_ROWS = 2;

// Lone surrogates and U+FFFE/U+FFFF are not XML characters: exceljs would write them and the file
// would not open. The same set the Word writer drops (writers/docx/gb-t-9704.ts).
const NOT_XML = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g;

/** Cell text as written: no control characters but \n and \t, nothing XML cannot hold, one kind of line break. */
export function xlsxText(text: string): string {
  return stripControlCharacters(text).replace(NOT_XML, '').replace(/\r\n?/g, '\n');
}

/**
 * A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, not starting or ending
 * with an apostrophe; `fallback` when nothing is left.
 */
export function xlsxSheetName(text: string, fallback = DEFAULT_TABLE_SHEET_NAME): string {
  const cleaned = [
    ...xlsxText(text)
      .replace(/[[\]:*?/\\\n\t]/g, '')
      .trim(),
  ]
    .slice(0, 31)
    .join('')
    .replace(/^'+|'+$/g, '')
    .trim();
  return cleaned === '' ? fallback : cleaned;
}

/** The name of the statistics sheet (报送情况统计, issue 12). */
export const STATISTICS_SHEET_NAME = '报送情况';

/**
 * The statistics, the time zone its times are written in (the department's) and what the
 * organisation calls a unit (科室 in a bureau: 科室已审核; the labels say 处室 by default).
 */
export type XlsxStatistics = { view: RoundStatisticsView; timeZone?: string; unitWord?: string };

/**
 * `draft`: a 征求意见稿 for review (decision 024): the title says so, `（征求意见稿）` after it (the
 * reader still finds the plan and the round in it).
 */
export async function renderTableXlsx(
  compiled: CompiledTable,
  notice?: Notice | null,
  statistics?: XlsxStatistics | null,
  options: { draft?: boolean } = {},
): Promise<Uint8Array> {
  const table = options.draft ? { ...compiled, title: `${compiled.title}（${DRAFT_MARK}）` } : compiled;
  // Dates go into the sheet as they are stored; one that is not a date is refused as the Word writer refuses it.
  if (notice) for (const date of [notice.date, notice.printed.date]) if (date !== null) chineseDate(date);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'diaodu';
  workbook.title = xlsxText(table.title);
  let tableSheetName = xlsxSheetName(`${table.roundLabel}调度表`);
  if (notice && tableSheetName === NOTICE_SHEET_NAME) tableSheetName = DEFAULT_TABLE_SHEET_NAME;
  writeTableSheet(workbook, tableSheetName, table);
  if (notice) writeNoticeSheet(workbook, notice);
  if (statistics) writeStatisticsSheet(workbook, statistics.view, statistics.timeZone ?? DEFAULT_TIME_ZONE, statistics.unitWord ?? '处室');
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function writeTableSheet(workbook: ExcelJS.Workbook, name: string, table: CompiledTable): void {
  const widths = columnWidthsOf(table);
  const columns = widths.length;
  const sheet = workbook.addWorksheet(name, {
    // Title and header stay in view while scrolling.
    views: [{ state: 'frozen', ySplit: XLSX_HEADER_ROWS, xSplit: 0, topLeftCell: `A${XLSX_HEADER_ROWS + 1}` }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      // Fit the seven columns to the page width and let the rows run over as many pages as they need.
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      // Inches, as Excel stores them: about 15 mm at the sides and 20 mm top and bottom, room for the page number.
      margins: { left: 0.6, right: 0.6, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 },
      // The header row repeats at the top of every printed page.
      printTitlesRow: `${XLSX_HEADER_ROWS}:${XLSX_HEADER_ROWS}`,
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页', evenFooter: '&C第 &P 页，共 &N 页' },
  });
  sheet.columns = widths.map((width) => ({ width }));

  const title = sheet.getRow(1);
  writeCell(title.getCell(1), table.title, TITLE_FONT, 'center', 'title');
  const tableWidth = widths.reduce((sum, width) => sum + width, 0);
  title.height = rowPoints(estimatedLines(table.title, tableWidth, TITLE_FONT.size), TITLE_FONT.size * 1.4);
  sheet.mergeCells(1, 1, 1, columns);

  const header = sheet.getRow(2);
  for (let column = 0; column < columns; column++) writeCell(header.getCell(column + 1), table.header[column] ?? '', HEADER_FONT, 'center', 'header', true);
  header.height = rowPoints(Math.max(...table.header.map((text, column) => estimatedLines(text, widths[column]!))));

  // Lines each task row needs for its own cells (and for a chapter or section cell of one row).
  const lines = table.rows.map((row, index) => writeTaskRow(sheet, XLSX_HEADER_ROWS + 1 + index, row, widths));

  // Chapter and section cells cover their tasks, exactly as the compiled spans say; a run whose
  // rows are too short for its label gets the missing lines on its last row.
  const cover = (first: number, span: number, label: string, column: number) => {
    const needed = estimatedLines(label, widths[column]!);
    const have = lines.slice(first, first + span).reduce((sum, count) => sum + count, 0);
    if (needed > have) lines[first + span - 1]! += needed - have;
  };
  table.rows.forEach((row, index) => {
    const first = XLSX_HEADER_ROWS + 1 + index;
    if (row.chapterSpan > 1) {
      sheet.mergeCells(first, 1, first + row.chapterSpan - 1, 1);
      cover(index, row.chapterSpan, row.chapterLabel, 0);
    }
    if (row.sectionSpan > 1) {
      sheet.mergeCells(first, 2, first + row.sectionSpan - 1, 2);
      cover(index, row.sectionSpan, row.sectionLabel, 1);
    }
  });
  lines.forEach((count, index) => {
    sheet.getRow(XLSX_HEADER_ROWS + 1 + index).height = rowPoints(count);
  });
}

/** Writes one task's row; returns the lines its unmerged cells need. */
function writeTaskRow(sheet: ExcelJS.Worksheet, rowNumber: number, row: CompiledRow, widths: readonly number[]): number {
  const withDue = widths.length > XLSX_COLUMN_WIDTHS.length;
  const texts = [
    row.chapterSpan > 0 ? row.chapterLabel : '',
    row.sectionSpan > 0 ? row.sectionLabel : '',
    row.task,
    row.leadDepartment,
    row.leaders,
    row.units,
    ...(withDue ? [row.due ?? ''] : []),
    row.progress,
  ];
  const centred = withDue ? CENTRED_WITH_DUE : CENTRED_COLUMNS;
  const spans = [row.chapterSpan, row.sectionSpan];
  const sheetRow = sheet.getRow(rowNumber);
  let lines = 1;
  texts.forEach((text, column) => {
    const where = `第${rowNumber}行第${column + 1}列`;
    writeCell(sheetRow.getCell(column + 1), text, column < 2 ? HEADER_FONT : FONT, centred.has(column) ? 'center' : 'left', where, true);
    if (column >= 2 || spans[column] === 1) lines = Math.max(lines, estimatedLines(text, widths[column]!));
  });
  return lines;
}

type Horizontal = 'left' | 'center';

/**
 * One cell: a plain string (exceljs writes it as a shared string, `t="s"`, never `<f>`), in the
 * Text number format `@`, so that editing the cell in Excel, WPS or LibreOffice keeps `=1+1` as
 * text instead of evaluating it. Empty text leaves the cell without a value.
 */
function writeCell(cell: ExcelJS.Cell, text: string, font: Partial<ExcelJS.Font>, horizontal: Horizontal, where: string, bordered = false): void {
  const value = xlsxText(text);
  if (value.length > XLSX_CELL_MAX)
    throw invalid('xlsx_cell_too_long', `${where}的内容共 ${value.length} 字符，超过 Excel 单元格上限 ${XLSX_CELL_MAX}，请改用 Word 导出`, {
      where,
      length: value.length,
      max: XLSX_CELL_MAX,
    });
  if (value !== '') cell.value = value;
  cell.numFmt = '@';
  cell.font = font;
  cell.alignment = { wrapText: true, vertical: 'top', horizontal };
  if (bordered) cell.border = BORDER;
}

/** The notice's fields as [label, value] rows, in `NOTICE_SHEET_FIELDS` order (null values as null). */
export function noticeSheetRows(notice: Notice): [NoticeSheetField, string | null][] {
  const single: Record<Exclude<NoticeSheetField, '正文' | '抄送'>, string | null> = {
    发文机关: notice.issuingOffice,
    文号: notice.docNumber,
    标题: notice.title,
    主送: notice.recipients,
    附件: notice.attachment,
    落款: notice.issuer,
    日期: notice.date,
    联系单位: notice.contact.unit,
    联系人: notice.contact.name,
    联系电话: notice.contact.phone,
    印发机关: notice.printed.by,
    印发日期: notice.printed.date,
  };
  const rows: [NoticeSheetField, string | null][] = [];
  for (const label of NOTICE_SHEET_FIELDS) {
    if (label === '正文') for (const paragraph of notice.body) rows.push([label, paragraph]);
    else if (label === '抄送') for (const recipient of notice.cc) rows.push([label, recipient]);
    else rows.push([label, single[label]]);
  }
  return rows;
}

function writeNoticeSheet(workbook: ExcelJS.Workbook, notice: Notice): void {
  const sheet = workbook.addWorksheet(NOTICE_SHEET_NAME, {
    pageSetup: {
      paperSize: 9,
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.7, right: 0.7, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 },
    },
  });
  const [labelWidth, valueWidth] = [12, 90];
  sheet.columns = [{ width: labelWidth }, { width: valueWidth }];
  noticeSheetRows(notice).forEach(([label, value], index) => {
    const row = sheet.getRow(index + 1);
    writeCell(row.getCell(1), label, HEADER_FONT, 'left', `通报第${index + 1}行`, true);
    writeCell(row.getCell(2), value ?? '', FONT, 'left', `通报“${label}”`, true);
    row.height = rowPoints(estimatedLines(value ?? '', valueWidth));
  });
}

/** Column headers of the statistics sheet's unit rows, and their widths. */
export const STATISTICS_COLUMNS = ['序号', '单位', '报送状态', '提交时间', '按时/逾期', '截止时间', '是否采纳', '已填写任务'] as const;
const STATISTICS_WIDTHS = [6, 24, 12, 24, 36, 30, 10, 12];

/** What 按时/逾期 says of a unit: 逾期 with its submit time, 按时报送, or why there is nothing yet. */
function timelinessText(unit: UnitStatisticsRow, timeZone: string = DEFAULT_TIME_ZONE): string {
  if (!unit.submitted) return unit.state === 'returned' ? '已退回，待重新提交' : '未报送';
  if (unit.late) return unit.submittedAt ? `逾期（${formatDateTimeZh(unit.submittedAt, timeZone)} 提交）` : '逾期';
  return '按时报送';
}

/** The totals as [label, value] rows, in the order the sheet writes them. */
function statisticsTotalsRows(view: RoundStatisticsView): [string, number | string][] {
  const t = view.totals;
  return [
    ['参与报送单位', t.units],
    ['按时报送', t.onTime],
    ['逾期报送', t.late],
    ['未报送', t.notSubmitted],
    ['其中已退回待重新提交', t.returned],
    ['已采纳', t.accepted],
    ['已有进展的任务', `${t.tasksAnswered} / ${t.tasks}`],
  ];
}

/**
 * 报送情况: a title, the round's deadline, the totals as label/value rows, then one row per unit
 * under a header row that stays in view and repeats on every printed page. An imported round has
 * no in-app submissions: the sheet says so instead of counting.
 */
function writeStatisticsSheet(workbook: ExcelJS.Workbook, view: RoundStatisticsView, timeZone: string, unitWord: string): void {
  const columns = STATISTICS_COLUMNS.length;
  const sheet = workbook.addWorksheet(STATISTICS_SHEET_NAME, {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.6, right: 0.6, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页', evenFooter: '&C第 &P 页，共 &N 页' },
  });
  sheet.columns = STATISTICS_WIDTHS.map((width) => ({ width }));
  const sheetWidth = STATISTICS_WIDTHS.reduce((sum, width) => sum + width, 0);
  let line = 1;
  const wide = (text: string, font: Partial<ExcelJS.Font>, horizontal: Horizontal, fontPoints: number = FONT.size) => {
    const row = sheet.getRow(line);
    writeCell(row.getCell(1), text, font, horizontal, `报送情况第${line}行`);
    sheet.mergeCells(line, 1, line, columns);
    row.height = rowPoints(estimatedLines(text, sheetWidth, fontPoints), fontPoints * 1.4);
    line++;
  };
  wide(`${view.roundLabel}报送情况统计`, TITLE_FONT, 'center', TITLE_FONT.size);
  wide(`截止时间：${view.deadline ? formatDateTimeZh(view.deadline, timeZone) : '未设定'}`, FONT, 'left');
  if (!view.inApp) {
    wide('本轮为导入的历史调度，没有在系统中报送的记录，不作报送情况统计。', FONT, 'left');
    return;
  }
  line++;
  for (const [label, value] of statisticsTotalsRows(view)) {
    const row = sheet.getRow(line);
    writeCell(row.getCell(1), label, HEADER_FONT, 'left', `报送情况“${label}”`, true);
    sheet.mergeCells(line, 1, line, 2);
    const cell = row.getCell(3);
    if (typeof value === 'number') {
      cell.value = value;
      cell.font = FONT;
      cell.alignment = { vertical: 'top', horizontal: 'center' };
      cell.border = BORDER;
    } else writeCell(cell, value, FONT, 'center', `报送情况“${label}”`, true);
    line++;
  }
  line++;
  const headerLine = line;
  const header = sheet.getRow(line);
  STATISTICS_COLUMNS.forEach((text, column) => writeCell(header.getCell(column + 1), text, HEADER_FONT, 'center', `报送情况第${line}行`, true));
  line++;
  sheet.views = [{ state: 'frozen', ySplit: headerLine, xSplit: 0, topLeftCell: `A${headerLine + 1}` }];
  sheet.pageSetup.printTitlesRow = `${headerLine}:${headerLine}`;
  if (view.units.length === 0) {
    wide('本轮没有需要报送的单位。', FONT, 'left');
    return;
  }
  view.units.forEach((unit, index) => {
    const row = sheet.getRow(line);
    const deadline = unit.extendedDeadline ?? view.deadline;
    const texts = [
      String(index + 1),
      unit.unitName,
      (SUBMISSION_STATE_LABELS[unit.state] ?? unit.state).replaceAll('处室', unitWord),
      unit.submittedAt ? formatDateTimeZh(unit.submittedAt, timeZone) : '',
      timelinessText(unit, timeZone),
      deadline ? `${unit.extendedDeadline ? '延期至 ' : ''}${formatDateTimeZh(deadline, timeZone)}` : '',
      unit.accepted ? '已采纳' : '',
      `${unit.answered} / ${unit.tasks}`,
    ];
    texts.forEach((text, column) =>
      writeCell(row.getCell(column + 1), text, FONT, column === 1 || column === 4 ? 'left' : 'center', `报送情况第${line}行第${column + 1}列`, true),
    );
    row.height = rowPoints(Math.max(...texts.map((text, column) => estimatedLines(text, STATISTICS_WIDTHS[column]!))));
    line++;
  });
}
