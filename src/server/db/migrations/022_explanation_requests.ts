import { sql, type Kysely } from 'kysely';
import { autoId } from './dialect-helpers.ts';

/**
 * 请说明 (issue 15): the office asks a unit to explain a red finding of a round (an indicator
 * behind its path, a stale answer, an answer without new facts …), and the unit replies.
 *
 * One row per request: the round, the task and the unit asked, the finding's kind, the office's
 * message, who asked and when (display name and account), and the unit's reply with who wrote it
 * and when (null until it replies; a reporter or head may edit it while the round is open).
 * A request without a reply is open: a partial unique index keeps one open request per round,
 * task, unit and kind, so two clicks cannot ask twice (the service refuses the second with a
 * conflict before the index would).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('explanation_requests')
    .addColumn('id', 'integer', autoId(db))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('reply', 'text')
    .addColumn('replied_by', 'text')
    .addColumn('replied_by_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('replied_at', 'text')
    .execute();
  await db.schema.createIndex('explanation_requests_round').on('explanation_requests').columns(['round_id', 'task_id']).execute();
  await db.schema.createIndex('explanation_requests_unit').on('explanation_requests').columns(['unit_id', 'id']).execute();
  await db.schema
    .createIndex('explanation_requests_one_open')
    .on('explanation_requests')
    .columns(['round_id', 'task_id', 'unit_id', 'kind'])
    .unique()
    .where(sql.ref('reply'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('explanation_requests').execute();
}
