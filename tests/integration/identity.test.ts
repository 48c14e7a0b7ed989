import assert from 'node:assert/strict';
import { systemActor } from '../../src/domain/actor.ts';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { totpCode } from '../../src/server/services/totp.service.ts';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';
import { createTestServer, testClock, type TestServer, type TestServerOptions } from '../support/test-server.ts';

/** Identity (decision 010): password policy and history, forced change, sessions ended by changes. */
const server = (database: TestDatabase, options: TestServerOptions = {}) => createTestServer(database, { demoPlan: false, ...options });
const repos = (database: TestDatabase) => createRepositories(database.db);
const auditOf = (database: TestDatabase, action: string) => repos(database).audit.listAuditEvents({ action });

async function userId(database: TestDatabase, username: string): Promise<number> {
  const user = await repos(database).users.findUserByUsername(username);
  assert.ok(user, username);
  return user.id;
}

async function login(app: TestServer, username: string, password: string, code?: string) {
  return app.anonymous().post('/api/auth/login', code === undefined ? { username, password } : { username, password, code });
}

forEachEngine('identity: password policy and history', (it) => {
  it('each broken rule is named in Chinese; nothing changes when refused', async (database) => {
    const app = await server(database);
    try {
      const guicai = await app.as('guicai');
      const before = (await repos(database).users.findUserByUsername('guicai'))?.password_hash;
      const cases: [string, RegExp][] = [
        ['Ab1!', /密码至少 8 位（现为 4 位）/],
        ['abcdefgh12', /至少 3 类（现为 2 类）/],
        ['Guicai@2026', /密码不能包含用户名/],
        [DEMO_PASSWORD, /新密码不能与最近 5 次使用过的密码相同/],
      ];
      for (const [newPassword, message] of cases) {
        const response = await guicai.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword });
        assert.equal(response.status, 422, newPassword);
        assert.equal(response.body.error.code, 'password_policy');
        assert.match(response.body.error.message, message);
        assert.equal(response.body.error.details.field, 'newPassword');
      }
      const wrong = await guicai.post('/api/auth/password', { currentPassword: 'Wrong@2017', newPassword: 'Fresh#Start9' });
      assert.equal(wrong.status, 422);
      assert.equal(wrong.body.error.code, 'password_wrong');
      assert.match(wrong.body.error.message, /当前密码不正确/);
      assert.equal((await repos(database).users.findUserByUsername('guicai'))?.password_hash, before, 'nothing stored changed');
    } finally {
      await app.close();
    }
  });

  it('not one of the last 5: the sixth-last password is accepted again', async (database) => {
    const app = await server(database);
    try {
      let current = DEMO_PASSWORD;
      const client = await app.as('shuichu');
      const passwords = ['Pass#Word01', 'Pass#Word02', 'Pass#Word03', 'Pass#Word04', 'Pass#Word05'];
      for (const next of passwords) {
        const response = await client.post('/api/auth/password', { currentPassword: current, newPassword: next });
        assert.equal(response.status, 200, response.text);
        current = next;
      }
      // History now: DEMO, 01, 02, 03, 04, 05 — the last 5 are 01..05.
      const reuse = await client.post('/api/auth/password', { currentPassword: current, newPassword: 'Pass#Word02' });
      assert.equal(reuse.status, 422);
      assert.match(reuse.body.error.message, /最近 5 次/);
      const old = await client.post('/api/auth/password', { currentPassword: current, newPassword: DEMO_PASSWORD });
      assert.equal(old.status, 200, 'the demo password is the sixth-last: allowed again');
    } finally {
      await app.close();
    }
  });

  it('a password change ends the other sessions of the account, keeps this one, and is audited', async (database) => {
    const app = await server(database);
    try {
      const here = await app.as('daqi');
      const elsewhere = await app.as('daqi');
      const changed = await here.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Fresh-Start7' });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.body.restriction, null);
      assert.equal((await here.get('/api/auth/me')).status, 200, 'this session goes on');
      assert.equal((await elsewhere.get('/api/auth/me')).status, 401, 'the other session ended');
      const sessions = await repos(database).sessions.listSessionsOfUser(await userId(database, 'daqi'));
      assert.deepEqual(
        sessions.map((s) => s.end_reason),
        [null, 'password_changed'],
      );
      assert.equal((await login(app, 'daqi', DEMO_PASSWORD)).status, 422, 'the old password no longer works');
      assert.equal((await login(app, 'daqi', 'Fresh-Start7')).status, 200);
      const [row] = await auditOf(database, 'user.password_change');
      assert.equal(row?.result, 'success');
      assert.equal(JSON.parse(row?.detail ?? '{}').endedSessions, 1);
    } finally {
      await app.close();
    }
  });

  it('the security admin tightens the policy; it applies at once, is audited, and others cannot change it', async (database) => {
    const app = await server(database);
    try {
      const secadmin = await app.as('secadmin');
      const set = await secadmin.put('/api/admin/password-policy', { minLength: 12, minClasses: 4, history: 3 });
      assert.equal(set.status, 200, set.text);
      assert.equal(set.body.customised, true);
      assert.equal(set.body.updatedBy, '安全管理员', 'the page names the person, not the login');
      const policy = await (await app.as('huanping')).get('/api/auth/password-policy');
      assert.deepEqual([policy.body.minLength, policy.body.minClasses, policy.body.history], [12, 4, 3]);
      const huanping = await app.as('huanping');
      const short = await huanping.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Abcdef#1234' });
      assert.equal(short.status, 422);
      assert.match(short.body.error.message, /密码至少 12 位/);
      const [audit] = await auditOf(database, 'settings.password_policy');
      assert.deepEqual(JSON.parse(audit?.detail ?? '{}').after, { minLength: 12, minClasses: 4, history: 3 });
      const weak = await secadmin.put('/api/admin/password-policy', { minLength: 6, minClasses: 3, history: 5 });
      assert.equal(weak.status, 400, 'below the floor of 8 is refused');
      for (const who of ['sysadmin', 'auditor', 'office'])
        assert.equal((await (await app.as(who)).put('/api/admin/password-policy', { minLength: 8, minClasses: 3, history: 5 })).status, 403, who);
    } finally {
      await app.close();
    }
  });
});

forEachEngine('identity: forced password change at first login', (it) => {
  it('an account made by the system admin gets a temporary password; its first session may only change it', async (database) => {
    const app = await server(database);
    try {
      const sysadmin = await app.as('sysadmin');
      const units = await sysadmin.get('/api/admin/units');
      const unit = units.body.find((u: { name: string }) => u.name === '环评处');
      const created = await sysadmin.post('/api/admin/accounts', { username: 'wangfang', displayName: '王芳', role: 'reporter', unitId: unit.id, phone: null });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.account.mustChangePassword, true);
      const temporary = created.body.temporaryPassword;
      assert.ok(temporary.length >= 14);

      const first = await login(app, 'wangfang', temporary);
      assert.equal(first.status, 200);
      assert.equal(first.body.restriction, 'password_change');
      const user = await app.as('wangfang', temporary);
      for (const path of ['/api/plans', '/api/notifications', `/api/search?q=${encodeURIComponent('水质')}`]) {
        const refused = await user.get(path);
        assert.equal(refused.status, 403, path);
        assert.equal(refused.body.error.code, 'password_change_required');
        assert.match(refused.body.error.message, /请先修改密码/);
      }
      assert.equal((await user.get('/api/auth/me')).status, 200, 'who am I still answers');
      assert.equal((await user.get('/api/auth/password-policy')).status, 200);
      const changed = await user.post('/api/auth/password', { currentPassword: temporary, newPassword: 'Wang.Fang-2026' });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.body.user.mustChangePassword, false);
      assert.equal(changed.body.restriction, null);
      assert.equal((await user.get('/api/plans')).status, 200, 'after the change the session is a full one');
      assert.equal(JSON.parse((await auditOf(database, 'user.password_change'))[0]?.detail ?? '{}').wasRequired, true);
    } finally {
      await app.close();
    }
  });

  it('the first admin made by the CLI (system actor) must change its password; demo accounts need not', async (database) => {
    const app = await server(database);
    try {
      await app.services.users.createUser(systemActor('cli'), {
        username: 'root-admin',
        displayName: '首位管理员',
        password: 'Initial#Pass1',
        role: 'system_admin',
        unitId: null,
      });
      const first = await login(app, 'root-admin', 'Initial#Pass1');
      assert.equal(first.body.restriction, 'password_change');
      assert.equal((await login(app, 'office', DEMO_PASSWORD)).body.restriction, null);
      assert.equal((await login(app, 'sysadmin', DEMO_PASSWORD)).body.restriction, 'totp_enrolment', 'demo admins keep their password but must enrol TOTP');
    } finally {
      await app.close();
    }
  });

  it('a password reset by the system admin ends the sessions and forces a change again', async (database) => {
    const app = await server(database);
    try {
      const leader = await app.as('leader');
      const sysadmin = await app.as('sysadmin');
      const reset = await sysadmin.post(`/api/admin/accounts/${await userId(database, 'leader')}/reset-password`);
      assert.equal(reset.status, 200, reset.text);
      assert.equal((await leader.get('/api/auth/me')).status, 401);
      assert.equal((await login(app, 'leader', reset.body.temporaryPassword)).body.restriction, 'password_change');
      assert.equal((await auditOf(database, 'user.password_reset')).length, 1);
    } finally {
      await app.close();
    }
  });
});

forEachEngine('identity: lockout, per-IP throttle, unlock', (it) => {
  const fromIp = (app: TestServer, ip: string, username: string, password: string) =>
    app.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

  it('the per-IP throttle stops one address before it can lock more than two accounts (defaults 5 / 10 per 15 min)', async (database) => {
    const clock = testClock();
    const app = await server(database, { now: clock });
    try {
      const targets = ['huanping', 'guicai', 'shuichu', 'shengtai', 'daqi'];
      const statuses: number[] = [];
      for (const username of targets)
        for (let attempt = 0; attempt < 5; attempt += 1) statuses.push((await fromIp(app, '10.0.0.66', username, `Wrong@${attempt}`)).statusCode);
      assert.deepEqual(statuses.slice(0, 10), Array(10).fill(422));
      assert.deepEqual(statuses.slice(10), Array(15).fill(429), 'the eleventh failure from one address is throttled');
      const users = await repos(database).users.listUsers();
      const locked = users.filter((user) => user.locked_until !== null).map((user) => user.username);
      assert.deepEqual(locked.sort(), ['guicai', 'huanping'], 'only two accounts locked');

      const throttled = await fromIp(app, '10.0.0.66', 'shuichu', DEMO_PASSWORD);
      assert.equal(throttled.statusCode, 429, 'even the right password from that address waits');
      assert.equal(throttled.json().error.code, 'login_throttled');
      assert.match(throttled.json().error.message, /登录失败次数过多，请 15 分钟后再试/);
      assert.equal(throttled.headers['retry-after'], String(15 * 60));
      assert.equal((await fromIp(app, '10.0.0.7', 'shuichu', DEMO_PASSWORD)).statusCode, 200, 'colleagues at other addresses log in');

      clock.advance(10 * 60_000);
      assert.equal((await fromIp(app, '10.0.0.66', 'shuichu', DEMO_PASSWORD)).headers['retry-after'], String(5 * 60));
      clock.advance(5 * 60_000 + 1_000);
      assert.equal((await fromIp(app, '10.0.0.66', 'shuichu', DEMO_PASSWORD)).statusCode, 200, 'the window moved on');
      const throttleRows = (await auditOf(database, 'auth.login')).filter((row) => JSON.parse(row.detail).reason === 'ip_throttled');
      assert.equal(throttleRows.length, 17, 'every throttled attempt is audited');
    } finally {
      await app.close();
    }
  });

  it('thresholds come from the configuration', async (database) => {
    const app = await server(database, { config: { login: { maxFailures: 5, lockMinutes: 30, ipMaxFailures: 2, ipWindowMinutes: 1 } } });
    try {
      assert.equal((await fromIp(app, '10.0.0.9', 'office', 'Wrong@1')).statusCode, 422);
      assert.equal((await fromIp(app, '10.0.0.9', 'office', 'Wrong@2')).statusCode, 422);
      const third = await fromIp(app, '10.0.0.9', 'office', DEMO_PASSWORD);
      assert.equal(third.statusCode, 429);
      assert.equal(third.headers['retry-after'], '60');
    } finally {
      await app.close();
    }
  });

  it('the security admin unlocks a locked account (audited); nobody else may', async (database) => {
    const app = await server(database);
    try {
      for (let attempt = 0; attempt < 5; attempt += 1) await login(app, 'guicai', `Wrong@${attempt}`);
      assert.equal((await login(app, 'guicai', DEMO_PASSWORD)).status, 422, 'locked');
      const id = await userId(database, 'guicai');
      const secadmin = await app.as('secadmin');
      const list = await secadmin.get('/api/admin/accounts');
      assert.ok(list.body.find((a: { username: string }) => a.username === 'guicai').lockedUntil, 'the list shows the lock');
      for (const who of ['sysadmin', 'auditor', 'office', 'huanping-head']) {
        const refused = await (await app.as(who)).post(`/api/admin/accounts/${id}/unlock`);
        assert.equal(refused.status, 403, who);
      }
      const unlocked = await secadmin.post(`/api/admin/accounts/${id}/unlock`);
      assert.equal(unlocked.status, 200, unlocked.text);
      assert.equal(unlocked.body.lockedUntil, null);
      assert.equal((await login(app, 'guicai', DEMO_PASSWORD)).status, 200);
      const [row] = await auditOf(database, 'auth.unlock');
      assert.equal(row?.actor_name, 'secadmin');
      assert.equal(row?.object_id, String(id));
      assert.equal(JSON.parse(row?.detail ?? '{}').wasLocked, true);
      assert.equal((await auditOf(database, 'auth.lock')).length, 1, 'the lock was audited too');
    } finally {
      await app.close();
    }
  });
});

forEachEngine('identity: sessions end when who you are changes', (it) => {
  it('a role change by the security admin ends the account’s sessions; the next login has the new role', async (database) => {
    const app = await server(database);
    try {
      const shengtai = await app.as('shengtai');
      const secadmin = await app.as('secadmin');
      const changed = await secadmin.put(`/api/admin/accounts/${await userId(database, 'shengtai')}/role`, {
        role: 'unit_head',
        unitId: shengtai.session.user.unit!.id,
      });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.body.role, 'unit_head');
      assert.equal((await shengtai.get('/api/auth/me')).status, 401);
      assert.equal((await app.as('shengtai')).session.user.role, 'unit_head');
      const [row] = await auditOf(database, 'user.role_change');
      assert.deepEqual(JSON.parse(row?.detail ?? '{}').after, { role: 'unit_head', unitId: shengtai.session.user.unit!.id });
      const sessions = await repos(database).sessions.listSessionsOfUser(await userId(database, 'shengtai'));
      assert.equal(sessions[0]?.end_reason, 'role_changed');
    } finally {
      await app.close();
    }
  });

  it('disabling by the system admin ends the sessions at once', async (database) => {
    const app = await server(database);
    try {
      const office = await app.as('office');
      const disabled = await (await app.as('sysadmin')).post(`/api/admin/accounts/${await userId(database, 'office')}/disable`);
      assert.equal(disabled.status, 200, disabled.text);
      assert.equal(disabled.body.disabled, true);
      assert.equal((await office.get('/api/auth/me')).status, 401);
    } finally {
      await app.close();
    }
  });

  it('idle and absolute timeouts hold for an admin session too (movable clock)', async (database) => {
    const clock = testClock();
    const app = await server(database, { now: clock });
    try {
      const secadmin = await app.as('secadmin');
      clock.advance(29 * 60_000);
      assert.equal((await secadmin.get('/api/admin/accounts')).status, 200);
      clock.advance(30 * 60_000);
      assert.equal((await secadmin.get('/api/admin/accounts')).status, 401, 'idle 30 min');
    } finally {
      await app.close();
    }
  });
});

forEachEngine('identity: TOTP second factor', (it) => {
  it('a reporter may enrol; logins then need a current code, and the same code is refused twice', async (database) => {
    const clock = testClock('2026-03-02T08:00:05.000Z');
    const app = await server(database, { now: clock });
    try {
      const huanping = await app.as('huanping');
      const enrol = await huanping.post('/api/auth/totp/enrol');
      assert.equal(enrol.status, 200, enrol.text);
      assert.match(enrol.body.uri, /^otpauth:\/\/totp\/diaodu:huanping\?.*secret=/);
      assert.match(enrol.body.secret, /^[A-Z2-7]{32}$/);
      const secret = enrol.body.secret as string;
      const bad = await huanping.post('/api/auth/totp/confirm', { code: '000000' === totpCode(secret, clock()) ? '111111' : '000000' });
      assert.equal(bad.status, 422);
      assert.equal(bad.body.error.code, 'totp_invalid');
      const confirm = await huanping.post('/api/auth/totp/confirm', { code: totpCode(secret, clock()) });
      assert.equal(confirm.status, 200, confirm.text);
      assert.equal(confirm.body.user.totpEnabled, true);
      // The per-request session lookup reads "enrolled", not the secret itself.
      assert.equal((await huanping.get('/api/auth/me')).body.user.totpEnabled, true);
      assert.equal((await auditOf(database, 'user.totp_enable')).length, 1);

      const noCode = await login(app, 'huanping', DEMO_PASSWORD);
      assert.equal(noCode.status, 422);
      assert.equal(noCode.body.error.code, 'totp_required');
      assert.equal((await login(app, 'huanping', 'Wrong@2017')).body.error.code, 'login_failed', 'a wrong password never reaches the code step');

      clock.advance(30_000);
      const code = totpCode(secret, clock());
      assert.equal((await login(app, 'huanping', DEMO_PASSWORD, code)).status, 200);
      const replay = await login(app, 'huanping', DEMO_PASSWORD, code);
      assert.equal(replay.status, 422, 'the same code again');
      assert.equal(replay.body.error.code, 'totp_invalid');
      const previous = await login(app, 'huanping', DEMO_PASSWORD, totpCode(secret, new Date(clock().getTime() - 30_000)));
      assert.equal(previous.status, 422, 'an older step after a newer one was used');

      clock.advance(30_000);
      assert.equal(
        (await login(app, 'huanping', DEMO_PASSWORD, totpCode(secret, new Date(clock().getTime() + 30_000)))).status,
        200,
        'one step of drift ahead',
      );
      clock.advance(90_000);
      assert.equal((await login(app, 'huanping', DEMO_PASSWORD, totpCode(secret, new Date(clock().getTime() - 60_000)))).status, 422, 'two steps behind');
      const failures = (await auditOf(database, 'auth.login')).filter((row) => JSON.parse(row.detail).reason === 'bad_totp');
      assert.equal(failures.length, 3, 'wrong codes are failed logins');
      // The success in between cleared the first two; the last one counts toward the lock.
      assert.equal((await repos(database).users.findUserByUsername('huanping'))?.failed_logins, 1, 'and count toward the lock');
    } finally {
      await app.close();
    }
  });

  it('an admin without TOTP may only enrol; every admin function waits', async (database) => {
    const clock = testClock();
    const app = await server(database, { now: clock });
    try {
      const first = await login(app, 'sysadmin', DEMO_PASSWORD);
      assert.equal(first.body.restriction, 'totp_enrolment');
      const cookie = String(first.headers['set-cookie']).split(';')[0]!;
      const headers = { cookie, 'x-csrf-token': first.body.csrfToken };
      const accounts = await app.app.inject({ method: 'GET', url: '/api/admin/accounts', headers });
      assert.equal(accounts.statusCode, 403);
      assert.equal(accounts.json().error.code, 'totp_enrolment_required');
      const enrol = await app.app.inject({ method: 'POST', url: '/api/auth/totp/enrol', headers });
      assert.equal(enrol.statusCode, 200);
      const confirm = await app.app.inject({
        method: 'POST',
        url: '/api/auth/totp/confirm',
        headers,
        payload: { code: totpCode(enrol.json().secret, clock()) },
      });
      assert.equal(confirm.statusCode, 200, confirm.body);
      assert.equal(confirm.json().restriction, null);
      assert.equal(
        (await app.app.inject({ method: 'GET', url: '/api/admin/accounts', headers })).statusCode,
        200,
        'after enrolment the same session is a full one',
      );
      const again = await app.app.inject({ method: 'POST', url: '/api/auth/totp/enrol', headers });
      assert.equal(again.statusCode, 409, 'enrolled once; a new phone needs the security admin');
    } finally {
      await app.close();
    }
  });

  it('with DIAODU_TOTP_KEY the stored secret is sealed; the security admin can reset a user’s second factor', async (database) => {
    const clock = testClock();
    const app = await server(database, { now: clock, config: { totpKey: 'a1'.repeat(32) } });
    try {
      const office = await app.as('office');
      const secret = (await office.post('/api/auth/totp/enrol')).body.secret as string;
      assert.equal((await office.post('/api/auth/totp/confirm', { code: totpCode(secret, clock()) })).status, 200);
      const stored = (await repos(database).users.findUserByUsername('office'))?.totp_secret ?? '';
      assert.match(stored, /^gcm1:/);
      assert.ok(!stored.includes(secret), 'the database does not hold the secret in clear');

      const reset = await (await app.as('secadmin')).post(`/api/admin/accounts/${await userId(database, 'office')}/reset-totp`);
      assert.equal(reset.status, 200, reset.text);
      assert.equal(reset.body.totpEnabled, false);
      assert.equal((await login(app, 'office', DEMO_PASSWORD)).status, 200, 'no code needed after the reset');
      assert.equal((await auditOf(database, 'user.totp_reset')).length, 1);
    } finally {
      await app.close();
    }
  });
});
