import { sql, type Kysely } from 'kysely';

/**
 * Notices become editable in the app: a version for optimistic saves (a stale save is refused,
 * never applied over someone else's), who saved last and when, and one round per document
 * number. The unique index is partial (rows without a number are free), which SQLite and
 * PostgreSQL both support. A database that already holds one number on two rounds is not
 * "fixed" by guessing which round keeps it: the migration stops and names them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ doc_number: string; rounds: string }>`
    select doc_number, count(*) as rounds from notices
    where doc_number is not null group by doc_number having count(*) > 1
  `.execute(db);
  if (rows.length > 0) {
    const list = rows.map((row) => `${row.doc_number}（${Number(row.rounds)} 个调度）`).join('、');
    throw new Error(
      `同一通报文号用于多个调度，请先在数据库中更正后再升级 / one notice document number is used by several rounds; correct them before upgrading: ${list}`,
    );
  }
  await db.schema
    .alterTable('notices')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('notices').addColumn('updated_at', 'text').execute();
  await db.schema.alterTable('notices').addColumn('updated_by', 'text').execute();
  await db.schema.createIndex('notices_doc_number_unique').on('notices').column('doc_number').unique().where(sql.ref('doc_number'), 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('notices_doc_number_unique').execute();
  for (const column of ['updated_by', 'updated_at', 'version']) await db.schema.alterTable('notices').dropColumn(column).execute();
}
