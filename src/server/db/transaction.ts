import type { Database } from './database.ts';
import { createRepositories, type Repositories } from './repositories/index.ts';

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
