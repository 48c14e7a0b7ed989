import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import { findSoffice } from '../../pdf/docx-to-pdf.ts';
import { pdfPagePng, readPdfLayout, renderSeedNotice, seedNoticeInput } from '../../../../../tests/support/pdf-layout.ts';
import { progressTableLayout } from './progress-table.ts';

/** The seed round's notice through LibreOffice, the table read back from the PDF (decision 023). */
test('the seed notice as PDF: the table on the pages the layout planned, names whole, (续) labels, pages filled', { skip: findSoffice() === null }, async () => {
  const { table } = seedNoticeInput();
  const layout = progressTableLayout(table);
  const { pdf } = await renderSeedNotice();
  const { pages } = await readPdfLayout(pdf);
  const tablePages = pages.filter((page) => page.width > page.height);
  assert.equal(tablePages.length, layout.pages.length, 'no table runs over its page');
  assert.ok(pages.length <= 2 + layout.pages.length + 2, `${pages.length} pages`);

  // Every page's table text starts with the header and its first row's chapter label (续 after the first).
  const text = (index: number) => tablePages[index]!.lines.map((line) => line.text).join('');
  tablePages.forEach((_, index) => assert.ok(text(index).includes('具体工作任务'), `page ${index + 1} has the header`));
  layout.pages.forEach((page, index) => {
    const first = page.rows[0]!;
    if (first.chapter?.lines[0]?.endsWith('（续）')) assert.ok(text(index).includes('续'), `page ${index + 1}: （续）`); // the 2-character column breaks （续） over lines
  });

  // Every leader and unit name whole on one line of the PDF.
  const names = new Set(table.rows.flatMap((row) => [...row.leaders.split('、'), ...row.units.split('、')]));
  const allLines = tablePages.flatMap((page) => page.lines.map((line) => line.text));
  for (const name of names) assert.ok(allLines.some((line) => line.includes(name)), `“${name}” whole on a line`);

  // Fill from word boxes: the last word of each page but the last in the lower third of the 版心.
  const body = { top: (28 * 72) / 25.4, bottom: 595.3 - (26 * 72) / 25.4 };
  const fills = tablePages.slice(0, -1).map((page) => {
    const words = page.words.filter((word) => !/^—/.test(word.text) && word.yMax < body.bottom - 1);
    return (Math.max(...words.map((word) => word.yMax)) - body.top) / (body.bottom - body.top);
  });
  for (const [index, fill] of fills.entries()) assert.ok(fill >= 2 / 3, `page ${index + 1} filled ${Math.round(fill * 100)} %`);

  mkdirSync('test-artifacts', { recursive: true });
  for (const page of [3, 4, 3 + Math.floor(layout.pages.length / 2)]) await pdfPagePng(pdf, page, `test-artifacts/progress-table-page-${page}.png`);
});
