import { invalid } from '../../domain/errors.ts';
import { cleanCellText } from '../../domain/text.ts';
import type { SourceLine } from './notice-text.reader.ts';
import { readDocxBody, type DocxBlock } from './ooxml/wordprocessing.ts';
import type { OoxmlPackage } from './ooxml/zip.ts';
import {
  cleanMultilineCell,
  headerLayout,
  isHeaderCells,
  type HeaderColumn,
  looksLikeTaskRow,
  noTable,
  readPlanTable,
  type PlanTableRead,
  type TableRow,
} from './plan-table.reader.ts';

/**
 * Reads a notice and its progress table from a Word file (decision 008): our own export, or a
 * table made by hand like the original document — chapter and section cells merged down,
 * the header repeated by Word (`w:tblHeader`) or typed again after a page break, the table cut
 * into several tables at page breaks, empty cells. The progress table is the first table with
 * the header row (具体工作任务 …) and every table after it that has the header or the same
 * seven columns; paragraphs and other tables before it are the notice, those after it 版记.
 * The rows then go through the same core as the seed's text, with the same repairs and warnings.
 */
export function readDocxTable(pkg: OoxmlPackage): PlanTableRead {
  const source = pkg.source;
  const blocks = readDocxBody(pkg);
  const tables = blocks.filter((b): b is Extract<DocxBlock, { kind: 'table' }> => b.kind === 'table');
  if (tables.length === 0) throw invalid('import_no_table', `${source}：Word 文件中没有表格，找不到调度表`, { file: source });
  if (tables.every((table) => table.rows.every((row) => row.cells.every((text) => cleanCellText(text) === ''))))
    throw invalid('import_table_empty', `${source}：Word 文件中的表格是空的，没有表头和任务行`, { file: source });

  const headerTable = blocks.findIndex((b) => b.kind === 'table' && b.rows.some((row) => isHeaderCells(row.cells)));
  if (headerTable === -1) throw noTable(source);
  // The progress table's width and column meanings are its first header's (the seed's seven columns, or another shape).
  const headerBlock = blocks[headerTable] as Extract<DocxBlock, { kind: 'table' }>;
  const width = headerBlock.columns;
  const layout = headerLayout(headerBlock.rows.find((row) => isHeaderCells(row.cells))!.cells.map(cleanMultilineCell));
  const columnsOf = layout.ok ? layout.columns : [];
  const at = (column: HeaderColumn) => columnsOf.indexOf(column);
  const positions: PagePositions = { chapter: at('chapter'), section: at('section'), department: at('department'), leaders: at('leaders'), units: at('units') };
  // A first page whose header row was lost: the seven-column tables right before the first table
  // with a header (only empty paragraphs, such as page breaks, between them) are its pages.
  let first = headerTable;
  for (let i = headerTable - 1; i >= 0; i--) {
    const block = blocks[i]!;
    if (block.kind === 'paragraph') {
      if (block.text.trim() === '') continue;
      break;
    }
    if (block.columns !== width) break;
    first = i;
  }
  let last = headerTable;
  for (let i = first + 1; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.kind === 'paragraph') continue;
    if (block.columns === width || block.rows.some((row) => isHeaderCells(row.cells))) last = i;
    else break;
  }

  // Positions: paragraphs (第N段) and table rows (第N个表格第M行) numbered in one sequence, in document order.
  const places: string[] = [''];
  const place = (label: string) => places.push(label) - 1;
  let paragraphNumber = 0;
  let tableNumber = 0;
  const front: SourceLine[] = [];
  const back: SourceLine[] = [];
  const rows: TableRow[] = [];
  const between: SourceLine[] = [];
  /** Rows above the header inside the table with text in two cells or more: no title, yet no placeable row. */
  const stray: number[] = [];
  const manyTables = tables.length > 1;
  let afterHeader = false;
  let lastDepartment = '';

  blocks.forEach((block, index) => {
    const target = index < first ? front : index > last ? back : between;
    if (block.kind === 'paragraph') {
      const line = place(`第${++paragraphNumber}段`);
      for (const text of linesOfParagraph(block.text)) target.push({ text, line });
      return;
    }
    tableNumber++;
    const label = (row: number) => (manyTables ? `第${tableNumber}个表格第${row}行` : `表格第${row}行`);
    const isProgress = index >= first && index <= last;
    // Rows before the header of the first table with one are its title, unless they are task rows
    // of a first page that lost its header (a chapter label, or text in three cells or more).
    let seenHeader = index !== headerTable;
    block.rows.forEach((row, rowIndex) => {
      const line = place(label(rowIndex + 1));
      if (!seenHeader && (isHeaderCells(row.cells) || looksLikeTaskRow(row.cells))) seenHeader = true;
      if (isProgress && seenHeader) {
        const cells = row.cells.map(cleanMultilineCell);
        if (row.repeatsAsHeader && !isHeaderCells(cells) && index === headerTable) return; // a second header row of the first table
        if (isHeaderCells(cells)) afterHeader = true;
        else if (cells.some((text) => text !== '')) {
          rows.push({ line, cells: pageTopCells(cells, afterHeader, lastDepartment, positions) });
          afterHeader = false;
          if (positions.department >= 0 && cells[positions.department] !== '') lastDepartment = cells[positions.department]!;
          return;
        }
        if (cells.some((text) => text !== '')) rows.push({ line, cells });
        return;
      }
      // Rows before the header (a title row inside the table), and the cells of other tables, read as lines.
      if (isProgress && row.cells.filter((text) => cleanCellText(text) !== '').length >= 2) stray.push(line);
      for (const text of row.cells.flatMap(linesOfParagraph)) (isProgress ? front : target).push({ text, line });
    });
  });

  const result = readPlanTable({ source, front, rows, back, locate: (line) => places[line] ?? `第${line}行` });
  const skipped = between.filter((line) => line.text !== '');
  if (skipped.length > 0) {
    const warning = `${places[skipped[0]!.line]}：调度表中间的段落未导入：${skipped.map((line) => `“${clip(line.text)}”`).join('、')}`;
    result.document.warnings.push(warning);
    result.warnings.push(warning);
  }
  if (stray.length > 0) {
    const warning = `${places[stray[0]!]}：${stray.map((line) => places[line]).join('、')}像是表格行，却在表头之上，未作为任务导入，请核对`;
    result.document.warnings.push(warning);
    result.warnings.unshift(warning);
  }
  return result;
}

/** Where the page-top repairs look: the header's columns of each meaning (-1 where it has none). */
interface PagePositions {
  chapter: number;
  section: number;
  department: number;
  leaders: number;
  units: number;
}
/** `一、…（续）`: a label repeated at the top of a page the chapter or section goes on to (our own export). */
const CONTINUED_LABEL = /\s*[（(]续[）)]$/;

/**
 * The first row under a page's header, as our export writes it (decision 023): the chapter and
 * section labels say （续） where they go on from the page before, and a row split by the page
 * repeats its 省级牵头部门 but not its leaders and units. The labels are read without （续）; such a
 * row's department is dropped, so that it reads as the rest of the task above (as a split row of a
 * table made by hand, whose page shows no department).
 */
function pageTopCells(cells: string[], afterHeader: boolean, lastDepartment: string, at: PagePositions): string[] {
  const result = [...cells];
  for (const column of [at.chapter, at.section]) if (column >= 0) result[column] = result[column]!.replace(CONTINUED_LABEL, '');
  const { department, leaders, units } = at;
  if (department < 0 || leaders < 0 || units < 0) return result;
  if (afterHeader && result[leaders] === '' && result[units] === '' && result[department] !== '' && result[department] === lastDepartment)
    result[department] = '';
  return result;
}

/**
 * The lines of a paragraph outside the table: a tab or a line break separates parts that stand on
 * lines of their own in the seed's text (`某某厅办公室⇥2017年7月31日印发`) — except in a
 * title broken over lines (GB/T 9704 7.3.1; our export breaks titles so, decision 022, and offices
 * do by hand): line breaks only, and either a 《…》 name runs across a break or the whole reads as a
 * notice's title (`关于…的通报`). Such a paragraph is one line.
 */
function linesOfParagraph(text: string): string[] {
  const parts = text
    .split(/[\t\n]/)
    .map((part) => part.trim())
    .filter((part, index, parts) => part !== '' || parts.length === 1);
  if (parts.length > 1 && !text.includes('\t')) {
    const joined = parts.join('');
    const balanced = (part: string) => count(part, '《') === count(part, '》');
    if ((balanced(joined) && !parts.every(balanced)) || NOTICE_TITLE.test(joined)) return [joined];
  }
  return parts;
}

const NOTICE_TITLE = /关于.*(通报|通知|报告)$/;
const count = (text: string, char: string) => text.split(char).length - 1;

const clip = (text: string, max = 16) => (text.length > max ? `${text.slice(0, max)}…` : text);
