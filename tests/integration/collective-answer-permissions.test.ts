import assert from 'node:assert/strict';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, type SignedInClient } from '../support/test-server.ts';

/**
 * A collective unit (各处(室), 直属单位 …) that no member unit answers: only the office reads and
 * writes its answers (issue 12), the save is audited as `answer.save`, a mapped one is refused
 * naming its member units, and what the office saved is in the compiled table at once.
 */
const PEOPLE = ['office', 'huanping', 'huanping-head', 'leader', 'sysadmin'] as const;

forEachEngine('collective units answered by the office: permissions over HTTP', (it) => {
  it('lets only the office write 直属单位, audits it, and compiles it attributed to the unit', async (database) => {
    const server = await createTestServer(database);
    try {
      const clients = Object.fromEntries(await Promise.all(PEOPLE.map(async (name) => [name, await server.as(name)] as const))) as Record<
        (typeof PEOPLE)[number],
        SignedInClient
      >;
      const office = clients.office;
      const planId = server.planId!;
      const opened = await office.post(`/api/plans/${planId}/rounds`, {
        label: '2099年第三季度',
        periodStart: '2099-07-01',
        periodEnd: '2099-09-30',
        deadline: '2099-10-10',
        note: null,
      });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      const roundId = opened.body.id as number;
      const units = (await clients.sysadmin.get('/api/admin/units')).body as { id: number; name: string }[];
      const direct = units.find((u) => u.name === '直属单位')!;
      const huanping = units.find((u) => u.name === '环评处')!;

      const board = await office.get(`/api/rounds/${roundId}/board`);
      assert.deepEqual(
        (board.body.collectives as { unitName: string; answeredBy: string }[]).find((c) => c.unitName === '直属单位')?.answeredBy,
        'office',
        'the demo data maps no member unit to 直属单位',
      );

      const path = `/api/rounds/${roundId}/collective-units/${direct.id}/answers`;
      for (const person of PEOPLE.filter((p) => p !== 'office')) assert.equal((await clients[person].get(path)).status, 403, `read as ${person}`);
      const view = await office.get(path);
      assert.equal(view.status, 200, JSON.stringify(view.body));
      assert.equal(view.body.unit.name, '直属单位');
      const item = (view.body.items as { task: { id: number; text: string }; answer: { version: number } }[])[0]!;
      assert.match(item.task.text, /资源节约型、环境友好型社会/, 'task 一.(一).1 names 直属单位');
      const taskId = item.task.id;

      const save = (c: SignedInClient, body: Record<string, unknown>, unitId = direct.id) =>
        c.put(`/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/answer`, body);
      const body = { text: '各直属单位正在按期推进落实。', status: 'on_track', reason: null, version: 0 };
      for (const person of PEOPLE.filter((p) => p !== 'office')) {
        const answer = await save(clients[person], body);
        assert.equal(answer.status, 403, `save as ${person}: ${JSON.stringify(answer.body)}`);
      }
      // The office does not write for an ordinary unit.
      assert.equal((await save(office, body, huanping.id)).status, 403, 'the office never writes 环评处');

      const saved = await save(office, body);
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.version, 1);
      // Same optimistic version rules as a unit's answer.
      const stale = await save(office, { ...body, text: '覆盖' });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.code, 'answer_stale');
      assert.equal(stale.body.error.details.stored.text, body.text);
      assert.equal((await save(office, { ...body, version: 1, unknownField: 1 })).status, 400, 'an unknown field is refused');

      const rows = await database.db
        .selectFrom('audit_events')
        .select(['action', 'object_id', 'detail', 'actor_name'])
        .where('action', '=', 'answer.save')
        .where('object_id', '=', `${roundId}/${taskId}/${direct.id}`)
        .execute();
      assert.equal(rows.length, 1, 'one audited save');
      assert.equal(JSON.parse(rows[0]!.detail).collective, true);

      const compiled = await office.get(`/api/rounds/${roundId}/compiled`);
      assert.equal(compiled.status, 200, JSON.stringify(compiled.body));
      const row = (compiled.body.table.rows as { task: string; progress: string }[]).find((r) => r.task === item.task.text)!;
      assert.equal(row.progress, '各直属单位正在按期推进落实。（直属单位）', 'in hand at once, attributed like a unit’s answer');

      // Closed round: read-only for the office too.
      assert.equal((await office.post(`/api/rounds/${roundId}/close`, {})).status, 200);
      const closed = await save(office, { ...body, version: 1, text: '结束后' });
      assert.equal(closed.status, 409);
      assert.equal(closed.body.error.code, 'round_not_open');
    } finally {
      await server.close();
    }
  });

  it('refuses the office a collective unit mapped to member units, naming them', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const admin = await server.as('sysadmin');
      const planId = server.planId!;
      const units = (await admin.get('/api/admin/units')).body as { id: number; name: string }[];
      const each = units.find((u) => u.name === '各处(室)')!;
      const names = ['环评处', '规财处'];
      const mapped = await office.put(`/api/collective-units/${each.id}/members`, { memberUnitIds: names.map((n) => units.find((u) => u.name === n)!.id) });
      assert.equal(mapped.status, 200, JSON.stringify(mapped.body));
      const opened = await office.post(`/api/plans/${planId}/rounds`, {
        label: '2099年第四季度',
        periodStart: '2099-10-01',
        periodEnd: '2099-12-31',
        deadline: '2099-12-31',
        note: null,
      });
      const roundId = opened.body.id as number;

      const read = await office.get(`/api/rounds/${roundId}/collective-units/${each.id}/answers`);
      assert.equal(read.status, 409, JSON.stringify(read.body));
      assert.equal(read.body.error.code, 'collective_answered_by_members');
      for (const name of names) assert.match(read.body.error.message, new RegExp(name), 'names the member units');

      const direct = units.find((u) => u.name === '直属单位')!;
      const taskId = (await office.get(`/api/rounds/${roundId}/collective-units/${direct.id}/answers`)).body.items[0].task.id as number;
      const save = await office.put(`/api/rounds/${roundId}/tasks/${taskId}/units/${each.id}/answer`, { text: '代填', status: null, reason: null, version: 0 });
      assert.equal(save.status, 409, JSON.stringify(save.body));
      assert.equal(save.body.error.code, 'collective_answered_by_members');
      assert.match(save.body.error.message, /环评处、规财处/);
      assert.doesNotMatch(save.body.error.message, /[A-Za-z]/, 'Chinese only');
    } finally {
      await server.close();
    }
  });
});
