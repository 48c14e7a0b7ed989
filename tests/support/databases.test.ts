import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { createEmptyPostgresDatabase, postgresTestUrl } from './databases.ts';

describe('createEmptyPostgresDatabase', () => {
  test('makes a database with the one empty schema; dispose waits for a connection of ours to close rather than ending it', async () => {
    const base = postgresTestUrl();
    assert.ok(base, 'PostgreSQL is configured for tests (bash scripts/test-deps.sh)');
    const { url, dispose } = await createEmptyPostgresDatabase('restore_here');
    const name = new URL(url).pathname.slice(1);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let closed = false;
    try {
      assert.equal((await client.query('select current_schema() as schema')).rows[0].schema, 'restore_here');
      // Ours is the one connection to it: none left open by the making (an idle pooled one held the drop off for its 10 s).
      const connections = await client.query('select count(*)::int as n from pg_stat_activity where datname = current_database()');
      assert.equal(connections.rows[0].n, 1);
      const dropped = dispose();
      // The drop is refused while the connection is open, and tried again: the connection is not ended
      // (WITH (FORCE) would end it, and an autovacuum worker's too, which the test role may not).
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await client.query('select 1 as one')).rows[0].one, 1);
      await client.end();
      closed = true;
      await dropped;
    } finally {
      if (!closed) await client.end();
    }
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      assert.equal((await admin.query('select count(*)::int as n from pg_database where datname = $1', [name])).rows[0].n, 0);
    } finally {
      await admin.end();
    }
  });
});
