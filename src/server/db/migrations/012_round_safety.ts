import { sql, type Kysely } from 'kysely';
import { isCollectiveUnitName } from '../../../domain/collective-units.ts';
import { dialectOf } from '../database.ts';

/**
 * Safe rounds (issue 12): a round opened by mistake can be voided (who, when, why); a unit may
 * be collective (各处(室), 直属单位 …: a name nobody logs in for) and stand for member units;
 * a round records which member units answer a collective unit's tasks (`round_task_units`,
 * fixed at opening so a later change of the mapping does not move a running round's to-dos);
 * one unit's deadline can be extended (`unit_submissions.deadline`).
 *
 * `unit_submissions.deadline` belongs to migration 011 (the late-submit workflow), which may run
 * before this one: it is added here only when it is not there yet, and left alone on the way down.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('rounds').addColumn('voided_at', 'text').execute();
  await db.schema.alterTable('rounds').addColumn('voided_by', 'text').execute();
  await db.schema.alterTable('rounds').addColumn('void_reason', 'text').execute();
  await db.schema.alterTable('units').addColumn('collective', 'integer', (c) => c.notNull().defaultTo(0)).execute();
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

  if (!(await hasColumn(db, 'unit_submissions', 'deadline'))) await db.schema.alterTable('unit_submissions').addColumn('deadline', 'text').execute();
}

/** Whether the table in the connection's own schema has the column (PostgreSQL: not any schema's table of that name). */
async function hasColumn(db: Kysely<unknown>, table: string, column: string): Promise<boolean> {
  const { rows } =
    dialectOf(db) === 'sqlite'
      ? await sql<{ name: string }>`select name from pragma_table_info(${table}) where name = ${column}`.execute(db)
      : await sql<{ name: string }>`
          select column_name as name from information_schema.columns
          where table_schema = current_schema() and table_name = ${table} and column_name = ${column}
        `.execute(db);
  return rows.length > 0;
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('round_task_units').execute();
  await db.schema.dropTable('collective_unit_members').execute();
  await db.schema.alterTable('units').dropColumn('collective').execute();
  for (const column of ['void_reason', 'voided_by', 'voided_at']) await db.schema.alterTable('rounds').dropColumn(column).execute();
}
