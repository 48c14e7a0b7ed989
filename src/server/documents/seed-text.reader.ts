import { invalid } from '../../domain/errors.ts';
import { cleanCellText } from '../../domain/text.ts';
import { headerLayout, isHeaderCells, noTable, readPlanTable, type PlanTableRead, type TableRow } from './plan-table.reader.ts';

/**
 * Reads the seed format: a notice as extracted text, then the progress table as tab-separated
 * rows of seven cells, then the 抄送/印发 lines. The text is cut into the paragraphs before the
 * table, its rows and the lines after it; the shared core (`plan-table.reader.ts`) does the rest:
 * it repairs what PDF/Word extraction breaks (docs/promises.md: the source document is read closely) and warns,
 * naming the source line, wherever it had to choose. It never drops a character of task or progress text.
 */
export type SeedReadResult = PlanTableRead;

export function readSeedText(input: string, source: string): SeedReadResult {
  const lines = input.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (lines.every((line) => line.trim() === '')) throw invalid('import_empty', `${source}：文件为空`, { file: source });

  const firstHeader = lines.findIndex((line) => isHeaderCells(line.split('\t')));
  if (firstHeader === -1) throw noTable(source);
  const headerCells = lines[firstHeader]!.split('\t');
  const tableStart = findTableStart(lines, firstHeader);
  const tableEnd = findTableEnd(lines, firstHeader);
  const front = lines.slice(0, tableStart).map((text, i) => ({ text, line: i + 1 }));
  const result = readPlanTable({
    source,
    front,
    // A header it cannot read is the core's to refuse, naming its columns: rows are not counted then.
    rows: readRows(lines, tableStart, tableEnd, source, headerLayout(headerCells).ok ? headerCells.length : null),
    back: lines.slice(tableEnd).map((text, i) => ({ text, line: tableEnd + i + 1 })),
  });
  // A line above the table's title that splits into cells like a row is a row nobody can place
  // (the notice is prose): it is not read as a task, and it must not vanish unsaid.
  const stray = front.filter(({ text }) => text.split('\t').length >= MIN_ROW_CELLS).map(({ line }) => line);
  if (stray.length > 0) {
    const warning = `第${stray[0]}行：${stray.map((line) => `第${line}行`).join('、')}像是表格行，却在调度表标题之前，未作为任务导入，请核对`;
    result.document.warnings.push(warning);
    result.warnings.unshift(warning);
  }
  return result;
}

/**
 * The table starts at its first header, or earlier when the first page lost its header row in
 * extraction: the tab-separated lines right above the first header (empty lines between them
 * allowed) are that page's rows. The table's title, a line without tabs, ends them.
 */
function findTableStart(lines: string[], firstHeader: number): number {
  let start = firstHeader;
  for (let i = firstHeader - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (!line.includes('\t')) break;
    start = i;
  }
  // A title or contact line laid out with a tab (two cells, no chapter label) on top is no row.
  // Below it, every tabbed line is a row: one with too few cells is refused by its line.
  while (start < firstHeader && (lines[start]!.trim() === '' || isNoRow(lines[start]!.split('\t')))) start++;
  return start;
}

/** Fewer tab-separated cells than this, without a chapter label first, is a line of the notice, not a row of the table. */
const MIN_ROW_CELLS = 3;
const isNoRow = (cells: string[]) => cells.length < MIN_ROW_CELLS && !/^\s*[〇零一二三四五六七八九十百]+\s*、/.test(cells[0]!);

/** The table runs from its first header to the first non-empty line that is not a table row (抄送…). */
function findTableEnd(lines: string[], firstHeader: number): number {
  for (let i = firstHeader + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() !== '' && !line.includes('\t')) return i;
  }
  return lines.length;
}

/** Every row has the first header's number of cells (the seed's seven); `null`: a header the core will refuse. */
function readRows(lines: string[], from: number, to: number, source: string, columns: number | null): TableRow[] {
  const rows: TableRow[] = [];
  for (let i = from; i < to; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const cells = raw.split('\t');
    // A header row with other columns is the core's to name; any other row must have the header's cells.
    if (columns !== null && cells.length !== columns && !isHeaderCells(cells)) {
      const lastLine = lines.slice(i + 1).every((line) => line.trim() === '');
      throw invalid(
        lastLine && cells.length < columns ? 'import_truncated' : 'import_row_columns',
        lastLine && cells.length < columns
          ? `${source} 第${i + 1}行：文件在表格行中间结束（只有 ${cells.length} 列，应为 ${columns} 列），文件可能不完整`
          : `${source} 第${i + 1}行：表格行有 ${cells.length} 列，应为 ${columns} 列`,
        { file: source, line: i + 1, cells: cells.length },
      );
    }
    rows.push({ line: i + 1, cells: cells.map(cleanCellText) });
  }
  return rows;
}
