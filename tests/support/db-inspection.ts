import { sql, type Kysely, type TableMetadata } from 'kysely';
import { dialectOf, type Database } from '../../src/server/db/database.ts';
import { CATALOG_RACE_CODES } from '../../src/server/db/migrate.ts';
import type { DB } from '../../src/server/db/schema.ts';

/**
 * Looking at and sabotaging a test database from outside the repositories: tests must see
 * what was really written, not what the code under test says it wrote.
 */

export const TABLES = [
  'units',
  'unit_aliases',
  'leaders',
  'departments',
  'plans',
  'chapters',
  'sections',
  'tasks',
  'task_leaders',
  'task_units',
  'rounds',
  'round_tasks',
  'round_unit_aliases',
  'progress_entries',
  'notices',
  'imports',
  'audit_events',
  'answer_attachments',
] as const satisfies readonly (keyof DB)[];

export type TableName = (typeof TABLES)[number];
export type RowCounts = Record<TableName, number>;

/** Rows in every table. */
export async function countRows(database: Database): Promise<RowCounts> {
  const counts = {} as RowCounts;
  for (const table of TABLES) {
    const row = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.count);
  }
  return counts;
}

/** The counts of every table but the audit log (which records refused attempts too). */
export function dataRows(counts: RowCounts): Omit<RowCounts, 'audit_events'> {
  const { audit_events: _audit, ...data } = counts;
  return data;
}

/**
 * Makes the database itself refuse inserting a row whose `text` column equals `text` into
 * `table` — a failure in the middle of a transaction, after earlier statements succeeded.
 */
export async function failInsertsWithText(database: Database, table: 'progress_entries' | 'tasks', text: string): Promise<void> {
  const literal = sql.lit(text);
  if (database.dialect === 'sqlite') {
    await sql`
      create trigger test_fail_insert before insert on ${sql.table(table)}
      when new.text = ${literal}
      begin select raise(abort, 'test: refused insert'); end
    `.execute(database.db);
    return;
  }
  await sql`
    create function test_fail_insert() returns trigger language plpgsql as $$
    begin
      if new.text = ${literal} then raise exception 'test: refused insert'; end if;
      return new;
    end
    $$
  `.execute(database.db);
  await sql`create trigger test_fail_insert before insert on ${sql.table(table)} for each row execute function test_fail_insert()`.execute(database.db);
}

/**
 * The tables of the schema this connection writes to. kysely's introspection lists every schema of a
 * PostgreSQL database, and test files running side by side each have their own schema holding the same
 * table names; a table or column dropped by another file while it lists them fails the read, so it reads again.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migration tests run on any schema type
export async function tablesHere(db: Kysely<any>): Promise<TableMetadata[]> {
  if (dialectOf(db) === 'sqlite') return db.introspection.getTables();
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  for (let attempt = 1; ; attempt++) {
    try {
      return (await db.introspection.getTables()).filter((table) => table.schema === rows[0]?.schema);
    } catch (error) {
      if (attempt >= 4 || !CATALOG_RACE_CODES.has(String((error as { code?: unknown }).code))) throw error;
    }
  }
}
