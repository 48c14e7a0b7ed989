#!/usr/bin/env node
// The test runner behind `npm test` (after type-check and lint): runs every `*.test.ts(x)` under
// src/, tests/ (integration, e2e, …) and scripts/ with node:test, compiled ahead by esbuild
// (scripts/compile-tests.mjs, decision 048; the web app's tests through tsx), one spec report
// on stdout, and the runner's closing summary (`# tests N`, `# pass N`, `# fail N`) at the end.
// The longest files start first (scripts/run-tests-in-order.mjs): the journeys (tests/e2e: a
// server, Chromium, most of a minute each) by their time in the last run here (tmp/test-durations.json,
// written after every run) or else before the rest, other files by size or their last time if longer.
//
//   node scripts/run-tests.mjs                      every test file, longest first
//   node scripts/run-tests.mjs src/domain tests/x.test.ts   a subset (files or folders)
//   node scripts/run-tests.mjs --test-name-pattern=seed     options starting with -- go to node
//
// DIAODU_TEST_POSTGRES_URL is filled from tests/.postgres-url (written by scripts/test-deps.sh)
// when it is not set. Environment knobs: DIAODU_TEST_CONCURRENCY (node's --test-concurrency;
// default: one file more than there are cores — a file waits on PostgreSQL, Chromium or the loader
// thread of tsx (then) for much of its time, so on two cores three files at once ran a mixed sample of the
// suite in 92 s where two took 104 s and four 114 s (2026-12-06, decision 036); each file has its
// own SQLite files and PostgreSQL schemas, so two never share state), DIAODU_TEST_JOURNEYS_PER_PROCESS
// and DIAODU_TEST_FILES_PER_PROCESS (how many files share a process, default 5 and 16; see batchFiles),
// DIAODU_TEST_TIMEOUT_MS (per test, default 300000),
// DIAODU_TEST_TOTAL_TIMEOUT_MS (whole run, default 2700000: a stop for a hung run, not a budget. Clean
// clones' `.ci/run` on a 2-core development machine on 2026-12-06 took 1,030–1,213 s (753e13a the
// fastest; 0245499 the slowest, on a slow hour of its host; a machine of the same kind ran an
// earlier commit in 748 s that morning: the speed of these machines varies widely, a bare fastify
// route answered 20,691–44,615 req/s on them that day); a CI machine once ran 1.8 times slower, and
// at 1,500 s the watchdog stopped a run that had nothing wrong. The budget is issue 17's: under 10
// minutes here. Decision 036).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { clearTimeout, setTimeout } from 'node:timers';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileTests, sourceOfCompiled } from './compile-tests.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_ROOTS = ['src', 'tests', 'scripts'];
const TEST_FILE = /\.test\.tsx?$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'data', 'tmp', 'test-artifacts', '.git']);
const SUMMARY_LINE = /^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /;

function collect(target, files) {
  const stat = statSync(target);
  if (stat.isFile()) {
    files.add(target);
    return;
  }
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) collect(path.join(target, entry.name), files);
    } else if (entry.isFile() && TEST_FILE.test(entry.name)) {
      files.add(path.join(target, entry.name));
    }
  }
}

const args = process.argv.slice(2);
const nodeOptions = args.filter((arg) => arg.startsWith('--'));
const targets = args.filter((arg) => !arg.startsWith('--'));

const files = new Set();
if (targets.length === 0) {
  for (const dir of DEFAULT_ROOTS) if (existsSync(path.join(ROOT, dir))) collect(path.join(ROOT, dir), files);
} else {
  for (const target of targets) {
    const absolute = path.resolve(process.cwd(), target);
    if (!existsSync(absolute)) {
      console.error(`run-tests: no such file or folder: ${target}`);
      process.exit(2);
    }
    collect(absolute, files);
  }
}
/** Files to a process by default (see batchFiles). */
const JOURNEYS_PER_PROCESS = 5;
const FILES_PER_PROCESS = 16;
const WEB_FILES_PER_PROCESS = 16;
const DURATIONS_FILE = path.join(ROOT, 'tmp', 'test-durations.json');
const JOURNEY = /^tests[\\/]e2e[\\/].*\.test\.tsx?$/;
// A top-level `after` does not count: it runs once the process's tests are done, later than alone but
// around nobody's tests (the suite's are all clean-ups of the file's own folders and children).
const TOP_LEVEL_HOOK = /^(before|beforeEach|afterEach)\(/m;
const recorded = readDurations();
const sorted = [...files].map((file) => path.relative(ROOT, file)).sort();
// Longest first: with three files at once, a long file started last is the run's tail alone.
const ordered = sorted
  .map((file) => ({ file, expected: expectedMs(file) }))
  .sort((a, b) => b.expected - a.expected)
  .map(({ file }) => file);
if (sorted.length === 0) {
  console.error(`run-tests: no test files (*.test.ts) found in ${targets.length ? targets.join(', ') : DEFAULT_ROOTS.join(', ')}`);
  process.exit(1);
}

const env = { ...process.env };
const urlFile = path.join(ROOT, 'tests', '.postgres-url');
if (!env.DIAODU_TEST_POSTGRES_URL && existsSync(urlFile)) {
  const url = readFileSync(urlFile, 'utf8').trim();
  if (url) env.DIAODU_TEST_POSTGRES_URL = url;
}
console.log(
  `run-tests: ${sorted.length} test file(s); PostgreSQL: ${
    env.DIAODU_TEST_POSTGRES_URL ? redact(env.DIAODU_TEST_POSTGRES_URL) : 'not configured (run scripts/test-deps.sh)'
  }`,
);

// A TAP copy in a private temporary folder (several runs may go on at once); only its closing
// summary lines are used.
const tapDir = mkdtempSync(path.join(tmpdir(), 'diaodu-tests-'));
const TAP_FILE = path.join(tapDir, 'report.tap');
const DURATIONS_OUT = path.join(tapDir, 'durations.json');
// Test files outside the web app run compiled (scripts/compile-tests.mjs, decision 048): their
// processes load plain JavaScript, without tsx's loader hooks. The web app's tests (src/web: JSX, a
// DOM, its own tsconfig) load tsx first, and the DOM of src/web/test-support/dom.ts, in batches of their own.
const WEB = /^src[\\/]web[\\/]/;
const WEB_DOM = pathToFileURL(path.join(ROOT, 'src', 'web', 'test-support', 'dom.ts')).href;
const TSX_LOADER = import.meta.resolve('tsx');
const compiledTargets = ordered.filter((file) => file.endsWith('.test.ts') && !WEB.test(file));
const { urls: compiledUrls } = await compileTests(compiledTargets.map((file) => path.join(ROOT, file)));
const compiledUrl = (file) => compiledUrls.get(path.join(ROOT, file)) ?? null;
const runFiles = batchFiles(ordered);
// Each test file's process inherits these node options from scripts/run-tests-in-order.mjs.
const NAME_PATTERN = '--test-name-pattern=';
env.DIAODU_TEST_NAME_PATTERNS = JSON.stringify(nodeOptions.filter((arg) => arg.startsWith(NAME_PATTERN)).map((arg) => arg.slice(NAME_PATTERN.length)));
const nodeArgs = [
  // The compiled files carry inline source maps: a stack trace names the .ts file and line.
  '--enable-source-maps',
  `--test-timeout=${env.DIAODU_TEST_TIMEOUT_MS ?? 300_000}`,
  ...nodeOptions.filter((arg) => !arg.startsWith(NAME_PATTERN)),
  path.join(ROOT, 'scripts', 'run-tests-in-order.mjs'),
  ...runFiles,
];
// A file's whole run may take as long as a test may (a batch: that many times its files).
env.DIAODU_TEST_FILE_TIMEOUT_MS = String(
  Number(env.DIAODU_TEST_TIMEOUT_MS ?? 300_000) *
    Math.max(perProcess('DIAODU_TEST_JOURNEYS_PER_PROCESS', JOURNEYS_PER_PROCESS), perProcess('DIAODU_TEST_FILES_PER_PROCESS', FILES_PER_PROCESS)),
);
env.DIAODU_TEST_CONCURRENCY_RESOLVED = String(env.DIAODU_TEST_CONCURRENCY ?? availableParallelism() + 1);
env.DIAODU_TEST_TAP_FILE = TAP_FILE;
env.DIAODU_TEST_DURATIONS_FILE = DURATIONS_OUT;

const child = spawn(process.execPath, nodeArgs, { cwd: ROOT, env, stdio: 'inherit', detached: true });
const totalTimeout = Number(env.DIAODU_TEST_TOTAL_TIMEOUT_MS ?? 2_700_000);
let timedOut = false;
const watchdog = setTimeout(() => {
  timedOut = true;
  console.error(`run-tests: the run took longer than ${totalTimeout} ms; stopping it`);
  killGroup('SIGKILL');
}, totalTimeout);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killGroup(signal);
    rmSync(tapDir, { recursive: true, force: true });
    process.exit(130);
  });
}

child.on('exit', (code, signal) => {
  clearTimeout(watchdog);
  recordDurations();
  printSummary();
  if (timedOut) process.exit(1);
  if (signal) {
    console.error(`run-tests: node test runner ended by ${signal}`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});

function killGroup(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** The files' times of earlier runs here, by path from the root (tmp/ is not in git: a clean clone has none). */
function readDurations() {
  try {
    const parsed = JSON.parse(readFileSync(DURATIONS_FILE, 'utf8'));
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/** How long a file is expected to take (ms): its last time here, else a guess that puts journeys first. */
function expectedMs(file) {
  const last = recorded[file];
  const known = typeof last === 'number' && Number.isFinite(last) ? last : null;
  const bytes = statSync(path.join(ROOT, file)).size;
  // A journey took 30–90 s here (its suites are its own, so its record is whole).
  if (JOURNEY.test(file)) return known ?? 60_000 + bytes;
  // Other files mostly a few seconds, longer the more they hold; a record may miss their
  // forEachEngine suites (see recordDurations), so it only ever raises the guess.
  return Math.max(known ?? 0, bytes);
}

/**
 * Test files run several to a process: each process loads the server and its support (1.3 s of a
 * core compiled, 3 s through tsx on Node 20; decision 048) and a journey's process launches Chromium
 * (about a second more); a process per file spent that again for every file.
 * A batch is a file in the run's temporary folder that imports its files, whose tests then run one
 * file after another, each test with its own databases, servers and browser contexts as before.
 * Journeys (tests/e2e) go five to a process (DIAODU_TEST_JOURNEYS_PER_PROCESS), other files sixteen
 * (DIAODU_TEST_FILES_PER_PROCESS): compiled, loading four integration files took 1.9 s of CPU, and
 * eight 1.95 s (2026-12-07, decision 048), so eight files in one process spare a second process's
 * 1.9 s; and a process's test databases serve all its files (tests/support/databases.ts): the 35
 * files of src/server/services and src/server/http took 57.0–62.8 s of the machine's CPU sixteen to
 * a process against 66.6–70.6 s eight to a process (three runs of each, in turn, 2026-12-07). With
 * tsx the defaults were three and four. The web app's files (through tsx, in one jsdom) go sixteen
 * to a process (DIAODU_TEST_WEB_FILES_PER_PROCESS), which is all of them today: the twelve took 63 s
 * of the machine's CPU in a process each and 33 s in one (2026-12-07, decision 036). 1 runs each
 * file in its own process, as before. A file stays alone when it has a `before`, `beforeEach` or
 * `afterEach` at its top level (it would apply to, or run before, its batch-mates' tests); a
 * top-level `after` runs when the whole batch is done, which a clean-up does not mind. Batches are
 * filled longest first into the emptiest and take their place in the order by their total.
 */
function perProcess(name, fallback) {
  return Math.max(1, Math.floor(Number(env[name] ?? fallback)) || 1);
}

function batchFiles(files) {
  const groups = [
    { name: 'journeys', size: perProcess('DIAODU_TEST_JOURNEYS_PER_PROCESS', JOURNEYS_PER_PROCESS), files: [] },
    { name: 'files', size: perProcess('DIAODU_TEST_FILES_PER_PROCESS', FILES_PER_PROCESS), files: [] },
    { name: 'web', size: perProcess('DIAODU_TEST_WEB_FILES_PER_PROCESS', WEB_FILES_PER_PROCESS), files: [] },
  ];
  const [journeys, others, web] = groups;
  const alone = [];
  for (const file of files) {
    if (TOP_LEVEL_HOOK.test(readFileSync(path.join(ROOT, file), 'utf8'))) alone.push(file);
    else if (WEB.test(file)) web.files.push(file);
    else if (compiledUrl(file) === null) alone.push(file);
    else if (JOURNEY.test(file)) journeys.files.push(file);
    else others.files.push(file);
  }
  const entries = [];
  const entry = (name, batchFiles, expected) => {
    const file = path.join(tapDir, `${name}.test.mjs`);
    writeFileSync(file, batchSource(batchFiles));
    entries.push({ file, expected });
  };
  alone.forEach((file, index) => entry(`alone-${index + 1}`, [file], expectedMs(file)));
  for (const group of groups) {
    const batches = Array.from({ length: Math.ceil(group.files.length / group.size) }, () => ({ files: [], expected: 0 }));
    // `files` come longest first.
    for (const file of group.files) {
      const emptiest = batches.reduce((best, batch) => (batch.expected < best.expected ? batch : best));
      emptiest.files.push(file);
      emptiest.expected += expectedMs(file);
    }
    batches.forEach((batch, index) => entry(`${group.name}-${index + 1}`, batch.files, batch.expected));
  }
  return entries.sort((a, b) => b.expected - a.expected).map(({ file }) => file);
}

/**
 * A batch imports its files one after another, each in its own `try`: a file that throws while it
 * loads (a syntax error, a missing export) becomes one failing test named after it and fails its
 * process, and the batch's other files still run. With plain `import` statements one such file
 * failed the whole batch, and the others' tests were not run at all. A file's top-level code now
 * runs while the files before it are being tested (node:test starts a test as soon as it is
 * declared): a file must not change globals at load time that another file's tests rely on.
 */
function batchSource(files) {
  const entries = files.map((file) => [file, compiledUrl(file) ?? pathToFileURL(path.join(ROOT, file)).href]);
  // A file that is not compiled (the web app's) is loaded through tsx, registered first.
  const needsTsx = files.some((file) => compiledUrl(file) === null);
  // Web files sharing a process share one DOM, set up before any of them loads: react-dom decides
  // at its load whether it has one, and the first file to load it may be one that does not.
  const sharedDom = files.filter((file) => WEB.test(file)).length > 1;
  return [
    `import { test } from 'node:test';`,
    ...(needsTsx ? [`await import(${JSON.stringify(TSX_LOADER)});`] : []),
    ...(sharedDom ? [`await import(${JSON.stringify(WEB_DOM)});`] : []),
    `for (const [file, href] of ${JSON.stringify(entries)}) {`,
    `  try {`,
    `    await import(href);`,
    `  } catch (error) {`,
    // The exit code too: under --test-name-pattern the stand-in test would be skipped, not failed.
    `    process.exitCode = 1;`,
    '    console.error(`${file} could not be loaded:`, error);',
    '    test(`${file} could not be loaded`, () => {',
    `      throw error;`,
    `    });`,
    `  }`,
    `}`,
    ``,
  ].join('\n');
}

/** Adds this run's times to tmp/test-durations.json (several runs may end at once: written aside, renamed into place). */
function recordDurations() {
  try {
    const found = JSON.parse(readFileSync(DURATIONS_OUT, 'utf8').trim().split('\n').pop());
    const merged = { ...readDurations() };
    // A suite is placed where `describe` was called: forEachEngine's are in tests/support/databases.ts,
    // and such files keep the guess (only a test file's own suites say how long it takes).
    for (const [reported, ms] of Object.entries(found)) {
      const where = reported.startsWith('file:') ? fileURLToPath(reported) : reported;
      const file = sourceOfCompiled(where) ?? where;
      if (TEST_FILE.test(file) && ms > 0) merged[path.relative(ROOT, file)] = Math.round(ms);
    }
    for (const file of Object.keys(merged)) if (!TEST_FILE.test(file) || !existsSync(path.join(ROOT, file))) delete merged[file];
    mkdirSync(path.dirname(DURATIONS_FILE), { recursive: true });
    const aside = `${DURATIONS_FILE}.${process.pid}`;
    writeFileSync(aside, `${JSON.stringify(merged, Object.keys(merged).sort(), 2)}\n`);
    renameSync(aside, DURATIONS_FILE);
  } catch {
    // no times (the run did not start, or was stopped): the next run guesses
  }
}

function printSummary() {
  let lines = [];
  try {
    const all = readFileSync(TAP_FILE, 'utf8').split('\n');
    // The closing block starts at the last `# tests N` (tests' own output may appear as `# …` too).
    let start = -1;
    for (let i = all.length - 1; i >= 0 && start < 0; i--) if (/^# tests \d+/.test(all[i])) start = i;
    if (start >= 0) lines = all.slice(start).filter((line) => SUMMARY_LINE.test(line));
  } catch {
    // no TAP file: the runner did not start
  }
  rmSync(tapDir, { recursive: true, force: true });
  if (lines.length === 0) {
    console.log('# run-tests: the node test runner wrote no summary');
    return;
  }
  console.log('');
  for (const line of lines) console.log(line);
}

function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
