import assert from 'node:assert/strict';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, testClock, type SignedInClient } from '../support/test-server.ts';

/**
 * 催办提醒 (issue 16): the office reads and replaces a round's reminder ladder over HTTP; a round
 * opened with a deadline starts with the default one; bad ladders are refused naming the rung and
 * its place, and change nothing.
 */
forEachEngine('reminder ladder API', (it) => {
  it('a round opened with a deadline gets the default ladder; the office replaces it, the due rows follow at once, and it is audited', async (database) => {
    // Monday 2026-03-02 16:00 in Beijing; the deadline is Friday 2026-03-20, 23:59:59.
    const clock = testClock('2026-03-02T08:00:00.000Z');
    const server = await createTestServer(database, { now: clock });
    try {
      const office = await server.as('office');
      const planId = (await office.get('/api/plans')).body[0].id as number;
      const opened = await office.post(`/api/plans/${planId}/rounds`, { label: '2026年第一季度', deadline: '2026-03-20', note: null });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      const roundId = opened.body.id as number;
      const path = `/api/rounds/${roundId}/reminder-ladder`;
      const units = (await database.db.selectFrom('unit_submissions').select('unit_id').where('round_id', '=', roundId).execute()).length;
      assert.ok(units > 3);

      const initial = await office.get(path);
      assert.equal(initial.status, 200, JSON.stringify(initial.body));
      assert.deepEqual(initial.body, {
        roundId,
        rungs: [
          { rung: 'before:7d', label: '截止前 7 天 09:00', allowQuietHours: false, allowWeekends: false },
          { rung: 'before:3d', label: '截止前 3 天 09:00', allowQuietHours: false, allowWeekends: false },
          { rung: 'due_day:09:00', label: '截止当天 09:00', allowQuietHours: false, allowWeekends: false },
          { rung: 'overdue_daily:09:00', label: '逾期后每天 09:00', allowQuietHours: false, allowWeekends: false },
        ],
        setBy: '张敏',
        setAt: '2026-03-02T08:00:00.000Z',
        // Three one-time rungs per unit are stored at once; the daily one only a day ahead, once overdue.
        pending: units * 3,
        nextDueAt: '2026-03-13T01:00:00.000Z',
      });

      // A round opened without a deadline gets the ladder too; nothing falls due until it has a deadline.
      const undated = await office.post(`/api/plans/${planId}/rounds`, { label: '临时调度', note: null });
      assert.equal(undated.status, 201);
      const undatedLadder = await office.get(`/api/rounds/${undated.body.id}/reminder-ladder`);
      assert.deepEqual(
        [undatedLadder.body.rungs.map((r: { rung: string }) => r.rung), undatedLadder.body.pending, undatedLadder.body.nextDueAt],
        [['before:7d', 'before:3d', 'due_day:09:00', 'overdue_daily:09:00'], 0, null],
      );
      // Given a deadline, its reminders are due at once (not only after the worker's next tick).
      const dated = await office.patch(`/api/rounds/${undated.body.id}`, { deadline: '2026-03-20' });
      assert.equal(dated.status, 200, JSON.stringify(dated.body));
      const datedLadder = (await office.get(`/api/rounds/${undated.body.id}/reminder-ladder`)).body;
      assert.equal(datedLadder.pending, units * 3, 'three one-time rungs per unit');
      assert.equal(await office.patch(`/api/rounds/${undated.body.id}`, { deadline: null }).then((r) => r.status), 200);
      assert.equal((await office.get(`/api/rounds/${undated.body.id}/reminder-ladder`)).body.pending, 0, 'taking the deadline away takes its reminders away');

      // The office replaces it: 7 days goes, 2 days and 18:30 on the day come, in any order typed.
      clock.advance(60_000);
      const put = await office.put(path, {
        rungs: [{ rung: 'before:2d' }, { rung: 'due_day:18:30', allowQuietHours: true }, { rung: 'overdue_daily:09:00', allowWeekends: true }],
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.deepEqual(put.body.rungs, [
        { rung: 'before:2d', label: '截止前 2 天 09:00', allowQuietHours: false, allowWeekends: false },
        { rung: 'due_day:18:30', label: '截止当天 18:30', allowQuietHours: true, allowWeekends: false },
        { rung: 'overdue_daily:09:00', label: '逾期后每天 09:00', allowQuietHours: false, allowWeekends: true },
      ]);
      assert.deepEqual(
        [put.body.setBy, put.body.setAt, put.body.pending, put.body.nextDueAt],
        ['张敏', '2026-03-02T08:01:00.000Z', units * 2, '2026-03-18T01:00:00.000Z'],
      );
      assert.deepEqual((await office.get(path)).body, put.body, 'read back as saved');
      const due = await database.db.selectFrom('reminder_due').select(['rung', 'due_at', 'state']).where('round_id', '=', roundId).execute();
      assert.deepEqual(
        [...new Set(due.map((row) => `${row.rung} ${row.due_at} ${row.state}`))].sort(),
        ['before:2d 2026-03-18T01:00:00.000Z pending', 'due_day:18:30 2026-03-20T10:30:00.000Z pending'],
        'the removed rungs’ pending rows went and the new ones are there before any worker ran',
      );
      const audits = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'round.reminders').execute();
      assert.equal(audits.length, 1);
      assert.equal(audits[0]!.object_id, String(roundId));
      assert.deepEqual(JSON.parse(audits[0]!.detail), {
        from: ['截止前 7 天 09:00', '截止前 3 天 09:00', '截止当天 09:00', '逾期后每天 09:00'],
        to: ['截止前 2 天 09:00', '截止当天 18:30（含夜间）', '逾期后每天 09:00（含周末）'],
      });

      // Saved again unchanged after a reminder fell due (the worker has not run yet): the due reminder stays.
      clock.set('2026-03-18T01:00:30.000Z');
      const later = await server.as('office');
      const again = await later.put(path, {
        rungs: put.body.rungs.map(({ rung, allowQuietHours, allowWeekends }: { rung: string; allowQuietHours: boolean; allowWeekends: boolean }) => ({
          rung,
          allowQuietHours,
          allowWeekends,
        })),
      });
      assert.equal(again.status, 200);
      assert.equal(again.body.pending, units * 2, 'nothing dropped by saving the same ladder again');
      assert.equal(again.body.nextDueAt, '2026-03-18T01:00:00.000Z');
      assert.equal(again.body.setAt, '2026-03-18T01:00:30.000Z', 'the view names the last save');

      // An empty ladder stops the reminders.
      const none = await later.put(path, { rungs: [] });
      assert.deepEqual([none.body.rungs, none.body.pending, none.body.nextDueAt], [[], 0, null]);

      // A round without a deadline may be given a ladder; nothing is due until it has one.
      const undatedPut = await later.put(`/api/rounds/${undated.body.id}/reminder-ladder`, { rungs: [{ rung: 'before:1d' }] });
      assert.equal(undatedPut.status, 200);
      assert.deepEqual([undatedPut.body.rungs.length, undatedPut.body.pending], [1, 0]);
    } finally {
      await server.close();
    }
  });

  it('refuses bad ladders naming the rung and its place, other roles, and closed rounds; nothing changes', async (database) => {
    const clock = testClock('2026-03-02T08:00:00.000Z');
    const server = await createTestServer(database, { now: clock });
    try {
      const office = await server.as('office');
      const planId = (await office.get('/api/plans')).body[0].id as number;
      const roundId = (await office.post(`/api/plans/${planId}/rounds`, { label: '2026年第一季度', deadline: '2026-03-20', note: null })).body.id as number;
      const path = `/api/rounds/${roundId}/reminder-ladder`;
      const before = (await office.get(path)).body;
      const dueBefore = await database.db.selectFrom('reminder_due').selectAll().orderBy('id').execute();
      const refused = async (client: SignedInClient, body: unknown, status: number, code: string, message?: string, field?: string) => {
        const response = await client.put(path, body);
        assert.equal(response.status, status, JSON.stringify(response.body));
        assert.equal(response.body.error.code, code);
        if (message !== undefined) assert.equal(response.body.error.message, message);
        if (field !== undefined) assert.equal(response.body.error.details.field, field);
      };
      const ok = { rung: 'before:7d' };
      await refused(
        office,
        { rungs: [ok, { rung: 'due_day:09:00' }, { rung: 'before:99d' }] },
        422,
        'reminder_rung_invalid',
        '第 3 条提醒“before:99d”无法识别：提前天数应为 1–60',
        'rungs.2.rung',
      );
      await refused(
        office,
        { rungs: [{ rung: 'before:0d' }] },
        422,
        'reminder_rung_invalid',
        '第 1 条提醒“before:0d”无法识别：提前天数应为 1–60',
        'rungs.0.rung',
      );
      await refused(
        office,
        { rungs: [ok, { rung: 'due_day:24:00' }] },
        422,
        'reminder_rung_invalid',
        '第 2 条提醒“due_day:24:00”无法识别：时刻应为 00:00–23:59，如 09:00',
        'rungs.1.rung',
      );
      await refused(
        office,
        { rungs: [{ rung: 'after:1d' }] },
        422,
        'reminder_rung_invalid',
        '第 1 条提醒“after:1d”无法识别：应为 before:7d（截止前 7 天）、due_day:09:00（截止当天）或 overdue_daily:09:00（逾期后每天）',
        'rungs.0.rung',
      );
      await refused(
        office,
        { rungs: [ok, { rung: 'due_day:09:00' }, { rung: 'before:7d', allowWeekends: true }] },
        422,
        'reminder_rung_duplicate',
        '第 3 条提醒“截止前 7 天 09:00”与第 1 条重复',
        'rungs.2.rung',
      );
      await refused(
        office,
        { rungs: [ok, { rung: ' before:07d ' }] },
        422,
        'reminder_rung_duplicate',
        '第 2 条提醒“截止前 7 天 09:00”与第 1 条重复',
        'rungs.1.rung',
      );
      await refused(
        office,
        { rungs: Array.from({ length: 11 }, (_, i) => ({ rung: `before:${i + 1}d` })) },
        422,
        'reminder_ladder_too_long',
        '催办提醒最多 10 条，现有 11 条',
        'rungs',
      );
      await refused(office, { rungs: [{ rung: 'before:7d', quiet: true }] }, 400, 'validation_failed');
      await refused(office, { rungs: 'before:7d' }, 400, 'validation_failed');
      for (const login of ['leader', 'huanping', 'huanping-head'] as const) {
        const other = await server.as(login);
        await refused(other, { rungs: [ok] }, 403, 'forbidden');
        assert.equal((await other.get(path)).status, 403);
      }
      assert.equal((await office.put('/api/rounds/999999/reminder-ladder', { rungs: [ok] })).status, 404);
      assert.deepEqual((await office.get(path)).body, before, 'nothing changed');
      assert.deepEqual(await database.db.selectFrom('reminder_due').selectAll().orderBy('id').execute(), dueBefore);
      assert.equal((await database.db.selectFrom('audit_events').select('id').where('action', '=', 'round.reminders').execute()).length, 0);

      assert.equal((await office.post(`/api/rounds/${roundId}/close`, {})).status, 200);
      await refused(office, { rungs: [ok] }, 409, 'round_not_open', '调度轮次“2026年第一季度”不在进行中，不能设置催办提醒');
      assert.equal((await office.get(path)).status, 200, 'a closed round’s ladder can still be read');
    } finally {
      await server.close();
    }
  });
});
