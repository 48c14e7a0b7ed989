import type { Kysely } from 'kysely';

/**
 * A task's due date (issue 14, decision 026): `tasks.due` keeps a table's 完成时限 / 时间节点 cell
 * as written (`2018年6月底前`, `长期坚持`), since offices write periods and phrases, not dates.
 * Null where the table has no such column or the cell is empty.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tasks').addColumn('due', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tasks').dropColumn('due').execute();
}
