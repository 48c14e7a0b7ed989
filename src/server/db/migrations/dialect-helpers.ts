import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { dialectOf } from '../database.ts';

/**
 * The few places where one migration set must speak two dialects. Everything else in a
 * migration uses kysely's schema builder and column types both engines share.
 */

/** An auto-numbered integer primary key: `integer primary key autoincrement` / identity. */
export function autoId(db: Kysely<unknown>) {
  return (column: ColumnDefinitionBuilder) =>
    dialectOf(db) === 'sqlite'
      ? column.primaryKey().autoIncrement()
      : column.primaryKey().generatedByDefaultAsIdentity();
}

/** Makes `table` refuse UPDATE and DELETE, so a row once written stays as written. */
export async function makeAppendOnly(db: Kysely<unknown>, table: string): Promise<void> {
  const message = `${table} is append-only`;
  if (dialectOf(db) === 'sqlite') {
    for (const operation of ['update', 'delete'] as const) {
      await sql`
        create trigger ${sql.id(`${table}_no_${operation}`)}
        before ${sql.raw(operation)} on ${sql.table(table)}
        begin select raise(abort, ${sql.lit(message)}); end
      `.execute(db);
    }
    return;
  }
  const fn = `${table}_append_only`;
  await sql`
    create function ${sql.id(fn)}() returns trigger language plpgsql as $$
    begin raise exception using errcode = 'integrity_constraint_violation', message = ${sql.lit(message)}; end
    $$
  `.execute(db);
  await sql`
    create trigger ${sql.id(`${table}_no_update_or_delete`)}
    before update or delete on ${sql.table(table)}
    for each row execute function ${sql.id(fn)}()
  `.execute(db);
}

export async function dropAppendOnly(db: Kysely<unknown>, table: string): Promise<void> {
  if (dialectOf(db) === 'sqlite') {
    for (const operation of ['update', 'delete'])
      await sql`drop trigger if exists ${sql.id(`${table}_no_${operation}`)}`.execute(db);
    return;
  }
  await sql`drop trigger if exists ${sql.id(`${table}_no_update_or_delete`)} on ${sql.table(table)}`.execute(db);
  await sql`drop function if exists ${sql.id(`${table}_append_only`)}()`.execute(db);
}
