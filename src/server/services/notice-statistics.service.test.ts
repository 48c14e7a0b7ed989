import assert from 'node:assert/strict';
import { toChineseNumeral } from '../../domain/chinese-numerals.ts';
import { isDomainError } from '../../domain/errors.ts';
import type { CompiledRow } from '../../domain/compiled-table.ts';
import { isStatisticsParagraph } from '../../domain/notice-statistics.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { seededRoundWork } from '../../../tests/support/seeded-plan.ts';
import { createAnswerService } from './answer.service.ts';
import { createCompileRoundService } from './compile-round.service.ts';
import { createNoticeStatisticsService } from './notice-statistics.service.ts';
import { createNoticeService } from './notice.service.ts';
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
    paragraphs: createNoticeStatisticsService({ database }),
    compile: createCompileRoundService(deps),
    notices: createNoticeService(deps),
  };
}

type Setup = Awaited<ReturnType<typeof setUp>>;

/** Answers every task of the unit; the first one 滞后 when asked, with a text the test finds in the compiled table. */
async function fill(s: Setup, unitName: string, roundId: number, options: { delayed: boolean; submit: boolean }): Promise<string | null> {
  const reporter = s.person('reporter', unitName);
  const unitId = s.unit(unitName);
  const todo = await s.answers.todo(reporter, roundId, unitId);
  let marker: string | null = null;
  for (const [i, item] of todo.items.entries()) {
    const delayed = options.delayed && i === 0;
    const text = delayed ? `${unitName}此项滞后标记。` : `第${i + 1}项已按期推进。`;
    if (delayed) marker = text;
    await s.answers.saveAnswer(reporter, roundId, item.task.id, unitId, {
      text,
      status: delayed ? 'delayed' : 'on_track',
      reason: delayed ? '资金未到位' : null,
      version: item.answer.version,
    });
  }
  if (options.submit) await s.submissions.submit(reporter, roundId, unitId);
  return marker;
}

/** The office accepts every answer the unit submitted (decision 019), so the official table prints them. */
async function acceptAll(s: Setup, unitName: string, roundId: number): Promise<void> {
  const unitId = s.unit(unitName);
  const todo = await s.answers.todo(s.person('reporter', unitName), roundId, unitId);
  await s.submissions.reviewAnswers(s.office, roundId, unitId, { decision: 'accept', taskIds: todo.items.map((item) => item.task.id), comment: null });
}

/** `（二）第1项` of a compiled row: its section and its place among the section's rows. */
function placeOf(rows: readonly CompiledRow[], row: CompiledRow): string {
  const inSection = rows.filter((r) => r.chapterNumber === row.chapterNumber && r.sectionNumber === row.sectionNumber);
  return `（${toChineseNumeral(row.sectionNumber)}）第${inSection.indexOf(row) + 1}项`;
}

forEachEngine('通报统计段落', (it) => {
  it('counts on-time, late and missing units and the lagging tasks exactly as the compiled table counts answers', async (database) => {
    const s = await setUp(database);
    const round = await s.rounds.openRound(s.office, s.imported.planId, {
      label: '2017年第三季度',
      periodStart: '2017-07-01',
      periodEnd: '2017-09-30',
      deadline: '2017-10-10',
      note: null,
      requiresApproval: false,
    });
    const units = (await s.statistics.statistics(s.office, round.id)).units.map((u) => u.unitName);
    const [lateUnit, draftUnit, reportsLater] = units.filter((name) => name !== '环评处' && name !== '规财处') as [string, string, string];

    // 环评处 on time with one task 滞后; 规财处 on time; lateUnit after the deadline, one task 滞后;
    // draftUnit marks one task 滞后 but never submits: not counted, as the compiled table leaves it out.
    const onTimeMarker = (await fill(s, '环评处', round.id, { delayed: true, submit: true }))!;
    await fill(s, '规财处', round.id, { delayed: false, submit: true });
    const draftMarker = (await fill(s, draftUnit, round.id, { delayed: true, submit: false }))!;
    s.time.set('2017-10-11T17:00:00+08:00');
    const lateMarker = (await fill(s, lateUnit, round.id, { delayed: true, submit: true }))!;

    // The official table prints answers the office accepted (decision 024): it accepts every one submitted.
    for (const unitName of ['环评处', '规财处', lateUnit]) await acceptAll(s, unitName, round.id);

    const view = await s.paragraphs.paragraph(s.office, round.id);
    const { statistics } = view;
    const compiled = await s.compile.compileRound(s.office, round.id);
    const rows = compiled.table.rows;
    const rowWith = (marker: string) => rows.filter((row) => row.progress.includes(marker));

    assert.equal(statistics.periodWord, '本季度');
    assert.deepEqual(
      { units: statistics.units, onTime: statistics.onTime, late: statistics.late, notSubmitted: statistics.notSubmitted, lateUnits: statistics.lateUnits },
      { units: units.length, onTime: 2, late: 1, notSubmitted: units.length - 3, lateUnits: [lateUnit] },
    );
    assert.ok(statistics.missingUnits.includes(draftUnit) && statistics.missingUnits.includes(reportsLater));
    assert.ok(!statistics.missingUnits.includes('环评处'));
    assert.equal(statistics.tasks, rows.length, 'all tasks of the round are the compiled table’s rows');

    // Lagging: the tasks whose 滞后 answer the compiled table prints, named by their place there.
    assert.equal(rowWith(draftMarker).length, 0, 'a draft is not in the compiled table');
    const lagging = [...new Set([...rowWith(onTimeMarker), ...rowWith(lateMarker)])];
    assert.equal(lagging.length, 2);
    assert.equal(statistics.lagging, 2);
    assert.deepEqual(
      statistics.laggingTasks.map((name) => name.replace(/“.*$/, '')),
      lagging.sort((a, b) => rows.indexOf(a) - rows.indexOf(b)).map((row) => placeOf(rows, row)),
    );
    for (const [i, name] of statistics.laggingTasks.entries()) assert.ok(lagging[i]!.task.startsWith(/“(.*?)…?”$/.exec(name)![1]!), name);

    assert.equal(
      view.text,
      `本季度应报送单位${units.length}个，按时报送2个；逾期报送1个（${lateUnit}）；未报送${units.length - 3}个（${statistics.missingUnits.join('、')}）。` +
        `全部${rows.length}项任务中，2项进度滞后（${statistics.laggingTasks.join('；')}）。`,
    );
    assert.ok(isStatisticsParagraph(view.text));

    // The paragraph saved in the notice agrees with the round: no warning. Once another unit reports
    // (late now), the notice's view names each figure that no longer matches.
    const notice = await s.notices.getNotice(s.office, round.id);
    const saved = await s.notices.saveNotice(s.office, round.id, {
      notice: { ...notice.notice, body: [notice.notice.body[0]!, view.text] },
      version: notice.version,
    });
    assert.deepEqual(saved.statisticsWarnings, []);
    await fill(s, reportsLater, round.id, { delayed: false, submit: true });
    const after = await s.notices.getNotice(s.person('leader'), round.id);
    assert.deepEqual(after.statisticsWarnings, [
      `正文第2段统计段落：逾期报送写的是1个（${lateUnit}），现为2个（${[lateUnit, reportsLater].sort((a, b) => a.localeCompare(b, 'zh-CN')).join('、')}）`,
      `正文第2段统计段落：未报送写的是${units.length - 3}个（${statistics.missingUnits.join('、')}），现为${units.length - 4}个（${statistics.missingUnits.filter((n) => n !== reportsLater).join('、')}）`,
    ]);
    // Regenerated, it agrees again.
    const fresh = await s.paragraphs.paragraph(s.office, round.id);
    const resaved = await s.notices.saveNotice(s.office, round.id, {
      notice: { ...after.notice, body: [after.notice.body[0]!, fresh.text] },
      version: after.version,
    });
    assert.deepEqual(resaved.statisticsWarnings, []);
  });

  it('refuses an imported round (nobody reported in the app), and only the office and leaders read it', async (database) => {
    const s = await setUp(database);
    await assert.rejects(
      s.paragraphs.paragraph(s.office, s.imported.roundId),
      (error: unknown) => isDomainError(error) && error.code === 'notice_statistics_imported' && /导入的历史调度/.test(error.message),
    );
    const round = await s.rounds.openRound(s.office, s.imported.planId, {
      label: '2017年第三季度',
      periodStart: '2017-07-01',
      periodEnd: '2017-09-30',
      deadline: '2017-10-10',
      note: null,
      requiresApproval: false,
    });
    assert.match(
      (await s.paragraphs.paragraph(s.person('leader'), round.id)).text,
      /^本季度应报送单位\d+个，按时报送0个；逾期报送0个；未报送\d+个（.+）。全部\d+项任务中，0项进度滞后。$/,
    );
    await assert.rejects(
      s.paragraphs.paragraph(s.person('reporter', '环评处'), round.id),
      (error: unknown) => isDomainError(error) && error.kind === 'forbidden',
    );
    await assert.rejects(s.paragraphs.paragraph(s.office, 999_999), (error: unknown) => isDomainError(error) && error.code === 'round_not_found');
  });
});
