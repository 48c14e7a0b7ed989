import assert from 'node:assert/strict';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, type SignedInClient } from '../support/test-server.ts';

/**
 * Who may run the round's safety actions over HTTP: void (作废), one unit's extension, mapping a
 * collective unit, the units without a head before opening (the office only), and marking a unit
 * collective (the system admin only); and the bad input each refuses.
 */
const PEOPLE = ['office', 'huanping', 'huanping-head', 'leader', 'sysadmin'] as const;

forEachEngine('round safety API: permissions and bad input', (it) => {
  it('lets only the office void, extend, map collective units and list units without a head; only the system admin marks a unit collective', async (database) => {
    const server = await createTestServer(database);
    try {
      const clients = Object.fromEntries(await Promise.all(PEOPLE.map(async (name) => [name, await server.as(name)] as const))) as Record<
        (typeof PEOPLE)[number],
        SignedInClient
      >;
      const office = clients.office;
      const planId = server.planId!;
      const open = async (label: string) => {
        const opened = await office.post(`/api/plans/${planId}/rounds`, {
          label,
          periodStart: '2099-07-01',
          periodEnd: '2099-09-30',
          deadline: '2099-10-10',
          note: null,
        });
        assert.equal(opened.status, 201, JSON.stringify(opened.body));
        return opened.body.id as number;
      };
      const roundId = await open('2099年第三季度');
      const huanping = clients.huanping.session.user.unit!.id;
      const units = (await clients.sysadmin.get('/api/admin/units')).body as { id: number; name: string; collective: boolean }[];
      const collective = units.find((u) => u.name === '各处(室)')!;
      assert.equal(collective.collective, true, 'the demo data marks 各处(室) collective by its name');
      assert.equal(units.find((u) => u.name === '环评处')!.collective, false);

      const calls = {
        void: (c: SignedInClient) => c.post(`/api/rounds/${roundId}/void`, { reason: '误发' }),
        extend: (c: SignedInClient) => c.put(`/api/rounds/${roundId}/units/${huanping}/deadline`, { deadline: '2099-10-20' }),
        map: (c: SignedInClient) => c.put(`/api/collective-units/${collective.id}/members`, { memberUnitIds: [huanping] }),
        withoutHead: (c: SignedInClient) => c.get(`/api/plans/${planId}/units-without-head`),
        collectives: (c: SignedInClient) => c.get(`/api/plans/${planId}/collective-units`),
        markCollective: (c: SignedInClient) => c.put(`/api/admin/units/${collective.id}/collective`, { collective: true }),
      };
      const expected: Record<keyof typeof calls, (typeof PEOPLE)[number]> = {
        void: 'office',
        extend: 'office',
        map: 'office',
        withoutHead: 'office',
        collectives: 'office',
        markCollective: 'sysadmin',
      };
      // Everyone else first (a denied call changes nothing), then the one allowed.
      for (const [action, call] of Object.entries(calls) as [keyof typeof calls, (c: SignedInClient) => Promise<{ status: number; body: unknown }>][]) {
        for (const person of PEOPLE.filter((p) => p !== expected[action])) {
          const answer = await call(clients[person]);
          assert.equal(answer.status, 403, `${action} as ${person}: ${JSON.stringify(answer.body)}`);
        }
        if (action === 'void') continue; // voided last, below
        const answer = await call(clients[expected[action]]);
        assert.equal(answer.status, 200, `${action} as ${expected[action]}: ${JSON.stringify(answer.body)}`);
      }
      const withoutHead = (await office.get(`/api/plans/${planId}/units-without-head`)).body as { name: string }[];
      assert.ok(!withoutHead.some((u) => u.name === '环评处'), '环评处 has a head account in the demo');
      assert.ok(withoutHead.some((u) => u.name === '规财处'));
      assert.ok(!withoutHead.some((u) => u.name === '各处(室)'), 'collective units are not listed themselves');
      assert.equal((await calls.void(office)).status, 200);
      assert.equal((await office.get(`/api/rounds/${roundId}`)).body.status, 'void');
    } finally {
      await server.close();
    }
  });

  it('refuses bad input: void after a save 409, an impossible extension date 400 naming the field, a past one 422, unknown fields 400', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const reporter = await server.as('huanping');
      const planId = server.planId!;
      const opened = await office.post(`/api/plans/${planId}/rounds`, {
        label: '2099年第四季度',
        periodStart: '2099-10-01',
        periodEnd: '2099-12-31',
        deadline: '2099-12-31',
        note: null,
      });
      const roundId = opened.body.id as number;
      const unitId = reporter.session.user.unit!.id;
      const path = `/api/rounds/${roundId}/units/${unitId}/deadline`;

      for (const deadline of ['2017-02-30', '2017-13-45', '0000-00-00', '2099-02-29T10:00:00+08:00', 'tomorrow']) {
        const answer = await office.put(path, { deadline });
        assert.equal(answer.status, 400, `${deadline}: ${JSON.stringify(answer.body)}`);
        assert.match(JSON.stringify(answer.body.error), /deadline/, 'names the field');
      }
      const past = await office.put(path, { deadline: '2017-10-16' });
      assert.equal(past.status, 422, JSON.stringify(past.body));
      assert.equal(past.body.error.code, 'deadline_in_past');
      assert.equal(past.body.error.details.field, 'deadline');
      assert.equal((await office.put(path, { deadline: '2099-12-31', stauts: 'x' })).status, 400, 'an unknown field is refused');
      assert.equal((await office.put(`/api/rounds/${roundId}/units/999999/deadline`, { deadline: '2099-12-31' })).status, 404);
      assert.equal((await office.get(`/api/plans/${planId}/units-without-head?taskIds=0xa`)).status, 400);
      assert.equal((await office.post(`/api/rounds/${roundId}/void`, { reason: '   ' })).status, 400);

      const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
      const taskId = todo.body.items[0].task.id as number;
      assert.equal(
        (await reporter.put(`/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/answer`, { text: '已启动。', status: null, reason: null, version: 0 }))
          .status,
        200,
      );
      const refused = await office.post(`/api/rounds/${roundId}/void`, { reason: '误发' });
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'round_has_work');
      assert.match(refused.body.error.message, /已有单位保存了填报内容/);
      assert.equal((await office.get(`/api/rounds/${roundId}`)).body.status, 'open');

      // Collective marks: never on a unit people log in for or one that answers for a collective name;
      // a collective unit marked real again stands for nobody.
      const sysadmin = await server.as('sysadmin');
      const units = (await sysadmin.get('/api/admin/units')).body as { id: number; name: string }[];
      const idOf = (name: string) => units.find((u) => u.name === name)!.id;
      const withAccounts = await sysadmin.put(`/api/admin/units/${idOf('环评处')}/collective`, { collective: true });
      assert.deepEqual([withAccounts.status, withAccounts.body.error.code], [409, 'unit_has_accounts']);
      assert.equal((await office.put(`/api/collective-units/${idOf('各处(室)')}/members`, { memberUnitIds: [idOf('法规处')] })).status, 200);
      const member = await sysadmin.put(`/api/admin/units/${idOf('法规处')}/collective`, { collective: true });
      assert.deepEqual([member.status, member.body.error.code], [409, 'unit_is_member']);
      assert.match(member.body.error.message, /各处\(室\)/);
      assert.equal((await sysadmin.put(`/api/admin/units/${idOf('各处(室)')}/collective`, { collective: false })).status, 200);
      assert.deepEqual(await database.db.selectFrom('collective_unit_members').selectAll().where('unit_id', '=', idOf('各处(室)')).execute(), []);
      assert.equal(
        (await sysadmin.put(`/api/admin/units/${idOf('法规处')}/collective`, { collective: true })).status,
        200,
        'free again once its collective is gone',
      );
    } finally {
      await server.close();
    }
  });
});
