import assert from 'node:assert/strict';
import { systemActor } from '../../src/domain/actor.ts';
import type { PlanTreeView, SearchHitView, TaskDetailView, TaskRowView } from '../../src/domain/api/plan-view.ts';
import { InstructionLimits, SearchLimits } from '../../src/domain/limits.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, type TestClient } from '../support/test-server.ts';

const BUSINESS = ['office', 'leader', 'huanping', 'huanping-head'] as const;
const ADMINS = ['sysadmin', 'secadmin', 'auditor'] as const;

const rowsOf = (tree: PlanTreeView): TaskRowView[] => tree.chapters.flatMap((chapter) => chapter.sections.flatMap((section) => section.tasks));
const query = (params: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(params).map(([key, value]): [string, string] => [key, String(value)])).toString();

async function taskIdContaining(client: TestClient, planId: number, fragment: string): Promise<number> {
  const tree = await client.get<PlanTreeView>(`/api/plans/${planId}/tree`);
  const row = rowsOf(tree.body).find((candidate) => candidate.text.includes(fragment));
  assert.ok(row, `a task contains ${fragment}`);
  return row.id;
}

forEachEngine('plan API', (it) => {
  it('lists plans and gives the tree with every filter to business roles; admins get 403, nobody signed in 401', async (database) => {
    const server = await createTestServer(database);
    try {
      const planId = server.planId!;
      for (const username of BUSINESS) {
        const client = await server.as(username);
        const plans = await client.get('/api/plans');
        assert.equal(plans.status, 200, `${username}: ${JSON.stringify(plans.body)}`);
        assert.deepEqual(
          plans.body.map((plan: { id: number; tasks: number }) => [plan.id, plan.tasks]),
          [[planId, 111]],
        );
        assert.equal((await client.get(`/api/plans/${planId}/tree`)).status, 200);
      }
      for (const username of ADMINS) {
        const admin = await server.as(username);
        for (const path of ['/api/plans', `/api/plans/${planId}/tree`, '/api/search?q=水质']) {
          const denied = await admin.get(path);
          assert.equal(denied.status, 403, `${username} ${path}`);
          assert.equal(denied.body.error.code, 'forbidden_role');
        }
      }
      const anonymous = server.anonymous();
      for (const path of ['/api/plans', `/api/plans/${planId}/tree`, '/api/tasks/1', '/api/search?q=水质'])
        assert.equal((await anonymous.get(path)).status, 401, path);

      const office = await server.as('office');
      const huanping = await server.as('huanping');
      const tree = await office.get<PlanTreeView>(`/api/plans/${planId}/tree`);
      assert.equal(tree.body.total, 111);
      assert.equal(tree.body.matched, 111);
      assert.equal(tree.body.round?.label, '2017年第二季度');
      assert.deepEqual(
        tree.body.chapters.flatMap((chapter) => chapter.sections.map((section) => section.number)),
        Array.from({ length: 34 }, (_, index) => index + 1).filter((number) => number !== 8 && number !== 29),
      );

      const matched = async (params: Record<string, string | number>) => {
        const response = await office.get<PlanTreeView>(`/api/plans/${planId}/tree?${query(params)}`);
        assert.equal(response.status, 200, `${JSON.stringify(params)}: ${JSON.stringify(response.body)}`);
        assert.equal(rowsOf(response.body).length, response.body.matched);
        return response.body;
      };
      assert.equal((await matched({ leader: '高洁' })).matched, 14);
      const huanpingUnit = huanping.session!.user.unit!.id;
      const byUnit = await matched({ unitId: huanpingUnit });
      assert.equal(byUnit.matched, 14);
      for (const row of rowsOf(byUnit)) assert.ok(row.units.some((unit) => unit.id === huanpingUnit));
      assert.equal((await matched({ department: '林业厅' })).matched, 11);
      const unanswered = await matched({ unanswered: 1 });
      assert.deepEqual(
        unanswered,
        await server.services.planViews.planTree(systemActor('test'), planId, { unanswered: true }),
        'the API answers what the service does',
      );
      assert.equal((await matched({ unanswered: 'false' })).matched, 111);
      const drinking = await matched({ q: '饮用水' });
      for (const row of rowsOf(drinking)) assert.ok(row.text.includes('饮用水') || row.answers.some((answer) => answer.text.includes('饮用水')));
      assert.ok(drinking.matched >= 2);
      assert.equal((await matched({ leader: '李岳东', department: '环境保护厅', q: '水' })).matched > 0, true);

      for (const [params, status] of [
        [{ status: 'unknown' }, 400],
        [{ unanswered: 'yes' }, 400],
        [{ roundId: 'abc' }, 400],
        [{ q: '水'.repeat(SearchLimits.q.max + 1) }, 400],
        [{ roundId: 999_999 }, 404],
      ] as const) {
        const response = await office.get(`/api/plans/${planId}/tree?${query(params)}`);
        assert.equal(response.status, status, JSON.stringify(params));
        assert.ok(response.body.error.code);
      }
      assert.equal((await office.get('/api/plans/999999/tree')).status, 404);
      assert.equal((await office.get('/api/plans/0/tree')).status, 400);

      const openapi = (await office.get('/api/openapi.json')).body;
      for (const path of ['/api/plans', '/api/plans/{planId}/tree', '/api/tasks/{taskId}', '/api/tasks/{taskId}/instructions', '/api/search'])
        assert.ok(openapi.paths[path], `${path} is documented`);
      const treeParams = openapi.paths['/api/plans/{planId}/tree'].get.parameters.map((parameter: { name: string }) => parameter.name);
      for (const name of ['roundId', 'unitId', 'leader', 'department', 'status', 'unanswered', 'q', 'planId'])
        assert.ok(treeParams.includes(name), `tree parameter ${name}`);
      assert.ok(openapi.paths['/api/tasks/{taskId}/instructions'].post.requestBody, 'the instruction body is documented');
      assert.ok(openapi.paths['/api/search'].get.responses['200'], 'search hits are documented');
    } finally {
      await server.close();
    }
  });

  it('shows a task page, and lets only leaders write instructions, which every business role then reads', async (database) => {
    const server = await createTestServer(database);
    try {
      const planId = server.planId!;
      const leader = await server.as('leader');
      const office = await server.as('office');
      const huanping = await server.as('huanping');
      const taskId = await taskIdContaining(office, planId, '实施饮用水环境安全保障工程');
      const path = `/api/tasks/${taskId}`;

      const detail = await huanping.get<TaskDetailView>(path);
      assert.equal(detail.status, 200, JSON.stringify(detail.body));
      assert.deepEqual(
        detail.body.task.units.map((unit) => unit.name),
        ['水处', '监察总队', '应急中心'],
      );
      assert.deepEqual(
        detail.body.rounds.map((round) => round.label),
        ['2017年第二季度'],
      );
      assert.deepEqual(
        detail.body.rounds[0]!.answers.map((answer) => [answer.unitName, answer.state]),
        [
          ['水处', 'imported'],
          ['监察总队', 'imported'],
        ],
      );
      assert.equal((await office.get('/api/tasks/999999')).status, 404);
      assert.equal((await office.get('/api/tasks/abc')).status, 400);

      const written = await leader.post(`${path}/instructions`, { text: '请水处牵头，加快推进饮用水源地整治。' });
      assert.equal(written.status, 201, JSON.stringify(written.body));
      assert.equal(written.body.author, '李岳东');
      assert.equal(written.body.roundId, null);
      const aboutRound = await leader.post(`${path}/instructions`, { text: '同意。', roundId: server.roundId });
      assert.equal(aboutRound.status, 201);
      assert.equal(aboutRound.body.roundId, server.roundId);

      for (const username of ['office', 'huanping', 'huanping-head', ...ADMINS]) {
        const client = await server.as(username);
        const refused = await client.post(`${path}/instructions`, { text: '我也想批示。' });
        assert.equal(refused.status, 403, username);
        assert.equal(refused.body.error.code, 'forbidden_role');
      }
      const withoutCsrf = await leader.post(`${path}/instructions`, { text: '没有令牌。' }, { 'x-csrf-token': '' });
      assert.equal(withoutCsrf.status, 403);
      assert.equal((await leader.post(`${path}/instructions`, { text: '  ' })).status, 422);
      assert.equal(
        (await leader.post(`${path}/instructions`, { text: '批'.repeat(InstructionLimits.text.max + 1) })).status,
        422,
        'over the field limit is 422',
      );
      assert.equal((await leader.post(`${path}/instructions`, {})).status, 400);
      const wrongRound = await leader.post(`${path}/instructions`, { text: '批示。', roundId: 999_999 });
      assert.equal(wrongRound.status, 422);
      assert.equal(wrongRound.body.error.code, 'instruction_round_invalid');
      assert.equal((await leader.post('/api/tasks/999999/instructions', { text: '批示。' })).status, 404);

      for (const client of [office, huanping, leader]) {
        const page = await client.get<TaskDetailView>(path);
        assert.deepEqual(
          page.body.instructions.map((instruction) => instruction.text),
          ['请水处牵头，加快推进饮用水源地整治。', '同意。'],
        );
      }
      const audits = await database.db.selectFrom('audit_events').select(['action', 'result']).where('action', '=', 'instruction.create').execute();
      assert.equal(audits.length, 2);
      const denials = await database.db
        .selectFrom('audit_events')
        .select('id')
        .where('action', '=', 'access.denied')
        .where('object_id', '=', `${path}/instructions`)
        .execute();
      assert.equal(denials.length, 7, 'every refused attempt (six roles, one without its CSRF token) is audited');
    } finally {
      await server.close();
    }
  });

  it('searches task and progress text in Chinese; bad queries get clear errors and change nothing', async (database) => {
    const server = await createTestServer(database);
    try {
      const planId = server.planId!;
      const office = await server.as('office');
      const search = (params: Record<string, string | number>) => office.get<SearchHitView[]>(`/api/search?${query(params)}`);

      const drinking = await search({ q: '饮用水' });
      assert.equal(drinking.status, 200, JSON.stringify(drinking.body));
      assert.ok(drinking.body.some((hit) => hit.field === 'task'));
      assert.ok(drinking.body.some((hit) => hit.field === 'progress' && hit.roundLabel === '2017年第二季度' && hit.unitName === '水处'));
      for (const hit of drinking.body) assert.ok(hit.snippet.includes('\u0001饮用水\u0002'), hit.snippet);
      assert.deepEqual((await search({ q: '饮用水', planId })).body, drinking.body);

      const quality = await search({ q: '水质' });
      assert.ok(quality.body.length >= 2);
      for (const hit of quality.body) assert.ok(hit.snippet.includes('\u0001水质\u0002'));

      for (const q of ['量子计算机', "' OR 1=1--", '%', '_']) {
        const response = await search({ q });
        assert.equal(response.status, 200, q);
        if (q !== '%') assert.deepEqual(response.body, [], q);
      }
      assert.equal((await office.get<PlanTreeView>(`/api/plans/${planId}/tree`)).body.total, 111, 'nothing was changed');

      const empty = await office.get('/api/search?q=');
      assert.equal(empty.status, 422);
      assert.equal(empty.body.error.code, 'search_query_empty');
      assert.equal((await office.get('/api/search')).status, 422);
      assert.equal((await search({ q: '水'.repeat(SearchLimits.q.max + 1) })).status, 400);
      assert.equal((await search({ q: '水质', planId: 999_999 })).status, 404);
    } finally {
      await server.close();
    }
  });

  it('keeps an open round’s answers with their unit: another unit neither reads nor finds them', async (database) => {
    const server = await createTestServer(database);
    try {
      const planId = server.planId!;
      const office = await server.as('office');
      const shuichu = await server.as('shuichu');
      const huanping = await server.as('huanping');
      const leader = await server.as('leader');
      const opened = await office.post(`/api/plans/${planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10' });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      const roundId = opened.body.id as number;
      const taskId = await taskIdContaining(office, planId, '实施饮用水环境安全保障工程');
      const unitId = shuichu.session!.user.unit!.id;
      const saved = await shuichu.put(`/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/answer`, {
        text: '第三季度：完成饮用水源地整治 100 个。',
        status: 'on_track',
        reason: null,
        version: 0,
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));

      const answersOf = async (client: TestClient) =>
        (await client.get<TaskDetailView>(`/api/tasks/${taskId}`)).body.rounds
          .find((round) => round.id === roundId)!
          .answers.map((answer) => [answer.unitName, answer.state]);
      assert.deepEqual(await answersOf(shuichu), [
        ['水处', 'draft'],
        ['监察总队', 'empty'],
        ['应急中心', 'empty'],
      ]);
      assert.deepEqual(await answersOf(leader), await answersOf(shuichu));
      assert.deepEqual(await answersOf(huanping), [], '环评处 is not responsible for this task');
      const found = async (client: TestClient) => (await client.get<SearchHitView[]>(`/api/search?${query({ q: '完成饮用水源地整治' })}`)).body.length;
      assert.equal(await found(office), 1);
      assert.equal(await found(shuichu), 1);
      assert.equal(await found(huanping), 0);
    } finally {
      await server.close();
    }
  });
});
