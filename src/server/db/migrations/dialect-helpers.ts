import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { dialectOf } from '../database.ts';

/**
 * The few places where one migration set must speak two dialects. Everything else in a
 * migration uses kysely's schema builder and column types both engines share.
 */

/** An auto-numbered integer primary key: `integer primary key autoincrement` / identity. */
export function autoId(db: Kysely<unknown>) {
  return (column: ColumnDefinitionBuilder) =>
    dialectOf(db) === 'sqlite' ? column.primaryKey().autoIncrement() : column.primaryKey().generatedByDefaultAsIdentity();
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
    for (const operation of ['update', 'delete']) await sql`drop trigger if exists ${sql.id(`${table}_no_${operation}`)}`.execute(db);
    return;
  }
  await sql`drop trigger if exists ${sql.id(`${table}_no_update_or_delete`)} on ${sql.table(table)}`.execute(db);
  await sql`drop function if exists ${sql.id(`${table}_append_only`)}()`.execute(db);
}

/**
 * PostgreSQL: makes every committed change to `table` tell the servers listening (decision 043):
 * a row trigger calls `pg_notify('diaodu_changes', <the table's schema>)`, which PostgreSQL sends
 * once per transaction and only when it commits; each server then knows its kept reads of that
 * store (its schema) are stale. A row trigger, not a statement one: a statement that changes no
 * row (`insert … on conflict do nothing` of rows already there, a prune that finds nothing) says
 * nothing. `truncate` has only statement triggers. Every table a kept read could read must have
 * it: a new table gets it in its own migration (a test lists the tables without it). SQLite has
 * one server and its own change stamp: nothing to do there.
 */
export async function notifyChanges(db: Kysely<unknown>, table: string): Promise<void> {
  if (dialectOf(db) === 'sqlite') return;
  await sql`
    create trigger ${sql.id(`${table}_changed`)}
    after insert or update or delete on ${sql.table(table)}
    for each row execute function diaodu_changed()
  `.execute(db);
  await sql`
    create trigger ${sql.id(`${table}_truncated`)}
    after truncate on ${sql.table(table)}
    for each statement execute function diaodu_changed()
  `.execute(db);
}
