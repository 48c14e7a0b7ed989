import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../database.ts';

/**
 * Export jobs in the database (issue 17, decision 040): the job — who asked, which round, which
 * format and options, its state and error — and its finished file, so that any of several servers
 * on one PostgreSQL answers the poll and hands out the download. The server that takes the job
 * renders it (its claim: `claimed_by` until `claimed_until`, a lease as the outbox's); a job whose
 * server died is claimed again by another (SKIP LOCKED on PostgreSQL), which reads the round anew.
 * `content` holds the file's bytes once done; finished rows are deleted after their keep time.
 *
 * `rate_limit_hits`: the request rate limiter's counters (a key, its hits in the current window
 * and when the window ends), shared by every server on PostgreSQL; SQLite (one server) keeps them
 * in the process as before. Rows whose window has ended are deleted as new ones come.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('export_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('round_id', 'integer', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('options', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('error_kind', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('error_details', 'text')
    .addColumn('content', dialectOf(db) === 'sqlite' ? 'blob' : sql`bytea`)
    .addColumn('bytes', 'integer')
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addCheckConstraint('export_jobs_state', sql.raw("state in ('queued', 'running', 'done', 'failed')"))
    .addCheckConstraint('export_jobs_file_when_done', sql.raw("(state = 'done') = (content is not null)"))
    .execute();
  await db.schema.createIndex('export_jobs_owner').on('export_jobs').columns(['owner', 'created_at']).execute();
  await db.schema.createIndex('export_jobs_state').on('export_jobs').columns(['state', 'claimed_until']).execute();
  await db.schema
    .createTable('rate_limit_hits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limit_hits_window').on('rate_limit_hits').column('window_ends_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit_hits').execute();
  await db.schema.dropTable('export_jobs').execute();
}
