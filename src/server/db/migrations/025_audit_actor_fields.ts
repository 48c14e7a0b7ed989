import type { Kysely } from 'kysely';

/**
 * The actor of an audit row as separate fields (docs/decisions/037-one-audit-writer.md): the
 * account's login name and the person's display name beside the existing `actor_kind`,
 * `actor_name` (login name, `system:<job>`, or the name typed at a failed login) and `user_id`.
 * `chain_format` says which serialisation a row's hash covers: every row already written keeps
 * 1 (its fields and hash untouched: the log is append-only), rows from the one writer are 2 and
 * their hash covers the new fields too (src/server/db/audit-chain.ts). Adding columns updates no
 * row, so the append-only triggers stay where they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('audit_events')
    .addColumn('chain_format', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('audit_events').addColumn('actor_login', 'text').execute();
  await db.schema.alterTable('audit_events').addColumn('actor_display_name', 'text').execute();
}

/** Down drops the fields (and with them what version-2 rows' hashes cover): for tests and rollbacks of an empty log. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['actor_display_name', 'actor_login', 'chain_format']) await db.schema.alterTable('audit_events').dropColumn(column).execute();
}
