import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemActor } from '../../domain/actor.ts';
import type { RoundFiguresView } from '../../domain/api/province-view.ts';
import { isDomainError } from '../../domain/errors.ts';
import { createTestDatabase, forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { buildPlanDocument } from '../../../tests/support/factories.ts';
import { importSeed, movableClock, unitIdOf, userActor } from '../../../tests/support/seeded-plan.ts';
import { createAnswerService } from '../services/answer.service.ts';
import { createPlanImportService } from '../services/plan-import.service.ts';
import { createProvinceService, mapBounded } from './province.service.ts';
import { testDirectory } from './province-test-directory.ts';
import { createRoundService } from '../services/round.service.ts';
import { createOrganisationProfileService } from '../services/organisation-profile.service.ts';
import { createSubmissionService } from '../services/submission.service.ts';

/** The supervisor signs in to the home organisation. */
const HOME = { home: true, code: 'home' };

const rejects = async (promise: Promise<unknown>, kind: string, code: string) =>
  assert.rejects(promise, (error: unknown) => isDomainError(error) && error.kind === kind && error.code === code);

/**
 * Two stores: the home organisation with the seed (one imported round), and a city bureau with
 * a small plan whose 2017年第三季度 round is run in the app:
 *   大气处 on time, on track; 水处 on time with a 滞后 answer; 规财处 on time with a 暂缓 answer;
 *   环评处 late; 生态处 only a draft marked 滞后 (not counted); 监测处 and 监察总队 nothing.
 */
async function setUp(home: TestDatabase, city: TestDatabase) {
  const time = movableClock('2017-10-09T09:00:00+08:00');
  await importSeed(home);
  const imported = await createPlanImportService({ database: city }).importDocument(systemActor('test'), buildPlanDocument(), {
    fileName: 'city.json',
    contentHash: 'city',
  });
  const deps = { database: city, now: time.now };
  const rounds = createRoundService(deps);
  const answers = createAnswerService(deps);
  const submissions = createSubmissionService(deps);
  const office = userActor('office');
  const round = await rounds.openRound(office, imported.planId, {
    label: '2017年第三季度',
    periodStart: '2017-07-01',
    periodEnd: '2017-09-30',
    deadline: '2017-10-10',
    note: null,
    requiresApproval: false,
  });

  const answer = async (unitName: string, status: 'on_track' | 'delayed' | 'suspended', submit: boolean) => {
    const unitId = await unitIdOf(city, unitName);
    const reporter = userActor('reporter', { unitId });
    const todo = await answers.todo(reporter, round.id, unitId);
    for (const item of todo.items)
      await answers.saveAnswer(reporter, round.id, item.task.id, unitId, {
        text: `${unitName}：本季度工作情况。`,
        status,
        reason: status === 'on_track' ? null : '资金尚未到位',
        version: item.answer.version,
      });
    if (submit) await submissions.submit(reporter, round.id, unitId);
  };
  await answer('大气处', 'on_track', true);
  await answer('水处', 'delayed', true);
  await answer('规财处', 'suspended', true);
  await answer('生态处', 'delayed', false);

  const supervisor = userActor('supervisor');
  const province = createProvinceService({
    directory: testDirectory([
      { code: 'home', name: '省生态环境厅', database: home },
      { code: 'demo-city', name: '某市生态环境局', database: city },
      { code: 'old-city', name: '已撤并的县局', database: city, archivedAt: '2017-01-01T00:00:00.000Z' },
    ]),
    now: time.now,
  });
  return { time, round, rounds, office, supervisor, province, answer, importedRoundId: imported.roundId };
}

test('organisations are read a few at a time, and the rows keep the directory’s order', async () => {
  let running = 0;
  let most = 0;
  const results = await mapBounded([5, 1, 4, 2, 3, 1, 2, 5, 1, 3], 4, async (delay) => {
    running += 1;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, delay * 3));
    running -= 1;
    return delay * 10;
  });
  assert.equal(most, 4);
  assert.deepEqual(results, [50, 10, 40, 20, 30, 10, 20, 50, 10, 30]);
  assert.deepEqual(await mapBounded([], 4, async () => 1), []);
});

const importedFigures = { units: null, onTime: null, late: null, notSubmitted: null, onTimeRate: null, lights: null, lagging: null, suspended: null };

forEachEngine('province roll-up (全省汇总) across two stores', (it) => {
  it('one row per organisation that is not archived; exact counts; a draft marked 滞后 is not counted; imported rounds invent nothing', async (home) => {
    const city = await createTestDatabase(home.engine);
    try {
      const s = await setUp(home, city);
      // The bureau keeps its own clock: its deadline is shown on it, not on the supervisor's.
      await createOrganisationProfileService({ database: city, timeZone: 'Asia/Shanghai' }).update(systemActor('test'), {
        fullName: '某市生态环境局',
        officeName: '某市生态环境局办公室',
        issuerMark: '某市生态环境局办公室',
        docPrefixes: [],
        leaderWord: '局领导',
        unitWords: ['科', '室'],
        timeZone: 'Asia/Urumqi',
      });

      // Before the deadline: three units submitted, four within the warning days (yellow).
      const before = await s.province.rollUp(s.supervisor, HOME);
      assert.deepEqual(
        before.organisations.map((row) => row.code),
        ['home', 'demo-city'],
      );
      assert.deepEqual(before.organisations[1]!.round!.lights, { green: 3, yellow: 4, red: 0, grey: 0 });

      // 环评处 submits after the deadline.
      s.time.set('2017-10-11T09:00:00+08:00');
      await s.answer('环评处', 'on_track', true);
      const view = await s.province.rollUp(s.supervisor, HOME);
      assert.equal(view.readAt, '2017-10-11T01:00:00.000Z');
      const [homeRow, cityRow] = view.organisations;
      assert.deepEqual(homeRow, {
        code: 'home',
        name: '省生态环境厅',
        plans: { total: 1, active: 0 },
        round: { roundId: homeRow!.round!.roundId, label: '2017年第二季度', deadline: null, timeZone: 'Asia/Shanghai', status: 'imported', ...importedFigures },
        readAt: '2017-10-11T01:00:00.000Z',
      });
      assert.deepEqual(cityRow, {
        code: 'demo-city',
        name: '某市生态环境局',
        plans: { total: 1, active: 1 },
        round: {
          roundId: s.round.id,
          label: '2017年第三季度',
          deadline: s.round.deadline,
          timeZone: 'Asia/Urumqi',
          status: 'open',
          units: 7,
          onTime: 3,
          late: 1,
          notSubmitted: 3,
          onTimeRate: 3 / 7,
          lights: { green: 4, yellow: 0, red: 3, grey: 0 },
          lagging: 1,
          suspended: 1,
        } satisfies RoundFiguresView,
        readAt: '2017-10-11T01:00:00.000Z',
      });
      // Counts only: no answer text, reason or unit name anywhere in the view.
      const json = JSON.stringify(view);
      for (const text of ['本季度工作情况', '资金尚未到位', '大气处', '环评处']) assert.ok(!json.includes(text), text);

      // Drill-down: every round of the city, newest first; the imported one without figures.
      const drill = await s.province.organisationRounds(s.supervisor, HOME, 'demo-city');
      assert.deepEqual(drill.organisation, { code: 'demo-city', name: '某市生态环境局' });
      assert.deepEqual(
        drill.rounds.map((round) => [round.label, round.status, round.onTime]),
        [
          ['2017年第三季度', 'open', 3],
          ['2017年第二季度', 'imported', null],
        ],
      );
      assert.deepEqual(drill.rounds[0], cityRow!.round);
      await rejects(s.province.organisationRounds(s.supervisor, HOME, 'old-city'), 'not_found', 'organisation_not_found');
      await rejects(s.province.organisationRounds(s.supervisor, HOME, 'nowhere'), 'not_found', 'organisation_not_found');

      // Once closed, the latest closed round is the row's round; no plan is active.
      await s.rounds.closeRound(s.office, s.round.id);
      const closed = (await s.province.rollUp(s.supervisor, HOME)).organisations[1]!;
      assert.deepEqual([closed.plans, closed.round!.status, closed.round!.onTime, closed.round!.lagging], [{ total: 1, active: 0 }, 'closed', 3, 1]);
    } finally {
      await city.dispose();
    }
  });

  it('only the supervisor (and the operator) reads it: every other role is refused', async (home) => {
    const city = await createTestDatabase(home.engine);
    try {
      const s = await setUp(home, city);
      for (const role of ['office', 'leader', 'system_admin', 'security_admin', 'audit_admin'] as const) {
        await rejects(s.province.rollUp(userActor(role), HOME), 'forbidden', 'forbidden_role');
        await rejects(s.province.organisationRounds(userActor(role), HOME, 'demo-city'), 'forbidden', 'forbidden_role');
      }
      await rejects(s.province.rollUp(userActor('reporter', { unitId: await unitIdOf(city, '水处') }), HOME), 'forbidden', 'forbidden_role');
      // A supervisor account made inside a bureau's store reads nothing across the province.
      await rejects(s.province.rollUp(s.supervisor, { home: false, code: 'demo-city' }), 'forbidden', 'forbidden_province');
      assert.equal((await s.province.rollUp(systemActor('test'), HOME)).organisations.length, 2);
    } finally {
      await city.dispose();
    }
  });
});
