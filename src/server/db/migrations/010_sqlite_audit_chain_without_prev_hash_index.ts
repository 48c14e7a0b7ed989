import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../database.ts';

/**
 * SQLite: the unique index on `audit_events.prev_hash` (007) goes. On SQLite it could never
 * refuse anything: every write transaction here is `BEGIN IMMEDIATE`, so one connection in all
 * processes writes at a time, and the append reads the last hash inside that transaction; a
 * second row following the same row cannot be written. The index only cost: a random 64-character
 * key per audit row, a B-tree page written to the WAL for nearly every save in a group commit
 * (with it a save's audit insert took about 32 µs and a group's COMMIT about 640 µs; without,
 * 21 µs and 365 µs, decision 009's amendment). PostgreSQL keeps it: there writers run side by
 * side and the index is the guard behind the advisory lock.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await sql`drop index audit_events_prev_hash`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  await db.schema.createIndex('audit_events_prev_hash').on('audit_events').column('prev_hash').unique().execute();
}
