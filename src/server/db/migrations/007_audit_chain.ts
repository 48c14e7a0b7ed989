import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../database.ts';
import { auditRowHash, GENESIS_HASH, type ChainedFields } from '../audit-chain.ts';
import { dropAppendOnly, makeAppendOnly } from './dialect-helpers.ts';

/**
 * The audit log gets the client's address and a hash chain (docs/decisions/009-audit-hash-chain.md).
 * Rows written before this migration are chained here, in id order, so the whole log verifies.
 * A unique index on `prev_hash` makes a fork impossible: two rows can never follow the same
 * row. On PostgreSQL TRUNCATE is refused too (row triggers do not fire on it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await dropAppendOnly(db, 'audit_events');
  await db.schema.alterTable('audit_events').addColumn('ip', 'text').execute();
  await db.schema
    .alterTable('audit_events')
    .addColumn('prev_hash', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('audit_events')
    .addColumn('hash', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  const { rows } = await sql<ChainedFields & { id: number }>`
    select id, at, actor_kind, actor_name, user_id, ip, action, object_type, object_id, result, detail, prev_hash
    from audit_events order by id
  `.execute(db);
  let prev = GENESIS_HASH;
  for (const row of rows) {
    const hash = auditRowHash({ ...row, prev_hash: prev });
    await sql`update audit_events set prev_hash = ${prev}, hash = ${hash} where id = ${row.id}`.execute(db);
    prev = hash;
  }

  await db.schema.createIndex('audit_events_prev_hash').on('audit_events').column('prev_hash').unique().execute();
  await db.schema.createIndex('audit_events_action').on('audit_events').column('action').execute();
  await makeAppendOnly(db, 'audit_events');
  if (dialectOf(db) === 'postgres')
    await sql`
      create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_events_append_only()
    `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'postgres') await sql`drop trigger if exists audit_events_no_truncate on audit_events`.execute(db);
  await dropAppendOnly(db, 'audit_events');
  await db.schema.dropIndex('audit_events_action').execute();
  await db.schema.dropIndex('audit_events_prev_hash').execute();
  for (const column of ['hash', 'prev_hash', 'ip']) await db.schema.alterTable('audit_events').dropColumn(column).execute();
  await makeAppendOnly(db, 'audit_events');
}
