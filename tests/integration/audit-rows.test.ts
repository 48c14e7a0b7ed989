import assert from 'node:assert/strict';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, type SignedInClient } from '../support/test-server.ts';

/**
 * docs/security.md gap 2: the account, unit, round and review actions each write an audit row
 * carrying who (the account), from where (IP), what (action), on what (object) and how it went
 * (result). Done through the real API as each role does it, and read back as the audit admin
 * reads it (GET /api/audit), on both engines.
 */

type Row = {
  at: string;
  actorKind: string;
  actor: string;
  userId: number | null;
  username: string | null;
  ip: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  result: string;
  detail: Record<string, unknown>;
};

function ok<T extends { status: number; text: string }>(response: T, status = 200): T {
  assert.equal(response.status, status, response.text);
  return response;
}

forEachEngine('audit rows of account, unit, round and review actions', (it) => {
  it('user.create/disable/enable, unit.create/update, round.deadline/close/remind, submission.approve/return/reopen: each row names the account, the IP, the action, the object and the result', async (database) => {
    const server = await createTestServer(database);
    try {
      const sysadmin = await server.as('sysadmin');
      const office = await server.as('office');
      const reporter = await server.as('huanping');
      const head = await server.as('huanping-head');
      const unitId = reporter.session.user.unit!.id;
      const startedAt = Date.now();

      // The system admin: a unit, its phone, an account in it, disabled and enabled again.
      const unit = ok(await sysadmin.post('/api/admin/units', { name: '审计测试处', phone: null }), 201).body;
      ok(await sysadmin.put(`/api/admin/units/${unit.id}`, { phone: '0871-12345678' }));
      const { account, temporaryPassword } = ok(
        await sysadmin.post('/api/admin/accounts', { username: 'shenjice', displayName: '审计测', role: 'reporter', unitId: unit.id, phone: null }),
        201,
      ).body;
      assert.ok(typeof temporaryPassword === 'string' && temporaryPassword.length >= 8);
      ok(await sysadmin.post(`/api/admin/accounts/${account.id}/disable`));
      ok(await sysadmin.post(`/api/admin/accounts/${account.id}/enable`));

      // The office opens a round that asks for the unit head's approval; the unit answers and submits.
      const roundId = ok(await office.post(`/api/plans/${server.planId}/rounds`, { label: '审计行轮次', deadline: '2099-10-10', requiresApproval: true }), 201)
        .body.id as number;
      const todo = ok(await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`)).body.items as { task: { id: number } }[];
      for (const item of todo)
        ok(
          await reporter.put(`/api/rounds/${roundId}/tasks/${item.task.id}/units/${unitId}/answer`, {
            text: '按期推进。',
            status: 'on_track',
            reason: null,
            version: 0,
          }),
        );
      ok(await reporter.post(`/api/rounds/${roundId}/units/${unitId}/submit`, {}, { 'idempotency-key': `audit-rows-${roundId}-1` }));
      // The API never shows a submission's row id; the audit row names it, so read it where it is stored.
      const stored = await database.db
        .selectFrom('unit_submissions')
        .select('id')
        .where('round_id', '=', roundId)
        .where('unit_id', '=', unitId)
        .executeTakeFirstOrThrow();
      const submissionId = String(stored.id);
      ok(await head.post(`/api/rounds/${roundId}/units/${unitId}/approve`, {}));
      ok(await office.post(`/api/rounds/${roundId}/units/${unitId}/return`, { comment: '请补充完成时间' }));
      ok(await reporter.post(`/api/rounds/${roundId}/units/${unitId}/submit`, {}, { 'idempotency-key': `audit-rows-${roundId}-2` }));
      ok(await head.post(`/api/rounds/${roundId}/units/${unitId}/approve`, {}));
      ok(await office.post(`/api/rounds/${roundId}/units/${unitId}/accept`, {}));
      ok(await office.post(`/api/rounds/${roundId}/units/${unitId}/reopen`, { comment: '数字有误' }));
      ok(await office.post(`/api/rounds/${roundId}/units/${unitId}/reminders`, { message: '请尽快重新提交' }), 201);
      ok(await office.patch(`/api/rounds/${roundId}`, { deadline: '2099-11-11' }));
      ok(await office.post(`/api/rounds/${roundId}/close`));

      const auditor = await server.as('auditor');
      // From the first action on: the demo accounts' own user.create rows (system actor) come before.
      const since = encodeURIComponent(new Date(startedAt).toISOString());
      const rows = async (action: string): Promise<Row[]> =>
        ok(await auditor.get(`/api/audit?action=${action}&from=${since}&sort=id&order=asc&pageSize=200`)).body.events;
      const expect = async (action: string, by: SignedInClient, object: { type: string; id: string }, count = 1): Promise<Row[]> => {
        const found = await rows(action);
        assert.equal(found.length, count, `${action}: ${JSON.stringify(found)}`);
        for (const row of found) {
          assert.equal(row.action, action);
          assert.equal(row.actorKind, 'user', action);
          assert.equal(row.userId, by.session.user.id, `${action}: the account that acted`);
          assert.equal(row.username, by.session.user.username, action);
          assert.equal(row.ip, '127.0.0.1', `${action}: the client's address`);
          assert.equal(row.objectType, object.type, action);
          assert.equal(row.objectId, object.id, action);
          assert.match(row.result, /^(success|ok)$/, action);
          const at = Date.parse(row.at);
          assert.ok(at >= startedAt - 1000 && at <= Date.now() + 1000, `${action}: written now (${row.at})`);
        }
        return found;
      };

      await expect('unit.create', sysadmin, { type: 'unit', id: String(unit.id) });
      assert.deepEqual((await expect('unit.update', sysadmin, { type: 'unit', id: String(unit.id) }))[0]!.detail, { phone: '0871-12345678' });
      const created = (await expect('user.create', sysadmin, { type: 'user', id: String(account.id) }))[0]!;
      assert.equal(created.detail.username, 'shenjice');
      assert.equal(created.detail.role, 'reporter');
      assert.equal(JSON.stringify(created.detail).includes(temporaryPassword), false, 'no password in the detail');
      await expect('user.disable', sysadmin, { type: 'user', id: String(account.id) });
      await expect('user.enable', sysadmin, { type: 'user', id: String(account.id) });

      const round = { type: 'round', id: String(roundId) };
      assert.deepEqual(
        (await expect('round.deadline', office, round))[0]!.detail,
        { from: '2099-10-10T23:59:59+08:00', to: '2099-11-11T23:59:59+08:00' },
        'a bare date is the end of that day, Beijing time',
      );
      await expect('round.close', office, round);
      assert.deepEqual((await expect('round.remind', office, { type: 'unit_submission', id: submissionId }))[0]!.detail, { roundId, unitId });

      const submission = { type: 'unit_submission', id: submissionId };
      const approvals = await expect('submission.approve', head, submission, 2);
      assert.deepEqual(
        approvals.map((row) => [row.detail.from, row.detail.to]),
        [
          ['submitted', 'approved'],
          ['submitted', 'approved'],
        ],
      );
      const returned = (await expect('submission.return', office, submission))[0]!;
      assert.deepEqual([returned.detail.from, returned.detail.to, returned.detail.comment], ['approved', 'returned', '请补充完成时间']);
      const reopened = (await expect('submission.reopen', office, submission))[0]!;
      assert.deepEqual([reopened.detail.from, reopened.detail.roundId, reopened.detail.unitId], ['accepted', roundId, unitId]);
    } finally {
      await server.close();
    }
  });
});
