import type { Kysely } from 'kysely';

/**
 * Say what was written (issue 13): `progress_entries.attribution` keeps the name a document wrote
 * in an entry's bracket when it is not the unit's own name — the seed writes `（总队）` where the
 * entry belongs to 监察总队. The entry still belongs to its unit (`unit_id`) for everything else;
 * exports print the written name. Null (every answer written in the app, and every bracket that
 * named the unit in full) prints the unit's name.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('progress_entries').addColumn('attribution', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('progress_entries').dropColumn('attribution').execute();
}
