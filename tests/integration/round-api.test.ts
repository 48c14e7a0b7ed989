import assert from 'node:assert/strict';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

/** Usernames of the demo accounts, one per role (src/server/services/demo-accounts.ts). */
const USERS = ['office', 'leader', 'huanping', 'huanping-head', 'guicai', 'sysadmin', 'secadmin', 'auditor'] as const;
type User = (typeof USERS)[number];

forEachEngine('round API', (it) => {
  it('runs a round end to end over HTTP: open, draft, 409 on a stale save, submit twice, return, resubmit, accept, close', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const reporter = await server.as('huanping');
      const colleague = await server.as('huanping');
      const plans = await office.get('/api/plans');
      const planId = plans.body[0].id as number;

      const opened = await office.post(`/api/plans/${planId}/rounds`, {
        label: '2017年第三季度',
        periodStart: '2017-07-01',
        periodEnd: '2017-09-30',
        deadline: '2099-10-10',
        note: null,
      });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      const roundId = opened.body.id as number;
      const unitId = reporter.session.user.unit!.id;

      const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
      assert.equal(todo.status, 200, JSON.stringify(todo.body));
      const items = todo.body.items as { task: { id: number }; answer: { version: number } }[];
      assert.ok(items.length > 10);
      const first = items[0]!.task.id;
      const answerPath = (taskId: number) => `/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/answer`;

      const saved = await reporter.put(answerPath(first), { text: '第一稿', status: 'on_track', reason: null, version: 0 });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.version, 1);
      assert.equal((await colleague.put(answerPath(first), { text: '同事改过', status: 'on_track', reason: null, version: 1 })).status, 200);

      const mine = '另一个标签页里写的文字 <img src=x onerror=alert(1)>';
      const stale = await reporter.put(answerPath(first), { text: mine, status: 'on_track', reason: null, version: 1 });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.code, 'answer_stale');
      assert.equal(stale.body.error.details.stored.text, '同事改过');
      assert.equal(stale.body.error.details.stored.updatedBy, '陈静', 'the other version names the person, never the login');
      assert.equal(stale.body.error.details.yours.text, mine);
      const noVersion = await reporter.put(answerPath(first), { text: mine, status: 'on_track', reason: null });
      assert.equal(noVersion.status, 409);
      const tooLong = await reporter.put(answerPath(first), { text: '字'.repeat(20_001), status: null, reason: null, version: 2 });
      assert.equal(tooLong.status, 422, 'over the field limit');
      assert.equal((await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`)).body.items[0].answer.text, '同事改过');

      for (const item of items.slice(1))
        assert.equal((await reporter.put(answerPath(item.task.id), { text: '按期推进。', status: 'on_track', reason: null, version: 0 })).status, 200);
      const submits = await Promise.all(
        Array.from({ length: 10 }, () => reporter.post(`/api/rounds/${roundId}/units/${unitId}/submit`, {}, { 'idempotency-key': 'submit-2017q3-huanping' })),
      );
      for (const submit of submits) {
        assert.equal(submit.status, 200, JSON.stringify(submit.body));
        assert.deepEqual(submit.body, submits[0]!.body);
      }
      const submitAudits = await database.db.selectFrom('audit_events').select('id').where('action', '=', 'submission.submit').execute();
      assert.equal(submitAudits.length, 1, 'ten concurrent identical submits make one record');

      const returned = await office.post(`/api/rounds/${roundId}/units/${unitId}/return`, { comment: '请补充第一项的完成比例' });
      assert.equal(returned.status, 200, JSON.stringify(returned.body));
      assert.equal(returned.body.state, 'returned');
      const notes = await reporter.get('/api/notifications');
      assert.ok(notes.body.some((n: { kind: string }) => n.kind === 'returned'));
      assert.equal((await reporter.put(answerPath(first), { text: '已完成 80%。', status: 'on_track', reason: null, version: 2 })).status, 200);
      assert.equal(
        (await reporter.post(`/api/rounds/${roundId}/units/${unitId}/submit`, {}, { 'idempotency-key': 'submit-2017q3-huanping-2' })).body.state,
        'submitted',
      );
      assert.equal((await office.post(`/api/rounds/${roundId}/units/${unitId}/accept`, {})).body.state, 'accepted');

      const board = await office.get(`/api/rounds/${roundId}/board`);
      assert.equal(board.status, 200);
      const row = board.body.rows.find((r: { unitId: number }) => r.unitId === unitId);
      assert.equal(row.light, 'green');
      assert.equal(row.state, 'accepted');

      assert.equal((await office.post(`/api/rounds/${roundId}/close`, {})).body.status, 'closed');
      const afterClose = await reporter.put(answerPath(first), { text: '结束后', status: null, reason: null, version: 3 });
      assert.equal(afterClose.status, 409);
      assert.equal(afterClose.body.error.details.yours.text, '结束后', 'the text is offered back');
    } finally {
      await server.close();
    }
  });

  it('checks every role against every round action', async (database) => {
    const server = await createTestServer(database);
    try {
      const clients = Object.fromEntries(await Promise.all(USERS.map(async (user) => [user, await server.as(user)] as const))) as Record<
        User,
        Awaited<ReturnType<typeof server.as>>
      >;
      const planId = (await clients.office.get('/api/plans')).body[0].id as number;
      const roundId = (await clients.office.post(`/api/plans/${planId}/rounds`, { label: '权限测试轮次', deadline: '2099-01-01', requiresApproval: true })).body
        .id as number;
      const unitId = clients.huanping.session.user.unit!.id;
      const taskId = (await clients.huanping.get(`/api/rounds/${roundId}/units/${unitId}/todo`)).body.items[0].task.id as number;

      type Action = { name: string; allowed: readonly User[]; run: (user: User) => Promise<{ status: number; body: unknown }> };
      const business: readonly User[] = ['office', 'leader', 'huanping', 'huanping-head', 'guicai'];
      const actions: Action[] = [
        { name: 'list rounds', allowed: business, run: (u) => clients[u].get(`/api/plans/${planId}/rounds`) },
        { name: 'read round', allowed: business, run: (u) => clients[u].get(`/api/rounds/${roundId}`) },
        { name: 'open round', allowed: ['office'], run: (u) => clients[u].post(`/api/plans/${planId}/rounds`, { label: `由${u}发起` }) },
        { name: 'move deadline', allowed: ['office'], run: (u) => clients[u].patch(`/api/rounds/${roundId}`, { deadline: '2099-02-01' }) },
        { name: 'read board', allowed: ['office', 'leader'], run: (u) => clients[u].get(`/api/rounds/${roundId}/board`) },
        { name: 'remind', allowed: ['office'], run: (u) => clients[u].post(`/api/rounds/${roundId}/units/${unitId}/reminders`, { message: null }) },
        {
          name: "read 环评处's to-do",
          allowed: ['office', 'leader', 'huanping', 'huanping-head'],
          run: (u) => clients[u].get(`/api/rounds/${roundId}/units/${unitId}/todo`),
        },
        {
          name: "write 环评处's answer",
          allowed: ['huanping', 'huanping-head'],
          run: (u) =>
            clients[u].put(`/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/answer`, { text: `${u}写`, status: null, reason: null, version: null }),
        },
        { name: 'submit 环评处', allowed: ['huanping', 'huanping-head'], run: (u) => clients[u].post(`/api/rounds/${roundId}/units/${unitId}/submit`, {}) },
        { name: 'approve 环评处', allowed: ['huanping-head'], run: (u) => clients[u].post(`/api/rounds/${roundId}/units/${unitId}/approve`, {}) },
        { name: 'accept 环评处', allowed: ['office'], run: (u) => clients[u].post(`/api/rounds/${roundId}/units/${unitId}/accept`, {}) },
        { name: 'return 环评处', allowed: ['office'], run: (u) => clients[u].post(`/api/rounds/${roundId}/units/${unitId}/return`, { comment: '退回' }) },
        { name: 'reopen 环评处', allowed: ['office'], run: (u) => clients[u].post(`/api/rounds/${roundId}/units/${unitId}/reopen`, {}) },
        { name: 'close round', allowed: ['office'], run: (u) => clients[u].post(`/api/rounds/${roundId + 1000}/close`, {}) },
      ];
      const wrong: string[] = [];
      for (const action of actions)
        for (const user of USERS) {
          const { status, body } = await action.run(user);
          const allowed = action.allowed.includes(user);
          // Allowed means "not refused for who you are": the state may still say no (409/422/404).
          if (allowed ? status === 403 || status === 401 : status !== 403)
            wrong.push(`${action.name} as ${user}: ${status} ${JSON.stringify(body).slice(0, 120)}`);
        }
      assert.deepEqual(wrong, []);
    } finally {
      await server.close();
    }
  });
});
