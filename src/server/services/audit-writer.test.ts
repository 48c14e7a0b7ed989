import assert from 'node:assert/strict';
import { systemActor } from '../../domain/actor.ts';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { createTestServer } from '../../../tests/support/test-server.ts';
import { auditRowHash, GENESIS_HASH } from '../db/audit-chain.ts';
import type { Database } from '../db/database.ts';
import { auditOutside } from './audit-writer.ts';

/**
 * Decision 037: every action records its actor the same way (issue 17: the office was "office" on
 * auth.login and "张敏" on round.open; a system job "test" here and "system:test" there), rows
 * written the old way still verify and show, and a row that cannot be written after a rollback
 * is logged, not dropped.
 */

type Stored = {
  id: number;
  action: string;
  actor_kind: string;
  actor_name: string;
  user_id: number | null;
  actor_login: string | null;
  actor_display_name: string | null;
  chain_format: number;
};

forEachEngine('the one audit writer', (it) => {
  it('a round end to end, logins, an admin action and the system jobs: one way of naming each actor; old rows verify and show', async (database) => {
    const server = await createTestServer(database);
    try {
      // Two rows as the old copies wrote them (chain format 1): the office by display name, a job without `system:`.
      const office0 = await database.db.selectFrom('users').select(['id']).where('username', '=', 'office').executeTakeFirstOrThrow();
      const oldRows = [
        { actor_kind: 'user', actor_name: '张敏', user_id: Number(office0.id), action: 'round.open', object_type: 'round', object_id: '999' },
        { actor_kind: 'system', actor_name: 'test', user_id: null, action: 'plan.import', object_type: 'plan', object_id: null },
      ];
      for (const old of oldRows) {
        const last = await database.db.selectFrom('audit_events').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
        const fields = { at: new Date().toISOString(), ...old, ip: null, result: 'ok', detail: '{}', prev_hash: last?.hash ?? GENESIS_HASH };
        await database.db
          .insertInto('audit_events')
          .values({ ...fields, hash: auditRowHash(fields) })
          .execute();
      }
      const oldIds = (await database.db.selectFrom('audit_events').select('id').orderBy('id', 'desc').limit(2).execute())
        .map((row) => Number(row.id))
        .reverse();

      const office = await server.as('office');
      const reporter = await server.as('huanping');
      const sysadmin = await server.as('sysadmin');
      const unitId = reporter.session.user.unit!.id;
      const roundId = (await office.post(`/api/plans/${server.planId}/rounds`, { label: '审计写入轮次', deadline: '2099-10-10' })).body.id as number;
      assert.ok(roundId > 0);
      const todo = (await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`)).body.items as { task: { id: number } }[];
      for (const item of todo)
        assert.equal(
          (
            await reporter.put(`/api/rounds/${roundId}/tasks/${item.task.id}/units/${unitId}/answer`, {
              text: '按期推进。',
              status: 'on_track',
              reason: null,
              version: 0,
            })
          ).status,
          200,
        );
      assert.equal((await reporter.post(`/api/rounds/${roundId}/units/${unitId}/submit`, {}, { 'idempotency-key': `writer-${roundId}` })).status, 200);
      assert.equal((await office.post(`/api/rounds/${roundId}/units/${unitId}/accept`, {})).status, 200);
      assert.equal((await office.post(`/api/rounds/${roundId}/close`)).status, 200);
      assert.equal((await sysadmin.post('/api/admin/units', { name: '审计写入处', phone: null })).status, 201);
      // A failed login of a real account, and one naming none.
      assert.equal((await server.anonymous().post('/api/auth/login', { username: 'office', password: 'wrong-password-1' })).status, 422);
      assert.equal((await server.anonymous().post('/api/auth/login', { username: 'nobody-here', password: 'wrong-password-1' })).status, 422);

      const users = new Map((await database.db.selectFrom('users').select(['id', 'username', 'display_name']).execute()).map((row) => [Number(row.id), row]));
      const rows = (await database.db
        .selectFrom('audit_events')
        .select(['id', 'action', 'actor_kind', 'actor_name', 'user_id', 'actor_login', 'actor_display_name', 'chain_format'])
        .orderBy('id')
        .execute()) as Stored[];
      const fresh = rows.filter((row) => !oldIds.includes(Number(row.id)));
      const actions = new Set(fresh.map((row) => row.action));
      for (const action of [
        'user.create',
        'plan.import',
        'auth.login',
        'round.open',
        'answer.save',
        'submission.submit',
        'submission.accept',
        'round.close',
        'unit.create',
      ])
        assert.ok(
          [...actions].some((seen) => seen === action || seen.startsWith(`${action}`)),
          `${action} written: ${[...actions].join(', ')}`,
        );
      for (const row of fresh) {
        const what = `row ${row.id} (${row.action})`;
        assert.equal(Number(row.chain_format), 2, what);
        if (row.actor_kind === 'user') {
          const user = users.get(Number(row.user_id));
          assert.ok(user, what);
          assert.equal(row.actor_name, user.username, `${what}: actor_name is the login name`);
          assert.equal(row.actor_login, user.username, what);
          assert.equal(row.actor_display_name, user.display_name, what);
        } else if (row.actor_kind === 'system') {
          assert.match(row.actor_name, /^system:[a-z-]+$/, what);
          assert.deepEqual([row.user_id, row.actor_login, row.actor_display_name], [null, null, null], what);
        } else {
          assert.equal(row.actor_kind, 'anonymous', what);
          assert.equal(row.actor_name, 'nobody-here', what);
          assert.deepEqual([row.user_id, row.actor_login, row.actor_display_name], [null, null, null], what);
        }
      }
      // The office, on every action it took (its logins, a failed one, the round's): one naming.
      const byOffice = fresh.filter((row) => Number(row.user_id) === office.session.user.id);
      assert.ok(new Set(byOffice.map((row) => row.action)).size >= 4, byOffice.map((row) => row.action).join());
      assert.deepEqual(new Set(byOffice.map((row) => JSON.stringify([row.actor_kind, row.actor_name, row.actor_login, row.actor_display_name]))).size, 1);
      assert.ok(
        fresh.some((row) => row.actor_kind === 'system'),
        'the demo load wrote as a system job',
      );

      // The whole chain verifies: old rows by format 1, new ones by format 2.
      const report = await server.services.audit.verify(systemActor('test'));
      assert.equal(report.ok, true, JSON.stringify(report));
      assert.equal(report.count, rows.length);

      // The screen: old rows as written, resolved as before; new rows by display name, the login beside it.
      const auditor = await server.as('auditor');
      const events = (await auditor.get('/api/audit?sort=id&order=asc&pageSize=200')).body.events as {
        id: number;
        actor: string;
        actorLabel: string;
        actorLogin: string | null;
        chainFormat: number;
        action: string;
        userId: number | null;
      }[];
      const [oldOffice, oldJob] = oldIds.map((id) => events.find((event) => event.id === id)!);
      assert.deepEqual([oldOffice!.actor, oldOffice!.actorLabel, oldOffice!.actorLogin, oldOffice!.chainFormat], ['张敏', '张敏', 'office', 1]);
      assert.deepEqual([oldJob!.actor, oldJob!.actorLabel, oldJob!.actorLogin, oldJob!.chainFormat], ['test', '系统（测试）', null, 1]);
      const openRow = events.find((event) => event.action === 'round.open' && event.chainFormat === 2)!;
      assert.deepEqual([openRow.actor, openRow.actorLabel, openRow.actorLogin], ['office', office.session.user.displayName, 'office']);
    } finally {
      await server.close();
    }
  });

  it('a row that cannot be written outside a business transaction is logged with what was lost', async (database) => {
    const logged: { message: string; context: Record<string, unknown> }[] = [];
    // A store that refuses every transaction, as a full disk or a lost connection would.
    const broken = { ...database, db: { transaction: () => ({ execute: async () => Promise.reject(new Error('disk I/O error')) }) } } as unknown as Database;
    const written = await auditOutside(
      broken,
      systemActor('backup-job'),
      '2026-01-01T00:00:00.000Z',
      { action: 'backup', objectType: 'database', objectId: null, result: 'failed', detail: { file: '/x.db' } },
      (message, context) => logged.push({ message, context }),
    );
    assert.equal(written, false);
    assert.equal(logged.length, 1);
    assert.match(logged[0]!.message, /审计记录写入失败/);
    assert.equal(logged[0]!.context.error, 'disk I/O error');
    assert.deepEqual(logged[0]!.context.lost, {
      at: '2026-01-01T00:00:00.000Z',
      actor_kind: 'system',
      actor_name: 'system:backup-job',
      user_id: null,
      actor_login: null,
      actor_display_name: null,
      action: 'backup',
      objectType: 'database',
      objectId: null,
      result: 'failed',
      detail: { file: '/x.db' },
    });
    // Without a log given: console.error, never silence.
    const original = console.error;
    const seen: unknown[][] = [];
    console.error = (...args: unknown[]) => void seen.push(args);
    try {
      assert.equal(await auditOutside(broken, systemActor('cli'), new Date(), { action: 'backup', objectType: 'database', objectId: null }), false);
    } finally {
      console.error = original;
    }
    assert.equal(seen.length, 1);
    // And the same write on the real store succeeds.
    assert.equal(await auditOutside(database, systemActor('cli'), new Date(), { action: 'backup', objectType: 'database', objectId: null }), true);
  });
});
