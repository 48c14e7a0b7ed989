import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../database.ts';
import { autoId } from './dialect-helpers.ts';

/**
 * Chinese full-text search over task and progress text, and leaders' instructions (批示).
 *
 * SQLite: two external-content FTS5 tables with the trigram tokenizer, kept in step with
 * `tasks` and `progress_entries` by triggers, so every writer (import, round answers, later
 * editors) keeps the index right without knowing it exists.
 * PostgreSQL: trigram GIN indexes (pg_trgm) on the same two text columns; nothing to keep in
 * step. See docs/decisions/004-chinese-search.md.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('instructions')
    .addColumn('id', 'integer', autoId(db))
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id'))
    .addColumn('round_id', 'integer', (c) => c.references('rounds.id'))
    .addColumn('author_user_id', 'integer')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('instructions_task').on('instructions').columns(['task_id', 'id']).execute();

  if (dialectOf(db) === 'sqlite') await createSqliteIndexes(db);
  else await createPostgresIndexes(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'sqlite') {
    for (const table of INDEXED_TABLES) {
      for (const operation of ['insert', 'delete', 'update']) await sql`drop trigger if exists ${sql.id(`${table}_fts_after_${operation}`)}`.execute(db);
      await sql`drop table if exists ${sql.table(`${table}_fts`)}`.execute(db);
    }
  } else {
    // The extension stays: other schemas of the database may use it.
    for (const table of INDEXED_TABLES) await sql`drop index if exists ${sql.id(`${table}_text_trgm`)}`.execute(db);
  }
  await db.schema.dropTable('instructions').execute();
}

/** The tables whose `text` column is searched; each has an integer `id`. */
const INDEXED_TABLES = ['tasks', 'progress_entries'] as const;

/**
 * `<table>_fts` indexes `<table>.text` without a second copy of it (content=…), and the
 * triggers follow FTS5's documented external-content pattern: a 'delete' row carrying the old
 * text, then the new text. Only changes to `text` touch the index (a status or version change
 * does not).
 */
async function createSqliteIndexes(db: Kysely<unknown>): Promise<void> {
  for (const table of INDEXED_TABLES) {
    const fts = `${table}_fts`;
    await sql`
      create virtual table ${sql.table(fts)} using fts5(
        text, content=${sql.lit(table)}, content_rowid='id', tokenize='trigram'
      )
    `.execute(db);
    await createImmediateFtsTriggers(db, table);
    // Rows stored before this migration.
    await sql`insert into ${sql.table(fts)}(${sql.table(fts)}) values ('rebuild')`.execute(db);
  }
}

/**
 * The triggers that keep `<table>_fts` in step within the writing statement itself.
 * Migration 009 replaces them on `progress_entries` with a deferred index (and its `down`
 * puts these back).
 */
export async function createImmediateFtsTriggers(db: Kysely<unknown>, table: (typeof INDEXED_TABLES)[number]): Promise<void> {
  const fts = `${table}_fts`;
  await sql`
    create trigger ${sql.id(`${table}_fts_after_insert`)} after insert on ${sql.table(table)} begin
      insert into ${sql.table(fts)}(rowid, text) values (new.id, new.text);
    end
  `.execute(db);
  await sql`
    create trigger ${sql.id(`${table}_fts_after_delete`)} after delete on ${sql.table(table)} begin
      insert into ${sql.table(fts)}(${sql.table(fts)}, rowid, text) values ('delete', old.id, old.text);
    end
  `.execute(db);
  await sql`
    create trigger ${sql.id(`${table}_fts_after_update`)} after update of text on ${sql.table(table)} begin
      insert into ${sql.table(fts)}(${sql.table(fts)}, rowid, text) values ('delete', old.id, old.text);
      insert into ${sql.table(fts)}(rowid, text) values (new.id, new.text);
    end
  `.execute(db);
}

/**
 * pg_trgm lives in the `public` schema, never in the migrating schema: an extension belongs
 * to the whole database, and a schema dropped with CASCADE (a test schema, a removed
 * deployment) would take the extension — and every other schema's trigram indexes — with it.
 * An advisory lock keeps two schemas migrating at once from both creating it.
 * Where the extension is missing and cannot be created, search still works (ILIKE scans);
 * it is only slower, so the migration goes on without the indexes and says so.
 */
async function createPostgresIndexes(db: Kysely<unknown>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('diaodu:create-extension:pg_trgm'))`.execute(db);
  let schema = await extensionSchema(db);
  if (schema === null) {
    const { rows } = await sql<{ available: boolean; allowed: boolean; public_exists: boolean }>`
      select exists (select 1 from pg_available_extensions where name = 'pg_trgm') as available,
             has_database_privilege(current_user, current_database(), 'CREATE') as allowed,
             exists (select 1 from pg_namespace where nspname = 'public') as public_exists
    `.execute(db);
    const check = rows[0];
    if (!check?.available || !check.allowed) {
      console.warn(
        'diaodu migration 004_search: pg_trgm is not available to this database user; search works without trigram indexes (slower). Ask the DBA to run: CREATE EXTENSION pg_trgm;',
      );
      return;
    }
    if (check.public_exists) await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    else await sql`create extension if not exists pg_trgm`.execute(db);
    schema = await extensionSchema(db);
    if (schema === null) throw new Error('pg_trgm was created but is not listed in pg_extension');
  }
  const operatorClass = sql`${sql.id(schema)}.gin_trgm_ops`;
  for (const table of INDEXED_TABLES)
    await sql`create index ${sql.id(`${table}_text_trgm`)} on ${sql.table(table)} using gin (text ${operatorClass})`.execute(db);
}

async function extensionSchema(db: Kysely<unknown>): Promise<string | null> {
  const { rows } = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'
  `.execute(db);
  return rows[0]?.schema ?? null;
}
