import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coalescedFsync, openDatabase, WAL_AUTOCHECKPOINT_PAGES, withStatementCache, type Database } from './database.ts';

/** A scratch table the DB type does not know: these tests are about the driver, not the schema. */
const scratch = (database: Database) => database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;

async function withSqlite(body: (database: Database) => Promise<void>): Promise<void> {
  const database = await openDatabase('sqlite::memory:');
  try {
    await sql`create table t (id integer primary key, v text not null)`.execute(database.db);
    await scratch(database)
      .insertInto('t')
      .values([1, 2, 3, 4, 5].map((id) => ({ id, v: `v${id}` })))
      .execute();
    await body(database);
  } finally {
    await database.close();
  }
}

describe('SQLite driver: prepared statements are kept and reused', () => {
  test('the same SQL with other parameters answers from the current data', async () => {
    await withSqlite(async (database) => {
      const byId = (id: number) => scratch(database).selectFrom('t').select('v').where('id', '=', id).executeTakeFirst();
      assert.deepEqual(await byId(2), { v: 'v2' });
      await scratch(database).updateTable('t').set({ v: 'changed' }).where('id', '=', 2).execute();
      assert.deepEqual(await byId(2), { v: 'changed' });
      assert.deepEqual(await byId(3), { v: 'v3' });
    });
  });

  test('a statement still being iterated is not handed out again', () => {
    const connection = new BetterSqlite3(':memory:');
    try {
      connection.exec('create table t (id integer primary key); insert into t values (1), (2), (3)');
      const cached = withStatementCache(connection);
      const text = 'select id from t order by id';
      const first = cached.prepare(text);
      assert.equal(cached.prepare(text), first, 'an idle statement is reused');
      const seen: unknown[] = [];
      for (const row of first.iterate([]) as Iterable<{ id: number }>) {
        const other = cached.prepare(text);
        assert.notEqual(other, first, 'the busy one is not shared');
        assert.equal(other.all([]).length, 3);
        seen.push(row.id);
      }
      assert.deepEqual(seen, [1, 2, 3]);
      assert.equal(cached.prepare(text), first, 'idle again once the iteration ended');
    } finally {
      connection.close();
    }
  });

  test('after a schema change the kept statement sees the new columns', async () => {
    await withSqlite(async (database) => {
      const all = () => sql<Record<string, unknown>>`select * from t where id = ${1}`.execute(database.db);
      assert.deepEqual(Object.keys((await all()).rows[0]!), ['id', 'v']);
      await sql`alter table t add column w text`.execute(database.db);
      assert.deepEqual(Object.keys((await all()).rows[0]!), ['id', 'v', 'w']);
    });
  });
});

describe('SQLite driver: the one connection goes to waiting callers in arrival order', () => {
  test('50 concurrent transactions each get it once, first come first served, and all commit', async () => {
    await withSqlite(async (database) => {
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          database.db.transaction().execute(async (trx) => {
            order.push(i);
            // Yield inside the transaction: others must wait, not interleave.
            await new Promise((resolve) => setImmediate(resolve));
            await (trx as unknown as Kysely<Record<string, Record<string, unknown>>>)
              .insertInto('t')
              .values({ id: 100 + i, v: `t${i}` })
              .execute();
          }),
        ),
      );
      assert.deepEqual(
        order,
        Array.from({ length: 50 }, (_, i) => i),
      );
      const count = await scratch(database)
        .selectFrom('t')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 55);
    });
  });
});

/** A promise the test settles by hand. */
function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('the log fsync off the event loop (decision 017)', () => {
  test('callers before an fsync starts share it; a caller while one runs waits for the next, started after it', async () => {
    const started: ReturnType<typeof deferred>[] = [];
    const fsyncs = coalescedFsync(() => {
      const one = deferred();
      started.push(one);
      return one.promise;
    });
    const done: string[] = [];
    const first = [fsyncs.sync().then(() => done.push('a')), fsyncs.sync().then(() => done.push('b'))];
    await turn();
    assert.equal(started.length, 1, 'the two first callers share one fsync');
    // Asked while the first fsync runs: its writes may be later than what that fsync covers.
    const later = fsyncs.sync().then(() => done.push('c'));
    const alsoLater = fsyncs.sync().then(() => done.push('d'));
    await turn();
    assert.equal(started.length, 1, 'the next fsync does not start while one runs');
    started[0]!.resolve();
    await Promise.all(first);
    await turn();
    assert.deepEqual(done, ['a', 'b'], 'c and d wait for an fsync that started after they asked');
    assert.equal(started.length, 2, 'c and d share the next fsync');
    started[1]!.resolve();
    await Promise.all([later, alsoLater]);
    assert.deepEqual(done, ['a', 'b', 'c', 'd']);
  });

  test('a failed fsync fails its callers and every later one: no save is answered after the log may have lost pages', async () => {
    let calls = 0;
    const fsyncs = coalescedFsync(async () => {
      calls++;
      throw new Error('EIO');
    });
    await assert.rejects(fsyncs.sync(), /EIO/);
    await assert.rejects(fsyncs.sync(), /EIO/);
    await assert.rejects(fsyncs.sync(), /EIO/);
    assert.equal(calls, 1, 'no later fsync pretends the lost pages are on disk');
    await fsyncs.settled();
  });

  test('through a symlinked path it fsyncs the WAL SQLite writes, beside the real file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'diaodu-fsync-link-'));
    const real = join(folder, 'real.db');
    await (await openDatabase(`sqlite:${real}`)).close();
    symlinkSync(real, join(folder, 'link.db'));
    const database = await openDatabase(`sqlite:${join(folder, 'link.db')}`);
    try {
      await sql`create table t (id integer primary key)`.execute(database.db);
      await sql`insert into t (id) values (1)`.execute(database.db);
      // Beside the link there is no WAL: opening `link.db-wal` would fail with ENOENT.
      await database.syncLog!();
    } finally {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a SQLite file has a log fsync that resolves after a commit and checkpoints less often; a memory database has no fsync', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'diaodu-fsync-'));
    const database = await openDatabase(`sqlite:${join(folder, 'f.db')}`);
    const memory = await openDatabase('sqlite::memory:');
    try {
      assert.ok(database.syncLog, 'a file database can fsync its log');
      await sql`create table t (id integer primary key)`.execute(database.db);
      await sql`insert into t (id) values (1)`.execute(database.db);
      await Promise.all([database.syncLog(), database.syncLog(), database.syncLog()]);
      assert.equal(memory.syncLog, null);
      const [setting] = (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db)).rows;
      assert.equal(setting!.wal_autocheckpoint, WAL_AUTOCHECKPOINT_PAGES, 'checkpoints every 10,000 WAL pages, not 1,000');
    } finally {
      await database.close();
      await memory.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
