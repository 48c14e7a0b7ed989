import assert from 'node:assert/strict';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, type SignedInClient, type TestServer } from '../support/test-server.ts';

/**
 * 全省汇总 over HTTP (decision 030): only the province's supervisor reads it, and the supervisor
 * reads nothing else of any organisation — every business route, read or write, answers 403.
 * Until organisations are tenants the deployment is one organisation (the home one).
 */

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Routes the supervisor uses like any account (its session, password, bell, the profile's words), or that are its own. */
const SUPERVISOR_ROUTES = new Set([
  'GET /api/auth/me',
  'POST /api/auth/logout',
  'PUT /api/auth/password',
  'GET /api/auth/password-policy',
  'POST /api/auth/totp/enrol',
  'POST /api/auth/totp/confirm',
  'GET /api/organisation-profile',
  'GET /api/notifications',
  'GET /api/notifications/unread',
  'POST /api/notifications/read-all',
  // Their own e-mail for reminders, like their own password: a person's account, not a unit's data.
  'GET /api/me/delivery',
  'PUT /api/me/delivery',
  'GET /api/province/rollup',
  'GET /api/province/organisations/{code}/rounds',
]);

/** A route's URL with the demo's real objects in it (a plan, its round, a task, a unit …). */
async function urlMaker(server: TestServer) {
  const office = await server.as('office');
  const opened = await office.post(`/api/plans/${server.planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10' });
  assert.equal(opened.status, 201, opened.text);
  const huanping = await server.as('huanping');
  const unitId = huanping.session.user.unit!.id;
  const todo = await huanping.get(`/api/rounds/${opened.body.id}/units/${unitId}/todo`);
  const ids: Record<string, string> = {
    planId: String(server.planId),
    roundId: String(opened.body.id),
    taskId: String(todo.body.items[0].task.id),
    unitId: String(unitId),
    userId: String(office.session.user.id),
    code: 'home',
  };
  return (template: string) => template.replace(/\{([^}]+)\}/g, (_, name: string) => ids[name] ?? '1');
}

forEachEngine('province roll-up API (全省汇总)', (it) => {
  it('the supervisor reads the roll-up; every other role gets 403 and an anonymous caller 401', async (database) => {
    const server = await createTestServer(database);
    try {
      const supervisor = await server.as('supervisor');
      assert.equal(supervisor.session.user.role, 'supervisor');
      const rollUp = await supervisor.get('/api/province/rollup');
      assert.equal(rollUp.status, 200, rollUp.text);
      assert.equal(rollUp.body.organisations.length, 1);
      const [home] = rollUp.body.organisations;
      assert.equal(home.code, 'home');
      assert.equal(home.name, '四川省环境保护厅', 'named by the organisation profile');
      assert.deepEqual(home.plans, { total: 1, active: 0 });
      assert.equal(home.round.status, 'imported');
      assert.equal(home.round.onTimeRate, null, 'an imported round gets no invented rate');
      const rounds = await supervisor.get('/api/province/organisations/home/rounds');
      assert.equal(rounds.status, 200, rounds.text);
      assert.deepEqual(
        rounds.body.rounds.map((round: { label: string }) => round.label),
        ['2017年第二季度'],
      );

      assert.equal((await supervisor.get('/api/province/organisations/nowhere/rounds')).body.error.code, 'organisation_not_found');
      const badCode = await supervisor.get('/api/province/organisations/..%2Fplans/rounds');
      assert.ok([400, 404].includes(badCode.status), `${badCode.status}`);
      assert.equal((await supervisor.get(`/api/province/organisations/${encodeURIComponent('单位')}/rounds`)).status, 400);

      for (const username of ['office', 'leader', 'huanping', 'huanping-head', 'sysadmin', 'secadmin', 'auditor']) {
        const client = await server.as(username);
        for (const path of ['/api/province/rollup', '/api/province/organisations/home/rounds']) {
          const response = await client.get(path);
          assert.equal(response.status, 403, `${username} ${path}`);
          assert.equal(response.body.error.code, 'forbidden_role');
          assert.equal(response.body.error.message, '无权查看全省汇总：仅省级督查员可以查看');
        }
      }
      assert.equal((await server.anonymous().get('/api/province/rollup')).status, 401);

      // Nobody on the web makes a supervisor: the operator does, on the command line.
      const sysadmin = await server.as('sysadmin');
      const made = await sysadmin.post('/api/admin/accounts', {
        username: 'second-supervisor',
        displayName: '督查员',
        role: 'supervisor',
        unitId: null,
        phone: null,
      });
      assert.equal(made.status, 403, made.text);
      assert.equal(made.body.error.code, 'forbidden_supervisor_role');
      const office = await server.as('office');
      const moved = await (await server.as('secadmin')).put(`/api/admin/accounts/${office.session.user.id}/role`, { role: 'supervisor', unitId: null });
      assert.equal(moved.status, 403, moved.text);
      assert.equal(moved.body.error.code, 'forbidden_supervisor_role');
    } finally {
      await server.close();
    }
  });

  it('the supervisor gets 403 on every business route of the API, reads and writes alike, and changes nothing', async (database) => {
    const server = await createTestServer(database);
    try {
      const url = await urlMaker(server);
      const supervisor: SignedInClient = await server.as('supervisor');
      const plans = await supervisor.get('/api/plans');
      assert.equal(plans.status, 403);
      assert.equal(plans.body.error.message, '省级督查员只能查看全省汇总，不能查看各单位的分工方案和填报内容');

      const spec = (await supervisor.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
      const before = await database.db.selectFrom('audit_events').select('id').where('action', '!=', 'access.denied').execute();
      const reached: string[] = [];
      let checked = 0;
      let readsRefused = 0;
      for (const [template, item] of Object.entries(spec.paths))
        for (const method of METHODS) {
          const route = `${method.toUpperCase()} ${template}`;
          if (
            !item[method] ||
            SUPERVISOR_ROUTES.has(route) ||
            template.startsWith('/api/health') ||
            template === '/api/auth/login' ||
            template === '/api/auth/organisations'
          )
            continue;
          checked += 1;
          const response = await supervisor.request(method, url(template), method === 'get' || method === 'delete' ? undefined : {});
          // Never a 2xx. A write with an empty body may be refused as malformed (400) before the policy is asked.
          if (response.status < 300 || response.status >= 500) reached.push(`${route} → ${response.status} ${response.text.slice(0, 120)}`);
          if (method === 'get' && response.status === 403) readsRefused += 1;
        }
      assert.ok(checked > 60, `${checked} routes checked`);
      assert.ok(readsRefused > 25, `${readsRefused} reads refused with 403`);
      assert.deepEqual(reached, [], 'routes the supervisor reached');
      const after = await database.db.selectFrom('audit_events').select('id').where('action', '!=', 'access.denied').execute();
      assert.equal(after.length, before.length, 'nothing changed');
    } finally {
      await server.close();
    }
  });
});
