import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, testClock } from '../support/test-server.ts';

/**
 * 等保 8.1.4.1 a (定期更换): with DIAODU_PASSWORD_MAX_AGE_DAYS set, a login with a password set
 * longer ago than that gets the restricted session of a first login (it may only change the
 * password); the change starts the age again. Unset (0), passwords never expire. The days are
 * counted on the services' clock, moved by hand here.
 */

const DAY = 86_400_000;

forEachEngine('password maximum age', (it) => {
  it('a password older than DIAODU_PASSWORD_MAX_AGE_DAYS must be changed at login; the change starts the age again; audited', async (database) => {
    const clock = testClock('2026-03-02T08:00:00.000Z');
    const app = await createTestServer(database, { demoPlan: false, now: clock, config: { passwordMaxAgeDays: 90 } });
    try {
      const login = (password: string) => app.anonymous().post('/api/auth/login', { username: 'guicai', password });
      const mustChange = async () =>
        Number(
          (await database.db.selectFrom('users').select('must_change_password').where('username', '=', 'guicai').executeTakeFirstOrThrow())
            .must_change_password,
        );

      // The demo account's password was set when the account was made (now): 90 days is still young enough.
      clock.advance(90 * DAY);
      const young = await login(DEMO_PASSWORD);
      assert.equal(young.status, 200, young.text);
      assert.equal(young.body.restriction, null, 'exactly 90 days old: not yet expired');
      assert.equal(await mustChange(), 0);

      clock.advance(60_000);
      const old = await login(DEMO_PASSWORD);
      assert.equal(old.status, 200, old.text);
      assert.equal(old.body.restriction, 'password_change', 'past 90 days: the session may only change the password');
      assert.equal(old.body.user.mustChangePassword, true);
      assert.equal(await mustChange(), 1, 'kept on the account: every session waits for the change');
      const events = await database.db
        .selectFrom('audit_events')
        .select(['detail', 'result'])
        .where('action', '=', 'auth.login')
        .where('actor_name', '=', 'guicai')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        events.map((event) => [event.result, JSON.parse(event.detail).passwordExpired ?? false]),
        [
          ['success', false],
          ['success', true],
        ],
        'the login that found the password expired says so',
      );

      const client = await app.as('guicai');
      assert.equal(client.session.restriction, 'password_change', 'a second login is restricted too');
      const refused = await client.get('/api/notifications');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'password_change_required');
      assert.match(refused.body.error.message, /^请先修改密码：.*已过期/);
      const same = await client.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD });
      assert.equal(same.status, 422, 'the expired password itself is refused by the history rule');
      const changed = await client.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Gui.Cai-2026q2' });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.body.restriction, null);
      assert.equal((await client.get('/api/notifications')).status, 200, 'after the change the session is a full one');
      assert.equal(await mustChange(), 0);

      // The age counts from the change.
      clock.advance(90 * DAY);
      assert.equal((await login('Gui.Cai-2026q2')).body.restriction, null, '90 days after the change');
      clock.advance(DAY);
      assert.equal((await login('Gui.Cai-2026q2')).body.restriction, 'password_change', '91 days after the change');
    } finally {
      await app.close();
    }
  });

  it('unset (the default, 0), a password never expires', async (database) => {
    const clock = testClock('2026-03-02T08:00:00.000Z');
    const app = await createTestServer(database, { demoPlan: false, now: clock });
    try {
      assert.equal(app.config.passwordMaxAgeDays, 0);
      clock.advance(3650 * DAY);
      const login = await app.anonymous().post('/api/auth/login', { username: 'guicai', password: DEMO_PASSWORD });
      assert.equal(login.status, 200, login.text);
      assert.equal(login.body.restriction, null);
    } finally {
      await app.close();
    }
  });
});
