import type { Kysely } from 'kysely';
import { autoId } from './dialect-helpers.ts';

/**
 * Every change told (issue 12): notifications are read per person on the server, not per
 * browser, and a unit answers a leader's 批示 with its 落实反馈.
 *
 * - `notification_reads`: one row per notification and user who read it. A row addressed to a
 *   unit is read by each of its accounts on their own; reading twice keeps the first time.
 *   The old `notifications.read_at` column stays (unused) so older rows keep their shape.
 * - `notifications.task_id`: the task a row is about (a 批示, a returned answer), for a link.
 *   Deliberately no foreign key: a notification is a message, and must not block a plan's
 *   tasks from being replaced on re-import.
 * - `instruction_feedback`: a unit's answer to an instruction, written once, never edited.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification_reads')
    .addColumn('notification_id', 'integer', (c) => c.notNull().references('notifications.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('read_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_reads_pk', ['notification_id', 'user_id'])
    .execute();
  await db.schema.createIndex('notification_reads_user').on('notification_reads').columns(['user_id', 'notification_id']).execute();
  await db.schema.alterTable('notifications').addColumn('task_id', 'integer').execute();
  await db.schema.createIndex('notifications_user').on('notifications').column('user_id').execute();

  await db.schema
    .createTable('instruction_feedback')
    .addColumn('id', 'integer', autoId(db))
    .addColumn('instruction_id', 'integer', (c) => c.notNull().references('instructions.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('author_user_id', 'integer')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('instruction_feedback_instruction').on('instruction_feedback').columns(['instruction_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('instruction_feedback').execute();
  await db.schema.dropIndex('notifications_user').execute();
  await db.schema.alterTable('notifications').dropColumn('task_id').execute();
  await db.schema.dropTable('notification_reads').execute();
}
