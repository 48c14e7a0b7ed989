import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileTable } from '../../../../domain/compiled-table.ts';
import { readSeedDocument } from '../../../../../tests/support/seeded-plan.ts';
import { generatePlanDocument } from '../../../../../scripts/generate-plan-document.ts';
import { readSeedText } from '../../seed-text.reader.ts';
import { linesOf } from './gb-t-9704.ts';
import { progressTableLayout } from './progress-table.ts';
import { newMeasureCache, paginate } from './table-pagination.ts';
import { layoutNames, textWidth } from './text-measure.ts';

const seedTable = compileTable(readSeedDocument());

test('every page but the last at least two-thirds full by the measure; rows split only where a page is full', () => {
  const layout = progressTableLayout(seedTable);
  const pages = layout.pages;
  // The first page's title counts as filled: the page is two-thirds full, not the table.
  const taken = pages[1] ? pages[1].capacity - pages[0]!.capacity : 0;
  pages.slice(0, -1).forEach((page, index) => {
    const used = page.height + (index === 0 ? taken : 0);
    const room = page.capacity + layout.headerHeight + (index === 0 ? taken : 0);
    assert.ok(used >= (room * 2) / 3, `page ${index + 1}: ${used} of ${room}`);
  });
  for (const page of pages) assert.ok(page.height <= page.capacity + layout.headerHeight, 'no page overfull');
  assert.ok(
    pages.some((page) => page.rows.at(-1)!.continues),
    'the seed has rows split over pages (the round trip reads them back)',
  );
  assert.ok(
    pages.slice(1).some((page) => page.rows[0]!.section?.lines[0]?.endsWith('（续）')),
    'and sections going on, labelled (续)',
  );
  // A split row continues at the top of the next page.
  pages.forEach((page, index) => {
    const last = page.rows.at(-1)!;
    if (last.continues) assert.equal(pages[index + 1]!.rows[0]!.row, last.row);
  });
  assert.deepEqual(
    [...new Set(pages.flatMap((page) => page.rows.map((row) => row.row)))],
    seedTable.rows.map((_, index) => index),
    'every row, in order',
  );
});

test('a row split over pages is cut only where its parts put together give its text back: not at a space, not inside a bracket', () => {
  // The generated 1,000-task plan of bench:import: its Word export read back as 1,002 tasks.
  const table = compileTable(readSeedText(generatePlanDocument({ tasks: 1_000, seed: 1 }).text, 'generated-1000.txt').document);
  const parts = new Map<number, { task: string[]; progress: string[] }[]>();
  for (const page of progressTableLayout(table).pages) for (const row of page.rows) parts.set(row.row, [...(parts.get(row.row) ?? []), row]);
  const split = [...parts].filter(([, pieces]) => pieces.length > 1);
  assert.ok(split.length >= 20, `${split.length} rows split over pages`);
  for (const [index, pieces] of split) {
    const row = table.rows[index]!;
    // Word keeps each part as its own paragraphs; the reader puts the cut paragraph back together.
    const together = (column: 'task' | 'progress') => pieces.map((piece) => piece[column].join('\n')).join('');
    assert.equal(together('task'), linesOf(row.task).join('\n'), `row ${index + 1}: task`);
    assert.equal(together('progress'), linesOf(row.progress).join('\n'), `row ${index + 1}: progress`);
    for (const piece of pieces.slice(1))
      assert.doesNotMatch(piece.progress[0] ?? '', /^[^（）()]*[）)]/, `row ${index + 1}: a page starts with the tail of a bracket`);
  }
});

test('the name columns hold their longest name: leaders and units are laid out whole', () => {
  const layout = progressTableLayout(seedTable);
  for (const row of seedTable.rows) {
    for (const [column, text] of [
      [4, row.leaders],
      [5, row.units],
    ] as const) {
      const names = text.split('、');
      const lines = layoutNames(names, layout.ems[column]!);
      assert.equal(lines.join(''), text);
      for (const line of lines) assert.ok(textWidth(line) <= layout.ems[column]!, `${line} fits`);
    }
  }
});

test('a width tried (heights only, a measure kept between tries) breaks the pages exactly as the full layout does', () => {
  const layout = progressTableLayout(seedTable);
  const geometry = { bodyHeight: 12_000, firstPageTaken: 1_500, otherPageTaken: 300, reserve: 200, width: 13_000, em: 210, line: 220 };
  const cache = newMeasureCache();
  const shape = (pages: ReturnType<typeof paginate>) => pages.map((page) => [page.height, page.rows.map((row) => [row.row, row.height, row.continues])]);
  for (const ems of [layout.ems, [2, 2, 12, 5, 6, 7, 30], [3, 3, 30, 6, 6, 7, 12]]) {
    const full = paginate(seedTable, ems, geometry);
    assert.deepEqual(shape(paginate(seedTable, ems, geometry, { cache, heightsOnly: true })), shape(full), `widths ${ems.join(',')}`);
    assert.ok(
      full.flatMap((page) => page.rows).every((row) => row.task.length > 0 || row.continued),
      'the full layout carries the cells’ text',
    );
  }
});

test('a 10,000-task table is measured and paginated: over a thousand pages, every row placed once and in order', () => {
  // How long it takes is bench:export's to measure (docs/benchmarks.md), not a test's: a timed
  // assertion fails on a loaded machine and proves nothing on a fast one.
  const rows = Array.from({ length: 10_000 }, (_, index) => ({ ...seedTable.rows[index % seedTable.rows.length]!, chapterSpan: index % 111 === 0 ? 111 : 0 }));
  const layout = progressTableLayout({ ...seedTable, rows });
  assert.ok(layout.pages.length > 1000, `${layout.pages.length} pages`);
  const starts = layout.pages.flatMap((page) => page.rows.filter((row) => !row.continued).map((row) => row.row));
  assert.deepEqual(
    starts,
    rows.map((_, index) => index),
  );
});

test('bad input: an absurdly long unit name breaks between words in a capped column; a huge progress text runs over pages', () => {
  const rows = seedTable.rows.slice(0, 3).map((row, index) => ({
    ...row,
    progress: index === 1 ? '很长的进展'.repeat(600) : row.progress,
    units: index === 2 ? '一个非常非常长的责任部门名称一直写下去没有停顿的单位、水处' : row.units,
  }));
  const layout = progressTableLayout({ ...seedTable, rows });
  assert.ok(layout.ems[5]! <= 9, 'the units column is capped');
  assert.ok(layout.ems[2]! >= 8 && layout.ems[6]! >= 8, 'task and progress keep their width');
  assert.ok(layout.pages.length >= 4, 'the long progress goes on over pages');
  for (const page of layout.pages) assert.ok(page.height <= page.capacity + layout.headerHeight);
  assert.equal(progressTableLayout({ ...seedTable, rows: [] }).pages.length, 1, 'an empty table is a header on one page');
});
