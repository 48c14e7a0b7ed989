import type { CompiledTable } from '../../src/domain/compiled-table.ts';
import { progressTableLayout } from '../../src/server/documents/writers/docx/progress-table.ts';
import type { TableLayout } from '../../src/server/documents/writers/docx/table-pagination.ts';
import { childrenNamed, findAll, findFirst, readXmlPart, readZipEntries, textOf } from './ooxml-read.ts';

/**
 * The layout a .docx's progress table was written with: the writer may have been told whether the
 * title carries the 征求意见稿 line (`draft`) or not (the line kept free), and the first page
 * holds more or fewer rows accordingly. The one whose pages and rows match the file's tables.
 */
export function progressTableLayoutOf(docx: Uint8Array, table: CompiledTable, afterLabel = true): TableLayout {
  const body = findFirst(readXmlPart(readZipEntries(docx), 'word/document.xml'), 'w:body')!;
  // The progress table's pages: tables headed 具体工作任务 (版记 may be a table too).
  const rowsPerTable = findAll(body, 'w:tbl')
    .filter((tbl) => textOf(childrenNamed(tbl, 'w:tr')[0]!).includes('具体工作任务'))
    .map((tbl) => childrenNamed(tbl, 'w:tr').length - 1);
  // Laid out one after another until one matches: a layout of the seed table is a fifth of a second.
  for (const draft of [undefined, false, true]) {
    const layout = progressTableLayout(table, { afterLabel, ...(draft === undefined ? {} : { draft }) });
    if (layout.pages.length === rowsPerTable.length && layout.pages.every((page, index) => page.rows.length === rowsPerTable[index])) return layout;
  }
  throw new Error(`no layout of the table matches the file's tables (${rowsPerTable.join(', ')} rows)`);
}
