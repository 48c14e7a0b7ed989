import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type QueryExecutor,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import { changeFeedOf, type ChangeFeed } from './change-feed.ts';
import type { DB } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

/** An open database: the kysely handle, which engine it is, and how to let it go. */
export type Database = {
  db: Kysely<DB>;
  dialect: Dialect;
  /**
   * A value that changes whenever anything is written to the database, by this process or any
   * other, so a result read after taking it may be reused while it stays the same. SQLite only
   * (its `data_version` counts other connections' commits, `total_changes()` this connection's
   * writes); null on PostgreSQL, where kept reads ask `changeFeed` instead.
   * Also null while a transaction is open on the connection: `data_version` then answers from
   * that transaction's snapshot and would miss a commit another process made since.
   * This connection's writes change it at once; another process's commits within a millisecond
   * (`data_version` is read at most once a turn of the event loop and a millisecond).
   * Read it BEFORE reading the data it stands for: a write in between only makes it stale.
   */
  changeStamp(): string | null;
  /**
   * SQLite: `changeStamp`'s counters, read even inside a transaction. Only the group commit asks,
   * after BEGIN IMMEDIATE and before COMMIT: it holds the write lock, so no other connection
   * commits between the two (db/commit-log.ts). Absent on PostgreSQL.
   */
  transactionStamp?: () => string;
  /**
   * PostgreSQL: what a kept read asks instead of `changeStamp` (one round trip on the listening
   * connection; changes whenever a change to this store has committed on any server — decision
   * 043, db/change-feed.ts). Absent on SQLite.
   */
  changeFeed?: ChangeFeed;
  /**
   * SQLite on a file (null in memory and on PostgreSQL): fsyncs the write-ahead log in libuv's
   * thread pool, so the event loop goes on meanwhile, and resolves once every commit made before
   * the call is on disk. A transaction committed with `synchronous = NORMAL` is as durable once
   * this resolves as with FULL, which runs the same fsync inside COMMIT, on the event loop.
   * Concurrent callers share an fsync where one covers them. docs/decisions/017-fsync-off-the-event-loop.md.
   */
  syncLog: (() => Promise<void>) | null;
  close(): Promise<void>;
};

/**
 * Opens the database named by `url` (see `config.ts`): `sqlite:<path>`, `sqlite::memory:`,
 * or `postgres://…` (a `?options=-c search_path=…` parameter selects a schema).
 * Does not migrate: call `migrateToLatest` for that.
 */
export async function openDatabase(url: string, options: { poolMax?: number } = {}): Promise<Database> {
  if (url.startsWith('sqlite:')) return openSqlite(sqlitePath(url));
  if (/^postgres(?:ql)?:\/\//.test(url)) return openPostgres(url, options.poolMax ?? 10);
  throw new Error(`unsupported database URL scheme (expected sqlite: or postgres://): ${redactUrl(url)}`);
}

/** `sqlite:./data/x.db` → `./data/x.db`; `sqlite:///abs/x.db` → `/abs/x.db`; `sqlite::memory:` → `:memory:`. */
export function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  if (!path) throw new Error('sqlite: URL without a file path');
  return path;
}

/** How long a reading of SQLite's `data_version` serves `changeStamp` at most (decision 047). */
export const OTHER_COMMITS_KEPT_MS = 1;

/** WAL pages after which a commit also checkpoints (SQLite's default is 1,000). */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

async function openSqlite(path: string): Promise<Database> {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const connection = new BetterSqlite3(path);
  try {
    // WAL lets readers go on while one writer commits; FULL makes an acknowledged commit
    // survive power loss (docs/QUALITY: "acknowledged means durable").
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = FULL');
    // SQLite copies the WAL back into the database file (a checkpoint, with two fsyncs) inside
    // the COMMIT that takes the WAL past this many pages, on the event loop. The default, 1,000
    // pages, meant a checkpoint every dozen group commits and a quarter of a save's cost under
    // load (decision 017); at 10,000 pages (about 40 MB) pages rewritten meanwhile are copied once.
    connection.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    connection.pragma('foreign_keys = ON');
    connection.pragma('busy_timeout = 5000');
  } catch (error) {
    connection.close();
    throw error;
  }
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(connection) }) });
  // Synchronous and outside kysely's connection lock. `total_changes()` (this connection's writes)
  // is a counter in memory, read every time. `data_version` (other connections' commits) opens a
  // read transaction on the WAL: 5 µs alone, and a tenth of a draft save's CPU under load when
  // every request read it (bench:api, 2026-12-07). A reading serves until the event loop's next
  // check phase and for at most a millisecond (decision 047): another process's commit is seen by
  // every read that starts a millisecond after it.
  const otherCommits = connection.prepare('pragma data_version').pluck();
  const ownChanges = connection.prepare('select total_changes()').pluck();
  let otherCommitsRead: { value: number; at: number } | null = null;
  const forgetOtherCommits = () => {
    otherCommitsRead = null;
  };
  // The WAL beside the file SQLite opened (it follows symlinks), not beside the path we gave.
  const mainFile = (connection.pragma('database_list') as { name: string; file: string }[]).find((entry) => entry.name === 'main')?.file;
  const log = mainFile ? logSyncer(`${mainFile}-wal`) : null;
  return {
    db,
    dialect: 'sqlite',
    changeStamp: () => {
      if (connection.inTransaction) return null;
      const now = performance.now();
      if (otherCommitsRead === null || now - otherCommitsRead.at > OTHER_COMMITS_KEPT_MS) {
        if (otherCommitsRead === null) setImmediate(forgetOtherCommits);
        otherCommitsRead = { value: otherCommits.get() as number, at: now };
      }
      return `${otherCommitsRead.value}/${ownChanges.get() as number}`;
    },
    transactionStamp: () => `${otherCommits.get() as number}/${ownChanges.get() as number}`,
    syncLog: log && (() => log.sync()),
    close: async () => {
      try {
        // Commits waiting for their fsync are answered after it: let it finish first.
        await log?.close();
      } finally {
        await db.destroy();
      }
    },
  };
}

/**
 * fsync of SQLite's WAL file, off the event loop. The file is opened once and kept open: SQLite
 * keeps the same file while any connection is open (the last one to close deletes it), and
 * Linux reports a failed write-back to the descriptors open at the time, not to later ones.
 * An fsync flushes all that was written to the file before it, by any descriptor.
 */
function logSyncer(walPath: string) {
  let handle: Promise<FileHandle> | null = null;
  let closed = false;
  const fsyncs = coalescedFsync(async () => {
    if (closed) throw new Error('the database is closed: its log can no longer be fsynced');
    // A failed open is tried again at the next fsync, not kept.
    handle ??= open(walPath, 'r').catch((error: unknown) => {
      handle = null;
      throw error;
    });
    await (await handle).sync();
  });
  return {
    sync: fsyncs.sync,
    async close(): Promise<void> {
      await fsyncs.settled();
      closed = true;
      const file = await handle?.catch(() => null);
      handle = null;
      await file?.close();
    },
  };
}

/**
 * Shares fsyncs between callers without ever answering one too early: a caller's writes are
 * covered only by an fsync that starts after its call. An fsync not yet started is shared by
 * everyone who asks before it starts; whoever asks while one runs waits for the next one, which
 * starts when the running one ends. So at most one runs and one waits, however many ask.
 *
 * The first failure is final (fail-stop, as PostgreSQL does): after a failed fsync Linux may
 * have dropped the written pages while marking them clean, later commits sit behind them in the
 * WAL, and SQLite's recovery stops at the first frame that is not on disk. So every later call
 * fails with the same error until the server restarts and SQLite recovers from what is on disk.
 */
export function coalescedFsync(fsync: () => Promise<void>) {
  let running: Promise<void> = Promise.resolve();
  let next: Promise<void> | null = null;
  let failed: unknown = null;
  const once = async () => {
    if (failed) throw failed;
    try {
      await fsync();
    } catch (error) {
      failed ??= error;
      throw error;
    }
  };
  return {
    sync(): Promise<void> {
      if (failed) return Promise.reject(failed);
      next ??= running
        .catch(() => {})
        .then(() => {
          next = null;
          running = once();
          return running;
        });
      return next;
    },
    /** Resolves when no fsync runs or waits (whatever their outcome). */
    async settled(): Promise<void> {
      while (next) await next.catch(() => {});
      await running.catch(() => {});
    },
  };
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its connection emits 'error' on the pool; unhandled, that would
  // crash the process. The pool drops the client and the next query reports the failure.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const changeFeed = changeFeedOf(url, pool);
  return {
    db,
    dialect: 'postgres',
    changeStamp: () => null,
    changeFeed,
    syncLog: null,
    close: async () => {
      await changeFeed.close();
      await db.destroy();
    },
  };
}

/** Which engine a kysely handle (or transaction) talks to, for the few places SQL differs. */
export function dialectOf(db: { getExecutor(): QueryExecutor }): Dialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

/** A unique-constraint violation, from either engine: a concurrent writer got there first. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

/**
 * SQLite's default `BEGIN` is deferred: a transaction that reads and then writes can fail at
 * once with SQLITE_BUSY when another process (the CLI beside the server) committed meanwhile,
 * and `busy_timeout` does not help. `BEGIN IMMEDIATE` takes the write lock up front and waits.
 * Read-only transactions stay deferred: in WAL mode they read a snapshot and block no writer.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  /** Callers waiting for the one connection, first come first served. */
  readonly #waiting: (() => void)[] = [];
  #held = false;

  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    const begin = settings?.accessMode === 'read only' ? 'begin' : 'begin immediate';
    await connection.executeQuery(CompiledQuery.raw(begin));
  }

  /**
   * kysely's own lock wakes every waiter on each release and all but one go back to sleep:
   * with 50 requests queued that is 50 wake-ups per query. This hands the connection to the
   * next waiter only, in arrival order (so a long queue cannot starve anyone).
   */
  override async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#held) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#held = true;
    // Never waits: only the holder of our turn gets here.
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}

/** Distinct SQL texts kept prepared; the app has well under this many (IN lists vary in length). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * kysely's SQLite driver prepares every statement anew, and better-sqlite3's prepare (parsing
 * and planning the SQL) cost as much as running the query on the hot paths (a to-do read runs
 * ten). The same SQL text gets the same prepared statement back, least recently used dropped.
 * A statement still being iterated (a streamed query) is busy and cannot be shared: a fresh
 * one is prepared for that call. SQLite re-prepares a cached statement itself after a schema
 * change, so a migration never meets a stale plan.
 */
export function withStatementCache(connection: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        // Most recently used last: a Map keeps insertion order.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = connection.prepare(sql);
      if (!cached) {
        cache.set(sql, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      return statement;
    },
    close() {
      cache.clear();
      connection.close();
    },
  };
}

/**
 * SQLite runs DDL inside transactions, but kysely's adapter says it does not; saying so lets
 * the migrator wrap a migration in one transaction, so a failed one leaves nothing half-made.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
