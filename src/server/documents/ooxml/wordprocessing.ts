import { invalid } from '../../../domain/errors.ts';
import { parseXmlPart, readRelationships, resolvePartName, type XmlTag } from './xml.ts';
import type { OoxmlPackage } from './zip.ts';

/**
 * The body of a Word document as the table readers need it: its paragraphs and tables in order,
 * each table expanded into a grid (decision 008). Read event by event from the main part:
 * - a paragraph's text is its `w:t` runs, with `w:tab` as a tab and `w:br`/`w:cr` as a line
 *   break; deleted text (`w:delText`), field codes (`w:instrText`) and the VML copy of a drawing
 *   (`mc:Fallback`) are not text; a text box's paragraphs come before the paragraph holding it;
 * - a table's cells are placed on its grid (`w:tblGrid`): `w:gridBefore`/`w:gridAfter` skip
 *   columns, `w:gridSpan` widens a cell (its text in the first column, the others empty), and a
 *   `w:vMerge` continuation takes the text of the cell above, so every row has every column;
 * - a table inside a cell is that cell's text, paragraph after paragraph.
 */
export type DocxBlock = { kind: 'paragraph'; text: string } | { kind: 'table'; rows: DocxGridRow[]; columns: number };

export interface DocxGridRow {
  /** `w:tblHeader`: Word repeats the row at the top of every page. */
  repeatsAsHeader: boolean;
  /** One entry per grid column; a cell's paragraphs joined by `\n`. */
  cells: string[];
}

interface RawCell {
  paragraphs: string[];
  span: number;
  vMerge: 'restart' | 'continue' | null;
  hMergeContinue: boolean;
}
interface RawRow {
  cells: RawCell[];
  repeatsAsHeader: boolean;
  before: number;
  after: number;
}
interface RawTable {
  grid: number;
  rows: RawRow[];
}

const OFFICE_DOCUMENT = /\/officeDocument$/;

/** The main document part: the package's officeDocument relationship, `word/document.xml` by default. */
export function mainDocumentPart(pkg: OoxmlPackage): string {
  for (const { target, type } of readRelationships(pkg, '_rels/.rels').values()) if (OFFICE_DOCUMENT.test(type)) return resolvePartName('', target);
  return 'word/document.xml';
}

const on = (value: string | undefined) => value === undefined || !['false', '0', 'off'].includes(value);
const count = (value: string | undefined) => {
  const n = Number(value ?? '1');
  return Number.isInteger(n) && n > 0 ? n : 1;
};

export function readDocxBody(pkg: OoxmlPackage, part = mainDocumentPart(pkg)): DocxBlock[] {
  const blocks: DocxBlock[] = [];
  const raw: (RawTable | string)[] = [];
  const path: XmlTag[] = [];
  const paragraphs: string[] = [];
  const tables: RawTable[] = [];
  let row: RawRow | null = null;
  let cell: RawCell | null = null;
  let inText = false;
  let skipping = 0;

  const outer = () => tables.length === 1;
  const parentIs = (local: string) => path.at(-2)?.ns === 'w' && path.at(-2)?.local === local;
  const append = (text: string) => {
    if (paragraphs.length > 0) paragraphs[paragraphs.length - 1] += text;
  };

  parseXmlPart(pkg, part, {
    open(tag) {
      path.push(tag);
      if (skipping > 0 || (tag.ns === 'mc' && tag.local === 'Fallback')) {
        skipping++;
        return;
      }
      if (tag.ns !== 'w') return;
      switch (tag.local) {
        case 'p':
          paragraphs.push('');
          break;
        case 't':
          inText = true;
          break;
        case 'tab':
          if (parentIs('r')) append('\t');
          break;
        case 'br':
          if (parentIs('r') && (tag.attr('type') ?? 'textWrapping') === 'textWrapping') append('\n');
          break;
        case 'cr':
          append('\n');
          break;
        case 'noBreakHyphen':
          append('-');
          break;
        case 'tbl':
          tables.push({ grid: 0, rows: [] });
          break;
        case 'gridCol':
          if (outer() && parentIs('tblGrid')) tables[0]!.grid++;
          break;
        case 'tr':
          if (outer()) row = { cells: [], repeatsAsHeader: false, before: 0, after: 0 };
          break;
        case 'tblHeader':
          if (outer() && row && parentIs('trPr')) row.repeatsAsHeader = on(tag.attr('val'));
          break;
        case 'gridBefore':
          if (outer() && row && parentIs('trPr')) row.before = count(tag.attr('val'));
          break;
        case 'gridAfter':
          if (outer() && row && parentIs('trPr')) row.after = count(tag.attr('val'));
          break;
        case 'tc':
          if (outer()) cell = { paragraphs: [], span: 1, vMerge: null, hMergeContinue: false };
          break;
        case 'gridSpan':
          if (outer() && cell && parentIs('tcPr')) cell.span = count(tag.attr('val'));
          break;
        case 'vMerge':
          if (outer() && cell && parentIs('tcPr')) cell.vMerge = tag.attr('val') === 'restart' ? 'restart' : 'continue';
          break;
        case 'hMerge':
          if (outer() && cell && parentIs('tcPr')) cell.hMergeContinue = tag.attr('val') !== 'restart';
          break;
      }
    },
    close(tag) {
      path.pop();
      if (skipping > 0) {
        skipping--;
        return;
      }
      if (tag.ns !== 'w') return;
      switch (tag.local) {
        case 't':
          inText = false;
          break;
        case 'p': {
          const text = paragraphs.pop() ?? '';
          if (tables.length > 0) cell?.paragraphs.push(text);
          else raw.push(text);
          break;
        }
        case 'tc':
          if (outer() && row && cell) row.cells.push(cell);
          if (outer()) cell = null;
          break;
        case 'tr':
          if (outer() && row) tables[0]!.rows.push(row);
          if (outer()) row = null;
          break;
        case 'tbl': {
          const table = tables.pop()!;
          if (tables.length === 0) raw.push(table);
          break;
        }
      }
    },
    text(text) {
      if (inText && skipping === 0) append(text);
    },
  });

  let tableNumber = 0;
  for (const item of raw) {
    if (typeof item === 'string') blocks.push({ kind: 'paragraph', text: item });
    else blocks.push(expandTable(item, ++tableNumber, pkg.source));
  }
  return blocks;
}

/** Places every cell on the grid; merged cells that do not line up are refused, naming the table, row and cell. */
function expandTable(table: RawTable, tableNumber: number, source: string): DocxBlock {
  const widest = Math.max(0, ...table.rows.map((r) => r.before + r.after + r.cells.reduce((sum, c) => sum + (c.hMergeContinue ? 0 : c.span), 0)));
  const columns = table.grid > 0 ? table.grid : widest;
  const where = (rowIndex: number, cellIndex: number) => `第${tableNumber}个表格第${rowIndex + 1}行第${cellIndex + 1}个单元格`;
  const rows: DocxGridRow[] = [];
  let above: ({ start: number; span: number; text: string } | null)[] = [];

  table.rows.forEach((raw, rowIndex) => {
    // A legacy horizontal merge (`w:hMerge`) is the same as a wider first cell.
    const cells: RawCell[] = [];
    for (const c of raw.cells) {
      const previous = cells.at(-1);
      if (c.hMergeContinue && previous) previous.span += c.span;
      else cells.push({ ...c });
    }
    const texts = new Array<string>(columns).fill('');
    const origins = new Array<{ start: number; span: number; text: string } | null>(columns).fill(null);
    let column = raw.before;
    cells.forEach((c, cellIndex) => {
      if (column + c.span > columns)
        throw invalid(
          'import_docx_grid',
          `${source}：${where(rowIndex, cellIndex)}横跨 ${c.span} 列，从第 ${column + 1} 列起超出表格的 ${columns} 列，合并单元格没有对齐`,
          { file: source, table: tableNumber, row: rowIndex + 1, cell: cellIndex + 1, column: column + 1, span: c.span, columns },
        );
      let text = c.paragraphs.join('\n');
      if (c.vMerge === 'continue') {
        const top = above[column];
        if (!top || top.start !== column || top.span !== c.span)
          throw invalid(
            'import_docx_merge',
            `${source}：${where(rowIndex, cellIndex)}是纵向合并的延续，但上一行第 ${column + 1} 列没有${c.span > 1 ? `同样跨 ${c.span} 列的` : '可合并的'}单元格，合并单元格没有对齐`,
            { file: source, table: tableNumber, row: rowIndex + 1, cell: cellIndex + 1, column: column + 1 },
          );
        text = top.text;
      }
      texts[column] = text;
      const origin = { start: column, span: c.span, text };
      for (let k = column; k < column + c.span; k++) origins[k] = origin;
      column += c.span;
    });
    above = origins;
    rows.push({ repeatsAsHeader: raw.repeatsAsHeader, cells: texts });
  });
  return { kind: 'table', rows, columns };
}
