import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readSeedText } from '../../src/server/documents/seed-text.reader.ts';

/** The CLI as a user runs it: the bin script in a child process, with real exit codes and streams. */
const root = fileURLToPath(new URL('../../', import.meta.url));
const seedPath = path.join(root, 'fixtures/seed/sichuan-2017-q2-notice.txt');
const work = mkdtempSync(path.join(tmpdir(), 'diaodu-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

function diaodu(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [path.join(root, 'bin/diaodu.js'), ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, DIAODU_DATABASE_URL: `sqlite:${path.join(work, 'never-created.db')}`, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('diaodu CLI process', () => {
  it('import --dry-run --json prints the document on stdout, warnings on stderr, and creates no database', () => {
    const run = diaodu(['import', seedPath, '--dry-run', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const printed = JSON.parse(run.stdout);
    assert.deepEqual(printed, readSeedText(readFileSync(seedPath, 'utf8'), seedPath).document);
    assert.equal(printed.format, 'diaodu.plan/1');
    assert.match(run.stderr, /警告 warning: 第40行：/);
    assert.throws(() => readFileSync(path.join(work, 'never-created.db')), /ENOENT/);
  });

  it('answers --help on every command with exit code 0', () => {
    for (const args of [['--help'], ['import', '--help'], ['export', '--help'], ['db', '--help'], ['demo', '--help']]) {
      const run = diaodu(args);
      assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stdout, /Usage/);
    }
  });

  it('exits 2 on bad usage, naming the problem', () => {
    assert.equal(diaodu([]).code, 2);
    const unknown = diaodu(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /frobnicate/);
    const badOption = diaodu(['import', seedPath, '--dry-rn']);
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /dry-rn/);
    const noFile = diaodu(['import']);
    assert.equal(noFile.code, 2);
    assert.equal(diaodu(['export', '--format', 'docx']).code, 2);
  });

  it('exits 2 on bad input, naming the file and line', () => {
    const empty = path.join(work, 'empty.txt');
    writeFileSync(empty, '');
    const run = diaodu(['import', empty, '--dry-run']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /empty\.txt/);

    const missing = diaodu(['import', path.join(work, 'nope.txt'), '--dry-run']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.txt/);

    const cut = path.join(work, 'cut.txt');
    const seed = readFileSync(seedPath, 'utf8');
    writeFileSync(cut, seed.slice(0, seed.indexOf('地表水优良水质断面比例达到') + 10));
    const truncated = diaodu(['import', cut, '--dry-run']);
    assert.equal(truncated.code, 2);
    assert.match(truncated.stderr, /cut\.txt 第30行/);
  });
});
