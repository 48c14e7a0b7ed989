import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { systemActor, type UserActor } from '../../src/domain/actor.ts';
import { main } from '../../src/cli/main.ts';
import { GENESIS_HASH } from '../../src/server/db/audit-chain.ts';
import { openDatabase, type Database } from '../../src/server/db/database.ts';
import { createAuditRepository } from '../../src/server/db/repositories/audit.repository.ts';
import { dropAppendOnly } from '../../src/server/db/migrations/dialect-helpers.ts';
import type { NewAuditEvent } from '../../src/server/db/schema.ts';
import { inTransaction } from '../../src/server/db/transaction.ts';
import { loadConfig } from '../../src/server/config.ts';
import { createServices } from '../../src/server/services/index.ts';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';
import { compiledEntry } from '../support/compiled-entry.ts';

/**
 * The audit log you can trust (docs/promises.md "history is complete"): the database refuses
 * UPDATE, DELETE (and TRUNCATE), every row is chained to the one before, appends never fork
 * under concurrent writers, `diaodu audit verify` finds a changed or deleted row, and the audit
 * row commits or rolls back with the change it describes.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const APPEND_ARGS = await compiledEntry(path.join(ROOT, 'tests', 'support', 'append-audit-events.ts'));

const event = (n: number, extra: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  actor_kind: 'system',
  actor_name: 'test',
  user_id: null,
  ip: null,
  action: 'test.event',
  object_type: 'test',
  object_id: String(n),
  result: 'success',
  detail: JSON.stringify({ n }),
  ...extra,
});

function servicesOf(database: Database) {
  return createServices({ database, config: { ...loadConfig({}), databaseUrl: 'sqlite::memory:' } });
}

async function append(database: Database, count: number): Promise<void> {
  for (let n = 1; n <= count; n += 1) await inTransaction(database, (repositories) => repositories.audit.appendAuditEvent(event(n)).then(() => undefined));
}

async function chain(database: Database) {
  return database.db.selectFrom('audit_events').select(['id', 'prev_hash', 'hash']).orderBy('id').execute();
}

/** What an attacker with the database's owner rights could do: take the guards off. */
async function removeGuards(database: Database): Promise<void> {
  if (database.dialect === 'postgres') await sql`drop trigger if exists audit_events_no_truncate on audit_events`.execute(database.db);
  await dropAppendOnly(database.db as never, 'audit_events');
}

/** `diaodu audit verify` against the test database, as a user would run it. */
async function verifyCli(database: TestDatabase): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['audit', 'verify'], {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    env: { DIAODU_DATABASE_URL: database.url },
    cwd: process.cwd(),
  });
  return { code, out, err };
}

forEachEngine('audit log integrity', (it, engine) => {
  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async (database) => {
    await append(database, 2);
    await assert.rejects(database.db.updateTable('audit_events').set({ result: 'tampered' }).execute(), /append-only/);
    await assert.rejects(database.db.deleteFrom('audit_events').where('id', '=', 1).execute(), /append-only/);
    if (engine === 'postgres') await assert.rejects(sql`truncate audit_events`.execute(database.db), /append-only/);
    assert.deepEqual(
      (await database.db.selectFrom('audit_events').select('result').execute()).map((row) => row.result),
      ['success', 'success'],
    );
  });

  it('chains every row to the one before, from the genesis hash', async (database) => {
    await append(database, 5);
    const rows = await chain(database);
    assert.equal(rows.length, 5);
    assert.equal(rows[0]!.prev_hash, GENESIS_HASH);
    for (let i = 1; i < rows.length; i += 1) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash);
    assert.equal(new Set(rows.map((row) => row.hash)).size, 5);
    for (const row of rows) assert.match(row.hash, /^[0-9a-f]{64}$/);
    const report = await servicesOf(database).audit.verify(systemActor('test'));
    assert.deepEqual(report, { ok: true, count: 5, head: rows[4]!.hash });
  });

  it('verifies the chain of everything the demo data writes, and the CLI says OK', async (database) => {
    const services = servicesOf(database);
    await services.demo.loadDemoData(systemActor('test'));
    const count = (await chain(database)).length;
    assert.ok(count > 0);
    const { code, out } = await verifyCli(database);
    assert.equal(code, 0, out);
    assert.match(out, new RegExp(`^OK .* ${count} 条 rows, head [0-9a-f]{64}`));
  });

  it('finds a changed row: verify names it, says why and exits 1', async (database) => {
    await append(database, 5);
    await removeGuards(database);
    await database.db.updateTable('audit_events').set({ result: 'failure' }).where('id', '=', 3).execute();
    const report = await servicesOf(database).audit.verify(systemActor('test'));
    assert.equal(report.ok, false);
    assert.ok(!report.ok && report.broken.id === 3 && report.broken.reason === 'hash', JSON.stringify(report));
    assert.equal(report.count, 2);
    const { code, err } = await verifyCli(database);
    assert.equal(code, 1);
    assert.match(err, /AUDIT CHAIN BROKEN at row 3 \(hash\)/);
    assert.match(err, /第 3 条的内容与其哈希不符/);
  });

  it('finds a changed row even when the attacker rehashes it: the next row no longer links', async (database) => {
    await append(database, 4);
    await removeGuards(database);
    const { auditRowHash } = await import('../../src/server/db/audit-chain.ts');
    const row = await database.db.selectFrom('audit_events').selectAll().where('id', '=', 2).executeTakeFirstOrThrow();
    const forged = { ...row, result: 'failure' };
    await database.db
      .updateTable('audit_events')
      .set({ result: 'failure', hash: auditRowHash(forged) })
      .where('id', '=', 2)
      .execute();
    const report = await servicesOf(database).audit.verify(systemActor('test'));
    assert.ok(!report.ok && report.broken.id === 3 && report.broken.reason === 'link', JSON.stringify(report));
  });

  it('finds a deleted row: the row after it no longer links', async (database) => {
    await append(database, 5);
    await removeGuards(database);
    await database.db.deleteFrom('audit_events').where('id', '=', 2).execute();
    const report = await servicesOf(database).audit.verify(systemActor('test'));
    assert.ok(!report.ok && report.broken.id === 3 && report.broken.reason === 'link', JSON.stringify(report));
    const { code, err } = await verifyCli(database);
    assert.equal(code, 1);
    assert.match(err, /row 3 \(link\)/);
    assert.match(err, /被删除/);
  });

  it('writes the audit row with its change, or neither: a failed change leaves no row, a done one always has one', async (database) => {
    const services = servicesOf(database);
    const { plan } = await services.demo.loadDemoData(systemActor('test'));
    const planId = plan.outcome.planId;
    const user = await database.db.selectFrom('users').select(['id', 'username', 'display_name']).where('username', '=', 'office').executeTakeFirstOrThrow();
    const office: UserActor = { kind: 'user', userId: user.id, username: user.username, name: user.display_name, role: 'office', unitId: null };
    const roundOpens = () => database.db.selectFrom('audit_events').selectAll().where('action', '=', 'round.open').execute();
    const rounds = async () =>
      Number(
        (
          await database.db
            .selectFrom('rounds')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    // A refused change (a task that is not in the plan): nothing stored, nothing audited.
    const before = await rounds();
    await assert.rejects(
      services.rounds.openRound(office, planId, {
        label: '失败的轮次',
        taskIds: [999_999],
        periodStart: null,
        periodEnd: null,
        deadline: null,
        note: null,
        requiresApproval: false,
      }),
      /round_tasks_invalid|不属于/,
    );
    assert.equal(await rounds(), before);
    assert.equal((await roundOpens()).length, 0);

    // The audit write itself fails: the change it describes is rolled back with it.
    await refuseAuditAction(database, 'round.open');
    await assert.rejects(
      services.rounds.openRound(office, planId, {
        label: '无审计不成立',
        periodStart: null,
        periodEnd: null,
        deadline: null,
        note: null,
        requiresApproval: false,
      }),
    );
    assert.equal(await rounds(), before, 'no round without its audit row');
    await allowAuditActions(database);

    // A done change: exactly one audit row about it, in the chain.
    const opened = await services.rounds.openRound(office, planId, {
      label: '成功的轮次',
      periodStart: null,
      periodEnd: null,
      deadline: null,
      note: null,
      requiresApproval: false,
    });
    const rows = await roundOpens();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.object_id, String(opened.id));
    assert.equal((await services.audit.verify(systemActor('test'))).ok, true);
  });

  if (engine === 'sqlite')
    it('never forks with several processes writing: 4 × 60 transactions make one chain (no prev_hash index, migration 010)', async (database) => {
      const children = ['a', 'b', 'c'].map(
        (writer) =>
          new Promise<void>((resolve, reject) => {
            execFile(process.execPath, [...APPEND_ARGS, database.url, writer, '60'], { cwd: ROOT }, (error, _out, err) =>
              error ? reject(new Error(`writer ${writer}: ${err || error.message}`)) : resolve(),
            );
          }),
      );
      // This process writes at the same time, on its own connection.
      const own = (async () => {
        for (let n = 1; n <= 60; n += 1) {
          await inTransaction(database, (repositories) => repositories.audit.appendAuditEvent(event(n)));
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
      await Promise.all([...children, own]);
      const rows = await chain(database);
      assert.equal(rows.length, 240);
      assert.equal(new Set(rows.map((row) => row.prev_hash)).size, 240, 'no two rows follow the same row');
      const writers = await database.db.selectFrom('audit_events').select('actor_name').distinct().execute();
      assert.equal(writers.length, 4, 'all four processes wrote');
      const report = await servicesOf(database).audit.verify(systemActor('test'));
      assert.equal(report.ok, true, JSON.stringify(report));
    });

  if (engine === 'postgres')
    it('never forks under concurrent writers: 40 transactions on 10 connections make one chain', async (database) => {
      // A second pool, so writers really run side by side on separate connections.
      const other = await openDatabase(database.url);
      try {
        const writers = Array.from({ length: 40 }, (_, n) =>
          (n % 2 === 0 ? database : other).db.transaction().execute(async (trx) => {
            // Work before and after the append, so the transactions overlap.
            await sql`select pg_sleep(0.01)`.execute(trx);
            await createAuditRepository(trx).appendAuditEvent(event(n));
            await sql`select pg_sleep(0.005)`.execute(trx);
          }),
        );
        await Promise.all(writers);
      } finally {
        await other.close();
      }
      const rows = await chain(database);
      assert.equal(rows.length, 40);
      assert.equal(new Set(rows.map((row) => row.prev_hash)).size, 40, 'no two rows follow the same row');
      const report = await servicesOf(database).audit.verify(systemActor('test'));
      assert.equal(report.ok, true, JSON.stringify(report));
    });
});

/** Makes the database refuse audit rows of one action: a failure inside the service's transaction. */
async function refuseAuditAction(database: Database, action: string): Promise<void> {
  if (database.dialect === 'sqlite') {
    await sql`create trigger test_refuse_audit before insert on audit_events when new.action = ${sql.lit(action)} begin select raise(abort, 'test: audit refused'); end`.execute(
      database.db,
    );
    return;
  }
  await sql`
    create function test_refuse_audit() returns trigger language plpgsql as $$
    begin if new.action = ${sql.lit(action)} then raise exception 'test: audit refused'; end if; return new; end $$
  `.execute(database.db);
  await sql`create trigger test_refuse_audit before insert on audit_events for each row execute function test_refuse_audit()`.execute(database.db);
}

async function allowAuditActions(database: Database): Promise<void> {
  if (database.dialect === 'sqlite') {
    await sql`drop trigger test_refuse_audit`.execute(database.db);
    return;
  }
  await sql`drop trigger test_refuse_audit on audit_events`.execute(database.db);
  await sql`drop function test_refuse_audit()`.execute(database.db);
}
