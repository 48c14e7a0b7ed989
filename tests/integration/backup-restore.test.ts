import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { systemActor, type Actor, type UserActor } from '../../src/domain/actor.ts';
import type { Role } from '../../src/domain/api/roles.ts';
import { loadConfig } from '../../src/server/config.ts';
import { openDatabase, type Database } from '../../src/server/db/database.ts';
import { createServices, type Services } from '../../src/server/services/index.ts';
import { createEmptyPostgresDatabase, forEachEngine, type TestDatabase } from '../support/databases.ts';

/**
 * `diaodu backup` while reporters keep saving drafts, then `diaodu restore` into a fresh place,
 * on both engines (docs/promises.md: "backups restore"). Both commands run as child processes, the
 * way an operator runs them beside the server; the writers are the services in this process.
 *
 * "Same export", made exact: every save writes a text that names its box and version, so the
 * restored copy can be checked box by box (the stored text is the one written for the stored
 * version, and that version has exactly its audit rows); every save acknowledged before the
 * backup started is in it; the restored audit rows are the source's rows, unchanged. Then the
 * saves the source took after the backup point are replayed on the restored copy through the
 * same service — each must be accepted at exactly the next version — and the json export of
 * the restored copy must equal the source's, byte for byte.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'diaodu-backup-'));
after(() => rmSync(work, { recursive: true, force: true }));

const REPORTERS = ['huanping', 'guicai', 'shuichu', 'shengtai', 'daqi'];
const WRITERS = 6;
const ROUND_LABEL = '2017年第三季度';

type Box = { taskId: number; unit: UserActor; acked: number; ackedAtBackupStart: number };

const boxKey = (box: { taskId: number; unit: { unitId: number | null } }) => `${box.taskId}/${box.unit.unitId}`;
const textOf = (taskId: number, unitId: number, version: number) =>
  `（备份测试）任务${taskId}·单位${unitId}·第${version}版：已召开专题会议研究部署，正在按期推进落实，相关制度文件已印发实施。`;

function diaodu(args: string[], databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/diaodu.js'), ...args], {
      cwd: work,
      env: { ...process.env, DIAODU_DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function servicesOver(database: Database, url: string): Services {
  return createServices({ database, config: { ...loadConfig({}), databaseUrl: url } });
}

async function userActor(database: Database, username: string): Promise<UserActor> {
  const row = await database.db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'unit_id'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return { kind: 'user', userId: row.id, username: row.username, name: row.display_name, role: row.role as Role, unitId: row.unit_id };
}

type Answer = { version: number; text: string };

async function answersOf(database: Database, roundId: number): Promise<Map<string, Answer>> {
  const rows = await database.db
    .selectFrom('progress_entries')
    .select(['task_id', 'unit_id', 'version', 'text'])
    .where('round_id', '=', roundId)
    .where('unit_id', 'is not', null)
    .execute();
  return new Map(rows.map((row) => [`${row.task_id}/${row.unit_id}`, { version: Number(row.version), text: row.text }]));
}

async function auditRows(database: Database) {
  const rows = await database.db.selectFrom('audit_events').selectAll().orderBy('id').execute();
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/** A fresh place to restore into: a new SQLite file, or a new PostgreSQL database with an empty schema of the source's name. */
async function freshTarget(source: TestDatabase): Promise<{ url: string; dispose(): Promise<void> }> {
  if (source.engine === 'sqlite') return { url: `sqlite:${path.join(work, `restored-${randomBytes(4).toString('hex')}.db`)}`, dispose: async () => {} };
  // An empty schema of the backup's name, as a DBA would prepare it (restore keeps it).
  return createEmptyPostgresDatabase(new URL(source.url).searchParams.get('options')!.replace('-c search_path=', ''));
}

forEachEngine('diaodu backup under write load, restore into a fresh place', (it) => {
  it('restores a backup taken while drafts are being saved: every box consistent, the replayed tail gives the same export', async (source) => {
    const services = servicesOver(source, source.url);
    await services.demo.loadDemoData(systemActor('test'));
    const office = await userActor(source, 'office');
    const planId = (await source.db.selectFrom('plans').select('id').executeTakeFirstOrThrow()).id;
    const round = await services.rounds.openRound(office, planId, {
      label: ROUND_LABEL,
      periodStart: '2017-07-01',
      periodEnd: '2017-09-30',
      deadline: null,
      note: null,
      requiresApproval: false,
    });

    // Evidence files live in the database, so the backup carries them: one of a megabyte, bytes of every value.
    const evidenceBytes = new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(1024 * 1024)]));
    const huanping = await userActor(source, 'huanping');
    const evidenceTask = (await services.answers.todo(huanping, round.id, huanping.unitId!)).items[0]!.task.id;
    const evidence = await services.attachments.upload(huanping, round.id, evidenceTask, huanping.unitId!, { fileName: '佐证材料.pdf', bytes: evidenceBytes });

    const boxes: Box[] = [];
    for (const username of REPORTERS) {
      const unit = await userActor(source, username);
      const todo = await services.answers.todo(unit, round.id, unit.unitId!);
      for (const item of todo.items) boxes.push({ taskId: item.task.id, unit, acked: 0, ackedAtBackupStart: 0 });
    }
    assert.ok(boxes.length >= WRITERS * 3, `enough answer boxes for ${WRITERS} writers (${boxes.length})`);

    // Writers: each owns every WRITERS-th box and saves them in turn, the next version each time.
    let stop = false;
    let acknowledged = 0;
    const failures: string[] = [];
    const writer = async (index: number) => {
      const own = boxes.filter((_, i) => i % WRITERS === index);
      for (let turn = 0; !stop; turn++) {
        // better-sqlite3 answers in microtasks: yield, or timers and child-process events starve.
        await new Promise((resolve) => setImmediate(resolve));
        const box = own[turn % own.length]!;
        const version = box.acked + 1;
        try {
          const saved = await services.answers.saveAnswer(box.unit, round.id, box.taskId, box.unit.unitId!, {
            text: textOf(box.taskId, box.unit.unitId!, version),
            status: 'on_track',
            reason: null,
            version: box.acked,
          });
          assert.equal(saved.version, version);
          box.acked = version;
          acknowledged++;
        } catch (error) {
          failures.push(`${boxKey(box)} v${version}: ${(error as Error).message}`);
          return;
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, i) => writer(i));
    while (acknowledged < boxes.length && failures.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));

    // The backup, in a process of its own, while the writers go on.
    for (const box of boxes) box.ackedAtBackupStart = box.acked;
    const acknowledgedBefore = acknowledged;
    const backupFile = path.join(work, `backup-${source.engine}-${randomBytes(3).toString('hex')}.${source.engine === 'sqlite' ? 'db' : 'dump'}`);
    const backup = await diaodu(['backup', '--out', backupFile], source.url);
    const duringBackup = acknowledged - acknowledgedBefore;
    await new Promise((resolve) => setTimeout(resolve, 200)); // a tail of writes after the backup point
    stop = true;
    await Promise.all(writers);
    assert.deepEqual(failures, [], 'every save by the writers was accepted');
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /已备份 backed up/);
    assert.ok(duringBackup > 0, 'saves were acknowledged while the backup ran');

    // A second backup to the same name is refused and leaves the first untouched.
    const again = await diaodu(['backup', '--out', backupFile], source.url);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /备份文件已存在，不会覆盖/);

    const target = await freshTarget(source);
    try {
      const restore = await diaodu(['restore', backupFile], target.url);
      assert.equal(restore.code, 0, restore.stderr);
      assert.match(restore.stdout, /integrity check ok/);
      // Restoring again is refused: the target is no longer empty.
      const twice = await diaodu(['restore', backupFile], target.url);
      assert.equal(twice.code, 1);
      assert.match(twice.stderr, /不会覆盖/);

      const restored = await openDatabase(target.url);
      try {
        const restoredServices = servicesOver(restored, target.url);
        const restoredEvidence = await restoredServices.attachments.download(await userActor(restored, 'office'), evidence.id);
        assert.deepEqual(restoredEvidence.attachment, evidence, 'the evidence file restored with its name, type and checksum');
        assert.ok(Buffer.from(restoredEvidence.bytes).equals(Buffer.from(evidenceBytes)), 'the evidence file restored byte for byte');
        const sourceAnswers = await answersOf(source, round.id);
        const restoredAnswers = await answersOf(restored, round.id);
        const sourceAudit = await auditRows(source);
        const restoredAudit = await auditRows(restored);

        // The audit log: the source's rows unchanged, plus the restore's own last row.
        const restoreRow = restoredAudit.at(-1)!;
        assert.equal(restoreRow.action, 'restore');
        const copied = restoredAudit.slice(0, -1);
        const sourceById = new Map(sourceAudit.map((row) => [row.id, row]));
        for (const row of copied) assert.deepEqual(row, sourceById.get(row.id), `audit row ${row.id} restored unchanged`);
        if (source.engine === 'sqlite') {
          // One writer at a time: the snapshot is exactly the first rows of the log, no gap.
          assert.deepEqual(
            copied.map((row) => row.id),
            sourceAudit.slice(0, copied.length).map((row) => row.id),
          );
        }
        assert.equal(sourceAudit.filter((row) => row.action === 'backup').length, 1, 'the backup is audited in the source');
        assert.ok(!copied.some((row) => row.action === 'backup'), 'the backup does not contain its own audit row');

        const savesOf = new Map<string, number>();
        for (const row of copied) if (row.action === 'answer.save') savesOf.set(row.object_id!, (savesOf.get(row.object_id!) ?? 0) + 1);

        let behind = 0;
        for (const box of boxes) {
          const key = boxKey(box);
          const stored = restoredAnswers.get(key) ?? { version: 0, text: '' };
          const final = sourceAnswers.get(key)!;
          assert.equal(final.version, box.acked, `${key}: the source holds every acknowledged save`);
          assert.ok(stored.version >= box.ackedAtBackupStart, `${key}: saved v${box.ackedAtBackupStart} before the backup, restored v${stored.version}`);
          assert.ok(stored.version <= final.version, `${key}: restored v${stored.version} beyond the source's v${final.version}`);
          if (stored.version > 0)
            assert.equal(stored.text, textOf(box.taskId, box.unit.unitId!, stored.version), `${key}: restored text is version ${stored.version}'s`);
          assert.equal(savesOf.get(`${round.id}/${key}`) ?? 0, stored.version, `${key}: one audit row per restored version`);
          if (stored.version < final.version) behind++;

          // Replay the saves the source took after the backup point, at exactly the next versions.
          for (let version = stored.version + 1; version <= final.version; version++) {
            const saved = await restoredServices.answers.saveAnswer(box.unit, round.id, box.taskId, box.unit.unitId!, {
              text: textOf(box.taskId, box.unit.unitId!, version),
              status: 'on_track',
              reason: null,
              version: version - 1,
            });
            assert.equal(saved.version, version);
          }
        }
        assert.ok(behind > 0, 'some saves came after the backup point (else the test proves nothing about the snapshot)');

        const system: Actor = systemActor('test');
        const sourceExport = JSON.stringify(await services.planExport.exportDocument(system, { roundLabel: ROUND_LABEL }));
        const restoredExport = JSON.stringify(await restoredServices.planExport.exportDocument(system, { roundLabel: ROUND_LABEL }));
        assert.equal(restoredExport, sourceExport);
        assert.ok(sourceExport.includes(textOf(boxes[0]!.taskId, boxes[0]!.unit.unitId!, boxes[0]!.acked)));
      } finally {
        await restored.close();
      }
    } finally {
      await target.dispose();
    }
  });

  it('refuses a corrupt or foreign file and a non-empty target, changing nothing', async (source) => {
    const services = servicesOver(source, source.url);
    await services.demo.seedAccounts(systemActor('test'));
    const target = await freshTarget(source);
    try {
      const junk = path.join(work, `junk-${randomBytes(3).toString('hex')}.bin`);
      writeFileSync(junk, 'PK\u0003\u0004 not a backup');
      const foreign = await diaodu(['restore', junk], target.url);
      assert.equal(foreign.code, 2);
      assert.match(foreign.stderr, /不是 diaodu 备份文件/);
      const missing = await diaodu(['restore', path.join(work, 'nope.db')], target.url);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /备份文件不存在/);

      // Restoring into the live source itself: refused, since it is not empty.
      const file = path.join(work, `small-${source.engine}-${randomBytes(3).toString('hex')}`);
      assert.equal((await diaodu(['backup', '--out', file], source.url)).code, 0);
      const before = (await auditRows(source)).length;
      const intoSource = await diaodu(['restore', file], source.url);
      assert.equal(intoSource.code, 1);
      assert.match(intoSource.stderr, /不会覆盖/);
      assert.equal((await auditRows(source)).length, before);
    } finally {
      await target.dispose();
    }
  });
});
