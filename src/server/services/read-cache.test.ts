import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { openDatabase, type Database } from '../db/database.ts';
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

  test("another connection's commit (the CLI beside the server) makes it read again", async () => {
    await withFile(async ({ get, reads, outside }) => {
      assert.deepEqual(await get('a'), { v: 'first' });
      outside.prepare(`update t set v = 'from the CLI' where id = 1`).run();
      assert.deepEqual(await get('a'), { v: 'from the CLI' });
      assert.equal(reads(), 2);
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
      assert.deepEqual(stats(), { hits: 1, misses: 5, entries: 2 });
    });
  });
});

forEachEngine('ReadCache', (it, engine) => {
  it(engine === 'sqlite' ? 'keeps reads while nothing is written' : 'keeps nothing: another server may have written', async (database) => {
    let reads = 0;
    const cache = new ReadCache<string, { n: number }>(database, 10);
    const read = async () => ({ n: ++reads });
    await cache.get('k', read);
    const second = await cache.get('k', read);
    assert.deepEqual(second, { n: engine === 'sqlite' ? 1 : 2 });
  });
});
