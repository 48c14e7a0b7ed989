import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../database.ts';
import { autoId } from './dialect-helpers.ts';

/**
 * What a reporter works with on the to-do page (issue 12):
 *
 * - 沿用上轮: an answer started from last round's text remembers which round it was copied from
 *   (`copied_from_round_id`), and each save records whether the saved text is still exactly that
 *   round's (`copied_unchanged`, 1/0), so the office can later see answers never brought up to date.
 * - 佐证材料: evidence files on an answer, stored in the database itself (bytes, SHA-256, the type
 *   read from the content), so a backup of the database carries them with no second place to copy.
 *   The file name is kept for display only; nothing is ever written to disk under it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('progress_entries')
    .addColumn('copied_from_round_id', 'integer', (c) => c.references('rounds.id'))
    .execute();
  await db.schema.alterTable('progress_entries').addColumn('copied_unchanged', 'integer').execute();

  await db.schema
    .createTable('answer_attachments')
    .addColumn('id', 'integer', autoId(db))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', dialectOf(db) === 'sqlite' ? 'blob' : sql`bytea`, (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('uploaded_by_user_id', 'integer')
    .addColumn('uploaded_by_name', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('answer_attachments_answer').on('answer_attachments').columns(['round_id', 'unit_id', 'task_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('answer_attachments').execute();
  for (const column of ['copied_unchanged', 'copied_from_round_id']) await db.schema.alterTable('progress_entries').dropColumn(column).execute();
}
