import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { forEachEngine, type TestDatabase } from '../../../../tests/support/databases.ts';
import { down, up } from './021_supervisor_role.ts';

const at = '2017-10-11T01:00:00.000Z';

async function insertUser(database: TestDatabase, username: string, role: string): Promise<void> {
  await database.db
    .insertInto('users')
    .values({ username, display_name: '督查员', password_hash: 'x', role, unit_id: null, phone: null, must_change_password: 0, disabled: 0, failed_logins: 0, locked_until: null, created_at: at, updated_at: at })
    .execute();
}

forEachEngine('migration 021 (supervisor role)', (it) => {
  it('accepts the supervisor role, keeps every other role, account, session and unique name; goes down and up', async (database) => {
    const db = database.db as unknown as Kysely<unknown>;
    await insertUser(database, 'office-before', 'office');
    const officeId = (await database.db.selectFrom('users').select('id').where('username', '=', 'office-before').executeTakeFirstOrThrow()).id;
    await database.db
      .insertInto('sessions')
      .values({ token_hash: 'h', csrf_token: 'c', user_id: officeId, created_at: at, last_seen_at: at, expires_at: at, ip: null, user_agent: null, ended_at: null, end_reason: null })
      .execute();

    // Down: the role is refused again, and nothing else changed.
    await db.transaction().execute((trx) => down(trx));
    await assert.rejects(insertUser(database, 'supervisor-refused', 'supervisor'));
    await assert.rejects(insertUser(database, 'not-a-role', 'province_admin'));
    await db.transaction().execute((trx) => up(trx));

    await insertUser(database, 'supervisor', 'supervisor');
    await insertUser(database, 'office-after', 'office');
    await assert.rejects(insertUser(database, 'bogus', 'province_admin'), 'other roles stay refused');
    await assert.rejects(insertUser(database, 'supervisor', 'office'), 'user names stay unique');
    await assert.rejects(insertUser(database, 'reporter-without-unit', 'reporter'), 'a reporter still needs a unit');
    const roles = (await database.db.selectFrom('users').select(['username', 'role']).orderBy('id').execute()).map((row) => `${row.username}:${row.role}`);
    assert.deepEqual(roles, ['office-before:office', 'supervisor:supervisor', 'office-after:office']);
    const session = await database.db.selectFrom('sessions').select('user_id').executeTakeFirstOrThrow();
    assert.equal(session.user_id, officeId);
    // The session's foreign key still points at users: a session of nobody is refused.
    await assert.rejects(
      database.db
        .insertInto('sessions')
        .values({ token_hash: 'h2', csrf_token: 'c', user_id: 999_999, created_at: at, last_seen_at: at, expires_at: at, ip: null, user_agent: null, ended_at: null, end_reason: null })
        .execute(),
    );
    if (database.engine === 'sqlite') {
      const index = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and name = 'users_unit'`.execute(db);
      assert.equal(index.rows.length, 1, 'the index on users.unit_id is back');
      assert.equal((await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0]?.foreign_keys, 1, 'foreign keys are on again');
    }
  });
});
