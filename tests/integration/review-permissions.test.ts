import assert from 'node:assert/strict';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, type SignedInClient } from '../support/test-server.ts';

/** Fills every answer of the client's unit in the round and submits; returns the task ids and the submit's answer. */
async function fillAndSubmit(client: SignedInClient, roundId: number) {
  const unitId = client.session.user.unit!.id;
  const todo = await client.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
  assert.equal(todo.status, 200, JSON.stringify(todo.body));
  const taskIds = (todo.body.items as { task: { id: number } }[]).map((item) => item.task.id);
  for (const taskId of taskIds)
    assert.equal(
      (await client.put(`/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/answer`, { text: '按期推进。', status: 'on_track', reason: null, version: 0 }))
        .status,
      200,
    );
  const submitted = await client.post(`/api/rounds/${roundId}/units/${unitId}/submit`, {});
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
  return { unitId, taskIds, submission: submitted.body };
}

forEachEngine('review permissions over HTTP', (it) => {
  it('lets only the office, or the unit’s own head, review single answers, and only the office approve in the head’s place', async (database) => {
    const server = await createTestServer(database);
    try {
      const [office, leader, huanping, head, guicai] = await Promise.all(['office', 'leader', 'huanping', 'huanping-head', 'guicai'].map((u) => server.as(u)));
      const opened = await office!.post(`/api/plans/${server.planId}/rounds`, { label: '逐项审阅权限', deadline: '2099-10-10', requiresApproval: true });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      const roundId = opened.body.id as number;

      const hp = await fillAndSubmit(huanping!, roundId);
      assert.equal(hp.submission.state, 'submitted', '环评处 has a head: its submit waits for it');
      assert.equal(hp.submission.holder, 'head');
      const gc = await fillAndSubmit(guicai!, roundId);
      assert.equal(gc.submission.state, 'approved', '规财处 has no head: straight to the office');
      assert.equal(gc.submission.note, '本单位无处室负责人账号，已直接报送办公室');

      const review = (client: SignedInClient, unitId: number, taskIds: number[], decision = 'accept', comment: string | null = null) =>
        client.post(`/api/rounds/${roundId}/units/${unitId}/answers/review`, { decision, taskIds, comment });

      // 环评处, held by its head.
      for (const [who, client] of [
        ['reporter of another unit', guicai],
        ['the unit’s own reporter', huanping],
        ['a leader', leader],
      ] as const) {
        const denied = await review(client!, hp.unitId, [hp.taskIds[0]!]);
        assert.equal(denied.status, 403, `${who}: ${JSON.stringify(denied.body)}`);
      }
      assert.equal(
        (await review(office!, hp.unitId, [hp.taskIds[0]!])).body.error.code,
        'awaiting_head',
        'the office waits for the head, or approves in its place',
      );
      // 规财处, held by the office: the head of another unit may not touch it.
      assert.equal((await review(head!, gc.unitId, [gc.taskIds[0]!])).status, 403, 'head of another unit');
      for (const client of [huanping, head, guicai, leader])
        assert.equal((await client!.post(`/api/rounds/${roundId}/units/${hp.unitId}/approve-for-head`, {})).status, 403);

      // Bad bodies: named, nothing changed.
      const unknownField = await office!.post(`/api/rounds/${roundId}/units/${gc.unitId}/answers/review`, {
        decision: 'accept',
        taskIds: [gc.taskIds[0]],
        comment: null,
        stauts: 'x',
      });
      assert.equal(unknownField.status, 400, JSON.stringify(unknownField.body));
      assert.equal((await review(office!, gc.unitId, [])).status, 400);
      assert.equal((await review(office!, gc.unitId, [gc.taskIds[0]!], 'return', '  ')).body.error.code, 'comment_required');
      const notTheirs = hp.taskIds.find((id) => !gc.taskIds.includes(id))!;
      assert.equal((await review(office!, gc.unitId, [notTheirs])).status, 409, 'a task that is not the unit’s');

      // The allowed moves.
      const byHead = await review(head!, hp.unitId, [hp.taskIds[0]!], 'return', '请补充数据');
      assert.equal(byHead.status, 200, JSON.stringify(byHead.body));
      const forHead = await office!.post(`/api/rounds/${roundId}/units/${hp.unitId}/approve-for-head`, {});
      assert.equal(forHead.status, 200, JSON.stringify(forHead.body));
      assert.equal(forHead.body.state, 'returned', 'the head had returned one answer: it goes back, the rest are approved');
      const audit = await database.db.selectFrom('audit_events').select(['actor_name', 'detail']).where('action', '=', 'submission.approve_for_head').execute();
      assert.equal(audit.length, 1);

      const accepted = await review(office!, gc.unitId, gc.taskIds);
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.equal(accepted.body.state, 'accepted');
      assert.equal(accepted.body.holder, 'done');

      const without = await office!.get(`/api/rounds/${roundId}/units-without-head`);
      assert.equal(without.status, 200);
      const names = (without.body as { unitName: string }[]).map((u) => u.unitName);
      assert.ok(names.includes('规财处') && !names.includes('环评处'), names.join('、'));
      assert.equal((await office!.get(`/api/plans/${server.planId}/units-without-head`)).status, 200);
      for (const client of [leader, huanping, head]) assert.equal((await client!.get(`/api/rounds/${roundId}/units-without-head`)).status, 403);

      const board = await leader!.get(`/api/rounds/${roundId}/board`);
      const row = (board.body.rows as { unitName: string; holder: string }[]).find((r) => r.unitName === '环评处')!;
      assert.equal(row.holder, 'reporter');
    } finally {
      await server.close();
    }
  });
});
