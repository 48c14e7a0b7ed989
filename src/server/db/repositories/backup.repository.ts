import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../database.ts';
import type { DB } from '../schema.ts';

/**
 * The SQL behind `diaodu backup` and `diaodu restore` (decision 011) that runs on an open database:
 * what the PostgreSQL server is and where the connection writes, and which diaodu migrations a
 * database (a restored copy) holds. The engine tools (`VACUUM INTO`, `pg_dump`, `pg_restore`) are
 * db/backup.ts; the service decides and audits.
 */
export function createBackupRepository(db: Kysely<DB>) {
  return {
    /** The PostgreSQL server's major version (`server_version_num` 150018 → 15). */
    async postgresServerMajor(): Promise<number> {
      const { rows } = await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(db);
      return Math.floor(Number(rows[0]!.v) / 10_000);
    },

    /** The PostgreSQL schema the connection writes to (kysely's migrations live there too); null when no schema of the search_path exists. */
    async postgresCurrentSchema(): Promise<string | null> {
      const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
      return rows[0]?.schema ?? null;
    },

    /**
     * The migrations the database records, by name; null when it has no `kysely_migration` table
     * at all (not a diaodu database). Any other failure is thrown as it is: a database that cannot
     * be read is not thereby a foreign one.
     */
    async listAppliedMigrations(): Promise<string[] | null> {
      const table =
        dialectOf(db) === 'sqlite'
          ? sql<{ found: number }>`select 1 as found from sqlite_schema where type = 'table' and name = 'kysely_migration'`
          : sql<{ found: number }>`select 1 as found from information_schema.tables where table_schema = current_schema() and table_name = 'kysely_migration'`;
      if ((await table.execute(db)).rows.length === 0) return null;
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
      return rows.map((row) => row.name);
    },
  };
}

export type BackupRepository = ReturnType<typeof createBackupRepository>;
