import assert from 'node:assert/strict';
import { isDomainError } from '../../domain/errors.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { seededRoundWork } from '../../../tests/support/seeded-plan.ts';
import { createAnswerService } from './answer.service.ts';
import { createRoundService } from './round.service.ts';
import { createRoundStatisticsService } from './round-statistics.service.ts';
import { createSubmissionService } from './submission.service.ts';

async function setUp(database: TestDatabase) {
  const { time, planId, importedRoundId, unit, person, deps } = await seededRoundWork(database);
  return {
    time,
    imported: { planId, roundId: importedRoundId },
    unit,
    person,
    office: person('office'),
    rounds: createRoundService({ ...deps, warnDays: 3 }),
    answers: createAnswerService(deps),
    submissions: createSubmissionService(deps),
    statistics: createRoundStatisticsService({ database }),
  };
}

type Setup = Awaited<ReturnType<typeof setUp>>;

async function fillAndSubmit(s: Setup, unitName: string, roundId: number) {
  const reporter = s.person('reporter', unitName);
  const unitId = s.unit(unitName);
  const todo = await s.answers.todo(reporter, roundId, unitId);
  for (const [i, item] of todo.items.entries())
    await s.answers.saveAnswer(reporter, roundId, item.task.id, unitId, {
      text: `第${i + 1}项已按期推进。`,
      status: 'on_track',
      reason: null,
      version: item.answer.version,
    });
  return s.submissions.submit(reporter, roundId, unitId);
}

forEachEngine('报送情况统计', (it) => {
  it('counts on-time, late (逾期), missing and accepted units, leaving collective units out', async (database) => {
    const s = await setUp(database);
    const round = await s.rounds.openRound(s.office, s.imported.planId, {
      label: '2017年第三季度',
      periodStart: '2017-07-01',
      periodEnd: '2017-09-30',
      deadline: '2017-10-10',
      note: null,
      requiresApproval: false,
    });
    const before = await s.statistics.statistics(s.office, round.id);
    assert.equal(before.inApp, true);
    assert.ok(before.units.length >= 4, 'the seed plan has enough units');
    assert.equal(before.totals.notSubmitted, before.totals.units);
    assert.equal(before.totals.tasksAnswered, 0);
    assert.equal(before.totals.tasks, round.tasks);

    // A collective unit's submission row (should one ever exist) is never counted.
    const collective = await database.db.selectFrom('units').select(['id', 'name']).where('collective', '=', 1).executeTakeFirst();
    assert.ok(collective, 'the seed has collective units (各处(室) …)');
    assert.ok(!before.units.some((u) => u.unitId === collective.id));
    await database.db
      .insertInto('unit_submissions')
      .values({
        round_id: round.id,
        unit_id: collective.id,
        state: 'submitted',
        version: 1,
        updated_at: '2017-09-20T01:00:00.000Z',
        submitted_at: '2017-09-20T01:00:00.000Z',
      })
      .execute();

    // 环评处 on time and accepted; 规财处 on time; 生态处 … late; 大气处 … nothing.
    await fillAndSubmit(s, '环评处', round.id);
    await s.submissions.accept(s.office, round.id, s.unit('环评处'));
    await fillAndSubmit(s, '规财处', round.id);
    const others = before.units.map((u) => u.unitName).filter((name) => name !== '环评处' && name !== '规财处');
    const [lateUnit, extendedUnit] = others as [string, string];
    await s.rounds.extendUnitDeadline(s.office, round.id, s.unit(extendedUnit), '2017-10-20');
    s.time.set('2017-10-11T17:00:00+08:00');
    const late = await fillAndSubmit(s, lateUnit, round.id);
    assert.equal(late.late, true);

    const stats = await s.statistics.statistics(s.office, round.id);
    const row = (name: string) => stats.units.find((u) => u.unitName === name)!;
    assert.equal(stats.units.length, before.units.length, 'the collective unit is not counted');
    assert.ok(!stats.units.some((u) => u.unitId === collective.id));
    assert.deepEqual(
      { ...stats.totals, tasks: 0, tasksAnswered: 0 },
      { units: before.units.length, onTime: 2, late: 1, notSubmitted: before.units.length - 3, returned: 0, accepted: 1, tasks: 0, tasksAnswered: 0 },
    );
    assert.ok(stats.totals.tasksAnswered > 0 && stats.totals.tasksAnswered <= stats.totals.tasks);
    assert.deepEqual(
      { state: row('环评处').state, submitted: row('环评处').submitted, late: row('环评处').late, accepted: row('环评处').accepted },
      { state: 'accepted', submitted: true, late: false, accepted: true },
    );
    assert.equal(row('环评处').answered, row('环评处').tasks);
    assert.equal(row('规财处').state, 'submitted');
    assert.equal(row('规财处').late, false);
    assert.equal(row(lateUnit).late, true);
    assert.equal(row(lateUnit).submittedAt, '2017-10-11T09:00:00.000Z');
    assert.equal(row(extendedUnit).submitted, false);
    assert.equal(row(extendedUnit).submittedAt, null);
    assert.equal(row(extendedUnit).extendedDeadline, '2017-10-20T23:59:59+08:00');
    assert.equal(row(lateUnit).extendedDeadline, null);

    // Returned after a late submit: not submitted now, and no longer counted late.
    await s.submissions.returnAnswers(s.office, round.id, s.unit(lateUnit), '请补充');
    const returned = await s.statistics.statistics(s.office, round.id);
    assert.equal(returned.totals.late, 0);
    assert.equal(returned.totals.returned, 1);
    assert.equal(returned.totals.notSubmitted, before.units.length - 2);
  });

  it('says an imported round has no in-app submissions instead of inventing numbers', async (database) => {
    const s = await setUp(database);
    const stats = await s.statistics.statistics(s.office, s.imported.roundId);
    assert.equal(stats.inApp, false);
    assert.deepEqual(stats.units, []);
    assert.equal(stats.totals.units, 0);
    assert.equal(stats.totals.onTime + stats.totals.late + stats.totals.notSubmitted + stats.totals.accepted, 0);
  });

  it('is read by the office and leaders only', async (database) => {
    const s = await setUp(database);
    await s.statistics.statistics(s.person('leader'), s.imported.roundId);
    await assert.rejects(
      s.statistics.statistics(s.person('reporter', '环评处'), s.imported.roundId),
      (error: unknown) => isDomainError(error) && error.kind === 'forbidden',
    );
    await assert.rejects(s.statistics.statistics(s.office, 999_999), (error: unknown) => isDomainError(error) && error.code === 'round_not_found');
  });
});
