import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../database.ts';
import { createImmediateFtsTriggers } from './004_search.ts';

/**
 * SQLite: the progress text index (`progress_entries_fts`, 004) is brought up to date when
 * someone searches instead of inside every save. FTS5 writes its pending changes out as a new
 * index segment at every savepoint, and a group commit (013) gives each save its own savepoint:
 * the immediate triggers cost each draft save about 0.15 ms of the 0.4 ms its SQL takes.
 *
 * Now the triggers only note which rows changed, with the text the index holds for them (the
 * oldest text since the last catch-up; null when the row is not in the index yet), in
 * `progress_entries_fts_pending`. `syncProgressIndex` (search repository) replays that list
 * into the index in one statement pair, and the search service runs it before it searches.
 * PostgreSQL: nothing (its GIN indexes batch their own updates). See docs/decisions/016.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  for (const operation of ['insert', 'delete', 'update']) await sql`drop trigger ${sql.id(`progress_entries_fts_after_${operation}`)}`.execute(db);
  await sql`create table progress_entries_fts_pending (id integer primary key, indexed_text text)`.execute(db);
  // `or ignore`: a row already listed keeps the text the index holds for it.
  await sql`
    create trigger progress_entries_fts_note_insert after insert on progress_entries begin
      insert or ignore into progress_entries_fts_pending (id, indexed_text) values (new.id, null);
    end
  `.execute(db);
  await sql`
    create trigger progress_entries_fts_note_update after update of text on progress_entries begin
      insert or ignore into progress_entries_fts_pending (id, indexed_text) values (old.id, old.text);
    end
  `.execute(db);
  await sql`
    create trigger progress_entries_fts_note_delete after delete on progress_entries begin
      insert or ignore into progress_entries_fts_pending (id, indexed_text) values (old.id, old.text);
    end
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) !== 'sqlite') return;
  // Catch the index up first: the immediate triggers assume it holds every row's text.
  await catchUpProgressIndex(db);
  for (const operation of ['insert', 'update', 'delete']) await sql`drop trigger ${sql.id(`progress_entries_fts_note_${operation}`)}`.execute(db);
  await sql`drop table progress_entries_fts_pending`.execute(db);
  await createImmediateFtsTriggers(db, 'progress_entries');
}

/**
 * Replays the noted rows into the index: out goes the text the index holds for each, in goes
 * the text stored now (none for a deleted row); the list is emptied. Run in a write transaction.
 * The search repository's `syncProgressIndex` and this migration's `down` share it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- runs on the app's and the migrator's handles
export async function catchUpProgressIndex(db: Kysely<any>): Promise<void> {
  await sql`
    insert into progress_entries_fts (progress_entries_fts, rowid, text)
    select 'delete', id, indexed_text from progress_entries_fts_pending where indexed_text is not null
  `.execute(db);
  await sql`
    insert into progress_entries_fts (rowid, text)
    select pending.id, entry.text from progress_entries_fts_pending pending join progress_entries entry on entry.id = pending.id
  `.execute(db);
  await sql`delete from progress_entries_fts_pending`.execute(db);
}
