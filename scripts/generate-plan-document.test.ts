import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseChineseNumeral } from '../src/domain/chinese-numerals.ts';
import { normaliseName } from '../src/domain/text.ts';
import { readSeedText } from '../src/server/documents/seed-text.reader.ts';
import { generatePlanDocument } from './generate-plan-document.ts';

const SEED_LINES = readFileSync(new URL('../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url), 'utf8').split('\n');

const tableRows = (text: string) =>
  text
    .split('\n')
    .map((line, index) => ({ line: index + 1, cells: line.split('\t') }))
    .filter((row) => row.cells.length > 1);
const isHeader = (cells: string[]) => normaliseName(cells[2] ?? '') === '具体工作任务';
/** A row that starts a task has its responsible units; a continued row has none. */
const startsTask = (cells: string[]) => !isHeader(cells) && cells[5] !== '';

describe('generatePlanDocument', () => {
  test('is deterministic for a seed, and another seed gives another document', () => {
    const a = generatePlanDocument({ tasks: 300, seed: 7 });
    const b = generatePlanDocument({ tasks: 300, seed: 7 });
    const c = generatePlanDocument({ tasks: 300, seed: 8 });
    assert.equal(a.text, b.text);
    assert.deepEqual(a.expected, b.expected);
    assert.notEqual(a.text, c.text);
  });

  for (const tasks of [1, 2, 7, 111, 1000]) {
    test(`writes exactly ${tasks} task rows, all of 7 cells`, () => {
      const { text, expected } = generatePlanDocument({ tasks, seed: tasks });
      const rows = tableRows(text);
      assert.ok(
        rows.every((row) => row.cells.length === 7),
        'every table row has 7 tab-separated cells',
      );
      assert.equal(rows.filter((row) => startsTask(row.cells)).length, tasks);
      assert.equal(expected.tasks, tasks);
    });
  }

  test('has the chapters and sections it announces, sections numbered through the document with gaps', () => {
    const { text, expected } = generatePlanDocument({ tasks: 1000, seed: 3 });
    const chapters = new Set<number>();
    const sections = new Set<number>();
    for (const { cells } of tableRows(text)) {
      const chapter = /^([一二三四五六七八九十]+)、/.exec(normaliseName(cells[0] ?? ''));
      const section = /^\(([一二三四五六七八九十]+)\)/.exec(normaliseName(cells[1] ?? ''));
      if (chapter) chapters.add(parseChineseNumeral(chapter[1]!)!);
      if (section) sections.add(parseChineseNumeral(section[1]!)!);
    }
    assert.equal(chapters.size, expected.chapters);
    assert.equal(sections.size, expected.sections);
    assert.deepEqual(
      [...chapters],
      Array.from({ length: expected.chapters }, (_, i) => i + 1),
      'chapters 一、二、… in order',
    );
    const numbers = [...sections];
    assert.ok(numbers.at(-1)! > numbers.length, 'some section numbers are skipped, as (八) is in the seed');
    assert.ok(numbers.at(-1)! < 100, 'section numbers stay below 100');
  });

  test('breaks pages with a blank line and a repeated header row, sometimes spaced out', () => {
    const { text } = generatePlanDocument({ tasks: 200, seed: 1 });
    const lines = text.split('\n');
    const headers = lines.map((line, i) => ({ line, i })).filter(({ line }) => isHeader(line.split('\t')));
    assert.ok(headers.length >= 200 / 8, `a header at least every 8 rows (${headers.length} headers)`);
    for (const { i } of headers.slice(1)) assert.equal(lines[i - 1], '', 'a blank line before each repeated header');
    assert.ok(
      headers.some(({ line }) => line.includes('牵 头 厅 领 导')),
      'spaced-out header characters',
    );
    // The first row of each page repeats the chapter label.
    for (const { i } of headers) assert.match(lines[i + 1]!.split('\t')[0]!, /^[一二三四五六七八九十]+、/);
  });

  test('continues tasks across a page break in rows of their own', () => {
    const { text } = generatePlanDocument({ tasks: 1000, seed: 1 });
    const rows = tableRows(text);
    const continued = rows.filter((row, i) => !isHeader(row.cells) && !startsTask(row.cells) && isHeader(rows[i - 1]!.cells));
    assert.ok(continued.length > 10, `continuation rows right after a page header (${continued.length})`);
    for (const { cells } of continued) {
      assert.match(cells[0]!, /^[一二三四五六七八九十]+、/, 'a continuation row carries the chapter label');
      assert.deepEqual(cells.slice(3, 6), ['', '', ''], 'and no department, leaders or units');
      assert.notEqual(cells[6], '', 'and the rest of the progress');
    }
    assert.ok(
      continued.some(({ cells }) => cells[2] !== ''),
      'some continue the task text too',
    );
    assert.ok(
      rows.every((row, i) => isHeader(row.cells) || startsTask(row.cells) || isHeader(rows[i - 1]!.cells)),
      'only after a page break',
    );
  });

  test('writes the defects of the seed: merged cells, spaced names, aliases, tags', () => {
    const { text } = generatePlanDocument({ tasks: 1000, seed: 2 });
    const rows = tableRows(text).filter((row) => startsTask(row.cells));
    assert.ok(
      rows.some(({ cells }) => cells[3] === ''),
      'empty merged lead-department cells',
    );
    assert.ok(
      rows.some(({ cells }) => /(^| )\S \S( |$)/.test(cells[4]!)),
      'a spaced-out leader name such as 高 洁',
    );
    assert.ok(
      rows.some(({ cells }) => /^\S{2,4} \S{2,4}$/.test(cells[4]!)),
      'several leaders in one cell',
    );
    assert.ok(
      rows.some(({ cells }) => cells[3]!.includes('环 境 保 护 厅')),
      'spaced-out department names',
    );
    assert.ok(
      rows.some(({ cells }) => /[（(]总队[）)]/.test(cells[6]!)),
      '(总队) for 监察总队',
    );
    assert.ok(
      rows.some(({ cells }) => /（[^（）]+处）.+\([^()]+处\)$/.test(cells[6]!)),
      'full- and half-width attributions in one cell',
    );
    assert.ok(text.includes('<p>'), 'an HTML tag');
  });

  test('keeps the notice lines of the seed before the table and the 抄送/印发 lines after it', () => {
    const lines = generatePlanDocument({ tasks: 20, seed: 5 }).text.split('\n');
    const firstHeader = lines.findIndex((line) => isHeader(line.split('\t')));
    assert.equal(
      firstHeader,
      SEED_LINES.findIndex((line) => isHeader(line.split('\t'))),
    );
    lines.slice(0, firstHeader).forEach((line, i) => {
      if (i === 4) assert.match(line, /^川环办发〔2017〕\d+号$/, 'its own document number');
      else assert.equal(line, SEED_LINES[i], `notice line ${i + 1}`);
    });
    assert.deepEqual(lines.slice(-7), SEED_LINES.slice(-7));
  });

  test('refuses a task count that is not a positive integer', () => {
    assert.throws(() => generatePlanDocument({ tasks: 0 }), RangeError);
    assert.throws(() => generatePlanDocument({ tasks: 2.5 }), RangeError);
  });
});

describe('the seed reader on generated documents', () => {
  for (const seed of [1, 2, 3]) {
    test(`finds every task, section and chapter, with no warning (seed ${seed})`, () => {
      const { text, expected } = generatePlanDocument({ tasks: 400, seed });
      const { document, warnings } = readSeedText(text, `generated-${seed}.txt`);
      const sections = document.chapters.flatMap((chapter) => chapter.sections);
      assert.deepEqual(
        { tasks: sections.reduce((sum, section) => sum + section.tasks.length, 0), chapters: document.chapters.length, sections: sections.length },
        expected,
      );
      assert.deepEqual(warnings, []);
    });
  }
});
