import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { createEmptyPostgresDatabase, createTestDatabase, postgresTestUrl, type TestDatabase } from './databases.ts';

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

describe('createTestDatabase on PostgreSQL: a finished test’s schema serves the next', () => {
  const schemaOid = (database: TestDatabase) =>
    sql<{ oid: number }>`select oid::int as oid from pg_namespace where nspname = current_schema()`.execute(database.db).then((result) => result.rows[0]!.oid);
  const schemaExists = async (database: TestDatabase, oid: number) =>
    (await sql<{ n: number }>`select count(*)::int as n from pg_namespace where oid = ${oid}`.execute(database.db)).rows[0]!.n === 1;
  /** Whether each schema still exists, read from the next test database of this process (disposed after). */
  const schemasLeft = async (oids: number[]) => {
    const next = await createTestDatabase('postgres');
    try {
      return await Promise.all(oids.map((oid) => schemaExists(next, oid)));
    } finally {
      await next.dispose();
    }
  };

  test('emptied back to the template’s rows and sequences, its connections kept for the next test', async () => {
    const first = await createTestDatabase('postgres');
    const oid = await schemaOid(first);
    const migrations = (await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(first.db)).rows[0]!.n;
    const firstSchema = new URL(first.url).searchParams.get('options');
    await sql`insert into departments (name, created_at) values ('规财处', '2017-07-01'), ('法规处', '2017-07-01')`.execute(first.db);
    await sql`delete from kysely_migration where name = '001_foundation'`.execute(first.db);
    // An organisation's store, made beside the test's schema (decision 028).
    const store = `${(await sql<{ schema: string }>`select current_schema() as schema`.execute(first.db)).rows[0]!.schema}_org_2`;
    await sql`create schema ${sql.id(store)}`.execute(first.db);
    await first.dispose();
    // Read where it waits for the next test: files of one process may run their tests side by side,
    // so the next test of this file may be handed another finished test's schema.
    const admin = await createTestDatabase('postgres');
    try {
      const count = async (query: string) => (await sql<{ n: number }>`${sql.raw(query)}`.execute(admin.db)).rows[0]!.n;
      const kept = (await sql<{ name: string }>`select nspname as name from pg_namespace where oid = ${oid}`.execute(admin.db)).rows[0]?.name;
      assert.ok(kept, 'the schema is kept for the next test, not dropped');
      assert.equal(`-c search_path=${kept}`, firstSchema, 'under its name');
      const pooled = await count(`select count(*)::int as n from pg_stat_activity where application_name = '${kept}.kept'`);
      assert.ok(pooled >= 1, 'its pool’s connections are kept open for the next test');
      assert.equal(await count(`select count(*)::int as n from "${kept}".departments`), 0);
      assert.equal(await count(`select count(*)::int as n from "${kept}".kysely_migration`), migrations);
      assert.equal(await count(`select (not is_called)::int as n from "${kept}".departments_id_seq`), 1, 'identities start again at 1');
      assert.equal(await count(`select count(*)::int as n from pg_namespace where nspname = '${store}'`), 0, 'the organisation’s store made beside it is gone');
    } finally {
      await admin.dispose();
    }
  });

  test('every finished schema is kept, not only the first the process made', async () => {
    // Two at once: at most one of them can be the process's first, whose shape the others are checked
    // against (a check that compared the oid-bearing names of foreign-key triggers kept only that one).
    const both = await Promise.all([createTestDatabase('postgres'), createTestDatabase('postgres')]);
    const oids = await Promise.all(both.map(schemaOid));
    await Promise.all(both.map((database) => database.dispose()));
    assert.deepEqual(await schemasLeft(oids), [true, true], 'both kept for reuse');
  });

  test('dropped, not taken again, while a connection the test opened is still there', async () => {
    const first = await createTestDatabase('postgres');
    const oid = await schemaOid(first);
    // A child process or a server the test did not close: it would see the next test's rows.
    const left = new pg.Client({ connectionString: first.url });
    await left.connect();
    try {
      await first.dispose();
      assert.deepEqual(await schemasLeft([oid]), [false], 'the schema in use is dropped');
    } finally {
      await left.end();
    }
  });

  test('dropped, not taken again, when one of its own connections is left inside a transaction', async () => {
    const first = await createTestDatabase('postgres');
    const oid = await schemaOid(first);
    // `begin` through the pool: the connection goes back to it idle in a transaction, holding its locks.
    await sql`begin`.execute(first.db);
    await sql`insert into departments (name, created_at) values ('规财处', '2017-07-01')`.execute(first.db);
    await first.dispose();
    assert.deepEqual(await schemasLeft([oid]), [false], 'the schema is dropped, its pool closed');
  });

  test('dropped, not taken again, when the test changed its tables or left a trigger off', async () => {
    for (const change of [sql`create table notes (id integer primary key)`, sql`alter table audit_events disable trigger audit_events_no_update_or_delete`]) {
      const first = await createTestDatabase('postgres');
      const oid = await schemaOid(first);
      await change.execute(first.db);
      await first.dispose();
      const second = await createTestDatabase('postgres');
      try {
        assert.notEqual(await schemaOid(second), oid);
        assert.equal(await schemaExists(second, oid), false, 'the changed schema is dropped');
        const appendOnly = await sql<{
          enabled: string;
        }>`select tgenabled::text as enabled from pg_trigger where tgname = 'audit_events_no_update_or_delete' and tgrelid = 'audit_events'::regclass`.execute(
          second.db,
        );
        assert.equal(appendOnly.rows[0]!.enabled, 'O');
      } finally {
        await second.dispose();
      }
    }
  });
});
