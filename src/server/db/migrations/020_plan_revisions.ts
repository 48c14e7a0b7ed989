import { sql, type Kysely } from 'kysely';
import { autoId } from './dialect-helpers.ts';

/**
 * The plan as a living thing (issue 14, docs/decisions/029-plan-revisions.md).
 *
 * - `tasks.lineage`: the id shared by every version of one task (the first version's id). A task
 *   a round already covers is never edited in place: the edit writes a new row (new id, same
 *   lineage) and retires the old one (`retired_at`, `replaced_by`), so every round, answer,
 *   export and notice keeps reading the row it opened with. `retired_at` without `replaced_by`
 *   is a task withdrawn (撤销): in no future round, still shown in old rounds and in history.
 * - `chapters.retired_at`, `sections.retired_at`: withdrawn, once they hold no current task.
 * - `plans.archived_at` (归档): no new rounds, hidden from the default list, still readable;
 *   `plans.copied_from_plan_id`: the plan it was copied from (next year's from this year's), so
 *   its first round can 沿用 the last round of that plan.
 * - `plan_revisions`: every change with its author, time, reason, and what changed (JSON).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tasks').addColumn('lineage', 'integer').execute();
  await db.schema.alterTable('tasks').addColumn('retired_at', 'text').execute();
  await db.schema
    .alterTable('tasks')
    .addColumn('replaced_by', 'integer', (c) => c.references('tasks.id'))
    .execute();
  await sql`update tasks set lineage = id`.execute(db);
  await db.schema.createIndex('tasks_lineage').on('tasks').column('lineage').execute();
  await db.schema.alterTable('chapters').addColumn('retired_at', 'text').execute();
  await db.schema.alterTable('sections').addColumn('retired_at', 'text').execute();
  await db.schema.alterTable('plans').addColumn('archived_at', 'text').execute();
  await db.schema
    .alterTable('plans')
    .addColumn('copied_from_plan_id', 'integer', (c) => c.references('plans.id'))
    .execute();

  await db.schema
    .createTable('plan_revisions')
    .addColumn('id', 'integer', autoId(db))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'integer', (c) => c.notNull())
    .addColumn('lineage', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    // The plan's newest round when the change was made (null: none): it applies from the first round after it.
    .addColumn('last_round_id', 'integer')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('author_user_id', 'integer')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plan_revisions_plan').on('plan_revisions').column('plan_id').execute();
  await db.schema.createIndex('plan_revisions_lineage').on('plan_revisions').column('lineage').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('plan_revisions').execute();
  await db.schema.dropIndex('tasks_lineage').execute();
  for (const column of ['replaced_by', 'retired_at', 'lineage']) await db.schema.alterTable('tasks').dropColumn(column).execute();
  await db.schema.alterTable('chapters').dropColumn('retired_at').execute();
  await db.schema.alterTable('sections').dropColumn('retired_at').execute();
  for (const column of ['copied_from_plan_id', 'archived_at']) await db.schema.alterTable('plans').dropColumn(column).execute();
}
