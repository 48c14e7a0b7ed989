import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { auditRowHash, GENESIS_HASH } from '../audit-chain.ts';
import type { Database } from '../database.ts';
import { down, up } from './010_sqlite_audit_chain_without_prev_hash_index.ts';

async function indexNames(database: Database): Promise<string[]> {
  const { rows } =
    database.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'audit_events'`.execute(database.db)
      : await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'audit_events' and schemaname = current_schema()`.execute(
          database.db,
        );
  return rows.map((row) => row.name);
}

/** A row that follows the chain's start, as a second writer that forked the chain would write it. */
function rowAfterGenesis(n: number) {
  const fields = {
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    actor_kind: 'system',
    actor_name: 'test',
    user_id: null,
    ip: null,
    action: 'test.fork',
    object_type: 'test',
    object_id: String(n),
    result: 'success',
    detail: '{}',
    prev_hash: GENESIS_HASH,
  };
  return { ...fields, hash: auditRowHash(fields) };
}

forEachEngine('migration 010 (audit chain without the prev_hash index on SQLite)', (it, engine) => {
  it(engine === 'sqlite' ? 'drops the index on SQLite and puts it back on down' : 'leaves PostgreSQL its unique index, up and down', async (database) => {
    const db = database.db as unknown as Kysely<unknown>;
    assert.equal((await indexNames(database)).includes('audit_events_prev_hash'), engine === 'postgres', 'after every migration');

    await down(db);
    assert.ok((await indexNames(database)).includes('audit_events_prev_hash'), 'down: the index is there');
    // With the index, a second row following the same row is refused by the database itself.
    await database.db.insertInto('audit_events').values(rowAfterGenesis(1)).execute();
    await assert.rejects(database.db.insertInto('audit_events').values(rowAfterGenesis(2)).execute(), /unique|UNIQUE/);

    await up(db);
    assert.equal((await indexNames(database)).includes('audit_events_prev_hash'), engine === 'postgres', 'up: gone on SQLite, kept on PostgreSQL');
    // The rows already there (one here) survive.
    assert.equal((await database.db.selectFrom('audit_events').select('hash').where('action', '=', 'test.fork').execute()).length, 1);
  });
});
