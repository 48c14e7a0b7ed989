import assert from 'node:assert/strict';
import { systemActor } from '../../src/domain/actor.ts';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { SESSION_COOKIE } from '../../src/server/http/session-cookie.ts';
import { DEMO_CITY, DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

/**
 * Many organisations on one deployment (issue 14, decision 028): login with an organisation, the
 * session bound to its store, the platform administrator's 组织管理, archiving.
 */
forEachEngine('organisations: login, sessions and the platform administrator', (it) => {
  it('the login page lists the active organisations; a login chooses one and reaches only its data', async (database) => {
    const server = await createTestServer(database, { demoCity: true });
    try {
      const listed = await server.anonymous().get('/api/auth/organisations');
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body, [
        { code: 'home', name: '四川省环境保护厅' },
        { code: DEMO_CITY.code, name: DEMO_CITY.name },
      ]);

      const city = await server.as('city-office', { organisation: DEMO_CITY.code });
      assert.deepEqual(city.session.organisation, { code: DEMO_CITY.code, name: DEMO_CITY.name });
      assert.match(city.cookie, new RegExp(`^${SESSION_COOKIE}=${server.city!.id}\\.`));
      const me = await city.get('/api/auth/me');
      assert.deepEqual(me.body.organisation, { code: DEMO_CITY.code, name: DEMO_CITY.name });
      const plans = await city.get('/api/plans');
      assert.equal(plans.status, 200);
      assert.deepEqual(
        plans.body.map((plan: { id: number }) => plan.id),
        [server.city!.planId],
      );
      assert.match(JSON.stringify(plans.body), /示例市/);
      assert.doesNotMatch(JSON.stringify(plans.body), /四川/);

      const office = await server.as('office');
      assert.deepEqual(office.session.organisation, { code: 'home', name: '四川省环境保护厅' });
      const homePlans = await office.get('/api/plans');
      assert.deepEqual(
        homePlans.body.map((plan: { id: number }) => plan.id),
        [server.planId],
      );
      assert.doesNotMatch(JSON.stringify(homePlans.body), /示例市/);
    } finally {
      await server.close();
    }
  });

  it('a wrong organisation code, or an account of another organisation, gets the wrong-password answer', async (database) => {
    const server = await createTestServer(database, { demoCity: true });
    try {
      const anonymous = server.anonymous();
      const wrongPassword = await anonymous.post('/api/auth/login', { username: 'office', password: 'Wrong@2017x' });
      const unknownCode = await anonymous.post('/api/auth/login', { username: 'office', password: DEMO_PASSWORD, organisation: 'no-such-town' });
      const otherOrganisation = await anonymous.post('/api/auth/login', { username: 'office', password: DEMO_PASSWORD, organisation: DEMO_CITY.code });
      const homeForCity = await anonymous.post('/api/auth/login', { username: 'city-office', password: DEMO_PASSWORD });
      for (const refused of [unknownCode, otherOrganisation, homeForCity]) {
        assert.equal(refused.status, wrongPassword.status);
        assert.deepEqual(refused.body, wrongPassword.body);
      }
      assert.equal(wrongPassword.body.error.message, '用户名或密码错误');
      // The unknown code is audited in the home store like any failed login.
      const failures = await createRepositories(database.db).audit.listAuditEvents({ action: 'auth.login' });
      assert.ok(
        failures.some(
          (row) =>
            row.result === 'failure' && JSON.parse(row.detail).reason === 'unknown_organisation' && JSON.parse(row.detail).organisation === 'no-such-town',
        ),
        JSON.stringify(failures.map((row) => row.detail)),
      );
    } finally {
      await server.close();
    }
  });

  it('a cookie naming another organisation than its session’s is no session', async (database) => {
    const server = await createTestServer(database, { demoCity: true });
    try {
      const office = await server.as('office');
      const token = office.cookie.slice(`${SESSION_COOKIE}=`.length);
      for (const forged of [`${server.city!.id}.${token}`, `999.${token}`, `01.${token}`, `x.${token}`]) {
        const response = await server.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=${forged}` } });
        assert.equal(response.statusCode, 401, forged);
      }
    } finally {
      await server.close();
    }
  });

  it('the platform administrator creates an organisation: its store, its profile, its first admin with a temporary password; audited in both stores', async (database) => {
    const server = await createTestServer(database, { demoCity: true });
    try {
      const platform = await server.as('platform');
      const created = await platform.post('/api/platform/organisations', {
        code: 'test-town',
        name: '测试县生态环境局',
        adminUsername: 'town-admin',
        adminName: '周文',
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.organisation.code, 'test-town');
      assert.deepEqual([created.body.organisation.accounts, created.body.organisation.plans, created.body.organisation.rounds], [1, 0, 0]);
      assert.deepEqual(created.body.admin, { username: 'town-admin', displayName: '周文' });

      const login = await server
        .anonymous()
        .post('/api/auth/login', { username: 'town-admin', password: created.body.temporaryPassword, organisation: 'test-town' });
      assert.equal(login.status, 200, login.text);
      assert.equal(login.body.restriction, 'password_change');
      assert.deepEqual(login.body.organisation, { code: 'test-town', name: '测试县生态环境局' });

      const town = await server.organisation('test-town');
      assert.equal((await town.services.organisationProfile.view(systemActor('test'))).profile?.fullName, '测试县生态环境局');
      assert.equal((await createRepositories(town.database.db).audit.listAuditEvents({ action: 'organisation.create' })).length, 1);
      const homeAudit = await createRepositories(database.db).audit.listAuditEvents({ action: 'organisation.create' });
      assert.ok(
        homeAudit.some((row) => row.object_id === String(created.body.organisation.id) && row.actor_display_name === '平台管理员'),
        JSON.stringify(homeAudit),
      );

      const again = await platform.post('/api/platform/organisations', { code: 'test-town', name: '另一个', adminUsername: 'x-admin', adminName: '某' });
      assert.equal(again.status, 409);
      const bad = await platform.post('/api/platform/organisations', { code: 'Bad Code!', name: '', adminUsername: 'x-admin', adminName: '某' });
      assert.equal(bad.status, 422);
      assert.deepEqual(
        bad.body.error.details.problems.map((p: { field: string }) => p.field),
        ['code', 'name'],
      );

      const list = await platform.get('/api/platform/organisations');
      assert.deepEqual(
        list.body.map((o: { code: string }) => o.code),
        ['home', DEMO_CITY.code, 'test-town'],
      );
      const city = list.body.find((o: { code: string }) => o.code === DEMO_CITY.code);
      assert.ok(city.accounts === 7 && city.plans === 1 && city.rounds === 1, JSON.stringify(city));
    } finally {
      await server.close();
    }
  });

  it('the platform administrator sees no business data; nobody else may manage organisations', async (database) => {
    const server = await createTestServer(database, { demoCity: true });
    try {
      const platform = await server.as('platform');
      assert.equal((await platform.get('/api/plans')).status, 403);
      assert.equal((await platform.get(`/api/rounds/${server.roundId}`)).status, 403);
      for (const [username, organisation] of [
        ['office', undefined],
        ['sysadmin', undefined],
        ['city-admin', DEMO_CITY.code],
      ] as const) {
        const client = await server.as(username, organisation ? { organisation } : {});
        assert.equal((await client.get('/api/platform/organisations')).status, 403, username);
        assert.equal(
          (await client.post('/api/platform/organisations', { code: 'x-town', name: '某', adminUsername: 'x-admin', adminName: '某' })).status,
          403,
          username,
        );
      }
      // A platform administrator's role in another organisation's store gives no platform rights.
      const city = await server.organisation(DEMO_CITY.code);
      await city.services.users.createUser(systemActor('test'), {
        username: 'city-platform',
        displayName: '市平台',
        password: DEMO_PASSWORD,
        role: 'platform_admin',
        unitId: null,
        mustChangePassword: false,
      });
      const cityPlatform = await server.as('city-platform', { organisation: DEMO_CITY.code });
      const refused = await cityPlatform.get('/api/platform/organisations');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'forbidden_platform');
      // The refusal is audited in the store of the organisation it came from.
      const denied = await createRepositories(city.database.db).audit.listAuditEvents({ action: 'access.denied' });
      assert.ok(
        denied.some((row) => row.actor_name === 'city-platform'),
        JSON.stringify(denied),
      );
    } finally {
      await server.close();
    }
  });

  it('an archived organisation’s accounts can no longer log in, its live sessions end, its data stays; the home one cannot be archived', async (database) => {
    const server = await createTestServer(database, { demoCity: true });
    try {
      const cityOffice = await server.as('city-office', { organisation: DEMO_CITY.code });
      const platform = await server.as('platform');
      const home = await platform.post('/api/platform/organisations/1/archive');
      assert.equal(home.status, 422);
      const archived = await platform.post(`/api/platform/organisations/${server.city!.id}/archive`);
      assert.equal(archived.status, 200, archived.text);
      assert.ok(archived.body.archivedAt);
      assert.equal(archived.body.plans, 1);
      assert.equal((await platform.post(`/api/platform/organisations/${server.city!.id}/archive`)).status, 409);
      assert.equal((await platform.post('/api/platform/organisations/999/archive')).status, 404);

      assert.equal((await cityOffice.get('/api/plans')).status, 401);
      const login = await server.anonymous().post('/api/auth/login', { username: 'city-office', password: DEMO_PASSWORD, organisation: DEMO_CITY.code });
      assert.equal(login.status, 422);
      assert.equal(login.body.error.code, 'login_failed');
      assert.deepEqual(
        (await server.anonymous().get('/api/auth/organisations')).body.map((o: { code: string }) => o.code),
        ['home'],
      );
      assert.equal((await createRepositories(database.db).audit.listAuditEvents({ action: 'organisation.archive' })).length, 1);
    } finally {
      await server.close();
    }
  });
});

forEachEngine('organisations: shared limits', (it) => {
  it('one organisation’s exports do not spend another’s rate limit (account ids repeat across stores)', async (database) => {
    const server = await createTestServer(database, { demoCity: true, config: { exports: { perMinute: 2, timeoutMs: 300_000, soffice: null } } });
    try {
      const office = await server.as('office');
      const cityOffice = await server.as('city-office', { organisation: DEMO_CITY.code });
      assert.equal(office.session.user.id, cityOffice.session.user.id, 'the same account id in both stores');
      for (let i = 0; i < 2; i++) assert.equal((await office.post(`/api/rounds/${server.roundId}/exports`, { format: 'json' })).status, 202);
      assert.equal((await office.post(`/api/rounds/${server.roundId}/exports`, { format: 'json' })).status, 429);
      assert.equal((await cityOffice.post(`/api/rounds/${server.city!.roundId}/exports`, { format: 'json' })).status, 202);
    } finally {
      await server.close();
    }
  });
});
