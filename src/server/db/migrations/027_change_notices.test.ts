import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { down, TABLES_WITHOUT_CHANGE_NOTICES, up } from './027_change_notices.ts';

/** Tables of the store's schema and whether each tells the listening servers of its changes. */
async function noticeTriggers(db: Kysely<unknown>): Promise<{ table: string; notifies: boolean }[]> {
  const { rows } = await sql<{ table: string; notifies: boolean }>`
    select t.tablename as table,
           exists (select 1 from pg_trigger g join pg_class c on c.oid = g.tgrelid join pg_namespace n on n.oid = c.relnamespace
                   join pg_proc p on p.oid = g.tgfoid
                   where n.nspname = t.schemaname and c.relname = t.tablename and p.proname = 'diaodu_changed' and not g.tgisinternal) as notifies
    from pg_tables t where t.schemaname = current_schema() order by t.tablename`.execute(db);
  return rows;
}

forEachEngine('migration 027 (change notices for kept reads across servers)', (it, engine) => {
  if (engine === 'sqlite') {
    it('does nothing on SQLite (one server, its own change stamp), up or down', async (database) => {
      const db = database.db as unknown as Kysely<unknown>;
      await down(db);
      await up(db);
    });
    return;
  }
  it('every table of the store notifies its changes but the per-request ones; a later table without it fails here; goes down and up again', async (database) => {
    const db = database.db as unknown as Kysely<unknown>;
    const tables = await noticeTriggers(db);
    assert.ok(tables.length > 40, `the migrated schema's tables: ${tables.length}`);
    const silent = tables.filter((table) => !table.notifies).map((table) => table.table);
    // A table added by a later migration must call notifyChanges (dialect-helpers.ts) or be listed, with a reason, in 027.
    assert.deepEqual(silent.sort(), [...TABLES_WITHOUT_CHANGE_NOTICES].sort(), 'tables that say nothing of their changes');

    await down(db);
    assert.ok((await noticeTriggers(db)).every((table) => !table.notifies));
    await up(db);
    assert.deepEqual((await noticeTriggers(db)).filter((table) => !table.notifies).length, TABLES_WITHOUT_CHANGE_NOTICES.length);
  });
});
