import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { sql } from 'kysely';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { systemActor } from '../../domain/actor.ts';
import { isDomainError } from '../../domain/errors.ts';
import { loadConfig } from '../config.ts';
import { openDatabase, sqlitePath } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createRepositories } from '../db/repositories/index.ts';
import { createOrganisationDirectory, HOME_ORGANISATION_ID, sqliteStoreFile, withSearchPath } from './directory.ts';

test('an organisation’s SQLite store sits beside the home file, named after it', () => {
  assert.equal(sqliteStoreFile('./data/diaodu.db', 2), './data/diaodu.org-2.sqlite');
  assert.equal(sqliteStoreFile('/srv/diaodu/main.sqlite', 12), '/srv/diaodu/main.org-12.sqlite');
  assert.equal(sqliteStoreFile('/srv/diaodu/main.SQLITE3', 3), '/srv/diaodu/main.org-3.sqlite');
  assert.equal(sqliteStoreFile('/srv/diaodu/plain', 4), '/srv/diaodu/plain.org-4.sqlite');
});

test('an organisation’s PostgreSQL store is the home URL with its own search_path, other options kept', () => {
  const options = (url: string) => new URL(url).searchParams.get('options');
  assert.equal(options(withSearchPath('postgres://u:p@db:5432/diaodu', 'public_org_2')), '-c search_path=public_org_2');
  assert.equal(options(withSearchPath('postgres://u:p@db:5432/diaodu?options=-c%20search_path%3Dtest_1', 'test_1_org_2')), '-c search_path=test_1_org_2');
  assert.equal(
    options(withSearchPath('postgres://u:p@db:5432/diaodu?options=-c%20statement_timeout%3D5000%20-c%20search_path%3Dprod', 'prod_org_3')),
    '-c statement_timeout=5000 -c search_path=prod_org_3',
  );
  assert.equal(new URL(withSearchPath('postgres://u:p@db:5432/diaodu?sslmode=require', 'x')).searchParams.get('sslmode'), 'require');
});

forEachEngine('the organisation directory never adopts nor silently recreates a store', (it, engine) => {
  const actor = systemActor('test');
  const config = () => ({ ...loadConfig({}), databaseUrl: 'sqlite::memory:' });
  const directoryOver = (database: TestDatabase) => createOrganisationDirectory({ home: database, homeUrl: database.url, config: config() });
  const homeSchema = async (database: TestDatabase) => (await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db)).rows[0]!.schema;
  const storeExists = async (database: TestDatabase, place: string) =>
    engine === 'postgres' ? (await sql`select 1 from pg_namespace where nspname = ${place}`.execute(database.db)).rows.length > 0 : existsSync(place);
  /** Where organisation `id`'s store goes: its schema, or its file. */
  const placeOf = async (database: TestDatabase, id: number) =>
    engine === 'postgres' ? `${await homeSchema(database)}_org_${id}` : sqliteStoreFile(sqlitePath(database.url), id);

  it('a new organisation whose store exists already is refused, with no registry row left and that store untouched', async (database) => {
    const directory = await directoryOver(database);
    try {
      // The home store restored from a backup older than organisation 2: its store is still there.
      const stale = await placeOf(database, 2);
      if (engine === 'postgres') {
        await sql`create schema ${sql.id(stale)}`.execute(database.db);
        await sql`create table ${sql.id(stale, 'earlier')} (note text)`.execute(database.db);
        await sql`insert into ${sql.id(stale, 'earlier')} values ('旧组织的数据')`.execute(database.db);
      } else writeFileSync(stale, '旧组织的数据');

      await assert.rejects(directory.create(actor, { code: 'city-a', name: '甲市生态环境局' }), (error: unknown) => {
        assert.ok(isDomainError(error));
        assert.equal(error.kind, 'conflict');
        assert.equal(error.code, 'organisation_store_exists');
        assert.ok(error.message.includes(stale), error.message);
        assert.match(error.message, /已存在/);
        return true;
      });
      assert.equal(await directory.findByCode('city-a'), null);
      assert.deepEqual(
        (await directory.list()).map((o) => o.id),
        [HOME_ORGANISATION_ID],
      );
      if (engine === 'postgres') {
        const { rows } = await sql<{ note: string }>`select note from ${sql.id(stale, 'earlier')}`.execute(database.db);
        assert.deepEqual(rows, [{ note: '旧组织的数据' }]);
      } else assert.equal(readFileSync(stale, 'utf8'), '旧组织的数据');

      // Once the operator moved the old store away, the organisation can be made.
      if (engine === 'postgres') await sql`drop schema ${sql.id(stale)} cascade`.execute(database.db);
      else rmSync(stale);
      const made = await directory.create(actor, { code: 'city-a', name: '甲市生态环境局' });
      assert.equal((await directory.findByCode('city-a'))?.id, made.id);
      assert.ok(await storeExists(database, await placeOf(database, made.id)));
      assert.equal((await createRepositories((await directory.databaseOf(made.id)).db).organisations.storeCounts()).accounts, 0);
    } finally {
      await directory.close();
    }
  });

  it('an existing organisation whose store is missing fails loudly, and no empty store is made in its place', async (database) => {
    const first = await directoryOver(database);
    const made = await first.create(actor, { code: 'city-b', name: '乙市生态环境局' });
    await first.close();
    const place = await placeOf(database, made.id);
    if (engine === 'postgres') await sql`drop schema ${sql.id(place)} cascade`.execute(database.db);
    else for (const suffix of ['', '-wal', '-shm']) rmSync(`${place}${suffix}`, { force: true });

    const directory = await directoryOver(database);
    try {
      for (const open of [() => directory.servicesOf(made.id), () => directory.databaseOf(made.id)]) {
        await assert.rejects(open(), (error: unknown) => {
          assert.ok(isDomainError(error));
          assert.equal(error.code, 'organisation_store_missing');
          assert.ok(!error.message.includes(place), `no server path or schema told to the organisation's users: ${error.message}`);
          assert.match(error.message, /数据存储不存在.*从备份恢复/);
          return true;
        });
      }
      assert.equal(await storeExists(database, place), false);
      // The registry still names it; the home organisation goes on working.
      assert.equal((await directory.find(made.id))?.code, 'city-b');
      assert.equal(await directory.servicesOf(HOME_ORGANISATION_ID), directory.home.services);
    } finally {
      await directory.close();
    }
  });
});

test('with the home store in memory, organisations’ stores are in memory too: made and opened without a file to check', async () => {
  const home = await openDatabase('sqlite::memory:');
  await migrateToLatest(home.db);
  const directory = await createOrganisationDirectory({ home, homeUrl: 'sqlite::memory:', config: { ...loadConfig({}), databaseUrl: 'sqlite::memory:' } });
  try {
    const made = await directory.create(systemActor('test'), { code: 'city-m', name: '丙市生态环境局' });
    assert.ok(await directory.servicesOf(made.id));
    assert.equal((await createRepositories((await directory.databaseOf(made.id)).db).organisations.storeCounts()).accounts, 0);
  } finally {
    await directory.close();
    await home.close();
  }
});
