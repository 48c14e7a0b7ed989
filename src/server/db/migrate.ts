import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import * as foundation from './migrations/001_foundation.ts';

/**
 * Every migration, listed by hand: one set for both engines, no directory scanning (which
 * breaks once the code is bundled and would pick up helper files). Names sort in run order.
 */
const migrations: Record<string, Migration> = {
  '001_foundation': foundation,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export type MigrationReport = { applied: string[] };

/** Brings the schema up to date; throws (and leaves the failed migration rolled back) on error. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator runs on any schema type
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw new Error(`migration failed: ${describe(results)}`, { cause: error });
  return { applied: (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName) };
}

function describe(results: MigrationResult[] | undefined): string {
  const failed = results?.find((result) => result.status === 'Error');
  return failed ? failed.migrationName : 'before any migration ran';
}
