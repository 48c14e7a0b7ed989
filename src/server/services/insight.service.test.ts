import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FindingView, RoundInsightsView } from '../../domain/api/insight-view.ts';
import type { IndicatorTarget } from '../../domain/insights/types.ts';
import { createTestDatabase, ENGINES, postgresTestUrl, type TestDatabase } from '../../../tests/support/databases.ts';
import { unitIdOf } from '../../../tests/support/seeded-plan.ts';
import { createTestServer, type SignedInClient, type TestServer } from '../../../tests/support/test-server.ts';
import { createRepositories } from '../db/repositories/index.ts';
import { findingsIn, loadInsightInput, previousRoundOf, tasksWithPlaces } from './insight.service.ts';

/**
 * The insight service (issue 15) through its routes, on one seeded database per engine: the seed
 * round's findings (the issue's examples), a live second round where copies of last round's answers
 * are stale and rewritten ones are not, the office's decisions (audited), who may read and decide,
 * and bad input. The engine's own cases are src/domain/insights' tests; here, what the service feeds it.
 */

type Place = { chapter: number; section: number; index: number };
const at = (finding: FindingView, place: Place) =>
  finding.task.chapter === place.chapter && finding.task.section === place.section && finding.task.index === place.index;
const of = <K extends FindingView['kind']>(view: RoundInsightsView, kind: K, place?: Place) =>
  view.findings.filter((finding): finding is Extract<FindingView, { kind: K }> => finding.kind === kind && (place === undefined || at(finding, place)));

for (const engine of ENGINES) {
  describe(`insight service [${engine}]`, { skip: engine === 'postgres' && !postgresTestUrl() ? 'PostgreSQL is not configured' : false }, () => {
    let database: TestDatabase & { dispose(): Promise<void> };
    let server: TestServer;
    let office: SignedInClient;
    let leader: SignedInClient;
    let seed: RoundInsightsView;

    before(async () => {
      database = await createTestDatabase(engine);
      server = await createTestServer(database);
      office = await server.as('office');
      leader = await server.as('leader');
    });
    after(async () => {
      await server?.close();
      await database?.dispose();
    });

    it('the seed round: relations recomputed, indicators proposed, duplicates and silent co-units found — through GET /api/rounds/:id/insights', async () => {
      const response = await office.get(`/api/rounds/${server.roundId}/insights`);
      assert.equal(response.status, 200, response.text);
      seed = response.body;
      assert.equal(seed.format, 'diaodu.insights/1');
      assert.equal(seed.round, '2017年第二季度');
      assert.equal(seed.previousRound, null);
      assert.equal(seed.planId, server.planId);

      // 一.(一).3: 63 of 87 is 72.41 %, stated 72.4 %: consistent at the stated precision.
      const share = of(seed, 'arithmetic', { chapter: 1, section: 1, index: 3 }).find((f) => f.quote.includes('占比 72.4%'));
      assert.ok(share, JSON.stringify(of(seed, 'arithmetic', { chapter: 1, section: 1, index: 3 })));
      assert.deepEqual([share.relation, share.stated, share.computed, share.ok], ['ratio', '72.4%', '72.41%', true]);
      assert.equal(share.unit, null, 'the document named nobody for this answer');
      assert.equal(share.chapterTitle.length > 0, true);
      assert.deepEqual(share.leaders, ['李岳东']);
      // 项目 774 个，其中已完成 188 个、正在调试 129 个、在建 230 个、前期 227 个: the parts add up.
      const sum = seed.findings.find((f) => f.kind === 'arithmetic' && f.relation === 'sum' && f.quote.includes('774'));
      assert.ok(sum && sum.kind === 'arithmetic' && sum.ok && sum.stated === '774');
      // 155 家，占比 86.59% of 179.
      const cleaner = seed.findings.find((f) => f.kind === 'arithmetic' && f.quote.includes('86.59%'));
      assert.ok(cleaner && cleaner.kind === 'arithmetic' && cleaner.ok);
      assert.equal(seed.arithmetic.checked, of(seed, 'arithmetic').length);
      assert.equal(seed.counts.arithmetic, seed.arithmetic.checked - seed.arithmetic.confirmed, 'counts name the relations that do not hold');

      // 一.(一).3 targets 82 % by 2020 (the year written in 一.(一).1); 72.4 % is reported: behind, and only proposed.
      const water = of(seed, 'indicator', { chapter: 1, section: 1, index: 3 });
      assert.equal(water.length, 1, JSON.stringify(water));
      assert.match(water[0]!.name, /地表水优良水质断面比例/);
      assert.deepEqual(
        [water[0]!.target.value, water[0]!.target.unit, water[0]!.target.direction, water[0]!.target.bound, water[0]!.target.byYear],
        [82, '%', 'up', 'at_least', 2020],
      );
      assert.equal(water[0]!.actual?.value, 72.4);
      assert.equal(water[0]!.status, 'proposed');
      assert.equal(water[0]!.actualStatus, 'proposed', 'the API carries the actual’s own standing');
      // 一.(一).2: PM2.5 against 2015 for the year, answered for 1-6 月: not measured alike.
      const pm = of(seed, 'indicator', { chapter: 1, section: 1, index: 2 });
      assert.ok(
        pm.some((f) => f.verdict === 'basis_differs'),
        JSON.stringify(pm),
      );
      // 一.(一).4: four targets, none reported.
      const green = of(seed, 'indicator', { chapter: 1, section: 1, index: 4 });
      assert.equal(green.length, 4, JSON.stringify(green.map((f) => f.name)));
      assert.ok(green.every((f) => f.actual === null && f.verdict === 'no_actual'));

      // The same words under different tasks.
      assert.ok(of(seed, 'duplicate').some((f) => f.similarity === 1));
      // 二.(二).4 names 水处, 土壤处 and 生态处; only 水处 reported.
      const silent = of(seed, 'silent_unit', { chapter: 2, section: 2, index: 4 }).map((f) => f.unit);
      assert.deepEqual(silent.sort(), ['土壤处', '生态处'].sort());
      for (const kind of ['indicator', 'stale', 'duplicate', 'no_new_facts', 'silent_unit'] as const) assert.equal(seed.counts[kind], of(seed, kind).length);
      assert.equal(of(seed, 'stale').length, 0, 'no previous round, nothing stale');
    });

    it('leaders read the same; units, the 三员 and nobody signed in do not; an unknown round is 404 in Chinese', async () => {
      const read = await leader.get(`/api/rounds/${server.roundId}/insights`);
      assert.equal(read.status, 200);
      assert.equal(read.body.findings.length, seed.findings.length);
      for (const username of ['huanping', 'huanping-head', 'sysadmin']) {
        const refused = await (await server.as(username)).get(`/api/rounds/${server.roundId}/insights`);
        assert.equal(refused.status, 403, username);
        assert.equal(refused.body.error.code, 'forbidden');
      }
      assert.equal((await server.anonymous().get(`/api/rounds/${server.roundId}/insights`)).status, 401);
      const missing = await office.get('/api/rounds/999999/insights');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.message, '调度轮次 999999 不存在');
    });

    it('the office confirms, corrects and rejects a proposed indicator: status and target change, every decision audited; leaders and units may not decide', async () => {
      const water = of(seed, 'indicator', { chapter: 1, section: 1, index: 3 })[0]!;
      const path = `/api/tasks/${water.taskId}/indicators/${encodeURIComponent(water.key)}`;
      const corrected: IndicatorTarget = { ...water.target, value: 70 };

      for (const username of ['leader', 'huanping']) {
        const refused = await (await server.as(username)).put(path, { state: 'confirmed' });
        assert.equal(refused.status, 403, username);
      }

      const confirmed = await office.put(path, { state: 'confirmed' });
      assert.equal(confirmed.status, 200, confirmed.text);
      assert.deepEqual([confirmed.body.state, confirmed.body.target, confirmed.body.decidedBy], ['confirmed', null, office.session.user.displayName]);
      let view: RoundInsightsView = (await office.get(`/api/rounds/${server.roundId}/insights`)).body;
      let now = of(view, 'indicator', water.task).find((f) => f.key === water.key)!;
      assert.equal(now.status, 'confirmed');
      assert.equal(now.verdict, 'behind');

      const correctedResponse = await office.put(path, { state: 'confirmed', name: '地表水优良断面比例', target: corrected });
      assert.equal(correctedResponse.status, 200, correctedResponse.text);
      view = (await office.get(`/api/rounds/${server.roundId}/insights`)).body;
      now = of(view, 'indicator', water.task).find((f) => f.key === water.key)!;
      assert.deepEqual([now.name, now.target.value, now.status], ['地表水优良断面比例', 70, 'confirmed']);
      assert.equal(now.verdict, 'on_track', '72.4 % against a target of 70 % is on track');

      // The actual: rejected, the indicator has none this round.
      const actualPath = `/api/rounds/${server.roundId}/tasks/${water.taskId}/indicators/${encodeURIComponent(water.key)}/actual`;
      const rejectedActual = await office.put(actualPath, { unitId: now.unitId, state: 'rejected' });
      assert.equal(rejectedActual.status, 200, rejectedActual.text);
      view = (await office.get(`/api/rounds/${server.roundId}/insights`)).body;
      now = of(view, 'indicator', water.task).find((f) => f.key === water.key)!;
      assert.deepEqual([now.actual, now.verdict, now.actualStatus], [null, 'no_actual', null]);
      // … then corrected to the office's figure.
      const fixed = await office.put(actualPath, { unitId: water.unitId, state: 'confirmed', actual: { ...water.actual!, value: 65 } });
      assert.equal(fixed.status, 200, fixed.text);
      view = (await office.get(`/api/rounds/${server.roundId}/insights`)).body;
      now = of(view, 'indicator', water.task).find((f) => f.key === water.key)!;
      assert.deepEqual([now.actual?.value, now.verdict, now.actualStatus], [65, 'behind', 'confirmed']);

      const rejected = await office.put(path, { state: 'rejected' });
      assert.equal(rejected.status, 200);
      view = (await office.get(`/api/rounds/${server.roundId}/insights`)).body;
      assert.ok(!of(view, 'indicator', water.task).some((f) => f.key === water.key), 'a rejected indicator is dropped');

      const audited = await database.db
        .selectFrom('audit_events')
        .select(['action', 'object_type', 'object_id', 'actor_name', 'detail'])
        .where('action', 'in', ['indicator.decide', 'indicator.actual'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audited.map((row) => [row.action, row.object_type, row.object_id]),
        [
          ['indicator.decide', 'task', String(water.taskId)],
          ['indicator.decide', 'task', String(water.taskId)],
          ['indicator.actual', 'round', String(server.roundId)],
          ['indicator.actual', 'round', String(server.roundId)],
          ['indicator.decide', 'task', String(water.taskId)],
        ],
      );
      assert.equal(JSON.parse(audited[1]!.detail).before.state, 'confirmed', 'the audit row keeps what the decision replaced');
      assert.equal(
        await database.db
          .selectFrom('indicator_decisions')
          .select('id')
          .execute()
          .then((rows) => rows.length),
        1,
        'one row per task lineage and key',
      );
      assert.equal(
        await database.db
          .selectFrom('actual_decisions')
          .select('id')
          .execute()
          .then((rows) => rows.length),
        1,
        'one row per round, lineage, key and unit',
      );
      // Confirmed again for the rounds that follow.
      assert.equal((await office.put(path, { state: 'confirmed' })).status, 200);
    });

    it('refuses bad decisions naming the field, and unknown tasks, rounds and keys in Chinese, storing nothing', async () => {
      const water = of(seed, 'indicator', { chapter: 1, section: 1, index: 3 })[0]!;
      const path = `/api/tasks/${water.taskId}/indicators/${encodeURIComponent(water.key)}`;
      const stored = async () => (await database.db.selectFrom('indicator_decisions').selectAll().execute()).length;
      const before = await stored();
      const target = (change: Partial<IndicatorTarget>) => ({ state: 'confirmed', target: { ...water.target, ...change } });
      const cases: [unknown, string, RegExp][] = [
        [target({ value: -5 }), 'target.value', /不能为负数/],
        [target({ value: 120 }), 'target.value', /不能超过 100/],
        [target({ baseYear: 2020, byYear: 2015 }), 'target.byYear', /不能早于基准年份/],
        [target({ baseValue: -1 }), 'target.baseValue', /不小于 0/],
        [target({ unit: ' ' }), 'target.unit', /计量单位/],
        [{ state: 'confirmed', name: '   ' }, 'name', /指标名称/],
      ];
      for (const [body, field, message] of cases) {
        const response = await office.put(path, body);
        assert.equal(response.status, 422, `${field}: ${response.text}`);
        assert.equal(response.body.error.details.field, field);
        assert.match(response.body.error.message, message);
      }
      const shape = await office.put(path, { state: 'maybe' });
      assert.equal(shape.status, 400, 'an unknown state is refused by the schema');
      assert.equal(await stored(), before, 'nothing stored');

      const unknownKey = await office.put(`/api/tasks/${water.taskId}/indicators/no-such-key`, { state: 'confirmed' });
      assert.equal(unknownKey.status, 404);
      assert.equal(unknownKey.body.error.code, 'indicator_not_found');
      assert.match(unknownKey.body.error.message, new RegExp(`任务 ${water.taskId} 中没有指标“no-such-key”，可选：`));
      const unknownTask = await office.put('/api/tasks/999999/indicators/x', { state: 'confirmed' });
      assert.deepEqual([unknownTask.status, unknownTask.body.error.message], [404, '任务 999999 不存在']);
      const unknownRound = await office.put(`/api/rounds/999999/tasks/${water.taskId}/indicators/${water.key}/actual`, { unitId: null, state: 'rejected' });
      assert.deepEqual([unknownRound.status, unknownRound.body.error.message], [404, '调度轮次 999999 不存在']);
      const badMonths = await office.put(`/api/rounds/${server.roundId}/tasks/${water.taskId}/indicators/${encodeURIComponent(water.key)}/actual`, {
        unitId: water.unitId,
        state: 'confirmed',
        actual: { ...water.actual!, unit: '%', basis: 'level', value: 140 },
      });
      assert.deepEqual([badMonths.status, badMonths.body.error.details.field], [422, 'actual.value']);
      // A unit that gave no answer to the task this round (人事处 answered nothing in the seed) has no actual to decide on.
      const renshi = await unitIdOf(database, '人事处');
      const actualsBefore = (await database.db.selectFrom('actual_decisions').select('id').execute()).length;
      const noAnswer = await office.put(`/api/rounds/${server.roundId}/tasks/${water.taskId}/indicators/${encodeURIComponent(water.key)}/actual`, {
        unitId: renshi,
        state: 'rejected',
      });
      assert.deepEqual([noAnswer.status, noAnswer.body.error.code, noAnswer.body.error.details.field], [404, 'answer_not_found', 'unitId'], noAnswer.text);
      assert.equal(noAnswer.body.error.message, '调度“2017年第二季度”中人事处没有答复这项任务，没有可确认或否定的实际值；可填写实际值后确认');
      const confirmedBare = await office.put(`/api/rounds/${server.roundId}/tasks/${water.taskId}/indicators/${encodeURIComponent(water.key)}/actual`, {
        unitId: renshi,
        state: 'confirmed',
      });
      assert.equal(confirmedBare.status, 404, 'nor confirm a figure nobody reported');
      assert.equal((await database.db.selectFrom('actual_decisions').select('id').execute()).length, actualsBefore, 'nothing stored');
      // The office's own figure may still stand for a unit that reported none.
      const entered = await office.put(`/api/rounds/${server.roundId}/tasks/${water.taskId}/indicators/${encodeURIComponent(water.key)}/actual`, {
        unitId: renshi,
        state: 'confirmed',
        actual: { ...water.actual!, value: 71 },
      });
      assert.equal(entered.status, 200, entered.text);
      await database.db.deleteFrom('actual_decisions').where('unit_id', '=', renshi).execute();
    });

    it('two rounds: answers 沿用上轮 unchanged are stale, rewritten ones are not; the notice paragraph counts them when asked', async () => {
      const opened = await office.post(`/api/plans/${server.planId}/rounds`, {
        label: '2017年第三季度',
        periodStart: '2017-07-01',
        periodEnd: '2017-09-30',
        deadline: '2099-10-10',
        note: null,
      });
      assert.equal(opened.status, 201, opened.text);
      const roundId = opened.body.id as number;
      const reporter = await server.as('shuichu');
      const unitId = reporter.session.user.unit!.id;
      const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
      const all = todo.body.items as { task: { id: number }; answer: { version: number }; previousText: string | null }[];
      const items = all.filter((item) => item.previousText);
      assert.ok(items.length >= 4, '水处 answered several tasks last round');
      const copied = items.slice(0, 2);
      const save = (item: (typeof items)[number], text: string, copiedFromPrevious: boolean) =>
        reporter.put(`/api/rounds/${roundId}/tasks/${item.task.id}/units/${unitId}/answer`, {
          text,
          status: 'on_track',
          reason: null,
          version: item.answer.version,
          copiedFromPrevious,
        });
      for (const [n, item] of all.entries()) {
        // Two copied unchanged; the rest rewritten (those with last round's text started from it, then edited).
        const copy = copied.includes(item);
        const text = copy
          ? item.previousText!
          : `第三季度完成第${n + 1}项：新建污水管网 ${31 + n} 公里，完成投资 ${(2.5 + n / 10).toFixed(1)} 亿元，川环函〔2017〕${900 + n}号已印发。`;
        const saved = await save(item, text, copy || item.previousText !== null);
        assert.equal(saved.status, 200, saved.text);
      }
      const submitted = await reporter.post(`/api/rounds/${roundId}/units/${unitId}/submit`, {});
      assert.equal(submitted.status, 200, submitted.text);

      const view: RoundInsightsView = (await office.get(`/api/rounds/${roundId}/insights`)).body;
      assert.equal(view.previousRound, '2017年第二季度');
      const stale = of(view, 'stale').filter((f) => f.unitId === unitId);
      assert.deepEqual(stale.map((f) => f.taskId).sort(), copied.map((item) => item.task.id).sort());
      assert.ok(stale.every((f) => f.against === '2017年第二季度' && f.copiedUnchanged && f.similarity >= 0.99));
      // The office confirmed 一.(一).3's indicator on the seed round: it holds in this round too (keyed by lineage).
      assert.ok(of(view, 'indicator').some((f) => f.status === 'confirmed'));

      const plain = await office.get(`/api/rounds/${roundId}/notice/statistics-paragraph`);
      assert.equal(plain.status, 200);
      assert.doesNotMatch(plain.body.text, /经核对/);
      assert.equal(plain.body.insights, undefined, 'without the option the paragraph is as before');
      const withInsights = await office.get(`/api/rounds/${roundId}/notice/statistics-paragraph?insights=true`);
      assert.equal(withInsights.status, 200, withInsights.text);
      assert.equal(withInsights.body.insights.staleAnswers, of(view, 'stale').length);
      assert.ok(withInsights.body.text.startsWith(plain.body.text));
      assert.match(withInsights.body.text, new RegExp(`经核对，.*${of(view, 'stale').length}条答复与上轮基本相同。$`));
    });

    it('findingsIn reads a round for the dashboards without an actor: places and context years as the plan prints them', async () => {
      const found = await findingsIn(createRepositories(database.db), server.roundId!);
      assert.equal(found.round.label, '2017年第二季度');
      assert.equal(found.tasks.length, 111);
      assert.deepEqual(
        found.tasks.slice(0, 4).map((task) => [task.place.index, task.contextYear]),
        [
          [1, null],
          [2, 2020],
          [3, 2020],
          [4, 2020],
        ],
      );
    });

    it('a round asking only some tasks places them as the plan does (一.(一).5, not 一.(一).1), with the context year of the tasks it leaves out', async () => {
      const repositories = createRepositories(database.db);
      const seedTasks = (await findingsIn(repositories, server.roundId!)).tasks;
      const wanted = [
        { chapter: 1, section: 1, index: 3 },
        { chapter: 1, section: 1, index: 5 },
        { chapter: 2, section: 2, index: 4 },
      ];
      const picked = wanted.map((place) =>
        seedTasks.find((task) => task.place.chapter === place.chapter && task.place.section === place.section && task.place.index === place.index)!,
      );
      assert.ok(picked.every(Boolean) && picked[0]!.contextYear === 2020);
      const opened = await office.post(`/api/plans/${server.planId}/rounds`, {
        label: '2017年第四季度（部分任务）',
        deadline: '2099-12-31',
        note: null,
        taskIds: picked.map((task) => task.id),
      });
      assert.equal(opened.status, 201, opened.text);
      const found = await findingsIn(repositories, opened.body.id as number);
      assert.deepEqual(
        found.tasks.map((task) => [task.id, task.place, task.contextYear]),
        picked.map((task) => [task.id, task.place, task.contextYear]),
      );
      // Through the route too: 一.(一).3's indicator keeps its place and its year (到 2020 年 is written in 一.(一).1, not asked).
      const view: RoundInsightsView = (await office.get(`/api/rounds/${opened.body.id}/insights`)).body;
      const water = of(view, 'indicator', wanted[0]);
      assert.equal(water.length, 1, JSON.stringify(view.findings.filter((f) => f.kind === 'indicator').map((f) => f.task)));
      assert.equal(water[0]!.target.byYear, 2020);
    });

    it('a live round just opened is live, not imported, and nobody in it is silent until it closes; then every asked unit that said nothing is', async () => {
      const repositories = createRepositories(database.db);
      const coUnits = (await findingsIn(repositories, server.roundId!)).tasks.find(
        (task) => task.place.chapter === 2 && task.place.section === 2 && task.place.index === 4,
      )!;
      const opened = await office.post(`/api/plans/${server.planId}/rounds`, {
        label: '2018年第一季度（共同单位）',
        deadline: '2018-01-10',
        note: null,
        taskIds: [coUnits.id],
      });
      assert.equal(opened.status, 201, opened.text);
      const roundId = opened.body.id as number;
      const open = await findingsIn(repositories, roundId);
      assert.equal((await loadInsightInput(repositories, roundId)).input.round.imported, false);
      assert.deepEqual(
        open.findings.filter((f) => f.kind === 'silent_unit'),
        [],
        'an open round, its deadline passed or not: every unit may still answer',
      );
      // 水处 answers; the round closes: 土壤处 and 生态处 said nothing.
      const reporter = await server.as('shuichu');
      const unitId = reporter.session.user.unit!.id;
      const saved = await reporter.put(`/api/rounds/${roundId}/tasks/${coUnits.id}/units/${unitId}/answer`, {
        text: '完成水源地整治 12 处。',
        status: 'on_track',
        reason: null,
        version: 0,
        copiedFromPrevious: false,
      });
      assert.equal(saved.status, 200, saved.text);
      assert.equal((await office.post(`/api/rounds/${roundId}/close`, {})).status, 200);
      const closed = await findingsIn(repositories, roundId);
      const silent = closed.findings.flatMap((f) => (f.kind === 'silent_unit' ? [f.unit] : []));
      assert.deepEqual(silent.sort(), ['土壤处', '生态处'].sort());
    });
  });
}

describe('insight service helpers', () => {
  it('the previous round is the latest before by period, else by creation', () => {
    const rounds = [
      { id: 1, periodEnd: '2017-06-30' },
      { id: 2, periodEnd: '2017-12-31' },
      { id: 3, periodEnd: '2017-09-30' },
      { id: 4, periodEnd: null },
    ];
    assert.equal(previousRoundOf(rounds[1]!, rounds)?.id, 3, 'Q3 imported after Q4 still comes before it');
    assert.equal(previousRoundOf(rounds[2]!, rounds)?.id, 1);
    assert.equal(previousRoundOf(rounds[0]!, rounds), null);
    assert.equal(previousRoundOf(rounds[3]!, rounds)?.id, 2, 'without a period: every round created before it, the latest of them by period');
  });

  it('places count from 1 in each section, and a 到 20XX 年 carries to the tasks after it', () => {
    const row = (id: number, sectionId: number, text: string) => ({
      id,
      lineage: id,
      position: id,
      text,
      chapterNumber: 1,
      chapterTitle: '',
      sectionId,
      sectionNumber: sectionId,
    });
    const tasks = tasksWithPlaces(
      [row(1, 1, '到 2020 年，建成…'), row(2, 1, '比例达到 82% 以上'), row(3, 2, '下降 10%'), row(4, 1, '到2025年达到…'), row(5, 1, '…')],
      new Map(),
      new Map(),
    );
    assert.deepEqual(
      tasks.map((task) => [task.place.section, task.place.index, task.contextYear]),
      [
        [1, 1, null],
        [1, 2, 2020],
        [2, 1, null],
        [1, 3, 2020],
        [1, 4, 2025],
      ],
    );
  });
});
