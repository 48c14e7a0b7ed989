import assert from 'node:assert/strict';
import type { DashboardGroup } from '../../domain/api/insight-view.ts';
import { isDomainError } from '../../domain/errors.ts';
import { boardsScenario, finding, fixedFindings, TARGET } from '../../../tests/support/boards-scenario.ts';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { person } from '../../../tests/support/people.ts';
import { createDashboardService } from './dashboard.service.ts';
import { cachedFindings, findingsStamp } from './findings-source.ts';

const sum = (groups: readonly DashboardGroup[], field: keyof Omit<DashboardGroup, 'name'>) => groups.reduce((total, group) => total + group[field], 0);

forEachEngine('dashboard service', (it) => {
  it('gives completion and lights by unit, leader and chapter, the heat map, indicator series and finding counts, running the engine once per round', async (database) => {
    const s = await boardsScenario(database);
    const [h, g, w] = [s.unit('环评处'), s.unit('规财处'), s.unit('水处')];
    const indicatorTask = s.guicaiTasks[0]!;
    const findings = fixedFindings(
      new Map([
        [
          s.importedRoundId,
          [
            finding('indicator', indicatorTask, g, {
              actual: { value: 70.1, unit: '%', basis: 'level', months: null, baseYear: null, quote: '70.1%' },
              verdict: 'on_track',
            }),
          ],
        ],
        [
          s.q3Id,
          [
            finding('indicator', indicatorTask, g),
            finding('indicator', indicatorTask, g, { key: 'proposal', status: 'proposed' }),
            finding('arithmetic', s.huanpingTasks[0]!, h),
            finding('arithmetic', s.huanpingTasks[0]!, h, { ok: false }),
            finding('stale', s.huanpingTasks[0]!, h),
            finding('silent_unit', s.shuichuTasks[0]!, w),
          ],
        ],
      ]),
    );
    const service = createDashboardService({ database, findings, now: s.time.now });

    const board = await service.dashboard(s.office, s.planId);
    assert.deepEqual(
      [...findings.calls.entries()].sort(),
      [
        [s.importedRoundId, 1],
        [s.q3Id, 1],
      ].sort(),
      'the engine once per round',
    );
    assert.deepEqual(board.round, { id: s.q3Id, label: '2017年第三季度', status: 'open', deadline: '2017-10-10T23:59:59+08:00' });
    assert.deepEqual(
      board.rounds.map((r) => r.label),
      ['2017年第二季度', '2017年第三季度'],
    );

    // By unit: 环评处 accepted, all green; 规财处 submitted late, its first task red; 水处 nothing in.
    const unit = (name: string) => board.completion.byUnit.find((group) => group.name === name)!;
    const nh = s.huanpingTasks.length;
    const ng = s.guicaiTasks.length;
    assert.deepEqual(unit('环评处'), { name: '环评处', total: nh, answered: nh, green: nh, yellow: 0, red: 0, none: 0 });
    assert.deepEqual(unit('规财处'), { name: '规财处', total: ng, answered: ng, green: ng - 1, yellow: 0, red: 1, none: 0 });
    assert.deepEqual(unit('水处'), { name: '水处', total: s.shuichuTasks.length, answered: 0, green: 0, yellow: 0, red: 0, none: s.shuichuTasks.length });
    assert.ok(!board.completion.byUnit.some((group) => group.name === '各处(室)'));
    const total = sum(board.completion.byUnit, 'total');
    assert.equal(sum(board.completion.byChapter, 'total'), total, 'every answer asked sits in one chapter');
    assert.equal(sum(board.completion.byUnit, 'answered'), nh + ng);
    assert.equal(board.completion.byChapter.length, 8);
    assert.equal(board.completion.byChapter[3]!.name, '四、实施污染防治“三大战役”，加快改善环境质量');
    assert.ok(board.completion.byLeader.some((group) => group.name === '李岳东'));
    for (const group of [...board.completion.byUnit, ...board.completion.byLeader, ...board.completion.byChapter])
      assert.equal(group.green + group.yellow + group.red + group.none, group.total, `${group.name}: every answer has one light`);

    // The heat map: both rounds; the imported one has no on-time; scores as the evaluation's.
    assert.deepEqual(board.heatMap.rounds, ['2017年第二季度', '2017年第三季度']);
    const cell = (unitName: string, round: string) => board.heatMap.cells.find((c) => c.unit === unitName && c.round === round);
    assert.deepEqual(cell('环评处', '2017年第三季度'), {
      unit: '环评处',
      round: '2017年第三季度',
      score: Math.round((100 * (nh - 1)) / nh),
      scoreState: 'scored',
      onTime: true,
      stale: 1,
      silent: 0,
    });
    assert.deepEqual(cell('水处', '2017年第三季度'), {
      unit: '水处',
      round: '2017年第三季度',
      score: 0,
      scoreState: 'scored',
      onTime: false,
      stale: 0,
      silent: 1,
    });
    assert.equal(cell('规财处', '2017年第三季度')!.score, 90);
    assert.equal(cell('环评处', '2017年第二季度')!.onTime, null);
    assert.equal(cell('环评处', '2017年第二季度')!.scoreState, 'scored', 'an imported round is scored');
    assert.ok(board.heatMap.units.includes('环评处') && !board.heatMap.units.includes('各处(室)'));

    // One confirmed indicator over both rounds, with its path; the proposal is not shown.
    assert.equal(board.indicators.length, 1);
    const series = board.indicators[0]!;
    assert.deepEqual({ taskId: series.taskId, key: series.key, target: series.target }, { taskId: indicatorTask, key: 'k1', target: TARGET });
    assert.deepEqual(series.path[0], { year: 2015, value: 70 });
    assert.deepEqual(series.path.at(-1), { year: 2020, value: 82 });
    assert.deepEqual(series.actuals, [
      { round: '2017年第二季度', periodEnd: '2017-06-30', value: 70.1, basis: 'level', verdict: 'on_track' },
      { round: '2017年第三季度', periodEnd: '2017-09-30', value: 72.4, basis: 'level', verdict: 'behind' },
    ]);
    // This round's counts; arithmetic counts the relations that do not hold.
    assert.deepEqual(board.findings, { arithmetic: 1, indicator: 2, stale: 1, duplicate: 0, no_new_facts: 0, silent_unit: 1 });

    // Another round asked for; one of another plan or none is refused.
    const q2 = await service.dashboard(s.leader, s.planId, { roundId: s.importedRoundId });
    assert.equal(q2.round!.label, '2017年第二季度');
    assert.ok(sum(q2.completion.byUnit, 'answered') > 0, 'an imported round has its answers');
    await assert.rejects(service.dashboard(s.office, s.planId, { roundId: 999_999 }), (error) => isDomainError(error) && error.code === 'round_not_found');
    await assert.rejects(service.dashboard(s.office, 999_999), (error) => isDomainError(error) && error.code === 'plan_not_found');

    // 李岳东's own tasks only.
    const mine = await service.dashboard(s.leader, s.planId, { scope: 'mine' });
    const leaderTasks = new Set(
      (
        await database.db
          .selectFrom('task_leaders')
          .innerJoin('leaders', 'leaders.id', 'task_leaders.leader_id')
          .select('task_id')
          .where('leaders.name', '=', '李岳东')
          .execute()
      ).map((r) => r.task_id),
    );
    const asked = await database.db
      .selectFrom('task_units')
      .innerJoin('round_tasks', 'round_tasks.task_id', 'task_units.task_id')
      .innerJoin('units', 'units.id', 'task_units.unit_id')
      .select('task_units.task_id')
      .where('round_tasks.round_id', '=', s.q3Id)
      .where('units.collective', '=', 0)
      .execute();
    const expected = asked.filter((row) => leaderTasks.has(row.task_id)).length;
    assert.ok(expected > 0 && expected < total);
    assert.equal(sum(mine.completion.byUnit, 'total'), expected);
    assert.equal(mine.completion.byLeader.find((group) => group.name === '李岳东')!.total, expected);
    await assert.rejects(
      service.dashboard(s.office, s.planId, { scope: 'mine' }),
      (error) => isDomainError(error) && error.code === 'dashboard_scope_leader_only',
    );

    // Before the deadline, 水处 (nothing in) is not due: no score, not a red 0 — the heat map's 未报.
    s.time.set('2017-10-01T10:00:00+08:00');
    const early = (await service.dashboard(s.office, s.planId)).heatMap.cells.find((c) => c.unit === '水处' && c.round === '2017年第三季度')!;
    assert.deepEqual([early.score, early.scoreState, early.onTime], [null, 'not_due', null]);
    s.time.set('2017-10-12T10:00:00+08:00');

    // Kept findings (services/index.ts): a reload runs the engine again only after a write, and
    // then at once. The stamp on PostgreSQL is the cluster's snapshot: other databases of the same
    // server (other test files) write too, so there a reload may compute again — never less.
    const counted = fixedFindings(new Map());
    const kept = createDashboardService({ database, findings: cachedFindings(counted, 1000), now: s.time.now });
    await kept.dashboard(s.office, s.planId);
    await kept.dashboard(s.leader, s.planId, { scope: 'mine' });
    const reads = [...counted.calls.values()];
    if (database.engine === 'sqlite') assert.deepEqual(reads, [1, 1], 'a reload with nothing written does not run the engine again');
    else assert.ok(reads.every((n) => n === 1 || n === 2));
    let same = false;
    for (let tries = 0; tries < 20 && !same; tries++) same = (await findingsStamp(database)) === (await findingsStamp(database));
    assert.ok(same, 'the stamp holds while nothing is written');
    const stamp = await findingsStamp(database);
    await s.rounds.setDeadline(s.office, s.q3Id, '2017-10-20');
    assert.notEqual(await findingsStamp(database), stamp, 'a write moves the stamp');
    await kept.dashboard(s.office, s.planId);
    assert.deepEqual(
      [...counted.calls.values()],
      reads.map((n) => n + 1),
      'a write shows at once',
    );

    // Rounds in the order of their periods, as the previous round is found (an earlier quarter
    // imported after a later one comes first): here the imported round is moved past 第三季度.
    await database.db.updateTable('rounds').set({ period_end: '2017-12-31' }).where('id', '=', s.importedRoundId).execute();
    const reordered = await service.dashboard(s.office, s.planId);
    assert.deepEqual(reordered.heatMap.rounds, ['2017年第三季度', '2017年第二季度']);
    assert.deepEqual(
      reordered.rounds.map((r) => r.label),
      ['2017年第三季度', '2017年第二季度'],
    );
    assert.deepEqual(
      reordered.indicators[0]!.actuals.map((a) => a.round),
      ['2017年第三季度', '2017年第二季度'],
    );

    // Units and admins read no dashboard.
    for (const actor of [s.huanping, s.huanpingHead, await person(database, 'system_admin')])
      await assert.rejects(service.dashboard(actor, s.planId), (error) => isDomainError(error) && error.kind === 'forbidden');
  });
});
