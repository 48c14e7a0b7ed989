import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import type { DB } from '../schema.ts';
import { down, up } from './019_organisations.ts';

const at = '2026-12-05T08:00:00.000Z';
const user = (username: string, role: string) =>
  ({
    username,
    display_name: username,
    password_hash: 'x',
    role,
    must_change_password: 0,
    disabled: 0,
    failed_logins: 0,
    created_at: at,
    updated_at: at,
  }) as never;

forEachEngine('migration 019 (organisations registry, widened role check)', (it) => {
  it('takes platform_admin and supervisor, still refuses an unknown role, and goes down and up keeping every account, its id and what refers to it', async (database) => {
    const db = database.db as Kysely<DB>;
    const office = await db.insertInto('users').values(user('office', 'office')).returning('id').executeTakeFirstOrThrow();
    await db
      .insertInto('sessions')
      .values({ token_hash: 'h', csrf_token: 'c', user_id: office.id, created_at: at, last_seen_at: at, expires_at: at, ip: null, user_agent: null })
      .execute();
    await db.insertInto('users').values(user('platform', 'platform_admin')).execute();
    await db.insertInto('users').values(user('province', 'supervisor')).execute();
    await assert.rejects(db.insertInto('users').values(user('bogus', 'bogus')).execute());

    await db.deleteFrom('users').where('role', 'in', ['platform_admin', 'supervisor']).execute();
    await down(db as unknown as Kysely<unknown>);
    assert.ok(!(await tablesHere(db)).some((table) => table.name === 'organisations'));
    await assert.rejects(db.insertInto('users').values(user('platform', 'platform_admin')).execute(), 'down restores the old check');

    await up(db as unknown as Kysely<unknown>);
    await db.insertInto('users').values(user('platform', 'platform_admin')).execute();
    const kept = await db.selectFrom('users').select(['id', 'username']).where('username', '=', 'office').executeTakeFirstOrThrow();
    assert.equal(kept.id, office.id);
    assert.equal((await db.selectFrom('sessions').select('user_id').executeTakeFirstOrThrow()).user_id, office.id);
    // Foreign keys to the rebuilt table still hold, and its unique index too.
    await assert.rejects(
      db
        .insertInto('sessions')
        .values({ token_hash: 'h2', csrf_token: 'c', user_id: 9_999, created_at: at, last_seen_at: at, expires_at: at, ip: null, user_agent: null })
        .execute(),
    );
    await assert.rejects(db.insertInto('users').values(user('office', 'office')).execute());
    await assert.rejects(db.insertInto('users').values(user('reporter-without-unit', 'reporter')).execute(), 'the unit check is kept');
    const next = await db.insertInto('users').values(user('next', 'leader')).returning('id').executeTakeFirstOrThrow();
    assert.ok(next.id > kept.id, 'ids go on after the rebuild');
  });
});
