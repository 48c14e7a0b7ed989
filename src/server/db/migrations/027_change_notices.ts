import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../database.ts';
import { notifyChanges } from './dialect-helpers.ts';

/**
 * Kept to-do lists on PostgreSQL, invalidated across servers (issue 17, decision 043): every
 * committed change to a table a kept read may read sends `NOTIFY diaodu_changes, '<schema>'`
 * (one store per organisation is one schema, decision 028, so the payload says whose), from the
 * writing transaction itself, so it goes out only if and when that transaction commits — whoever
 * wrote it: a server, the CLI, a restore, psql. Each server listens (db/change-feed.ts).
 *
 * Tables left out change on every request or tick and no kept read reads them: sessions (touched
 * by every request), the rate limiter's counters, failed logins per address, export jobs (renewed
 * every 40 s), and kysely's own bookkeeping. SQLite: nothing (one server; `data_version`).
 */
export const TABLES_WITHOUT_CHANGE_NOTICES = [
  'kysely_migration',
  'kysely_migration_lock',
  'sessions',
  'rate_limit_hits',
  'login_ip_failures',
  'export_jobs',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'sqlite') return;
  await sql`
    create function diaodu_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('diaodu_changes', tg_table_schema);
      return null;
    end
    $$
  `.execute(db);
  const { rows } = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(db);
  for (const { name } of rows) {
    if ((TABLES_WITHOUT_CHANGE_NOTICES as readonly string[]).includes(name)) continue;
    await notifyChanges(db, name);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'sqlite') return;
  // Dropping the function drops every trigger that calls it.
  await sql`drop function if exists diaodu_changed() cascade`.execute(db);
}
