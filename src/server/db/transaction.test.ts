import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type Database } from './database.ts';
import type { DB } from './schema.ts';
import { commitLogOf } from './commit-log.ts';
import { GroupCommitter } from './transaction.ts';

type Scratch = Kysely<Record<string, Record<string, unknown>>>;

/**
 * A SQLite file with two scratch tables (`parent`, and `child` whose foreign key SQLite checks
 * at COMMIT when the work asks for deferred checks), a committer that hands the work the raw
 * transaction, and a second connection that sees only what has committed.
 */
async function withFile(body: (database: Database, committer: GroupCommitter<Scratch>, outside: BetterSqlite3.Database) => Promise<void>) {
  const folder = mkdtempSync(join(tmpdir(), 'diaodu-group-'));
  const file = join(folder, 'g.db');
  const database = await openDatabase(`sqlite:${file}`);
  const outside = new BetterSqlite3(file);
  try {
    await sql`create table parent (id integer primary key)`.execute(database.db);
    await sql`create table child (id integer primary key, parent_id integer not null references parent(id), v text not null)`.execute(database.db);
    await sql`insert into parent (id) values (1)`.execute(database.db);
    await body(database, new GroupCommitter(database, (trx: Kysely<DB>) => trx as unknown as Scratch), outside);
  } finally {
    outside.close();
    await database.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

const insertChild = (trx: Scratch, id: number, v: string) => trx.insertInto('child').values({ id, parent_id: 1, v }).execute();
const committedIds = (outside: BetterSqlite3.Database) => (outside.prepare('select id from child order by id').all() as { id: number }[]).map((r) => r.id);

describe('group commit (SQLite)', () => {
  test('callers queued together share one commit; a failing one is rolled back alone and gets its own error', async () => {
    await withFile(async (_database, committer, outside) => {
      const seenBefore: number[][] = [];
      const results = await Promise.allSettled([
        committer.run(async (trx) => {
          await insertChild(trx, 1, 'a');
          return 'one';
        }),
        committer.run(async (trx) => {
          await insertChild(trx, 2, 'b');
          throw new Error('refused by its own rule');
        }),
        committer.run(async (trx) => {
          // Reads what earlier members of the group wrote (and not the rolled-back row).
          seenBefore.push((await trx.selectFrom('child').select('id').orderBy('id').execute()).map((r) => Number(r.id)));
          await insertChild(trx, 3, 'c');
          return 'three';
        }),
        // A unique violation inside the group: its statement fails, the others stand.
        committer.run((trx) => insertChild(trx, 1, 'duplicate')),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled', 'rejected'],
      );
      assert.equal((results[0] as PromiseFulfilledResult<string>).value, 'one');
      assert.equal(((results[1] as PromiseRejectedResult).reason as Error).message, 'refused by its own rule');
      assert.match(String((results[3] as PromiseRejectedResult).reason), /UNIQUE/);
      assert.deepEqual(seenBefore, [[1]]);
      assert.deepEqual(committedIds(outside), [1, 3]);
      assert.deepEqual(committer.stats, { groups: 1, items: 4, retriedAlone: 0 });
    });
  });

  test('a group whose committed items all noted their writes is linked in the commit log, from the stamp before to the stamp after', async () => {
    await withFile(async (database, committer, outside) => {
      const log = commitLogOf(database);
      const before = database.changeStamp()!;
      await Promise.allSettled([
        committer.run(async (trx, note) => {
          await insertChild(trx, 1, 'a');
          note([{ table: 'unit_submissions', roundId: 1, unitId: 1 }]);
        }),
        // Rolled back: what it noted was never committed.
        committer.run(async (trx, note) => {
          await insertChild(trx, 2, 'b');
          note([{ table: 'unit_submissions', roundId: 1, unitId: 2 }]);
          throw new Error('refused');
        }),
        committer.run(async (trx, note) => {
          await insertChild(trx, 3, 'c');
          note([]);
        }),
      ]);
      const after = database.changeStamp()!;
      assert.notEqual(after, before);
      assert.deepEqual(log.writesBetween(before, after), [{ table: 'unit_submissions', roundId: 1, unitId: 1 }]);

      // One item that did not say what it wrote: the commit is not linked.
      await Promise.all([committer.run((trx, note) => insertChild(trx, 4, 'd').then(() => note([]))), committer.run((trx) => insertChild(trx, 5, 'e'))]);
      assert.equal(log.writesBetween(after, database.changeStamp()!), null);

      // Another connection's commit between two groups: the chain does not reach across it.
      const beforeOutside = database.changeStamp()!;
      outside.prepare(`insert into child (id, parent_id, v) values (6, 1, 'outside')`).run();
      await committer.run((trx, note) => insertChild(trx, 7, 'g').then(() => note([])));
      assert.equal(log.writesBetween(beforeOutside, database.changeStamp()!), null);
    });
  });

  test('an answer settles only after COMMIT: another connection already sees the row', async () => {
    await withFile(async (_database, committer, outside) => {
      const visibleAtAnswer: number[][] = [];
      await Promise.all(
        [1, 2, 3, 4, 5].map((id) => committer.run((trx) => insertChild(trx, id, `v${id}`)).then(() => visibleAtAnswer.push(committedIds(outside)))),
      );
      for (const ids of visibleAtAnswer) assert.deepEqual(ids, [1, 2, 3, 4, 5]);
      assert.equal(committer.stats.groups, 1);
    });
  });

  test('when COMMIT itself fails, nothing of the group is stored and each caller runs again alone', async () => {
    await withFile(async (database, committer, outside) => {
      let attempts = 0;
      const results = await Promise.allSettled([
        committer.run((trx) => insertChild(trx, 1, 'good one')),
        committer.run(async (trx) => {
          attempts++;
          // Foreign keys checked at COMMIT: a dangling reference fails the whole transaction there.
          await sql`pragma defer_foreign_keys = on`.execute(trx);
          await trx.insertInto('child').values({ id: 2, parent_id: 99, v: 'dangling' }).execute();
        }),
        committer.run((trx) => insertChild(trx, 3, 'good three')),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.match(String((results[1] as PromiseRejectedResult).reason), /FOREIGN KEY/);
      assert.equal(attempts, 2, 'in the group, then alone');
      assert.deepEqual(committedIds(outside), [1, 3]);
      assert.deepEqual(committer.stats, { groups: 0, items: 0, retriedAlone: 1 });
      const [level] = (await sql<{ synchronous: number }>`pragma synchronous`.execute(database.db)).rows;
      assert.equal(Number(level!.synchronous), 2, 'FULL again after the failed group');
    });
  });

  test('COMMIT runs without its fsync; answers wait for the log fsync after it, while the connection serves others', async () => {
    await withFile(async (database, _committer, outside) => {
      let release!: () => void;
      const fsync = new Promise<void>((resolve) => (release = resolve));
      let fsyncs = 0;
      const committer = new GroupCommitter({ ...database, syncLog: () => (fsyncs++, fsync) }, (trx: Kysely<DB>) => trx as unknown as Scratch);
      const synchronousNow = async (db: Kysely<DB>) => Number((await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows[0]!.synchronous);
      const answered: number[] = [];
      const saves = [1, 2, 3].map((id) =>
        committer
          .run(async (trx) => {
            await insertChild(trx as unknown as Scratch, id, `v${id}`);
            return synchronousNow(trx as unknown as Kysely<DB>);
          })
          .then((level) => (answered.push(id), level)),
      );
      while (committedIds(outside).length < 3) await new Promise((resolve) => setImmediate(resolve));
      // Committed, not yet durable: nobody is answered, and other queries get the connection.
      assert.equal(fsyncs, 1);
      assert.deepEqual(answered, []);
      assert.equal(await synchronousNow(database.db), 2, 'FULL again for everyone else');
      release();
      assert.deepEqual(await Promise.all(saves), [1, 1, 1], 'the group ran with synchronous = NORMAL');
      assert.deepEqual(answered.sort(), [1, 2, 3]);
    });
  });

  test('when the log fsync fails, every caller of the group gets its error and the server stops', async () => {
    await withFile(async (database) => {
      const fatal: unknown[] = [];
      const committer = new GroupCommitter(
        { ...database, syncLog: () => Promise.reject(new Error('EIO: fsync failed')) },
        (trx: Kysely<DB>) => trx as unknown as Scratch,
        (error) => fatal.push(error),
      );
      const results = await Promise.allSettled([1, 2].map((id) => committer.run((trx) => insertChild(trx, id, `v${id}`))));
      assert.deepEqual(
        results.map((r) => r.status === 'rejected' && String(r.reason)),
        ['Error: EIO: fsync failed', 'Error: EIO: fsync failed'],
      );
      assert.deepEqual(fatal.map(String), ['Error: EIO: fsync failed'], 'fail-stop: nothing written after this can be promised');
    });
  });

  test('if synchronous = FULL cannot be set again after a group, nobody is answered, nothing runs twice, and the server stops', async () => {
    await withFile(async (database, _committer, outside) => {
      // The connection's reset to FULL reports a failure once (it did run: the file is fine).
      let failures = 0;
      const failingReset = <T extends object>(target: T, wrap: (name: PropertyKey, value: unknown) => unknown): T =>
        new Proxy(target, {
          get(object, name) {
            const value = Reflect.get(object, name) as unknown;
            return wrap(name, typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value);
          },
        });
      const db = failingReset(database.db, (name, value) =>
        name !== 'connection'
          ? value
          : () => ({
              execute: <T>(work: (connection: Kysely<DB>) => Promise<T>) =>
                database.db.connection().execute((connection) =>
                  work(
                    failingReset(connection, (inner, method) =>
                      inner !== 'executeQuery'
                        ? method
                        : async (query: { sql: string }) => {
                            const result = await (method as (q: unknown) => Promise<unknown>)(query);
                            if (query.sql === 'pragma synchronous = full' && failures++ === 0) throw new Error('disk I/O error');
                            return result;
                          },
                    ),
                  ),
                ),
            }),
      );
      let fsyncs = 0;
      const fatal: unknown[] = [];
      const committer = new GroupCommitter(
        { ...database, db, syncLog: async () => void fsyncs++ },
        (trx: Kysely<DB>) => trx as unknown as Scratch,
        (error) => fatal.push(error),
      );
      const results = await Promise.allSettled([1, 2].map((id) => committer.run((trx) => insertChild(trx, id, `v${id}`))));
      assert.deepEqual(
        results.map((r) => r.status === 'rejected' && /synchronous = FULL/.test(String((r.reason as Error).message))),
        [true, true],
      );
      assert.equal(fatal.length, 1, 'the server is told to stop');
      assert.equal(fsyncs, 0);
      assert.deepEqual(committer.stats, { groups: 0, items: 0, retriedAlone: 0 }, 'no caller runs again');
      assert.deepEqual(committedIds(outside), [1, 2], 'committed once');
    });
  });

  test('each caller’s work runs in its own async context, not the first caller’s', async () => {
    await withFile(async (_database, committer) => {
      const context = new AsyncLocalStorage<string>();
      const seen = await Promise.all(
        ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((ip) =>
          context.run(ip, () =>
            committer.run(async (trx) => {
              await insertChild(trx, Number(ip.slice(-1)), ip);
              return context.getStore();
            }),
          ),
        ),
      );
      assert.deepEqual(seen, ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
      assert.equal(committer.stats.groups, 1);
    });
  });

  test('callers arriving while a group runs join it, up to its cap', async () => {
    await withFile(async (database, committer, outside) => {
      // Hold the connection so that 150 callers queue up behind it.
      const held = await database.db.startTransaction().execute();
      const all = Promise.all(Array.from({ length: 150 }, (_, i) => committer.run((trx) => insertChild(trx, i + 1, `n${i}`))));
      await new Promise((resolve) => setImmediate(resolve));
      await held.commit().execute();
      await all;
      assert.equal(committedIds(outside).length, 150);
      assert.deepEqual(committer.stats, { groups: 2, items: 150, retriedAlone: 0 });
    });
  });
});
