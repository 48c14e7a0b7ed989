import { sql, type Kysely } from 'kysely';
import { isCollectiveUnitName } from '../../../domain/collective-units.ts';

/**
 * Safe rounds (issue 12): a round opened by mistake can be voided (who, when, why); a unit may
 * be collective (各处(室), 直属单位 …: a name nobody logs in for) and stand for member units;
 * a round records which member units answer a collective unit's tasks (`round_task_units`,
 * fixed at opening so a later change of the mapping does not move a running round's to-dos);
 * one unit's deadline can be extended (`unit_submissions.deadline`, added by migration 011).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('rounds').addColumn('voided_at', 'text').execute();
  await db.schema.alterTable('rounds').addColumn('voided_by', 'text').execute();
  await db.schema.alterTable('rounds').addColumn('void_reason', 'text').execute();
  await db.schema
    .alterTable('units')
    .addColumn('collective', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Units already stored under a collective name (the seed's 各处(室), 直属单位) are marked now.
  const { rows: units } = await sql<{ id: number; name: string }>`select id, name from units`.execute(db);
  const collective = units.filter((unit) => isCollectiveUnitName(unit.name)).map((unit) => unit.id);
  if (collective.length > 0) await sql`update units set collective = 1 where id in (${sql.join(collective)})`.execute(db);

  await db.schema
    .createTable('collective_unit_members')
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('member_unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('collective_unit_members_pk', ['unit_id', 'member_unit_id'])
    .execute();

  await db.schema
    .createTable('round_task_units')
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
    .addColumn('task_id', 'integer', (c) => c.notNull().references('tasks.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('via_unit_id', 'integer', (c) => c.notNull().references('units.id'))
    /** The answer's place among the task's entries: after every unit the plan names. */
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('round_task_units_pk', ['round_id', 'task_id', 'unit_id'])
    .execute();
  await db.schema.createIndex('round_task_units_unit').on('round_task_units').columns(['round_id', 'unit_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('round_task_units').execute();
  await db.schema.dropTable('collective_unit_members').execute();
  await db.schema.alterTable('units').dropColumn('collective').execute();
  for (const column of ['void_reason', 'voided_by', 'voided_at']) await db.schema.alterTable('rounds').dropColumn(column).execute();
}
