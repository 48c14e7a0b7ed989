import { AsyncResource } from 'node:async_hooks';
import type { ControlledTransaction, Kysely } from 'kysely';
import type { Database } from './database.ts';
import { createRepositories, type Repositories } from './repositories/index.ts';
import type { DB } from './schema.ts';

/**
 * Runs `work` in one transaction with repositories bound to it: everything it writes commits
 * together, or, if it throws, nothing does. Services use this instead of touching kysely.
 */
export function inTransaction<T>(database: Database, work: (repositories: Repositories) => Promise<T>): Promise<T> {
  return database.db.transaction().execute((trx) => work(createRepositories(trx)));
}

/**
 * Runs `work` in a read-only transaction: one consistent snapshot across several queries
 * (PostgreSQL repeatable read; SQLite a deferred transaction that takes no write lock).
 */
export function inReadTransaction<T>(database: Database, work: (repositories: Repositories) => Promise<T>): Promise<T> {
  let builder = database.db.transaction().setAccessMode('read only');
  if (database.dialect === 'postgres') builder = builder.setIsolationLevel('repeatable read');
  return builder.execute((trx) => work(createRepositories(trx)));
}

/** Most writes one group commit carries; later callers wait for the next one. */
const GROUP_COMMIT_MAX = 100;

const committers = new WeakMap<Database, GroupCommitter<Repositories>>();

/**
 * Runs `work` like `inTransaction`, but on SQLite shares the transaction with other callers
 * waiting at the same time (group commit): one `BEGIN IMMEDIATE … COMMIT`, so one fsync, for
 * all of them. See `GroupCommitter` for the rules each caller can rely on. PostgreSQL commits
 * concurrent transactions on pooled connections and groups their WAL flushes itself: there
 * this is `inTransaction`. See docs/decisions/013-group-commit.md.
 */
export function inGroupTransaction<T>(database: Database, work: (repositories: Repositories) => Promise<T>): Promise<T> {
  if (database.dialect !== 'sqlite') return inTransaction(database, work);
  let committer = committers.get(database);
  if (!committer) {
    committer = new GroupCommitter(database, createRepositories);
    committers.set(database, committer);
  }
  return committer.run(work);
}

/** How many groups committed, how many callers they carried, how many groups failed and ran again one by one. */
export type GroupCommitStats = { groups: number; items: number; retriedAlone: number };

/** The counters of `inGroupTransaction` on this database (for tests and benchmarks). */
export function groupCommitStats(database: Database): GroupCommitStats {
  return { ...(committers.get(database)?.stats ?? { groups: 0, items: 0, retriedAlone: 0 }) };
}

type GroupItem<R> = {
  work: (bound: R) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

/**
 * Group commit. Callers queue their work; whoever is queued when the connection comes free
 * (and whoever queues while the group runs, up to GROUP_COMMIT_MAX) shares one transaction:
 *
 * - each caller's work runs alone inside its own savepoint, one after another, so it reads
 *   the writes of those before it in the group exactly as if they had committed just before;
 * - if its work throws, only its savepoint is rolled back and it gets its error; the others
 *   go on;
 * - nobody's promise settles before COMMIT has returned: an answer never reports a write that
 *   is not durable, nor an error computed from a batch-mate's write that did not commit;
 * - if the shared transaction itself fails (BEGIN or COMMIT refused, a deferred constraint, a
 *   disk error that ended it), nothing of the group is stored and every caller of the group
 *   runs again alone, in a transaction of its own, as plain `inTransaction` would have run it;
 * - work runs in its caller's async context (anything kept in AsyncLocalStorage, such as a
 *   tracer's span, still belongs to the request that asked).
 *
 * `bind` makes what the work receives from the transaction (the repositories).
 */
export class GroupCommitter<R> {
  readonly stats: GroupCommitStats = { groups: 0, items: 0, retriedAlone: 0 };
  readonly #database: Database;
  readonly #bind: (trx: Kysely<DB>) => R;
  readonly #queue: GroupItem<R>[] = [];
  #draining = false;

  constructor(database: Database, bind: (trx: Kysely<DB>) => R) {
    this.#database = database;
    this.#bind = bind;
  }

  run<T>(work: (bound: R) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work: AsyncResource.bind(work), resolve: resolve as (value: unknown) => void, reject });
      if (!this.#draining) {
        this.#draining = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  /**
   * better-sqlite3 is synchronous: a request's queries, and the COMMIT's fsync, run without
   * letting the event loop turn, so a group started at once would only ever hold its first
   * caller. Each group starts in `setImmediate`, after the event loop has read the requests
   * that arrived meanwhile and brought each of them up to here.
   */
  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        await this.#commitGroup();
        if (this.#queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.#draining = false;
    }
  }

  async #commitGroup(): Promise<void> {
    const group: GroupItem<R>[] = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let trx: ControlledTransaction<DB> | null = null;
    try {
      // Waiting for the connection here is what lets the group grow.
      trx = await this.#database.db.startTransaction().execute();
      const bound = this.#bind(trx);
      while (group.length < GROUP_COMMIT_MAX && this.#queue.length > 0) {
        const item = this.#queue.shift()!;
        group.push(item);
        const saved = await trx.savepoint('group_item').execute();
        try {
          outcomes.push({ ok: true, value: await item.work(bound) });
          await saved.releaseSavepoint('group_item').execute();
        } catch (error) {
          outcomes.push({ ok: false, error });
          // ROLLBACK TO keeps the savepoint open; RELEASE then closes it.
          await (await saved.rollbackToSavepoint('group_item').execute()).releaseSavepoint('group_item').execute();
        }
      }
      await trx.commit().execute();
    } catch {
      if (trx && !trx.isCommitted) await trx.rollback().execute().catch(() => {});
      // BEGIN itself failed: those waiting try alone (each then gets its own error), rather
      // than waiting for a group that may never start.
      if (group.length === 0) group.push(...this.#queue.splice(0, GROUP_COMMIT_MAX));
      this.stats.retriedAlone += 1;
      for (const item of group)
        await this.#database.db
          .transaction()
          .execute((alone) => item.work(this.#bind(alone)))
          .then(item.resolve, item.reject);
      return;
    }
    this.stats.groups += 1;
    this.stats.items += group.length;
    group.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
