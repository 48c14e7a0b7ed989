import { sql } from 'kysely';
import type { Database } from './database.ts';

/**
 * Runs `work` while holding a PostgreSQL session advisory lock named `name`, so that of several
 * servers starting at once on one database only one does it at a time, and the next finds it done
 * (decision 043: the demo data on first start, which two servers started together both loaded).
 * The lock is held on a connection of its own, kept for the duration; `work` uses the pool as
 * usual. SQLite has one server: `work` just runs.
 */
export async function withStartupLock<T>(database: Database, name: string, work: () => Promise<T>): Promise<T> {
  if (database.dialect !== 'postgres') return work();
  return database.db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtext(${`diaodu:${name}`}))`.execute(connection);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${`diaodu:${name}`}))`.execute(connection);
    }
  });
}
