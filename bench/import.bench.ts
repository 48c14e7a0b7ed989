/**
 * Import benchmark (`npm run bench:import`): how long reading a plan document takes, and reading
 * plus storing it into a fresh SQLite file, for the seed and for generated documents of 100, 1,000
 * and 10,000 tasks; and reading the same document from our own Word (.docx, the notice with the
 * table) and Excel (.xlsx, with the 通报 sheet) exports of it, rendered once beforehand. In-process, one warm-up run, then the median of 5–25 runs (as many as a time
 * budget per size allows). Prints a table and replaces its own section of docs/benchmarks.md
 * (other sections are kept).
 *
 *   npm run bench:import                       all sizes, figures written to docs/benchmarks.md
 *   npm run bench:import -- --no-write         print only
 *   npm run bench:import -- --runs 3 --max-tasks 1000   a quick look
 *
 * Linear growth shows as a per-task cost ratio (10,000 vs 1,000) near 1.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemActor } from '../src/domain/actor.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { compileTable } from '../src/domain/compiled-table.ts';
import { readPlanDocument } from '../src/server/documents/read-plan-document.ts';
import { positive } from './support.ts';
import { readSeedText } from '../src/server/documents/seed-text.reader.ts';
import { renderNoticeDocx } from '../src/server/documents/writers/notice-docx.ts';
import { renderTableXlsx } from '../src/server/documents/writers/table-xlsx.ts';
import { defaultNotice } from '../src/server/services/compile-round.service.ts';
import { createPlanImportService } from '../src/server/services/plan-import.service.ts';
import { generatePlanDocument } from '../scripts/generate-plan-document.ts';
import { recordFigures, type Figures } from './figures.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEED_FILE = path.join(ROOT, 'fixtures', 'seed', 'sichuan-2017-q2-notice.txt');
const BENCHMARKS_MD = path.join(ROOT, 'docs', 'benchmarks.md');
const START = '<!-- bench:import:start -->';
const END = '<!-- bench:import:end -->';
const GENERATOR_SEED = 1;

interface Options {
  write: boolean;
  /** Exactly this many timed runs; null: as many as the time budget allows (5–25). */
  runs: number | null;
  maxTasks: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { write: true, runs: null, maxTasks: 10_000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--no-write') options.write = false;
    else if (arg === '--runs') options.runs = positive(arg, argv[++i]);
    else if (arg === '--max-tasks') options.maxTasks = positive(arg, argv[++i]);
    else {
      console.error(`usage: npm run bench:import -- [--no-write] [--runs N] [--max-tasks N]\nunknown argument: ${arg}`);
      process.exit(2);
    }
  }
  return options;
}

interface Input {
  name: string;
  fileName: string;
  text: string;
  tasks: number;
}

interface Timing {
  runs: number;
  median: number;
  min: number;
  max: number;
}

interface Result {
  input: Input;
  parse: Timing;
  store: Timing;
  docx: Timing;
  xlsx: Timing;
  docxBytes: number;
  xlsxBytes: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const timing = (values: number[]): Timing => ({ runs: values.length, median: median(values), min: Math.min(...values), max: Math.max(...values) });

function countTasks(text: string, source: string): number {
  const { document } = readSeedText(text, source);
  return document.chapters.reduce((sum, chapter) => sum + chapter.sections.reduce((s, section) => s + section.tasks.length, 0), 0);
}

/**
 * Runs `once` after a warm-up: `runs` times when given, else as often as the time budget allows
 * (between 5 and 25 runs), so cheap sizes get enough runs for a steady median on a shared machine.
 */
async function measure(runs: number | null, budgetMs: number, once: () => Promise<number>): Promise<Timing> {
  const warmUp = await once();
  const affordable = runs ?? Math.max(5, Math.min(25, Math.floor(budgetMs / Math.max(warmUp, 1))));
  const values: number[] = [];
  for (let i = 0; i < affordable; i++) values.push(await once());
  return timing(values);
}

async function benchParse(input: Input, runs: number | null): Promise<Timing> {
  return measure(runs, 15_000, async () => {
    const started = performance.now();
    readSeedText(input.text, input.fileName);
    return performance.now() - started;
  });
}

/** Parse + store into a fresh, migrated SQLite file; opening and migrating are not timed. */
async function benchStore(input: Input, runs: number | null, dir: string): Promise<Timing> {
  const contentHash = createHash('sha256').update(input.text).digest('hex');
  let run = 0;
  return measure(runs, 30_000, async () => {
    const file = path.join(dir, `${input.name.replace(/\W+/g, '-')}-${run++}.db`);
    const database = await openDatabase(`sqlite:${file}`);
    try {
      await migrateToLatest(database.db);
      const service = createPlanImportService({ database });
      const started = performance.now();
      const { document } = readSeedText(input.text, input.fileName);
      const outcome = await service.importDocument(systemActor('bench'), document, { fileName: input.fileName, contentHash });
      const elapsed = performance.now() - started;
      if (outcome.status !== 'created' || outcome.tasks !== input.tasks)
        throw new Error(`${input.name}: import said ${outcome.status} with ${outcome.tasks} tasks, expected created with ${input.tasks}`);
      return elapsed;
    } finally {
      await database.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    }
  });
}

/** Our own .docx and .xlsx exports of the document, rendered once (not timed). */
async function officeFiles(input: Input): Promise<{ docx: Uint8Array; xlsx: Uint8Array }> {
  const { document } = readSeedText(input.text, input.fileName);
  const table = compileTable(document);
  const notice = document.notice ?? defaultNotice(document, null);
  return { docx: await renderNoticeDocx({ notice, table }), xlsx: await renderTableXlsx(table, notice) };
}

/** `readPlanDocument` on the bytes of an Office file: unzip, parse the XML, the shared core. */
async function benchOffice(input: Input, bytes: Uint8Array, name: string, runs: number | null): Promise<Timing> {
  return measure(runs, 15_000, async () => {
    const started = performance.now();
    const { document } = readPlanDocument(bytes, name);
    const elapsed = performance.now() - started;
    const tasks = document.chapters.reduce((sum, chapter) => sum + chapter.sections.reduce((s, section) => s + section.tasks.length, 0), 0);
    if (tasks !== input.tasks) throw new Error(`${name}: read ${tasks} tasks, expected ${input.tasks}`);
    return elapsed;
  });
}

function inputs(maxTasks: number): Input[] {
  const seedText = readFileSync(SEED_FILE, 'utf8');
  const list: Input[] = [{ name: 'seed (Sichuan 2017 Q2)', fileName: path.basename(SEED_FILE), text: seedText, tasks: countTasks(seedText, 'seed') }];
  for (const tasks of [100, 1_000, 10_000].filter((n) => n <= maxTasks)) {
    const { text, expected } = generatePlanDocument({ tasks, seed: GENERATOR_SEED });
    list.push({ name: `generated ${tasks.toLocaleString('en')}`, fileName: `generated-${tasks}.txt`, text, tasks: expected.tasks });
  }
  return list;
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const rate = (tasks: number, t: Timing) => Math.round(tasks / (t.median / 1000)).toLocaleString('en');
const cell = (t: Timing) => `${ms(t.median)} (${ms(t.min)}–${ms(t.max)})`;

function perTaskRatio(results: Result[], which: 'parse' | 'store' | 'docx' | 'xlsx'): string {
  const big = results.find((r) => r.input.tasks === 10_000 && r.input.name.startsWith('generated'));
  const small = results.find((r) => r.input.tasks === 1_000 && r.input.name.startsWith('generated'));
  if (!big || !small) return 'n/a';
  return (big[which].median / big.input.tasks / (small[which].median / small.input.tasks)).toFixed(2);
}

/** The run's figures by stable key (docs/figures/import.json): `<document>.<what>.<figure>`. */
function figuresOf(results: Result[]): Figures {
  const figures: Figures = {};
  for (const r of results) {
    const key = r.input.name.startsWith('seed') ? 'seed' : `generated${r.input.tasks}`;
    figures[`${key}.tasks`] = r.input.tasks;
    figures[`${key}.docxKiB`] = Math.round(r.docxBytes / 1024);
    figures[`${key}.xlsxKiB`] = Math.round(r.xlsxBytes / 1024);
    for (const which of ['parse', 'store', 'docx', 'xlsx'] as const) {
      const t = r[which];
      Object.assign(figures, {
        [`${key}.${which}.runs`]: t.runs,
        [`${key}.${which}.median`]: t.median,
        [`${key}.${which}.min`]: t.min,
        [`${key}.${which}.max`]: t.max,
        [`${key}.${which}.tasksPerSecond`]: Math.round(r.input.tasks / (t.median / 1000)),
      });
    }
  }
  for (const which of ['parse', 'store', 'docx', 'xlsx'] as const) {
    const ratio = Number(perTaskRatio(results, which));
    if (Number.isFinite(ratio)) figures[`perTask10000vs1000.${which}`] = ratio;
  }
  return figures;
}

function report(results: Result[], load: { start: number; end: number }): string {
  const cpu = cpus();
  const lines = [
    '## Import (`npm run bench:import`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with Node ${process.version} on ${cpu[0]?.model.trim() ?? 'unknown CPU'} (${cpu.length} cores),`,
    `1-minute load average ${load.start.toFixed(1)} at the start and ${load.end.toFixed(1)} at the end` +
      (Math.max(load.start, load.end) > cpu.length ? ` (above ${cpu.length}: other work shared the cores, compare figures of one run only).` : '.'),
    'In-process, one warm-up run then the median of the runs shown (fastest–slowest in brackets), in milliseconds.',
    '**Parse**: `readSeedText` on the text in memory. **Parse + store**: `readSeedText` then',
    '`importDocument` into a fresh SQLite file (WAL, `synchronous=FULL`, one transaction); opening and',
    `migrating the file are not timed. Generated documents: \`scripts/generate-plan-document.ts --seed ${GENERATOR_SEED}\`.`,
    '',
    '| document | tasks | runs | parse ms | parse tasks/s | parse + store ms | parse + store tasks/s |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.input.name} | ${r.input.tasks.toLocaleString('en')} | ${r.parse.runs} / ${r.store.runs} | ${cell(r.parse)} | ${rate(r.input.tasks, r.parse)} | ${cell(r.store)} | ${rate(r.input.tasks, r.store)} |`,
    ),
    '',
    `Per-task cost, 10,000 vs 1,000 tasks (1.00 = linear): parse **${perTaskRatio(results, 'parse')}**, parse + store **${perTaskRatio(results, 'store')}**.`,
    '',
    '**Word / Excel**: `readPlanDocument` on our own export of the same document (rendered once, not timed):',
    'the .docx of `renderNoticeDocx` (notice and table) and the .xlsx of `renderTableXlsx` with its 通报 sheet —',
    'unzip with the caps of decision 008, the XML read by saxes, then the same core as the text.',
    '',
    '| document | tasks | .docx KiB | read .docx ms | tasks/s | .xlsx KiB | read .xlsx ms | tasks/s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.input.name} | ${r.input.tasks.toLocaleString('en')} | ${Math.round(r.docxBytes / 1024).toLocaleString('en')} | ${cell(r.docx)} | ${rate(r.input.tasks, r.docx)} | ${Math.round(r.xlsxBytes / 1024).toLocaleString('en')} | ${cell(r.xlsx)} | ${rate(r.input.tasks, r.xlsx)} |`,
    ),
    '',
    `Per-task cost, 10,000 vs 1,000 tasks: .docx **${perTaskRatio(results, 'docx')}**, .xlsx **${perTaskRatio(results, 'xlsx')}**.`,
  ];
  return lines.join('\n');
}

/** Replaces this benchmark's section of docs/benchmarks.md, keeping every other section. */
function writeSection(section: string) {
  const block = `${START}\n${section}\n${END}`;
  const current = existsSync(BENCHMARKS_MD)
    ? readFileSync(BENCHMARKS_MD, 'utf8')
    : '# Benchmarks\n\nHow to run each benchmark, and the last figures measured. Compare only figures from the same run.\n';
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next = start >= 0 && end > start ? current.slice(0, start) + block + current.slice(end + END.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(BENCHMARKS_MD, next);
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const dir = mkdtempSync(path.join(tmpdir(), 'diaodu-bench-import-'));
  const results: Result[] = [];
  const loadAtStart = loadavg()[0]!;
  try {
    for (const input of inputs(options.maxTasks)) {
      process.stderr.write(`${input.name}: ${input.tasks} tasks, ${(Buffer.byteLength(input.text) / 1024).toFixed(0)} KiB … `);
      const parse = await benchParse(input, options.runs);
      const store = await benchStore(input, options.runs, dir);
      const files = await officeFiles(input);
      const docx = await benchOffice(input, files.docx, 'bench.docx', options.runs);
      const xlsx = await benchOffice(input, files.xlsx, 'bench.xlsx', options.runs);
      process.stderr.write(`parse ${ms(parse.median)} ms, parse + store ${ms(store.median)} ms, .docx ${ms(docx.median)} ms, .xlsx ${ms(xlsx.median)} ms\n`);
      results.push({ input, parse, store, docx, xlsx, docxBytes: files.docx.length, xlsxBytes: files.xlsx.length });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const section = report(results, { start: loadAtStart, end: loadavg()[0]! });
  console.log(`\n${section}\n`);
  if (options.write) {
    writeSection(section);
    console.log(`written to ${path.relative(process.cwd(), BENCHMARKS_MD) || BENCHMARKS_MD}`);
    console.log(`figures written to ${path.relative(process.cwd(), recordFigures('import', figuresOf(results), { loadBefore: loadAtStart }))}`);
  }
}

await main();
