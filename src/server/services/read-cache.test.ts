import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestDatabase, forEachEngine, postgresTestUrl, type TestDatabase } from '../../../tests/support/databases.ts';
import { listeningBackendPid } from '../db/change-feed.ts';
import { OTHER_COMMITS_KEPT_MS, openDatabase, type Database } from '../db/database.ts';
import { GroupCommitter } from '../db/transaction.ts';
import { ReadCache } from './read-cache.ts';

type Scene = {
  database: Database;
  /** The row through a cache of capacity 2 (the key only names the entry). */
  get(key: string): Promise<{ v: string }>;
  stats(): ReturnType<ReadCache<string, object>['stats']>;
  /** How often the row was really read. */
  reads(): number;
  /** A second connection to the file, as another process would have. */
  outside: BetterSqlite3.Database;
};

/** A SQLite file with one row, a cache over reading it, and a second connection. */
async function withFile(body: (scene: Scene) => Promise<void>) {
  const folder = mkdtempSync(join(tmpdir(), 'diaodu-read-cache-'));
  const database = await openDatabase(`sqlite:${join(folder, 'c.db')}`);
  const outside = new BetterSqlite3(join(folder, 'c.db'));
  try {
    await sql`create table t (id integer primary key, v text not null)`.execute(database.db);
    await sql`insert into t values (1, 'first')`.execute(database.db);
    let reads = 0;
    const cache = new ReadCache<string, { v: string }>(database, 2);
    const read = async () => {
      reads++;
      const { rows } = await sql<{ v: string }>`select v from t where id = 1`.execute(database.db);
      return { v: rows[0]!.v };
    };
    await body({ database, get: (key) => cache.get(key, read), stats: () => cache.stats(), reads: () => reads, outside });
  } finally {
    outside.close();
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('ReadCache on SQLite: a kept read lasts exactly until the next write', () => {
  test('the second read is the same frozen object; a write of this process makes it read again', async () => {
    await withFile(async ({ database, get, reads }) => {
      const first = await get('a');
      const again = await get('a');
      assert.equal(again, first);
      assert.equal(reads(), 1);
      assert.ok(Object.isFrozen(first));
      assert.throws(() => {
        (first as { v: string }).v = 'mutated';
      }, TypeError);

      await sql`update t set v = 'second' where id = 1`.execute(database.db);
      assert.deepEqual(await get('a'), { v: 'second' });
      assert.equal(reads(), 2);
      // A write that changed nothing still counts: the cache never guesses.
      await sql`update t set v = 'second' where id = 1`.execute(database.db);
      await get('a');
      assert.equal(reads(), 3);
    });
  });

  test("another connection's commit (the CLI beside the server) makes it read again: in the next turn of the event loop, or a millisecond later", async () => {
    await withFile(async ({ get, reads, outside }) => {
      assert.deepEqual(await get('a'), { v: 'first' });
      outside.prepare(`update t set v = 'from the CLI' where id = 1`).run();
      // `data_version` is read at most once a turn and a millisecond (decision 047).
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(await get('a'), { v: 'from the CLI' });
      assert.equal(reads(), 2);
      // Within one turn, a millisecond on.
      outside.prepare(`update t set v = 'a millisecond later' where id = 1`).run();
      const from = performance.now();
      while (performance.now() - from <= 2 * OTHER_COMMITS_KEPT_MS);
      assert.deepEqual(await get('a'), { v: 'a millisecond later' });
      assert.equal(reads(), 3);
    });
  });

  test("keeps nothing while a transaction holds the connection: its snapshot would hide another connection's commit", async () => {
    await withFile(async ({ database, get, reads, outside }) => {
      assert.deepEqual(await get('a'), { v: 'first' });
      // Another request's read transaction, its snapshot taken; then the CLI commits.
      const open = await database.db.startTransaction().setAccessMode('read only').execute();
      await sql`select v from t`.execute(open);
      outside.prepare(`update t set v = 'committed meanwhile' where id = 1`).run();
      const answer = get('a');
      await open.commit().execute();
      assert.deepEqual(await answer, { v: 'committed meanwhile' });
      assert.equal(reads(), 2);
    });
  });

  test('a rolled-back write still makes it read again; the least recently used entry goes first', async () => {
    await withFile(async ({ database, get, reads, stats }) => {
      await get('a');
      await assert.rejects(() =>
        database.db.transaction().execute(async (trx) => {
          await sql`update t set v = 'never' where id = 1`.execute(trx);
          throw new Error('roll back');
        }),
      );
      assert.deepEqual(await get('a'), { v: 'first' });
      assert.equal(reads(), 2);
      // Capacity 2: a, b, then c pushes out a (b was used after a).
      await get('b');
      await get('c');
      assert.equal(reads(), 4);
      await get('b');
      assert.equal(reads(), 4);
      await get('a');
      assert.equal(reads(), 5);
      assert.deepEqual(stats(), { hits: 1, carried: 0, misses: 5, entries: 2 });
    });
  });
});

forEachEngine('ReadCache', (it) => {
  it('keeps reads while nothing is written', async (database) => {
    let reads = 0;
    const cache = new ReadCache<string, { n: number }>(database, 10);
    const read = async () => ({ n: ++reads });
    await cache.get('k', read);
    const second = await cache.get('k', read);
    assert.deepEqual(second, { n: 1 });
  });
});

/** Two stores (schemas) of one PostgreSQL database, a cache over a unit's name in the first, and a connection from outside (another server, psql). */
async function withPostgres(
  body: (scene: { database: TestDatabase; other: TestDatabase; get(): Promise<{ name: string }>; reads(): number; outside: pg.Client }) => Promise<void>,
) {
  const database = await createTestDatabase('postgres');
  const other = await createTestDatabase('postgres');
  const outside = new pg.Client({ connectionString: database.url });
  try {
    await outside.connect();
    await database.db.insertInto('units').values({ id: 1, name: '环评处', created_at: '2026-12-06T00:00:00.000Z' }).execute();
    let reads = 0;
    const cache = new ReadCache<string, { name: string }>(database, 10);
    const read = async () => {
      reads++;
      const row = await database.db.selectFrom('units').select('name').where('id', '=', 1).executeTakeFirstOrThrow();
      return { name: row.name };
    };
    await body({ database, other, get: () => cache.get('unit 1', read), reads: () => reads, outside });
  } finally {
    await outside.end();
    await other.dispose();
    await database.dispose();
  }
}

describe('ReadCache on SQLite across group commits that noted their writes (decision 046)', () => {
  test('keeps an entry across commits that wrote nothing it shows, and only those; an unknown commit between ends it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'diaodu-read-cache-'));
    const database = await openDatabase(`sqlite:${join(folder, 'c.db')}`);
    try {
      await sql`create table t (unit integer primary key, v text not null)`.execute(database.db);
      await sql`insert into t values (1, 'one'), (2, 'two')`.execute(database.db);
      // An entry per unit; a write shows on the entry of its own unit only.
      const cache = new ReadCache<number, { unit: number; v: string }>(database, 10, { carry: (write, value) => (write.unitId !== value.unit ? value : null) });
      let reads = 0;
      const get = (unit: number) =>
        cache.get(unit, async () => {
          reads++;
          const { rows } = await sql<{ v: string }>`select v from t where unit = ${unit}`.execute(database.db);
          return { unit, v: rows[0]!.v };
        });
      const committer = new GroupCommitter(database, (trx) => trx);
      const write = (unit: number, v: string, noted = true) =>
        committer.run(async (trx, note) => {
          await sql`update t set v = ${v} where unit = ${unit}`.execute(trx);
          if (noted) note([{ table: 'unit_submissions', roundId: 1, unitId: unit }]);
        });

      const first = await get(1);
      await get(2);
      await write(2, 'two, again');
      await write(2, 'two, a third time');
      assert.equal(await get(1), first, 'two commits that did not touch unit 1: kept');
      assert.deepEqual(await get(2), { unit: 2, v: 'two, a third time' }, 'read again');
      assert.equal(reads, 3);
      assert.deepEqual(cache.stats(), { hits: 1, carried: 1, misses: 3, entries: 2 });

      await write(1, 'one, again');
      assert.deepEqual(await get(1), { unit: 1, v: 'one, again' });
      assert.equal(reads, 4);

      // A commit that did not say what it wrote, then a noted one: the chain is broken.
      await write(2, 'unnoted', false);
      await write(2, 'noted');
      await get(1);
      assert.equal(reads, 5, 'read again after a commit nobody described');
    } finally {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe(
  'ReadCache on PostgreSQL: kept until a change to its store commits on any server (decision 043)',
  { skip: postgresTestUrl() === null ? 'needs PostgreSQL (tests/.postgres-url)' : false },
  () => {
    test('a commit from another connection is seen by the very next read, every time; a rolled-back one and one in another store are not changes', async () => {
      await withPostgres(async ({ get, reads, outside, other }) => {
        assert.deepEqual(await get(), { name: '环评处' });
        await get();
        assert.equal(reads(), 1, 'kept on PostgreSQL too');
        // No wait between the commit and the read: the round trip on the listening connection is the barrier.
        for (let i = 0; i < 20; i++) {
          await outside.query('update units set name = $1 where id = 1', [`环评处${i}`]);
          assert.deepEqual(await get(), { name: `环评处${i}` }, `commit ${i} seen at once`);
        }
        assert.equal(reads(), 21);
        await get();
        assert.equal(reads(), 21);

        await outside.query('begin');
        await outside.query(`update units set name = '从未提交' where id = 1`);
        await outside.query('rollback');
        assert.deepEqual(await get(), { name: '环评处19' });
        // Another organisation's store (another schema), and a table no kept read reads (the rate limiter's, written by every limited request).
        await other.db.insertInto('units').values({ id: 1, name: '别的单位', created_at: '2026-12-06T00:00:00.000Z' }).execute();
        await outside.query(`insert into rate_limit_hits (key, hits, window_ends_at) values ('user:1:1', 1, '2026-12-06T00:01:00.000Z')`);
        await get();
        assert.equal(reads(), 21, 'neither a rolled-back write, nor another store, nor a rate-limit hit makes it read again');
      });
    });

    test('while the listening connection is down nothing kept is used; a change made meanwhile is seen; it keeps again once back', async () => {
      await withPostgres(async ({ database, get, reads, outside }) => {
        await get();
        await get();
        assert.equal(reads(), 1);
        const listening = listeningBackendPid(database.url);
        assert.ok(listening !== null, 'a listening connection is up');
        await outside.query('select pg_terminate_backend($1)', [listening]);
        // Its notice goes nowhere: nobody listens now.
        await outside.query(`update units set name = '断线时改' where id = 1`);
        assert.deepEqual(await get(), { name: '断线时改' });
        await get();
        const whileDown = reads();
        assert.ok(whileDown >= 2, 'read from the database while the connection is down');
        const deadline = Date.now() + 10_000;
        while (listeningBackendPid(database.url) === null || listeningBackendPid(database.url) === listening) {
          assert.ok(Date.now() < deadline, 'the listening connection came back');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        // The connection may have come back before the reads above were done: then one of them was
        // already kept, and the first read here is kept too. Either way at most one more read, then none.
        await get();
        const onceBack = reads();
        assert.ok(onceBack <= whileDown + 1, 'at most one read once it is back');
        await get();
        await get();
        assert.equal(reads(), onceBack, 'kept again once it is back');
        await outside.query(`update units set name = '重连后改' where id = 1`);
        assert.deepEqual(await get(), { name: '重连后改' });
      });
    });
  },
);
