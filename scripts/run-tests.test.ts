import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runnerCounts } from '../bench/support.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

describe('scripts/run-tests.mjs', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'diaodu-run-tests-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  writeFileSync(path.join(scratch, 'first.test.ts'), `import { test } from 'node:test';\ntest('first runs', () => {});\n`);
  writeFileSync(
    path.join(scratch, 'broken.test.ts'),
    `import { test } from 'node:test';\nthrow new Error('broken while loading');\ntest('never reached', () => {});\n`,
  );
  writeFileSync(path.join(scratch, 'last.test.ts'), `import { describe, it } from 'node:test';\ndescribe('last', () => {\n  it('last runs', () => {});\n});\n`);

  /** The runner over the three files, which share one process (a batch of up to four). */
  const runTests = (...options: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run-tests.mjs'), scratch, ...options], {
      cwd: ROOT,
      encoding: 'utf8',
      // spawnSync holds the event loop, so node:test's own timeout could not stop a hung run.
      timeout: 120_000,
      // Without NODE_TEST_CONTEXT, which tells node:test it runs inside a test file's process.
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_TEST_CONTEXT')), DIAODU_TEST_FILES_PER_PROCESS: '4' },
    });

  test('a file that throws while it loads fails as itself, and the other files of its batch still run', () => {
    const run = runTests();
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /✔ first runs/);
    assert.match(run.stdout, /✔ last runs/);
    assert.match(run.stdout, /✖ .*broken\.test\.ts could not be loaded/);
    assert.match(run.stdout, /Error: broken while loading/);
    assert.match(run.stdout, /^# pass 2$/m);
    assert.doesNotMatch(run.stdout, /^# fail 0$/m);
    assert.doesNotMatch(run.stdout, /never reached/);
    // bench:suite reads its counts from this output: the loading failure counts as a failed test.
    assert.deepEqual(runnerCounts(run.stdout), { tests: 3, pass: 2, fail: 1, files: 3 });
    assert.equal(runnerCounts('# tests 3\n# pass 3\n'), null, 'an output without its summary and file count has no counts');
  });

  test('a file that throws while it loads fails the run even when a name pattern skips its stand-in test', () => {
    const run = runTests('--test-name-pattern=first');
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /✔ first runs/);
    assert.doesNotMatch(run.stdout, /✔ last runs/);
    assert.doesNotMatch(run.stdout, /^# fail 0$/m);
    assert.match(run.stdout + run.stderr, /broken\.test\.ts could not be loaded: Error: broken while loading/);
  });
});
