import ExcelJS from 'exceljs';
import type { RoundEvaluationView, UnitEvaluationRow } from '../../../domain/api/insight-view.ts';
import { LATE_PENALTY, NOT_DUE_LABEL } from '../../../domain/evaluation.ts';
import { EVALUATION_COUNT_LABELS as WORDS } from '../../../domain/insights/words.ts';
import { BORDER, estimatedLines, FONT, HEADER_FONT, TITLE_FONT, XLSX_MAX_ROW_POINTS, xlsxSheetName, xlsxText } from './table-xlsx.ts';

/**
 * 考核 as Excel (issue 15), written like the progress table's workbook (table-xlsx.ts, decision
 * 007): 宋体, a title row naming the round (or the plan) merged over the columns, a header row
 * frozen on screen and repeated on every printed page, A4 landscape fitted to the width, every text
 * a plain string in the Text format (never a formula), the counts as numbers.
 *
 * One round: the sheet `考核`. The plan: `汇总` (unit × round score, and the average), then one
 * sheet per round named by its label.
 */

export const EVALUATION_SHEET_NAME = '考核';
export const SUMMARY_SHEET_NAME = '汇总';

/** The columns of a round's sheet and their widths (a Chinese character takes two units). */
export const EVALUATION_COLUMNS = [
  '序号',
  '单位',
  '按时报送',
  '任务数',
  '已填报',
  '退回次数',
  WORDS.stale,
  WORDS.noNewFacts,
  WORDS.silent,
  WORDS.arithmeticErrors,
  WORDS.indicatorsBehind,
  WORDS.explanations,
  '得分',
] as const;
const EVALUATION_WIDTHS = [6, 18, 10, 8, 8, 10, 12, 10, 8, 16, 10, 10, 8];

export const SCORE_NOTE = `得分＝100×（已填报−${WORDS.stale}−½×${WORDS.noNewFacts}）÷任务数，逾期报送减 ${LATE_PENALTY} 分，在 0 至 100 之间；轮次进行中、尚未报送且未到截止时间的单位暂不评分（${NOT_DUE_LABEL}）。`;

const PAGE = {
  paperSize: 9,
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  horizontalCentered: true,
  margins: { left: 0.6, right: 0.6, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 },
} as const;

/** 按时 / 逾期 / — (not yet due, or an imported round). */
export function onTimeText(onTime: boolean | null): string {
  return onTime === null ? '—' : onTime ? '按时' : '逾期';
}

function rowValues(row: UnitEvaluationRow, index: number): (string | number | null)[] {
  return [
    index + 1,
    row.unitName,
    // Not due yet (an open round, before its deadline): 未到截止, and no score.
    row.scoreState === 'not_due' ? NOT_DUE_LABEL : onTimeText(row.onTime),
    row.tasks,
    row.answered,
    row.returned,
    row.stale,
    row.noNewFacts,
    row.silent,
    row.arithmeticErrors,
    row.indicatorsBehind,
    row.explanations,
    row.score,
  ];
}

export async function renderRoundEvaluationXlsx(view: RoundEvaluationView): Promise<Uint8Array> {
  const workbook = newWorkbook(`${view.roundLabel}考核情况`);
  writeRoundSheet(workbook, EVALUATION_SHEET_NAME, view);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

export async function renderPlanEvaluationXlsx(planTitle: string, views: readonly RoundEvaluationView[]): Promise<Uint8Array> {
  const workbook = newWorkbook(`${planTitle}考核汇总`);
  writeSummarySheet(workbook, planTitle, views);
  const used = new Set([SUMMARY_SHEET_NAME]);
  for (const view of views) {
    let name = xlsxSheetName(view.roundLabel, `第${views.indexOf(view) + 1}轮`);
    for (let n = 2; used.has(name); n++) name = xlsxSheetName(`${view.roundLabel.slice(0, 26)}（${n}）`);
    used.add(name);
    writeRoundSheet(workbook, name, view);
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function newWorkbook(title: string): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'diaodu';
  workbook.title = xlsxText(title);
  return workbook;
}

function newSheet(workbook: ExcelJS.Workbook, name: string, widths: readonly number[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, {
    // The title and the header row stay in view while scrolling.
    views: [{ state: 'frozen', ySplit: 2, xSplit: 0, topLeftCell: 'A3' }],
    pageSetup: { ...PAGE, printTitlesRow: '2:2' },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页', evenFooter: '&C第 &P 页，共 &N 页' },
  });
  sheet.columns = widths.map((width) => ({ width }));
  return sheet;
}

/**
 * A merged row's height for its text: Excel does not grow a merged row to fit, so a long plan
 * title or the score's note would print cut to its first line.
 */
function fitMergedRow(sheet: ExcelJS.Worksheet, row: ExcelJS.Row, text: string, columns: number, fontPoints: number, minimum: number): void {
  let width = 0;
  for (let column = 1; column <= columns; column++) width += sheet.getColumn(column).width ?? 9;
  const linePoints = Math.max(15, fontPoints * 1.4);
  row.height = Math.min(XLSX_MAX_ROW_POINTS, Math.max(minimum, estimatedLines(text, width, fontPoints) * linePoints + 4));
}

function writeTitle(sheet: ExcelJS.Worksheet, title: string, columns: number): void {
  const row = sheet.getRow(1);
  textCell(row.getCell(1), title, TITLE_FONT, 'center', false);
  fitMergedRow(sheet, row, title, columns, TITLE_FONT.size, 30);
  sheet.mergeCells(1, 1, 1, columns);
}

function writeHeader(sheet: ExcelJS.Worksheet, header: readonly string[]): void {
  const row = sheet.getRow(2);
  header.forEach((text, column) => textCell(row.getCell(column + 1), text, HEADER_FONT, 'center', true));
  row.height = 20;
}

function writeNote(sheet: ExcelJS.Worksheet, line: number, text: string, columns: number): void {
  const row = sheet.getRow(line);
  textCell(row.getCell(1), text, FONT, 'left', false);
  fitMergedRow(sheet, row, text, columns, FONT.size, 0);
  sheet.mergeCells(line, 1, line, columns);
}

function writeRoundSheet(workbook: ExcelJS.Workbook, name: string, view: RoundEvaluationView): void {
  const sheet = newSheet(workbook, name, EVALUATION_WIDTHS);
  const columns = EVALUATION_COLUMNS.length;
  writeTitle(sheet, `${view.roundLabel}考核情况`, columns);
  writeHeader(sheet, EVALUATION_COLUMNS);
  view.rows.forEach((unit, index) => {
    const row = sheet.getRow(3 + index);
    rowValues(unit, index).forEach((value, column) => valueCell(row.getCell(column + 1), value, column === 1 ? 'left' : 'center'));
  });
  const after = 3 + view.rows.length;
  if (view.rows.length === 0) writeNote(sheet, after, '本轮没有需要报送的单位。', columns);
  writeNote(sheet, after + 1, SCORE_NOTE, columns);
}

/** 汇总: one row per unit met in any round, one column per round (its score, blank when not asked), and the average. */
function writeSummarySheet(workbook: ExcelJS.Workbook, planTitle: string, views: readonly RoundEvaluationView[]): void {
  const header = ['序号', '单位', ...views.map((view) => view.roundLabel), '平均得分'];
  const widths = [6, 18, ...views.map((view) => Math.max(10, Math.min(24, [...view.roundLabel].length * 2 + 2))), 10];
  const sheet = newSheet(workbook, SUMMARY_SHEET_NAME, widths);
  writeTitle(sheet, `${planTitle}考核汇总`, header.length);
  writeHeader(sheet, header);
  const units = new Map<number, string>();
  for (const view of views) for (const row of view.rows) if (!units.has(row.unitId)) units.set(row.unitId, row.unitName);
  const sorted = [...units.entries()].sort((a, b) => a[1].localeCompare(b[1], 'zh-CN'));
  sorted.forEach(([unitId, unitName], index) => {
    const scores = views.map((view) => view.rows.find((row) => row.unitId === unitId)?.score ?? null);
    const given = scores.filter((score): score is number => score !== null);
    const average = given.length === 0 ? null : Math.round((given.reduce((sum, score) => sum + score, 0) / given.length) * 10) / 10;
    const row = sheet.getRow(3 + index);
    [index + 1, unitName, ...scores, average].forEach((value, column) => valueCell(row.getCell(column + 1), value, column === 1 ? 'left' : 'center'));
  });
  const after = 3 + sorted.length;
  if (sorted.length === 0) writeNote(sheet, after, '本方案还没有调度轮次。', header.length);
  writeNote(sheet, after + 1, `${SCORE_NOTE}空白：该轮未要求该单位报送，或${NOT_DUE_LABEL}。`, header.length);
}

type Horizontal = 'left' | 'center';

/** A plain string in the Text format `@` (editing it in Excel keeps `=1+1` as text), never a formula. */
function textCell(cell: ExcelJS.Cell, text: string, font: Partial<ExcelJS.Font>, horizontal: Horizontal, bordered: boolean): void {
  const value = xlsxText(text);
  if (value !== '') cell.value = value;
  cell.numFmt = '@';
  cell.font = font;
  cell.alignment = { wrapText: true, vertical: 'middle', horizontal };
  if (bordered) cell.border = BORDER;
}

function valueCell(cell: ExcelJS.Cell, value: string | number | null, horizontal: Horizontal): void {
  if (typeof value === 'string' || value === null) {
    textCell(cell, value ?? '', FONT, horizontal, true);
    return;
  }
  cell.value = value;
  cell.font = FONT;
  cell.alignment = { vertical: 'middle', horizontal };
  cell.border = BORDER;
}
