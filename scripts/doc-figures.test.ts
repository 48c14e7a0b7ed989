import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { formats, quotedFigures, unrecordedFigures, type Allowed } from './doc-figures.ts';

const repository = path.resolve(import.meta.dirname, '..');
const folders: string[] = [];
after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A repository of a few files: docs/figures/*.json from `figures`, the documents as given. */
function tree(figures: Record<string, Record<string, number>>, files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'diaodu-doc-figures-'));
  folders.push(root);
  mkdirSync(path.join(root, 'docs', 'figures'), { recursive: true });
  for (const [bench, values] of Object.entries(figures))
    writeFileSync(path.join(root, 'docs', 'figures', `${bench}.json`), JSON.stringify({ bench, date: '2026-12-06', figures: values }));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(root, name), content);
  return root;
}

describe('figures that cannot drift (issue 17, decision 044)', () => {
  test('docs/benchmarks.md, docs/security.md and README.md quote only figures a recorded benchmark run has (docs/figures/*.json)', () => {
    assert.deepEqual(unrecordedFigures(repository), []);
  });

  test('every benchmark that writes a section of docs/benchmarks.md records its figures under the same name', () => {
    const written = new Set<string>();
    const recorded = new Set<string>();
    for (const file of readdirSync(path.join(repository, 'bench')).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(path.join(repository, 'bench', file), 'utf8');
      for (const match of source.matchAll(/writeBenchSection\(\s*'([\w-]+)'|<!-- bench:([\w-]+):start -->/g)) written.add(match[1] ?? match[2]!);
      for (const match of source.matchAll(/recordFigures\(\s*'([\w-]+)'/g)) recorded.add(match[1]!);
    }
    assert.ok(written.size >= 7, `sections found: ${[...written].join(', ')}`);
    assert.deepEqual(
      [...written].filter((name) => !recorded.has(name)),
      [],
    );
    const sections = [...readFileSync(path.join(repository, 'docs', 'benchmarks.md'), 'utf8').matchAll(/<!-- bench:([\w-]+):start -->/g)].map(
      (match) => match[1]!,
    );
    assert.deepEqual(
      sections.filter((name) => !written.has(name)),
      [],
      'a section of docs/benchmarks.md no benchmark writes',
    );
  });

  test('a figure no run recorded is named with its document, line and number; one recorded, rounded as the document rounds it, passes', () => {
    const root = tree(
      { api: { 'save.perSecond': 6923.4, 'save.ratioOfCommits': 1.0149, 'save.p99': 14 }, load: { 'sustained.perSecond': 669.2 } },
      {
        'README.md': '# diaodu\n',
        'docs/security.md': [
          '# Security',
          'Draft save 6,923 req/s, **1.01** of A, p99 14 ms.', // 2: all recorded
          'bench:load 965 req/s where benchmarks.md says 669 req/s.', // 3: 965 is not
          'import per-task ×1.04.', // 4: not recorded
          'Run `npm run bench:api -- --duration 3` for a look; 401s are not audited.', // 5: no figure
        ].join('\n'),
        'docs/benchmarks.md': '# Benchmarks\n',
      },
    );
    assert.deepEqual(unrecordedFigures(root, []), [
      'docs/security.md:3: 965 — no recorded figure is 965',
      'docs/security.md:4: 1.04 — no recorded figure is 1.04',
    ]);
  });

  test("inside a benchmark's section a figure must be that benchmark's; table columns with a unit are checked cell by cell", () => {
    const root = tree(
      { api: { 'todo.p99': 15, 'todo.perSecond': 7376 }, load: { 'ramp.800.p99': 2073 } },
      {
        'docs/benchmarks.md': [
          '# Benchmarks',
          '<!-- bench:api:start -->',
          '| figure | per second | p99 ms | 2xx |',
          '|---|---:|---:|---:|',
          '| to-do | 7,376 | 15.0 | 73,755 |', // 5: both recorded (2xx has no unit)
          '| save | 6,923 | 2073 | 69,297 |', // 6: 6,923 unrecorded; 2073 is load's, not api's
          '<!-- bench:api:end -->',
          'Outside: p99 2073 ms.', // 8: any benchmark's figure
        ].join('\n'),
      },
    );
    assert.deepEqual(unrecordedFigures(root, [], ['docs/benchmarks.md']), [
      'docs/benchmarks.md:6: 6,923 — no recorded figure of bench:api is 6,923',
      'docs/benchmarks.md:6: 2073 — no recorded figure of bench:api is 2073',
    ]);
  });

  test('an allowed figure (a setting, not a measurement) passes only where its words are, and an entry whose words are gone fails', () => {
    const allowed: Allowed[] = [
      { doc: 'docs/security.md', quote: '19 MiB, 2 passes', why: 'the argon2id setting' },
      { doc: 'docs/security.md', quote: 'a 30 s step', why: 'gone from the document' },
    ];
    const root = tree({}, { 'docs/security.md': 'argon2id (19 MiB, 2 passes).\nA buffer of 19 MiB.\n' });
    assert.deepEqual(unrecordedFigures(root, allowed, ['docs/security.md']), [
      'docs/security.md:2: 19 — no recorded figure is 19',
      'docs/security.md: the allowed figure "a 30 s step" (gone from the document) is quoted nowhere any more: remove it from ALLOWED',
    ]);
  });

  test('what counts as a figure: numbers next to a unit or a ×, ratios of A and B, not plurals, code or bare counts', () => {
    const texts = (markdown: string) => quotedFigures('x.md', markdown).map((q) => q.text);
    assert.deepEqual(texts('3,490 vs 2,177 req/s; 5,200 commits/s; 1.5 s; 0.74 of their mean; ×1.57 and 2.6× tsc; **0.098** of B; 24.5 KiB; 19 MiB; 300 KB'), [
      '2,177',
      '5,200',
      '1.5',
      '1.57',
      '2.6',
      '0.098',
      '24.5',
      '19',
      '300',
    ]);
    assert.deepEqual(texts('401s and 429s; `--duration 5 s`; 1,600 connections; 12 tasks; v20.20.2\n```\n10 ms\n```'), []);
  });

  test('a quoted number is any value that rounds to it, thousands separators dropped', () => {
    assert.equal(formats('6,923', 6923.4), true);
    assert.equal(formats('6,923', 6923.6), false);
    assert.equal(formats('1.01', 1.0149), true);
    assert.equal(formats('1.0', 1.04), true);
    assert.equal(formats('1.04', 1.0), false);
    assert.equal(formats('2073', 2073), true);
  });
});
