import type { Kysely } from 'kysely';

/**
 * The organisation profile (issue 14, docs/decisions/027): the deployment's organisation — its
 * full name, its office, the 发文机关标志, the 机关代字 of its numbers, its leader and unit words,
 * its time zone — so no default in code names the seed's department. One row (`id` 1) until
 * organisations become tenants; then `id` is the organisation's id. Lists are JSON arrays.
 * `source` says who set it: admin (the web page), cli, import (the first imported notice), demo.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organisation_profile')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('office_name', 'text', (c) => c.notNull())
    .addColumn('issuer_mark', 'text', (c) => c.notNull())
    .addColumn('doc_prefixes', 'text', (c) => c.notNull())
    .addColumn('leader_word', 'text', (c) => c.notNull())
    .addColumn('unit_words', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('organisation_profile').execute();
}
