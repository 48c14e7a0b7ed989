import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import { findSoffice } from '../../pdf/docx-to-pdf.ts';
import { pdfPagePng, readPdfLayout, renderSeedNotice, seedNoticeInput, type PdfPage } from '../../../../../tests/support/pdf-layout.ts';
import { LANDSCAPE_MARGINS } from './gb-t-9704.ts';
import { charWidth } from './text-measure.ts';
import { progressTableLayoutOf } from '../../../../../tests/support/progress-table-layout-of.ts';

/**
 * The lines of text inside one column of a page's table, top to bottom, below the header row.
 * pdftotext may run two cells' text into one word where the gap is narrow, so each word is cut
 * into characters placed along its box by their widths, and each character goes by its centre.
 */
function columnLines(page: PdfPage, columns: readonly number[], column: number): string[] {
  const left = LANDSCAPE_MARGINS.left / 20 + columns.slice(0, column).reduce((sum, width) => sum + width, 0) / 20;
  const right = left + columns[column]! / 20;
  const header = page.words.find((word) => word.text === '具体工作任务')!;
  const lines = new Map<number, { x: number; text: string }[]>();
  for (const word of page.words) {
    if (word.yMin <= header.yMax || /^—/.test(word.text)) continue;
    const chars = [...word.text];
    const total = chars.reduce((sum, char) => sum + charWidth(char), 0);
    let x = word.xMin;
    for (const char of chars) {
      const width = ((word.xMax - word.xMin) * charWidth(char)) / total;
      const centre = x + width / 2;
      x += width;
      if (centre <= left || centre >= right) continue;
      const key = [...lines.keys()].find((y) => Math.abs(y - word.yMin) < 2) ?? word.yMin;
      lines.set(key, [...(lines.get(key) ?? []), { x: centre, text: char }]);
    }
  }
  return [...lines.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, line]) =>
      line
        .sort((a, b) => a.x - b.x)
        .map((char) => char.text)
        .join(''),
    );
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

/** The seed round's notice through LibreOffice, the table read back from the PDF (decision 023). */
test(
  'the seed notice as PDF: the table on the pages the layout planned, names whole, (续) labels, pages filled',
  { skip: findSoffice() === null },
  async () => {
    const { table } = seedNoticeInput();
    const { docx, pdf } = await renderSeedNotice();
    const layout = progressTableLayoutOf(docx, table);
    const { pages } = await readPdfLayout(pdf);
    const tablePages = pages.filter((page) => page.width > page.height);
    assert.equal(tablePages.length, layout.pages.length, 'no table runs over its page');
    assert.ok(pages.length <= 26, `${pages.length} pages in all (at most 26: 2 of notice, the table, 版记)`);

    // Every page's table text starts with the header and its first row's chapter label (续 after the first).
    const text = (index: number) => tablePages[index]!.lines.map((line) => line.text).join('');
    tablePages.forEach((_, index) => assert.ok(text(index).includes('具体工作任务'), `page ${index + 1} has the header`));
    layout.pages.forEach((page, index) => {
      const first = page.rows[0]!;
      if (first.chapter?.lines[0]?.endsWith('（续）')) assert.ok(text(index).includes('续'), `page ${index + 1}: （续）`); // the 2-character column breaks （续） over lines
    });

    // Every line of the leaders' and units' columns is whole names: no name broken over two lines.
    for (const [column, key] of [
      [4, 'leaders'],
      [5, 'units'],
    ] as const) {
      const names = new Set(table.rows.flatMap((row) => row[key].split('、')).filter((name) => name !== ''));
      const seen = new Set<string>();
      for (const page of tablePages)
        for (const line of columnLines(page, layout.columns, column))
          for (const name of line.split('、').filter((part) => part !== '')) {
            assert.ok(names.has(name), `page ${page.number}: “${line}” holds a broken name “${name}”`);
            seen.add(name);
          }
      assert.deepEqual([...seen].sort(), [...names].sort(), `every ${key} name is in the PDF`);
    }

    // Chapter and section labels whole on each page ((续) where they go on), and 省级牵头部门 once per merged run.
    tablePages.forEach((page, index) => {
      for (const [column, key] of [
        [0, 'chapter'],
        [1, 'section'],
        [3, 'department'],
      ] as const) {
        const expected = layout.pages[index]!.rows.flatMap((row) => row[key]?.lines ?? []).join('');
        assert.equal(squeeze(columnLines(page, layout.columns, column).join('')), squeeze(expected), `page ${page.number}: the ${key} column`);
      }
    });
    // Say what was written (decision 024): the progress column, read back line by line over every page, has
    // （总队） as often as the seed writes it (5 times （总队）, twice (总队)), and nothing invented.
    const progress = squeeze(tablePages.flatMap((page) => columnLines(page, layout.columns, 6)).join(''));
    assert.equal(progress.split('（总队）').length - 1, 7, '（总队） as the units wrote it');
    assert.equal(progress.split('（监察总队）').length - 1, 0);
    assert.equal(squeeze(pages.map((page) => page.lines.map((line) => line.text).join('')).join('')).split('（未报送）').length - 1, 0, 'no （未报送）');

    const continued = layout.pages.slice(1).filter((page) => page.rows[0]!.section?.lines[0]?.endsWith('（续）')).length;
    assert.ok(continued > 0, 'some section goes on over a page, labelled (续)');

    // Fill from word boxes: the last word of each page but the last in the lower third of the 版心.
    const body = { top: (28 * 72) / 25.4, bottom: 595.3 - (26 * 72) / 25.4 };
    const fills = tablePages.slice(0, -1).map((page) => {
      // The table's words only: the page number stands outside the 版心 (left of it on landscape pages).
      const words = page.words.filter((word) => word.xMin >= LANDSCAPE_MARGINS.left / 20 - 1 && word.yMax < body.bottom + 1);
      return (Math.max(...words.map((word) => word.yMax)) - body.top) / (body.bottom - body.top);
    });
    for (const [index, fill] of fills.entries()) assert.ok(fill >= 2 / 3, `table page ${index + 1} filled ${Math.round(fill * 100)} %`);
    console.log(
      `table pages ${tablePages.length}, pages in all ${pages.length}, emptiest table page (not the last) ${Math.round(Math.min(...fills) * 100)} % full`,
    );

    mkdirSync('test-artifacts', { recursive: true });
    for (const page of [3, 4, 3 + Math.floor(layout.pages.length / 2)]) await pdfPagePng(pdf, page, `test-artifacts/progress-table-page-${page}.png`);
  },
);

test('a draft (征求意见稿 under the title) keeps its first table page too', { skip: findSoffice() === null }, async () => {
  const { table } = seedNoticeInput();
  const { docx, pdf } = await renderSeedNotice({ draft: true });
  const { pages } = await readPdfLayout(pdf);
  assert.equal(pages.filter((page) => page.width > page.height).length, progressTableLayoutOf(docx, table).pages.length);
  assert.ok(pages.length <= 26, `${pages.length} pages`);
});
