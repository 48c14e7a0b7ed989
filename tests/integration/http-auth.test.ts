import assert from 'node:assert/strict';
import { systemActor } from '../../src/domain/actor.ts';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { hashSessionToken } from '../../src/server/services/auth.service.ts';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';
import { createTestServer, testClock, type TestServerOptions } from '../support/test-server.ts';

/** Accounts only: these suites need no plan, and skipping the seed import keeps them quick. */
const server = (database: TestDatabase, options: TestServerOptions = {}) => createTestServer(database, { demoPlan: false, ...options });

const auditOf = (database: TestDatabase, action: string) => createRepositories(database.db).audit.listAuditEvents({ action });

async function userId(database: TestDatabase, username: string): Promise<number> {
  const user = await createRepositories(database.db).users.findUserByUsername(username);
  assert.ok(user, `demo account ${username}`);
  return user.id;
}

async function sessionsOf(database: TestDatabase, username: string) {
  return createRepositories(database.db).sessions.listSessionsOfUser(await userId(database, username));
}

const LOGIN_FAILED = { error: { code: 'login_failed', message: '用户名或密码错误' } };

forEachEngine('HTTP: login, sessions, logout', (it) => {
  it('logs in with the demo password: SessionView, HttpOnly SameSite=Lax cookie, a hashed session row, an audit row', async (database) => {
    const app = await server(database);
    try {
      const response = await app.anonymous().post('/api/auth/login', { username: 'huanping', password: DEMO_PASSWORD });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.user.username, 'huanping');
      assert.equal(response.body.user.displayName, '陈静');
      assert.equal(response.body.user.role, 'reporter');
      assert.equal(response.body.user.unit.name, '环评处');
      assert.equal(response.body.user.mustChangePassword, false);
      assert.match(response.body.csrfToken, /^[\w-]{22}$/);
      assert.ok(Date.parse(response.body.expiresAt) > Date.now() + 11 * 3_600_000, 'absolute expiry 12 h ahead');

      const cookie = String(response.headers['set-cookie']);
      const token = /diaodu_session=([^;]+)/.exec(cookie)?.[1];
      assert.ok(token, cookie);
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Lax/i);
      assert.match(cookie, /Path=\//);
      assert.doesNotMatch(cookie, /Secure/i, 'no Secure flag on plain http (DIAODU_TLS unset)');
      assert.equal(Buffer.from(token, 'base64url').length, 16, 'a random 128-bit token');

      const [session] = await sessionsOf(database, 'huanping');
      assert.ok(session);
      assert.equal(session.token_hash, hashSessionToken(token), 'only the SHA-256 of the token is stored');
      assert.notEqual(session.token_hash, token);
      assert.equal(session.csrf_token, response.body.csrfToken);
      assert.equal(session.ended_at, null);

      const [audit] = await auditOf(database, 'auth.login');
      assert.equal(audit?.result, 'success');
      assert.equal(audit?.actor_name, 'huanping');
      assert.equal(audit?.user_id, session.user_id);
    } finally {
      await app.close();
    }
  });

  it('a wrong password and an unknown user get the same answer; both are audited with their reason', async (database) => {
    const app = await server(database);
    try {
      const wrong = await app.anonymous().post('/api/auth/login', { username: 'office', password: 'Wrong@2017' });
      const unknown = await app.anonymous().post('/api/auth/login', { username: 'nobody', password: DEMO_PASSWORD });
      assert.equal(wrong.status, 422);
      assert.equal(unknown.status, 422);
      assert.deepEqual(wrong.body, LOGIN_FAILED);
      assert.deepEqual(unknown.body, wrong.body, 'no user enumeration');
      assert.equal(wrong.headers['set-cookie'], undefined);

      const rows = await auditOf(database, 'auth.login');
      assert.deepEqual(
        rows.map((row) => [row.result, JSON.parse(row.detail).reason, row.actor_kind]),
        [
          ['failure', 'bad_password', 'user'],
          ['failure', 'unknown_user', 'anonymous'],
        ],
      );
      assert.equal(rows[1]?.actor_name, 'nobody', 'the attempted name is kept for the audit admin');
    } finally {
      await app.close();
    }
  });

  it('user names are matched case- and space-insensitively', async (database) => {
    const app = await server(database);
    try {
      const response = await app.anonymous().post('/api/auth/login', { username: ' Office ', password: DEMO_PASSWORD });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.user.username, 'office');
    } finally {
      await app.close();
    }
  });

  it('a disabled account cannot log in (same message) and its live sessions end at once', async (database) => {
    const app = await server(database);
    try {
      const daqi = await app.as('daqi');
      assert.equal((await daqi.get('/api/auth/me')).status, 200);
      await app.services.users.setDisabled(systemActor('test'), await userId(database, 'daqi'), true);

      assert.equal((await daqi.get('/api/auth/me')).status, 401, 'disabling ends the session on the server');
      const again = await app.anonymous().post('/api/auth/login', { username: 'daqi', password: DEMO_PASSWORD });
      assert.equal(again.status, 422);
      assert.deepEqual(again.body, LOGIN_FAILED);
      const [session] = await sessionsOf(database, 'daqi');
      assert.equal(session?.end_reason, 'disabled');
      const failures = await auditOf(database, 'auth.login');
      assert.equal(JSON.parse(failures.at(-1)?.detail ?? '{}').reason, 'disabled');
    } finally {
      await app.close();
    }
  });

  it('5 wrong passwords lock the account for 30 minutes, even against the right password; the lock says until when, the same to any password; the lock is audited', async (database) => {
    const clock = testClock();
    const app = await server(database, { now: clock });
    try {
      const anonymous = app.anonymous();
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        const response = await anonymous.post('/api/auth/login', { username: 'guicai', password: `Wrong@${attempt}` });
        assert.deepEqual(response.body, LOGIN_FAILED, `attempt ${attempt}`);
      }
      const guessed = await anonymous.post('/api/auth/login', { username: 'guicai', password: 'Wrong@6' });
      assert.equal(guessed.status, 422);
      const guessAudited = JSON.parse((await auditOf(database, 'auth.login')).at(-1)?.detail ?? '{}');
      assert.deepEqual([guessAudited.reason, guessAudited.passwordCorrect], ['locked', false]);

      const locked = await anonymous.post('/api/auth/login', { username: 'guicai', password: DEMO_PASSWORD });
      assert.equal(locked.status, 422);
      const until = new Date(clock().getTime() + 30 * 60_000).toISOString();
      // testClock starts 2026-03-02T08:00Z: locked until 08:30 UTC, 16:30 in the department (Asia/Shanghai).
      assert.deepEqual(locked.body, {
        error: {
          code: 'account_locked',
          message: '该账户因连续多次登录失败已被锁定，请于 2026年3月2日 16:30 后再登录，或请系统管理员解锁',
          details: { lockedUntil: until },
        },
      });
      assert.deepEqual(guessed.body, locked.body, 'a wrong password gets the same answer: the lock is no oracle for guesses');

      const [lock] = await auditOf(database, 'auth.lock');
      assert.ok(lock, 'the lock is audited');
      assert.equal(JSON.parse(lock.detail).lockedUntil, until);
      const told = JSON.parse((await auditOf(database, 'auth.login')).at(-1)?.detail ?? '{}');
      assert.deepEqual(
        [told.reason, told.passwordCorrect, told.lockedUntil],
        ['locked', true, until],
        'the right password on a locked account is audited as such',
      );

      assert.equal((await app.as('office')).session.user.username, 'office', 'other accounts are not affected');

      clock.advance(29 * 60_000);
      assert.equal((await anonymous.post('/api/auth/login', { username: 'guicai', password: DEMO_PASSWORD })).status, 422, 'still locked at 29 min');
      clock.advance(2 * 60_000);
      const after = await anonymous.post('/api/auth/login', { username: 'guicai', password: DEMO_PASSWORD });
      assert.equal(after.status, 200, 'unlocked after 30 min');
      const user = await createRepositories(database.db).users.findUserByUsername('guicai');
      assert.equal(user?.failed_logins, 0);
      assert.equal(user?.locked_until, null, 'a successful login clears the lock');
    } finally {
      await app.close();
    }
  });

  it('the session lookup is kept while only drafts are saved (SQLite, decision 047), and read again after any other write', async (database) => {
    const app = await createTestServer(database);
    try {
      const office = await app.as('office');
      const opened = await office.post(`/api/plans/${app.planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10' });
      assert.equal(opened.status, 201, opened.text);
      const reporter = await app.as('huanping');
      const unitId = reporter.session.user.unit!.id;
      const item = (await reporter.get(`/api/rounds/${opened.body.id}/units/${unitId}/todo`)).body.items[0];
      const before = app.services.auth.keptSessionStats();
      let version = item.answer.version;
      for (const text of ['第一稿', '第二稿']) {
        const saved = await reporter.put(`/api/rounds/${opened.body.id}/tasks/${item.task.id}/units/${unitId}/answer`, {
          text,
          status: 'on_track',
          reason: null,
          version,
        });
        assert.equal(saved.status, 200, saved.text);
        version = saved.body.version;
      }
      assert.equal((await reporter.get('/api/auth/me')).status, 200);
      const kept = app.services.auth.keptSessionStats();
      if (database.engine === 'sqlite') {
        assert.ok(before && kept);
        // The first save's lookup finds nothing written since the to-do read; the second and the
        // last are carried across the saves' group commits; none is read again.
        assert.deepEqual(
          { hits: kept.hits - before.hits, carried: kept.carried - before.carried, misses: kept.misses - before.misses },
          { hits: 3, carried: 2, misses: 0 },
        );
      } else assert.equal(kept, null, 'PostgreSQL keeps no session lookups');

      // Disabling the account is not a noted write: the very next request reads the session again and is refused.
      await app.services.users.setDisabled(systemActor('test'), await userId(database, 'huanping'), true);
      assert.equal((await reporter.get('/api/auth/me')).status, 401, 'refused at once after a kept lookup');
      if (database.engine === 'sqlite') assert.equal(app.services.auth.keptSessionStats()!.misses, kept!.misses + 1);
    } finally {
      await app.close();
    }
  });

  it('GET /api/auth/me answers the session; logout ends it on the server, so the old cookie is refused', async (database) => {
    const app = await server(database);
    try {
      const office = await app.as('office');
      const me = await office.get('/api/auth/me');
      assert.equal(me.status, 200);
      assert.deepEqual(me.body, office.session);

      const logout = await office.post('/api/auth/logout');
      assert.equal(logout.status, 204, logout.text);
      assert.match(String(logout.headers['set-cookie']), /diaodu_session=;/, 'the cookie is cleared');

      // The browser may keep the old cookie (or someone copied it): the server refuses it.
      const after = await office.get('/api/auth/me');
      assert.equal(after.status, 401);
      assert.equal(after.body.error.code, 'unauthenticated');
      const [session] = await sessionsOf(database, 'office');
      assert.ok(session?.ended_at);
      assert.equal(session?.end_reason, 'logout');
      const [audit] = await auditOf(database, 'auth.logout');
      assert.equal(audit?.result, 'success');
      assert.equal(audit?.actor_name, 'office');
    } finally {
      await app.close();
    }
  });

  it('a session idle for 30 minutes ends; activity keeps it alive', async (database) => {
    const clock = testClock();
    const app = await server(database, { now: clock });
    try {
      const leader = await app.as('leader');
      clock.advance(29 * 60_000);
      assert.equal((await leader.get('/api/auth/me')).status, 200);
      clock.advance(29 * 60_000);
      assert.equal((await leader.get('/api/auth/me')).status, 200, 'the last request restarted the idle period');
      clock.advance(30 * 60_000 + 1_000);
      assert.equal((await leader.get('/api/auth/me')).status, 401, 'idle for 30 minutes');
      const [session] = await sessionsOf(database, 'leader');
      assert.equal(session?.end_reason, 'idle');
      const [end] = await auditOf(database, 'auth.session_end');
      assert.equal(JSON.parse(end?.detail ?? '{}').reason, 'idle');
    } finally {
      await app.close();
    }
  });

  it('a session ends 12 hours after login however active it is', async (database) => {
    const clock = testClock();
    const app = await server(database, { now: clock });
    try {
      const office = await app.as('office');
      let minutes = 0;
      while (minutes + 20 < 12 * 60) {
        clock.advance(20 * 60_000);
        minutes += 20;
        assert.equal((await office.get('/api/auth/me')).status, 200, `active at ${minutes} min`);
      }
      clock.advance(20 * 60_000);
      assert.equal((await office.get('/api/auth/me')).status, 401, 'past 12 h');
      const [session] = await sessionsOf(database, 'office');
      assert.equal(session?.end_reason, 'expired');
    } finally {
      await app.close();
    }
  });

  it('timeouts come from the configuration', async (database) => {
    const clock = testClock();
    const app = await server(database, { now: clock, config: { session: { idleMinutes: 5, absoluteHours: 1 } } });
    try {
      const office = await app.as('office');
      assert.equal(Date.parse(office.session.expiresAt) - clock().getTime(), 3_600_000);
      clock.advance(6 * 60_000);
      assert.equal((await office.get('/api/auth/me')).status, 401);
    } finally {
      await app.close();
    }
  });

  it('writes need the session’s CSRF token: missing or wrong is 403 (audited), and the session survives', async (database) => {
    const app = await server(database);
    try {
      const office = await app.as('office');
      const missing = await office.post('/api/auth/logout', undefined, { 'x-csrf-token': '' });
      assert.equal(missing.status, 403);
      assert.equal(missing.body.error.code, 'csrf_failed');
      const wrong = await office.post('/api/auth/logout', undefined, { 'x-csrf-token': 'A'.repeat(22) });
      assert.equal(wrong.status, 403);
      assert.equal(wrong.body.error.code, 'csrf_failed');
      assert.equal((await office.get('/api/auth/me')).status, 200, 'GET needs no token; the session is still live');

      const denied = await auditOf(database, 'access.denied');
      assert.equal(denied.length, 2);
      assert.equal(denied[0]?.result, 'denied');
      assert.equal(denied[0]?.actor_name, 'office');
      assert.equal(denied[0]?.object_id, '/api/auth/logout');
      assert.equal(JSON.parse(denied[0]?.detail ?? '{}').code, 'csrf_failed');

      assert.equal((await office.post('/api/auth/logout')).status, 204, 'with the token the write goes through');
    } finally {
      await app.close();
    }
  });

  it('behind TLS the cookie is Secure and answers carry HSTS', async (database) => {
    const app = await server(database, { config: { tls: true } });
    try {
      const response = await app.anonymous().post('/api/auth/login', { username: 'office', password: DEMO_PASSWORD });
      assert.match(String(response.headers['set-cookie']), /;\s*Secure/i);
      assert.match(String(response.headers['strict-transport-security']), /max-age=31536000/);
    } finally {
      await app.close();
    }
  });

  it('demo accounts: one per role, reporters bound to their seed units, seeding again changes nothing', async (database) => {
    const app = await server(database);
    try {
      const again = await app.services.demo.seedAccounts(systemActor('test'));
      assert.deepEqual(again.created, []);
      assert.equal(again.existing.length, 14);
      const users = await createRepositories(database.db).users.listUsers();
      const byName = new Map(users.map((user) => [user.username, user]));
      for (const [username, role, unit] of [
        ['office', 'office', null],
        ['office2', 'office', null],
        ['leader', 'leader', null],
        ['huanping', 'reporter', '环评处'],
        ['huanping-head', 'unit_head', '环评处'],
        ['guicai', 'reporter', '规财处'],
        ['shuichu', 'reporter', '水处'],
        ['shengtai', 'reporter', '生态处'],
        ['daqi', 'reporter', '大气处'],
        ['sysadmin', 'system_admin', null],
        ['secadmin', 'security_admin', null],
        ['auditor', 'audit_admin', null],
        ['platform', 'platform_admin', null],
        ['supervisor', 'supervisor', null],
      ] as const) {
        assert.equal(byName.get(username)?.role, role, username);
        assert.equal(byName.get(username)?.unit_name, unit, username);
        assert.match(byName.get(username)?.password_hash ?? '', /^\$argon2id\$/, `${username}: argon2id`);
      }
      assert.equal(byName.get('leader')?.display_name, '李岳东');
      const units = await createRepositories(database.db).organisation.listUnits();
      assert.ok(units.length > 0 && units.every((unit) => unit.phone !== null), 'every unit has a demo phone');
    } finally {
      await app.close();
    }
  });
});
