import type { Kysely } from 'kysely';
import { autoId } from './dialect-helpers.ts';

/** A round run in the app: per-unit submissions, answers with reasons, reminders, idempotency keys. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const id = autoId(db);

  await db.schema.alterTable('rounds').addColumn('note', 'text').execute();
  await db.schema
    .alterTable('rounds')
    .addColumn('requires_approval', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('rounds').addColumn('opened_at', 'text').execute();
  await db.schema.alterTable('rounds').addColumn('closed_at', 'text').execute();
  await db.schema.alterTable('rounds').addColumn('opened_by', 'text').execute();
  await db.schema.alterTable('progress_entries').addColumn('reason', 'text').execute();
  await db.schema.alterTable('progress_entries').addColumn('updated_by', 'text').execute();
  await db.schema.alterTable('units').addColumn('phone', 'text').execute();
  // One answer per task and unit in a round; unattributed imported text (unit null) may repeat.
  await db.schema.createIndex('progress_entries_answer').unique().on('progress_entries').columns(['round_id', 'task_id', 'unit_id']).execute();

  await db.schema
    .createTable('unit_submissions')
    .addColumn('id', 'integer', id)
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('submitted_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('return_comment', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('unit_submissions_round_unit', ['round_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('reminders')
    .addColumn('id', 'integer', id)
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('sent_by', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reminders_round_unit').on('reminders').columns(['round_id', 'unit_id']).execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', id)
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('user_id', 'integer')
    .addColumn('round_id', 'integer', (c) => c.references('rounds.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notifications_unit').on('notifications').column('unit_id').execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['key', 'actor'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['idempotency_keys', 'notifications', 'reminders', 'unit_submissions']) await db.schema.dropTable(table).execute();
  await db.schema.dropIndex('progress_entries_answer').execute();
  for (const [table, column] of [
    ['units', 'phone'],
    ['progress_entries', 'updated_by'],
    ['progress_entries', 'reason'],
    ['rounds', 'opened_by'],
    ['rounds', 'closed_at'],
    ['rounds', 'opened_at'],
    ['rounds', 'requires_approval'],
    ['rounds', 'note'],
  ] as const)
    await db.schema.alterTable(table).dropColumn(column).execute();
}
