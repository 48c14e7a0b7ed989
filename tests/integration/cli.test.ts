import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/command.ts';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';
import { countRows, dataRows } from '../support/db-inspection.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const seedPath = path.join(root, 'fixtures/seed/sichuan-2017-q2-notice.txt');
const gbkPath = path.join(root, 'fixtures/bad-input/seed-gbk.txt');

/** Runs the CLI in-process against the test database, capturing what it prints. */
async function diaodu(database: TestDatabase, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    env: { DIAODU_DATABASE_URL: database.url },
    cwd: root,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

forEachEngine('diaodu CLI on a real database', (it) => {
  it('imports the seed, says so when imported again, and exports the same JSON as the dry run', async (database) => {
    const dryRun = await diaodu(database, 'import', seedPath, '--dry-run', '--json');
    assert.equal(dryRun.code, 0, dryRun.stderr);
    assert.equal((await countRows(database)).tasks, 0, 'a dry run touches no database');

    const first = await diaodu(database, 'import', seedPath);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /111 项任务/);
    const stored = await countRows(database);
    assert.equal(stored.tasks, 111);
    assert.equal(stored.plans, 1);
    assert.equal(stored.rounds, 1);

    const again = await diaodu(database, 'import', seedPath);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /未变更|unchanged/i);
    assert.deepEqual(dataRows(await countRows(database)), dataRows(stored), 'importing the same document again changes nothing');

    const gbk = await diaodu(database, 'import', gbkPath);
    assert.equal(gbk.code, 0, gbk.stderr);
    assert.match(gbk.stdout, /未变更|unchanged/i, 'the GBK copy is the same document');

    const exported = await diaodu(database, 'export', '--format', 'json');
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(exported.stdout, dryRun.stdout, 'import then export gives the same JSON');

    const byRound = await diaodu(database, 'export', '--format', 'json', '--round', '2017年第二季度');
    assert.equal(byRound.stdout, dryRun.stdout);
  });

  it('writes an export file with --out, and re-imports it unchanged', async (database) => {
    const folder = mkdtempSync(path.join(tmpdir(), 'diaodu-export-'));
    try {
      assert.equal((await diaodu(database, 'import', seedPath)).code, 0);
      const out = path.join(folder, 'plan.json');
      const run = await diaodu(database, 'export', '--format', 'json', '--out', out);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(readFileSync(out, 'utf8')).format, 'diaodu.plan/1');
      const back = await diaodu(database, 'import', out);
      assert.equal(back.code, 0, back.stderr);
      assert.match(back.stdout, /未变更|unchanged/i);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('answers an unknown round with exit 2 and the labels there are', async (database) => {
    assert.equal((await diaodu(database, 'import', seedPath)).code, 0);
    const run = await diaodu(database, 'export', '--format', 'json', '--round', '2099年第一季度');
    assert.equal(run.code, 2);
    assert.match(run.stderr, /2017年第二季度/);
  });

  it('leaves the database unchanged when an import is bad input', async (database) => {
    assert.equal((await diaodu(database, 'import', seedPath)).code, 0);
    const before = await countRows(database);
    const folder = mkdtempSync(path.join(tmpdir(), 'diaodu-bad-'));
    try {
      const seed = readFileSync(seedPath, 'utf8');
      const cases: [string, string | Buffer, RegExp][] = [
        ['empty.txt', '', /empty\.txt/],
        ['binary.txt', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]), /binary\.txt/],
        ['no-header.txt', seed.split('\n').slice(0, 24).join('\n'), /no-header\.txt.*具体工作任务/],
        ['cut.txt', seed.slice(0, seed.indexOf('地表水优良水质断面比例达到') + 10), /cut\.txt 第30行/],
        ['other-columns.txt', seed.replace('责任部门\t推进情况', '责任部门\t督办意见\t推进情况'), /other-columns\.txt 第27行/],
      ];
      for (const [name, content, message] of cases) {
        const file = path.join(folder, name);
        writeFileSync(file, content);
        const run = await diaodu(database, 'import', file);
        assert.equal(run.code, 2, `${name}: ${run.stderr}`);
        assert.match(run.stderr, message);
      }
      assert.deepEqual(await countRows(database), before);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('migrates with `db migrate` and loads the demo with `demo`', async (database) => {
    const migrate = await diaodu(database, 'db', 'migrate');
    assert.equal(migrate.code, 0, migrate.stderr);
    const demo = await diaodu(database, 'demo');
    assert.equal(demo.code, 0, demo.stderr);
    assert.match(demo.stdout, /2017年第二季度/);
    // The seed department's 14 accounts and the demo city bureau's 7, in its own store (decision 028).
    assert.match(demo.stdout, /演示账号 demo accounts: 21 created/);
    assert.match(demo.stdout, /示例市生态环境局：已导入/);
    assert.equal((await countRows(database)).tasks, 111);
    const demoAgain = await diaodu(database, 'demo');
    assert.equal(demoAgain.code, 0, demoAgain.stderr);
    assert.match(demoAgain.stdout, /0 created, 21 already there/);
    assert.equal((await countRows(database)).tasks, 111);
  });
});
