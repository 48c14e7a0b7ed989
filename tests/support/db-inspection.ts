import { sql, type Kysely } from 'kysely';
import { dialectOf, type Database } from '../../src/server/db/database.ts';
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
 * The tables of the schema this connection writes to (kysely's own left out, as its introspection
 * does), with their columns in order. Read from the catalog for this schema alone: kysely's
 * introspection lists every schema of the database, the other test files' too, and took 24 ms a call
 * with three files at once (828 calls in the PostgreSQL tests, 2026-12-07).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migration tests run on any schema type
export async function tablesHere(db: Kysely<any>): Promise<TableColumns[]> {
  if (dialectOf(db) === 'sqlite') return db.introspection.getTables();
  const { rows } = await sql<{ table: string; column: string }>`
    select c.relname as table, a.attname as column from pg_class c join pg_attribute a on a.attrelid = c.oid
    where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'v', 'p') and a.attnum > 0 and not a.attisdropped
      and c.relname not in ('kysely_migration', 'kysely_migration_lock')
    order by c.relname, a.attnum`.execute(db);
  const tables = new Map<string, TableColumns>();
  for (const { table, column } of rows) {
    const entry = tables.get(table) ?? { name: table, columns: [] };
    entry.columns.push({ name: column });
    tables.set(table, entry);
  }
  return [...tables.values()];
}

/** A table's name and its columns' names: what the tests read of a table's shape. */
export type TableColumns = { name: string; columns: { name: string }[] };
