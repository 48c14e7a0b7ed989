// Started by scripts/run-tests.mjs (with `--enable-source-maps` and the run's node options, which every test
// file's process inherits): node's test runner over the given files IN THE GIVEN ORDER, which
// `node --test <files>` does not keep (Node 20 sorts them by name). The runner puts the longest
// files first, so the run does not end on one long journey going alone on a core.
// Reports: spec on stdout, TAP to DIAODU_TEST_TAP_FILE (its closing summary is printed by the
// runner), each file's time as JSON to DIAODU_TEST_DURATIONS_FILE.
import { createWriteStream } from 'node:fs';
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';
import durations from './test-durations-reporter.mjs';

const files = process.argv.slice(2);
// `--test-name-pattern`s come as JSON, not as this process's options: here they would also be
// matched against the files' own names (skipping every file); run() hands them to each file.
const testNamePatterns = JSON.parse(process.env.DIAODU_TEST_NAME_PATTERNS ?? '[]');
const stream = run({
  files,
  ...(testNamePatterns.length ? { testNamePatterns } : {}),
  concurrency: Number(process.env.DIAODU_TEST_CONCURRENCY_RESOLVED ?? 1),
  // For a whole file; each test's own limit is the --test-timeout its process inherits.
  timeout: Number(process.env.DIAODU_TEST_FILE_TIMEOUT_MS ?? process.env.DIAODU_TEST_TIMEOUT_MS ?? 300_000),
});
// Three reporters read the one stream (spec, TAP, times), each adding its listeners.
stream.setMaxListeners(50);
// As `node --test` does: a failed test (not a todo) fails the run.
stream.on('test:fail', (data) => {
  if (data.todo === undefined || data.todo === false) process.exitCode = 1;
});
stream.compose(new spec()).pipe(process.stdout);
if (process.env.DIAODU_TEST_TAP_FILE) stream.compose(tap).pipe(createWriteStream(process.env.DIAODU_TEST_TAP_FILE));
if (process.env.DIAODU_TEST_DURATIONS_FILE) stream.compose(durations).pipe(createWriteStream(process.env.DIAODU_TEST_DURATIONS_FILE));
