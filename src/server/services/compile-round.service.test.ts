import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../../domain/actor.ts';
import type { Role } from '../../domain/api/roles.ts';
import { isDomainError } from '../../domain/errors.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { readPlanDocument } from '../documents/read-plan-document.ts';
import { createAnswerService } from './answer.service.ts';
import { createCompileRoundService, formatDocNumber, sanitizeFileBaseName } from './compile-round.service.ts';
import { createPlanImportService } from './plan-import.service.ts';
import { createNoticeStatisticsService } from './notice-statistics.service.ts';
import { createRoundService } from './round.service.ts';
import { createSubmissionService } from './submission.service.ts';

const seed = readPlanDocument(readFileSync(fileURLToPath(new URL('../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url))), 'seed.txt');

async function setUp(database: TestDatabase) {
  const now = () => new Date('2017-09-20T09:00:00+08:00');
  const system: Actor = { kind: 'system', name: 'test', userId: null };
  const imported = await createPlanImportService({ database }).importDocument(system, seed.document, { fileName: 'seed.txt', contentHash: seed.contentHash });
  const units = new Map((await database.db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.name, u.id]));
  let nextUser = 100;
  const person = (role: Role, unitName?: string): Actor => ({
    kind: 'user',
    userId: nextUser++,
    username: `${role}-${unitName ?? 'x'}`,
    name: `${role}${unitName ?? ''}`,
    role,
    unitId: unitName ? units.get(unitName)! : null,
  });
  const deps = { database, now };
  return {
    planId: imported.planId,
    roundId: imported.roundId,
    unit: (name: string) => units.get(name)!,
    office: person('office'),
    leader: person('leader'),
    reporter: person('reporter', '环评处'),
    admin: person('system_admin'),
    rounds: createRoundService({ ...deps, warnDays: 3 }),
    answers: createAnswerService(deps),
    submissions: createSubmissionService(deps),
    compile: createCompileRoundService(deps),
  };
}

const forbidden = (error: unknown) => isDomainError(error) && error.kind === 'forbidden';

forEachEngine('compile round', (it) => {
  it('compiles the imported Q2 round with its stored notice, every imported entry counting', async (database) => {
    const s = await setUp(database);
    const compiled = await s.compile.compileRound(s.office, s.roundId);
    assert.equal(compiled.notice.docNumber, '川环办发〔2017〕102号');
    assert.equal(compiled.fileBaseName, '川环办发〔2017〕102号-2017年第二季度工作推进情况通报');
    assert.equal(compiled.table.rows.length, 111);
    assert.ok(compiled.table.rows.filter((row) => row.answered).length > 100, 'imported progress is in the table');
    const byLeader = await s.compile.compileRound(s.leader, s.roundId);
    assert.deepEqual(byLeader.table, compiled.table, 'leaders read the same compilation');
  });

  it('refuses reporters and the system admin', async (database) => {
    const s = await setUp(database);
    await assert.rejects(s.compile.compileRound(s.reporter, s.roundId), forbidden);
    await assert.rejects(s.compile.compileRound(s.admin, s.roundId), forbidden);
  });

  it('leaves drafts out of a round run in the app and takes submitted answers in', async (database) => {
    const s = await setUp(database);
    const round = await s.rounds.openRound(s.office, s.planId, {
      label: '2017年第三季度',
      periodStart: '2017-07-01',
      periodEnd: '2017-09-30',
      deadline: '2017-10-10',
      note: null,
      requiresApproval: false,
    });
    const unitId = s.unit('环评处');
    const todo = await s.answers.todo(s.reporter, round.id, unitId);
    const item = todo.items[0]!;
    await s.answers.saveAnswer(s.reporter, round.id, item.task.id, unitId, { text: '草稿：尚未核实的进展。', status: 'on_track', reason: null, version: 0 });
    const draft = await s.compile.compileRound(s.office, round.id);
    assert.ok(!draft.table.rows.some((row) => row.progress.includes('草稿：尚未核实的进展。')), 'a draft never goes into the official table');
    assert.equal(draft.notice.docNumber, null, 'a new round falls back to the default notice');
    assert.match(draft.notice.title ?? '', /2017年第三季度工作推进情况的通报$/);
    assert.equal(draft.fileBaseName, '2017年第三季度工作推进情况通报');

    for (const [i, other] of todo.items.entries())
      if (i > 0)
        await s.answers.saveAnswer(s.reporter, round.id, other.task.id, unitId, { text: `第${i}项已推进。`, status: 'on_track', reason: null, version: 0 });
    await s.submissions.submit(s.reporter, round.id, unitId);
    const official = await s.compile.compileRound(s.office, round.id);
    assert.ok(!official.table.rows.some((row) => row.progress.includes('草稿：尚未核实的进展。')), 'submitted but not accepted: not in the official table');
    assert.equal(official.draft, false);
    assert.equal(official.imported, false);
    const review = await s.compile.compileRound(s.office, round.id, { version: 'draft' });
    assert.equal(review.draft, true);
    const row = review.table.rows.find((r) => r.progress.includes('草稿：尚未核实的进展。'))!;
    assert.equal(row.progress, '【未审核】草稿：尚未核实的进展。（环评处）', 'a draft shows it, marked 未审核');
    assert.equal(row.unreviewed, true);

    // The office accepts the first answer only: it is official; the others stay 未审核 in the draft.
    await s.submissions.reviewAnswers(s.office, round.id, unitId, { decision: 'accept', taskIds: [item.task.id], comment: null });
    const accepted = await s.compile.compileRound(s.office, round.id);
    assert.ok(
      accepted.table.rows.some((r) => r.progress === '草稿：尚未核实的进展。（环评处）'),
      'an accepted answer is official, unmarked',
    );
    assert.ok(!accepted.table.rows.some((r) => r.progress.includes('第1项已推进。')));
    const second = (await s.compile.compileRound(s.office, round.id, { version: 'draft' })).table.rows;
    assert.ok(second.some((r) => r.progress === '草稿：尚未核实的进展。（环评处）'));
    assert.ok(second.some((r) => r.progress === '【未审核】第1项已推进。（环评处）'));
  });

  it('marks 滞后 with its reason where asked and writes （未报送） only when asked, in a live round', async (database) => {
    const s = await setUp(database);
    const round = await s.rounds.openRound(s.office, s.planId, {
      label: '2017年第三季度',
      periodStart: '2017-07-01',
      periodEnd: '2017-09-30',
      deadline: '2017-10-10',
      note: null,
      requiresApproval: false,
    });
    const unitId = s.unit('环评处');
    const todo = await s.answers.todo(s.reporter, round.id, unitId);
    for (const [i, item] of todo.items.entries())
      await s.answers.saveAnswer(
        s.reporter,
        round.id,
        item.task.id,
        unitId,
        i === 0
          ? { text: '审查推迟。', status: 'delayed', reason: '专家未到齐', version: 0 }
          : { text: `第${i}项已推进。`, status: 'on_track', reason: null, version: 0 },
      );
    await s.submissions.submit(s.reporter, round.id, unitId);
    await s.submissions.reviewAnswers(s.office, round.id, unitId, { decision: 'accept', taskIds: todo.items.map((item) => item.task.id), comment: null });

    const rows = async (options: Parameters<typeof s.compile.compileRound>[2]) => (await s.compile.compileRound(s.office, round.id, options)).table.rows;
    const lagging = (await rows({})).filter((row) => row.lagging);
    assert.equal(lagging.length, 1);
    assert.match(lagging[0]!.progress, /^审查推迟。【滞后】原因：专家未到齐（环评处）/);
    assert.match((await rows({ statusMarks: 'before' })).find((row) => row.lagging)!.progress, /^【滞后：专家未到齐】审查推迟。（环评处）/);
    assert.match((await rows({ statusMarks: 'none' })).find((row) => row.lagging)!.progress, /^审查推迟。（环评处）/);

    const blank = await rows({});
    assert.ok(
      blank.some((row) => !row.answered),
      'other units have not answered',
    );
    assert.ok(
      blank.filter((row) => !row.answered).every((row) => row.progress === ''),
      'blank by default',
    );
    const marked = await rows({ unanswered: 'marked' });
    assert.ok(marked.filter((row) => !row.answered).every((row) => row.progress === '（未报送）'));
    assert.ok(marked.filter((row) => row.answered).every((row) => !row.progress.includes('（未报送）')));

    // The notice's statistics paragraph says the same as the table and the 报送情况统计.
    const statistics = createNoticeStatisticsService({ database });
    const generated = await statistics.paragraph(s.office, round.id);
    const counts = generated.statistics;
    assert.equal(counts.onTime, 1);
    assert.deepEqual(counts.lateUnits, []);
    assert.equal(counts.missingUnits.length, counts.units - 1);
    assert.ok(!counts.missingUnits.includes('环评处'));
    assert.equal(counts.tasks, 111);
    assert.equal(counts.lagging, lagging.length, 'as many lagging tasks as the table marks');
    assert.match(counts.laggingTasks[0]!, new RegExp(lagging[0]!.task.slice(0, 5)));
    await assert.rejects(statistics.paragraph(s.reporter, round.id), forbidden);
  });

  it('exports an imported round as its document was, whatever is asked: official, blank, 总队 as written', async (database) => {
    const s = await setUp(database);
    const compiled = await s.compile.compileRound(s.office, s.roundId, { version: 'draft', unanswered: 'marked' });
    assert.equal(compiled.draft, false, 'an imported round is an issued notice');
    assert.equal(compiled.imported, true);
    const text = compiled.table.rows.map((row) => row.progress).join('\n');
    assert.equal(text.split('（未报送）').length - 1, 0);
    assert.equal(text.split('【未审核】').length - 1, 0);
    assert.equal(text.split('（总队）').length - 1, 7);
    assert.equal(text.split('（监察总队）').length - 1, 0);
    await assert.rejects(
      createNoticeStatisticsService({ database }).paragraph(s.office, s.roundId),
      /导入的历史调度/,
      'nothing invented for an imported round',
    );
  });
});

test('doc numbers render without leading zeros; file names lose what file systems refuse', () => {
  assert.equal(formatDocNumber('川环办发', 2017, Number('0102')), '川环办发〔2017〕102号');
  assert.equal(sanitizeFileBaseName(' a/b:c*?"<>|. '), 'a_b_c______');
});
