import { AsyncResource } from 'node:async_hooks';
import { CompiledQuery, type ControlledTransaction, type Kysely } from 'kysely';
import { commitLogOf, type NotedWrite } from './commit-log.ts';
import type { Database } from './database.ts';
import { holdConnection } from './prepared.ts';
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

/**
 * What a group item tells kept reads about its writes: every row it wrote that a kept read may
 * show (db/commit-log.ts). An item that never calls it wrote something unknown, and its group's
 * commit then leaves every kept read stale. Calling it with nothing says: nothing a kept read shows.
 */
export type NoteWrites = (writes: readonly NotedWrite[]) => void;

const ignoreNote: NoteWrites = () => {};

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
export function inGroupTransaction<T>(database: Database, work: (repositories: Repositories, note: NoteWrites) => Promise<T>): Promise<T> {
  if (database.dialect !== 'sqlite') return inTransaction(database, (repositories) => work(repositories, ignoreNote));
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
  work: (bound: R, note: NoteWrites) => Promise<unknown>;
  /** What the work noted it wrote (null: it did not say). */
  writes: NotedWrite[] | null;
  /** The caller's async context, which the work runs in. */
  context: AsyncResource;
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
 * - nobody's promise settles before COMMIT has returned and the WAL holding it is fsynced
 *   (`Database.syncLog`, off the event loop; decision 017): an answer never reports a write that
 *   is not durable, nor an error computed from a batch-mate's write that did not commit; if that
 *   fsync fails, every caller waiting gets its error and the process stops (fail-stop);
 * - if the shared transaction itself fails (BEGIN or COMMIT refused, a deferred constraint, a
 *   disk error that ended it), nothing of the group is stored and every caller of the group
 *   runs again alone, in a transaction of its own, as plain `inTransaction` would have run it;
 * - work runs in its caller's async context (anything kept in AsyncLocalStorage, such as a
 *   tracer's span, still belongs to the request that asked);
 * - when every item that committed noted its writes, the commit is linked in the database's
 *   commit log, so reads kept before it that show none of those rows stay kept (decision 046).
 *
 * `bind` makes what the work receives from the transaction (the repositories).
 */
export class GroupCommitter<R> {
  readonly stats: GroupCommitStats = { groups: 0, items: 0, retriedAlone: 0 };
  readonly #database: Database;
  readonly #bind: (trx: Kysely<DB>) => R;
  readonly #queue: GroupItem<R>[] = [];
  #draining = false;

  readonly #fatal: (error: unknown) => void;

  /** `fatal` is told when durability can no longer be promised (a failed fsync or pragma reset); by default the process stops. */
  constructor(database: Database, bind: (trx: Kysely<DB>) => R, fatal: (error: unknown) => void = stopTheProcess) {
    this.#database = database;
    this.#bind = bind;
    this.#fatal = fatal;
  }

  run<T>(work: (bound: R, note: NoteWrites) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Not AsyncResource.bind: on Node 20 it builds two deprecation wrappers per call.
      this.#queue.push({ work, writes: null, context: new AsyncResource('diaodu.group-commit'), resolve: resolve as (value: unknown) => void, reject });
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
    const outcomes: Outcome[] = [];
    const { db, syncLog } = this.#database;
    try {
      // Waiting for the connection here is what lets the group grow. It is held from the first
      // pragma to the second: no other caller's transaction commits without its fsync.
      await db.connection().execute(async (connection) => {
        if (syncLog) await connection.executeQuery(SYNCHRONOUS_NORMAL);
        try {
          await this.#runGroup(connection, group, outcomes);
        } finally {
          if (syncLog)
            await connection.executeQuery(SYNCHRONOUS_FULL).catch((error: unknown) => {
              throw new SynchronousNotRestored(error);
            });
        }
      });
    } catch (error) {
      if (error instanceof SynchronousNotRestored) {
        // The group may have committed, and the connection may still commit without fsync for
        // everyone: answer nobody, run nothing again, and stop (fail-stop, decision 017).
        for (const item of [...group, ...this.#queue.splice(0)]) item.reject(error);
        this.#fatal(error);
        return;
      }
      this.stats.retriedAlone += 1;
      // BEGIN itself failed: those waiting try alone (each then gets its own error), rather
      // than waiting for a group that may never start.
      if (group.length === 0) group.push(...this.#queue.splice(0, GROUP_COMMIT_MAX));
      for (const item of group)
        await db
          .transaction()
          .execute((alone) => item.context.runInAsyncScope(item.work, null, this.#bind(alone), ignoreNote))
          .then(item.resolve, item.reject);
      return;
    }
    this.stats.groups += 1;
    this.stats.items += group.length;
    // COMMIT ran without its fsync. The connection is free again (reads and sessions go on)
    // while the thread pool fsyncs the log; the group is answered after that, and the next
    // group, made of whoever arrived meanwhile, starts then.
    try {
      if (syncLog) await syncLog();
    } catch (error) {
      // What this group and any later one wrote may never reach the disk (decision 017): stop.
      for (const item of [...group, ...this.#queue.splice(0)]) item.reject(error);
      this.#fatal(error);
      return;
    }
    group.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  /** BEGIN IMMEDIATE, each item in a savepoint of its own, COMMIT; if the transaction itself fails, ROLLBACK and throw. */
  async #runGroup(connection: Kysely<DB>, group: GroupItem<R>[], outcomes: Outcome[]): Promise<void> {
    let trx: ControlledTransaction<DB> | null = null;
    try {
      trx = await connection.startTransaction().execute();
      const from = this.#database.transactionStamp?.();
      const bound = this.#bind(trx);
      // Prepared queries on `trx` skip kysely's executor while the group runs (db/prepared.ts).
      const held = await holdConnection(trx);
      try {
        while (group.length < GROUP_COMMIT_MAX && this.#queue.length > 0) {
          const item = this.#queue.shift()!;
          group.push(item);
          // Plain statements: kysely's savepoint API builds a new transaction object for each.
          await held.connection.executeQuery(SAVEPOINT);
          const note: NoteWrites = (writes) => void (item.writes ??= []).push(...writes);
          try {
            outcomes.push({ ok: true, value: await item.context.runInAsyncScope(item.work, null, bound, note) });
            await held.connection.executeQuery(RELEASE);
          } catch (error) {
            outcomes.push({ ok: false, error });
            // ROLLBACK TO keeps the savepoint open; RELEASE then closes it.
            await held.connection.executeQuery(ROLLBACK_TO);
            await held.connection.executeQuery(RELEASE);
          }
        }
      } finally {
        held.release();
      }
      const to = this.#database.transactionStamp?.();
      await trx.commit().execute();
      // A rolled-back item wrote nothing; every other must have said what it wrote.
      const committed = group.filter((_, i) => outcomes[i]!.ok);
      if (from !== undefined && to !== undefined && committed.every((item) => item.writes !== null))
        commitLogOf(this.#database).record(
          from,
          to,
          committed.flatMap((item) => item.writes!),
        );
    } catch (error) {
      if (trx && !trx.isCommitted)
        await trx
          .rollback()
          .execute()
          .catch(() => {});
      throw error;
    }
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** `pragma synchronous = full` failed after a group: the connection may still be at NORMAL. */
class SynchronousNotRestored extends Error {
  constructor(cause: unknown) {
    super('could not set synchronous = FULL again after a group commit; stopping rather than commit without fsync', { cause });
  }
}

/** Stops the server: thrown outside any promise, so no handler can swallow it. */
function stopTheProcess(error: unknown): void {
  process.nextTick(() => {
    throw error;
  });
}

const SAVEPOINT = CompiledQuery.raw('savepoint group_item');
const RELEASE = CompiledQuery.raw('release group_item');
const ROLLBACK_TO = CompiledQuery.raw('rollback to group_item');
/** SQLite refuses to change this inside a transaction: set before BEGIN, reset after COMMIT or ROLLBACK. */
const SYNCHRONOUS_NORMAL = CompiledQuery.raw('pragma synchronous = normal');
const SYNCHRONOUS_FULL = CompiledQuery.raw('pragma synchronous = full');
