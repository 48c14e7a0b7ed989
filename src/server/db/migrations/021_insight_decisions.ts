import { sql, type Kysely } from 'kysely';
import { autoId } from './dialect-helpers.ts';

/**
 * The office's decisions on what the insight engine proposes (issue 15; docs/decisions/033).
 * Findings themselves are computed on read from the stored text; only what a person decided is kept.
 *
 * - `indicator_decisions`: a task's proposed indicator confirmed (with the office's corrected name
 *   and target, JSON, when it corrected them) or rejected. Keyed by the task's lineage (020), so a
 *   decision survives a new version of the task, and the engine's key of the indicator within it.
 * - `actual_decisions`: the figure proposed as an indicator's actual in one round, from one unit's
 *   answer (NULL: an imported answer nobody is named for), confirmed (the office's corrected actual,
 *   JSON, when corrected) or rejected. Unique per round, lineage, key and unit: NULL included, by two
 *   partial indexes (both engines let two NULLs through a plain unique index).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('indicator_decisions')
    .addColumn('id', 'integer', autoId(db))
    .addColumn('task_lineage', 'integer', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('confirmed', 'rejected')`))
    .addColumn('name', 'text')
    .addColumn('target', 'text')
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('indicator_decisions_key').unique().on('indicator_decisions').columns(['task_lineage', 'key']).execute();

  await db.schema
    .createTable('actual_decisions')
    .addColumn('id', 'integer', autoId(db))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
    .addColumn('task_lineage', 'integer', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('confirmed', 'rejected')`))
    .addColumn('actual', 'text')
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('actual_decisions_unit')
    .unique()
    .on('actual_decisions')
    .columns(['round_id', 'task_lineage', 'key', 'unit_id'])
    .where(sql.ref('unit_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('actual_decisions_unattributed')
    .unique()
    .on('actual_decisions')
    .columns(['round_id', 'task_lineage', 'key'])
    .where(sql.ref('unit_id'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('actual_decisions').execute();
  await db.schema.dropTable('indicator_decisions').execute();
}
