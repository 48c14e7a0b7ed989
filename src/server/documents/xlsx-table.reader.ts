import { invalid } from '../../domain/errors.ts';
import type { Notice } from '../../domain/plan-document.ts';
import { normaliseName, stripControlCharacters } from '../../domain/text.ts';
import { parseChineseDate, type SourceLine } from './notice-text.reader.ts';
import { readSharedStrings, readSheet, workbookSheets, type Sheet } from './ooxml/spreadsheet.ts';
import type { OoxmlPackage } from './ooxml/zip.ts';
import {
  cleanMultilineCell,
  COLUMNS,
  isHeaderCells,
  isTaskHeaderCell,
  looksLikeTaskRow,
  noTable,
  readPlanTable,
  type PlanTableRead,
  type TableRow,
} from './plan-table.reader.ts';
import { NOTICE_LIST_FIELDS, NOTICE_SHEET_FIELDS, NOTICE_SHEET_NAME, type NoticeSheetField } from './notice-sheet.ts';

/**
 * Reads the progress table from an Excel workbook (decision 008): our own export (title row,
 * header, chapter and section cells merged down, a `通报` sheet with the notice field by field)
 * or a sheet made by hand. The table is on the first sheet that is not `通报`; its header row is
 * found by its content (具体工作任务 …) as the text reader finds it, and may start in any column.
 * A merged range gives its text to every row it covers, in its first column. Rows above the
 * header are the title (and a notice typed there); the table ends at the first row that has text
 * in its first column only and is not a chapter label (抄送, 印发). The rows then go through the
 * same core as the seed's text and Word tables. Positions are Excel's own row numbers.
 */
export function readXlsxTable(pkg: OoxmlPackage): PlanTableRead {
  const source = pkg.source;
  const sheets = workbookSheets(pkg);
  const tableRef = sheets.find((sheet) => sheet.name !== NOTICE_SHEET_NAME);
  if (!tableRef) throw invalid('import_xlsx_no_sheet', `${source}：工作簿中没有调度表工作表`, { file: source });
  const sharedStrings = readSharedStrings(pkg);
  const sheet = readSheet(pkg, tableRef, sharedStrings);
  const locate = (line: number) => `工作表“${sheet.name}”第${line}行`;
  const rowNumbers = [...sheet.rows.keys()].sort((a, b) => a - b);
  if (rowNumbers.length === 0)
    throw invalid('import_table_empty', `${source}：工作表“${sheet.name}”是空的，没有表头和任务行`, { file: source, sheet: sheet.name });

  const textAt = (row: number, column: number) => sheet.rows.get(row)?.get(column) ?? '';
  const headerRow = rowNumbers.find((row) => isHeaderCells([...sheet.rows.get(row)!.values()]));
  if (headerRow === undefined) throw noTable(`${source} 工作表“${sheet.name}”`);
  const headerCells = [...sheet.rows.get(headerRow)!.entries()];
  const taskColumn = headerCells.find(([, text]) => isTaskHeaderCell(text))![0];
  // The seed's header leaves its two columns left of the task unnamed; a table with 序号 names its first.
  const firstNamed = Math.min(...headerCells.filter(([, text]) => normaliseName(text) !== '').map(([column]) => column));
  const left = Math.max(0, Math.min(firstNamed, taskColumn - 2));
  const lastHeaderColumn = Math.max(...sheet.rows.get(headerRow)!.keys());
  const width = Math.max(COLUMNS, lastHeaderColumn - left + 1);

  // A sheet pasted from a first page that lost its header row: task rows (a chapter label, or text
  // in three cells or more of the table's columns) right above the header belong to the table.
  const rawCellsOf = (row: number) => Array.from({ length: width }, (_, i) => textAt(row, left + i));
  let tableStart = headerRow;
  for (let i = rowNumbers.indexOf(headerRow) - 1; i >= 0; i--) {
    const cells = rawCellsOf(rowNumbers[i]!);
    if (cells.every((text) => text.trim() === '')) continue;
    if (!looksLikeTaskRow(cells)) break;
    tableStart = rowNumbers[i]!;
  }

  const merged = mergedTexts(sheet, tableStart, rowNumbers.at(-1)!, source);
  const cellsOf = (row: number) => Array.from({ length: width }, (_, i) => merged.get(`${row}:${left + i}`) ?? textAt(row, left + i));

  const front: SourceLine[] = [];
  const rows: TableRow[] = [];
  const back: SourceLine[] = [];
  const linesOf = (row: number, into: SourceLine[]) => {
    for (const [, text] of [...sheet.rows.get(row)!.entries()].sort(([a], [b]) => a - b)) into.push({ text, line: row });
  };
  let ended = false;
  for (const row of rowNumbers) {
    if (row < tableStart) linesOf(row, front);
    else if (ended) linesOf(row, back);
    else {
      const cells = cellsOf(row).map(cleanMultilineCell);
      if (cells.every((text) => text === '')) continue;
      if (row > headerRow && isTableEnd(cells)) {
        ended = true;
        linesOf(row, back);
        continue;
      }
      const outside = [...sheet.rows.get(row)!.entries()].find(([column, text]) => (column < left || column >= left + width) && text.trim() !== '');
      if (outside)
        throw invalid(
          'import_row_columns',
          `${source} ${locate(row)}：第 ${outside[0] + 1} 列在调度表的 ${width} 列之外，却有内容“${outside[1].slice(0, 16)}”，表格列数不对`,
          { file: source, sheet: sheet.name, line: row, column: outside[0] + 1 },
        );
      rows.push({ line: row, cells });
    }
  }

  const noticeRef = sheets.find((s) => s.name === NOTICE_SHEET_NAME);
  const noticeWarnings: string[] = [];
  const notice = noticeRef ? readNoticeSheet(readSheet(pkg, noticeRef, sharedStrings), noticeWarnings) : undefined;
  const result = readPlanTable({ source, front, rows, back, locate, ...(notice === undefined ? {} : { notice }) });
  result.document.warnings.unshift(...noticeWarnings);
  result.warnings.unshift(...noticeWarnings);
  // Above the table, the title and a notice typed there have one cell a row: a row with text in
  // two cells or more of the table's columns is a row nobody could place, named rather than lost.
  const stray = rowNumbers.filter((row) => row < tableStart && rawCellsOf(row).filter((text) => text.trim() !== '').length >= 2);
  if (stray.length > 0) {
    const warning = `${locate(stray[0]!)}：${stray.map(locate).join('、')}像是表格行，却在调度表之上，未作为任务导入，请核对`;
    result.document.warnings.push(warning);
    result.warnings.unshift(warning);
  }
  return result;
}

/** After the header, a row with text in its first column only that is no chapter or section label (`一、…`, `（一）…`) is 抄送/印发 below the table. */
function isTableEnd(cells: string[]): boolean {
  const first = normaliseName(cells[0]!);
  return (
    first !== '' && cells.slice(1).every((text) => text === '') && !/^[〇零一二三四五六七八九十百]+、|^[(（][〇零一二三四五六七八九十百]+[)）]/.test(first)
  );
}

/**
 * The text each merged range gives to the rows it covers, in its first column (`row:column` →
 * text), from the table's first row down. Ranges that overlap do not line up: refused.
 */
function mergedTexts(sheet: Sheet, tableStart: number, lastRow: number, source: string): Map<string, string> {
  const texts = new Map<string, string>();
  const owner = new Map<string, string>();
  for (const range of sheet.merges) {
    const name = `${columnName(range.left)}${range.top}:${columnName(range.right)}${range.bottom}`;
    const bottom = Math.min(range.bottom, lastRow);
    for (let row = Math.max(range.top, tableStart); row <= bottom; row++)
      for (let column = range.left; column <= range.right; column++) {
        const key = `${row}:${column}`;
        const other = owner.get(key);
        if (other)
          throw invalid('import_xlsx_merge', `${source}：工作表“${sheet.name}”的合并单元格 ${other} 与 ${name} 重叠，合并单元格没有对齐`, {
            file: source,
            sheet: sheet.name,
            ranges: [other, name],
          });
        owner.set(key, name);
      }
    const text = sheet.rows.get(range.top)?.get(range.left) ?? '';
    for (let row = Math.max(range.top, tableStart); row <= bottom; row++) {
      texts.set(`${row}:${range.left}`, text);
      for (let column = range.left + 1; column <= range.right; column++) texts.set(`${row}:${column}`, '');
    }
  }
  return texts;
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** The `通报` sheet: one label/value row per field (`NOTICE_SHEET_FIELDS`), 正文 and 抄送 once per item. */
function readNoticeSheet(sheet: Sheet, warnings: string[]): Notice | null {
  const values = new Map<NoticeSheetField, string[]>();
  const known = new Set<string>(NOTICE_SHEET_FIELDS);
  for (const row of [...sheet.rows.keys()].sort((a, b) => a - b)) {
    const label = normaliseName(sheet.rows.get(row)!.get(0) ?? '');
    const value = stripControlCharacters(sheet.rows.get(row)!.get(1) ?? '')
      .replace(/\r\n?/g, '\n')
      .trim();
    if (label === '') {
      if (value !== '') warnings.push(`工作表“${sheet.name}”第${row}行：没有栏目名，“${value.slice(0, 16)}”未导入`);
      continue;
    }
    if (!known.has(label)) {
      warnings.push(`工作表“${sheet.name}”第${row}行：不认识的栏目“${label}”，未导入（应为 ${NOTICE_SHEET_FIELDS.join('、')}）`);
      continue;
    }
    const field = label as NoticeSheetField;
    if (values.has(field) && !NOTICE_LIST_FIELDS.includes(field)) warnings.push(`工作表“${sheet.name}”第${row}行：栏目“${label}”重复，采用第一次的值`);
    else values.set(field, [...(values.get(field) ?? []), value]);
  }
  if (values.size === 0) {
    warnings.push(`工作表“${sheet.name}”是空的，没有导入通报`);
    return null;
  }
  const one = (field: NoticeSheetField) => {
    const value = values.get(field)?.[0] ?? '';
    return value === '' ? null : value;
  };
  const list = (field: NoticeSheetField) => (values.get(field) ?? []).filter((value) => value !== '');
  const date = (field: NoticeSheetField) => {
    const value = one(field);
    if (value === null) return null;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    const parsed = parseChineseDate(value);
    if (parsed === null) warnings.push(`工作表“${sheet.name}”：“${field}”的“${value}”不是日期（应为 2017-07-31 或 2017年7月31日），未导入`);
    return parsed;
  };
  return {
    issuingOffice: one('发文机关'),
    docNumber: one('文号'),
    title: one('标题'),
    recipients: one('主送'),
    body: list('正文'),
    attachment: one('附件'),
    issuer: one('落款'),
    date: date('日期'),
    contact: { unit: one('联系单位'), name: one('联系人'), phone: one('联系电话') },
    cc: list('抄送'),
    printed: { by: one('印发机关'), date: date('印发日期') },
  };
}
