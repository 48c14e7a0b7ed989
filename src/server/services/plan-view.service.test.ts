import assert from 'node:assert/strict';
import { systemActor } from '../../domain/actor.ts';
import type { PlanTreeView, TaskRowView } from '../../domain/api/plan-view.ts';
import type { Role } from '../../domain/api/roles.ts';
import { isDomainError } from '../../domain/errors.ts';
import { tasksOf, type PlanDocument, type PlanTask } from '../../domain/plan-document.ts';
import type { Database } from '../db/database.ts';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { importSeed, seededRoundWork, taskIdContaining, unitIdOf, userActor } from '../../../tests/support/seeded-plan.ts';
import { createCompileRoundService } from './compile-round.service.ts';
import { createPlanEditService } from './plan-edit.service.ts';
import { createPlanViewService } from './plan-view.service.ts';
import { createRoundService } from './round.service.ts';

const office = userActor('office');
const leader = userActor('leader', { name: '李岳东' });
const ADMIN_ROLES: Role[] = ['system_admin', 'security_admin', 'audit_admin'];

const rowsOf = (tree: PlanTreeView): TaskRowView[] => tree.chapters.flatMap((chapter) => chapter.sections.flatMap((section) => section.tasks));
const seedTasks = (document: PlanDocument): PlanTask[] => [...tasksOf(document)].map(({ task }) => task);

/** An assigned unit without attributed text; text naming no unit counts only for a single-unit task. */
function expectUnanswered(task: PlanTask): boolean {
  const answered = new Set(task.progress.filter((entry) => entry.text.trim() !== '').map((entry) => entry.unit));
  if (task.units.length === 1 && answered.has(null)) return false;
  return task.units.some((unit) => !answered.has(unit.name));
}

async function rejects(promise: Promise<unknown>, kind: string, code?: string): Promise<void> {
  await assert.rejects(promise, (error) => {
    assert.ok(isDomainError(error), `expected a DomainError, got ${String(error)}`);
    assert.equal(error.kind, kind);
    if (code) assert.equal(error.code, code);
    return true;
  });
}

/** A round opened in the app over every task of the plan, written straight to the tables. */
async function openAppRound(database: Database, planId: number, label = '2017年第三季度'): Promise<number> {
  const at = '2017-09-01T00:00:00.000Z';
  const round = await database.db
    .insertInto('rounds')
    .values({
      plan_id: planId,
      label,
      period_start: null,
      period_end: null,
      deadline: null,
      status: 'open',
      warnings: '[]',
      created_at: at,
      note: null,
      opened_at: at,
      closed_at: null,
      opened_by: 'office',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const tasks = await database.db.selectFrom('tasks').select('id').where('plan_id', '=', planId).execute();
  await database.db
    .insertInto('round_tasks')
    .values(tasks.map((task) => ({ round_id: round.id, task_id: task.id, warnings: '[]' })))
    .execute();
  return round.id;
}

async function writeAnswer(database: Database, roundId: number, taskId: number, unitId: number, text: string, status: string | null = null): Promise<void> {
  const at = '2017-09-02T00:00:00.000Z';
  const position = await database.db
    .selectFrom('progress_entries')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('round_id', '=', roundId)
    .where('task_id', '=', taskId)
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('progress_entries')
    .values({
      round_id: roundId,
      task_id: taskId,
      unit_id: unitId,
      position: Number(position.n) + 1,
      text,
      status,
      version: 1,
      created_at: at,
      updated_at: at,
      reason: null,
      updated_by: 'test',
    })
    .execute();
}

async function setSubmission(database: Database, roundId: number, unitId: number, state: string): Promise<void> {
  await database.db
    .insertInto('unit_submissions')
    .values({ round_id: roundId, unit_id: unitId, state, version: 1, updated_at: '2017-09-03T00:00:00.000Z' })
    .execute();
}

forEachEngine('plan views on the seed', (it) => {
  it('lists the plan with its task count and rounds; every business role may, admins may not', async (database) => {
    const { planId, roundId, document } = await importSeed(database);
    const service = createPlanViewService({ database });
    const plans = await service.listPlans(office);
    assert.deepEqual(plans, [
      {
        id: planId,
        title: document.plan.title,
        docNumber: document.plan.docNumber,
        tasks: 111,
        rounds: [{ id: roundId, label: '2017年第二季度', status: 'imported' }],
        archivedAt: null,
      },
    ]);
    for (const role of ['leader', 'reporter', 'unit_head'] as const) assert.equal((await service.listPlans(userActor(role, { unitId: 1 }))).length, 1);
    assert.equal((await service.listPlans(systemActor('test'))).length, 1);
    for (const role of ADMIN_ROLES) {
      await rejects(service.listPlans(userActor(role)), 'forbidden');
      await rejects(service.planTree(userActor(role), planId), 'forbidden');
      const taskId = await taskIdContaining(database, planId, '饮用水');
      await rejects(service.taskDetail(userActor(role), taskId), 'forbidden');
    }
  });

  it('gives the whole tree in the document’s numbering and order: 111 tasks, sections 1–34 without 8 and 29', async (database) => {
    const { planId, roundId, document } = await importSeed(database);
    const tree = await createPlanViewService({ database }).planTree(office, planId);
    assert.equal(tree.total, 111);
    assert.equal(tree.matched, 111);
    assert.deepEqual(tree.round, { id: roundId, label: '2017年第二季度', status: 'imported' });
    assert.deepEqual(
      tree.chapters.map((chapter) => chapter.number),
      document.chapters.map((chapter) => chapter.number),
    );
    const sectionNumbers = tree.chapters.flatMap((chapter) => chapter.sections.map((section) => section.number));
    assert.deepEqual(
      sectionNumbers,
      Array.from({ length: 34 }, (_, index) => index + 1).filter((number) => number !== 8 && number !== 29),
    );
    const rows = rowsOf(tree);
    assert.deepEqual(
      rows.map((row) => row.position),
      Array.from({ length: 111 }, (_, index) => index + 1),
    );
    const tasks = seedTasks(document);
    for (const [index, row] of rows.entries()) {
      const task = tasks[index]!;
      assert.equal(row.text, task.text);
      assert.equal(row.leadDepartment, task.leadDepartment);
      assert.deepEqual(row.leaders, task.leaders);
      assert.deepEqual(
        row.units.map((unit) => [unit.name, unit.role]),
        task.units.map((unit) => [unit.name, unit.role]),
      );
      assert.deepEqual(
        row.answers.map((answer) => [answer.unitName, answer.text, answer.state]),
        task.progress.map((entry) => [entry.unit, entry.text, 'imported']),
      );
      assert.deepEqual(row.warnings, task.warnings);
    }
  });

  it('filters by leader, unit, lead department, unanswered, search text, and all of them together', async (database) => {
    const { planId, document } = await importSeed(database);
    const service = createPlanViewService({ database });
    const tasks = seedTasks(document);
    const positions = (predicate: (task: PlanTask) => boolean) => tasks.flatMap((task, index) => (predicate(task) ? [index + 1] : []));
    const check = async (filters: Parameters<typeof service.planTree>[2], expected: number[]) => {
      const tree = await service.planTree(office, planId, filters);
      assert.deepEqual(
        rowsOf(tree).map((row) => row.position),
        expected,
        JSON.stringify(filters),
      );
      assert.equal(tree.matched, expected.length);
      assert.equal(tree.total, 111);
      for (const chapter of tree.chapters) {
        assert.ok(chapter.sections.length > 0, 'a filtered tree keeps no empty chapter');
        for (const section of chapter.sections) assert.ok(section.tasks.length > 0, 'a filtered tree keeps no empty section');
      }
      return tree;
    };

    const byGaoJie = await check(
      { leader: '高洁' },
      positions((task) => task.leaders.includes('高洁')),
    );
    assert.equal(byGaoJie.matched, 14);
    await check(
      { leader: '高 洁' },
      positions((task) => task.leaders.includes('高洁')),
    );
    const huanping = await unitIdOf(database, '环评处');
    assert.equal(
      (
        await check(
          { unitId: huanping },
          positions((task) => task.units.some((unit) => unit.name === '环评处')),
        )
      ).matched,
      14,
    );
    assert.equal(
      (
        await check(
          { department: '林业厅' },
          positions((task) => task.leadDepartment === '林业厅'),
        )
      ).matched,
      11,
    );
    const unanswered = await check({ unanswered: true }, positions(expectUnanswered));
    assert.ok(unanswered.matched > 0 && unanswered.matched < 111, `some, not all, tasks lack an answer (${unanswered.matched})`);
    await check(
      { q: '饮用水' },
      positions((task) => task.text.includes('饮用水') || task.progress.some((entry) => entry.text.includes('饮用水'))),
    );
    await check(
      { q: '水质' },
      positions((task) => task.text.includes('水质') || task.progress.some((entry) => entry.text.includes('水质'))),
    );
    // Only in answers, which wait for the progress index until a search catches it up (migration 009).
    const progressOnly = await check(
      { q: '月，全省' },
      positions((task) => task.text.includes('月，全省') || task.progress.some((entry) => entry.text.includes('月，全省'))),
    );
    assert.ok(progressOnly.matched > 0, 'answers not yet in the index are found');
    await check(
      { q: '   ' },
      positions(() => true),
    );
    await check({ q: "' OR 1=1--" }, []);
    await check({ status: 'on_track' }, []);
    await check(
      { leader: '李岳东', unitId: await unitIdOf(database, '水处'), unanswered: true },
      positions((task) => task.leaders.includes('李岳东') && task.units.some((unit) => unit.name === '水处') && expectUnanswered(task)),
    );
    await check({ leader: '没有这个人' }, []);
  });

  it('refuses a round of another plan or none, and a plan that does not exist', async (database) => {
    const { planId } = await importSeed(database);
    const service = createPlanViewService({ database });
    await rejects(service.planTree(office, planId, { roundId: 999_999 }), 'not_found', 'round_not_found');
    await rejects(service.planTree(office, 999_999), 'not_found', 'plan_not_found');
    await rejects(service.taskDetail(office, 999_999), 'not_found', 'task_not_found');
  });

  it('shows a task page: assignments, its place in the plan, every round side by side', async (database) => {
    const { planId, roundId } = await importSeed(database);
    const service = createPlanViewService({ database });
    const taskId = await taskIdContaining(database, planId, '实施饮用水环境安全保障工程');
    const detail = await service.taskDetail(leader, taskId);
    assert.equal(detail.task.id, taskId);
    assert.deepEqual(
      detail.task.units.map((unit) => [unit.name, unit.role]),
      [
        ['水处', 'lead'],
        ['监察总队', 'co'],
        ['应急中心', 'co'],
      ],
    );
    assert.ok(detail.task.chapter.number >= 1 && detail.task.section.number >= 1);
    assert.ok(detail.task.section.title.length > 0);
    assert.deepEqual(
      detail.rounds.map((round) => [round.id, round.label, round.status]),
      [[roundId, '2017年第二季度', 'imported']],
    );
    assert.deepEqual(
      detail.rounds[0]!.answers.map((answer) => [answer.unitName, answer.state]),
      [
        ['水处', 'imported'],
        ['监察总队', 'imported'],
      ],
    );
    assert.deepEqual(detail.task.answers, detail.rounds[0]!.answers);
    assert.deepEqual(detail.instructions, []);
  });
});

forEachEngine('plan views of a round run in the app', (it) => {
  it('gives one answer per responsible unit with its workflow state; oldest round first on the task page', async (database) => {
    const { planId, roundId: importedRoundId } = await importSeed(database);
    const service = createPlanViewService({ database });
    const appRoundId = await openAppRound(database, planId);
    const taskId = await taskIdContaining(database, planId, '实施饮用水环境安全保障工程');
    const [shuichu, zongdui, yingji] = [await unitIdOf(database, '水处'), await unitIdOf(database, '监察总队'), await unitIdOf(database, '应急中心')];
    await writeAnswer(database, appRoundId, taskId, shuichu, '完成 100 个饮用水源地整治。', 'on_track');
    await setSubmission(database, appRoundId, shuichu, 'submitted');
    await writeAnswer(database, appRoundId, taskId, zongdui, '开展执法检查。');
    await setSubmission(database, appRoundId, zongdui, 'not_started');
    await setSubmission(database, appRoundId, yingji, 'draft');

    const tree = await service.planTree(office, planId);
    assert.equal(tree.round?.id, appRoundId, 'the latest round is the default');
    const row = rowsOf(tree).find((candidate) => candidate.id === taskId)!;
    assert.deepEqual(
      row.answers.map((answer) => [answer.unitName, answer.state, answer.status, answer.text]),
      [
        ['水处', 'submitted', 'on_track', '完成 100 个饮用水源地整治。'],
        ['监察总队', 'draft', null, '开展执法检查。'],
        ['应急中心', 'empty', null, ''],
      ],
    );

    const onTrack = await service.planTree(office, planId, { status: 'on_track' });
    assert.deepEqual(
      rowsOf(onTrack).map((candidate) => candidate.id),
      [taskId],
    );
    const unanswered = rowsOf(await service.planTree(office, planId, { unanswered: true }));
    const withUnits = (await database.db.selectFrom('task_units').select('task_id').distinct().execute()).length;
    assert.equal(withUnits, 107, 'four seed tasks name no responsible unit');
    assert.equal(unanswered.length, withUnits, 'every task with a responsible unit still lacks an answer');
    const older = await service.planTree(office, planId, { roundId: importedRoundId });
    assert.equal(older.round?.status, 'imported');

    const detail = await service.taskDetail(office, taskId);
    assert.deepEqual(
      detail.rounds.map((round) => round.id),
      [importedRoundId, appRoundId],
    );
    assert.deepEqual(detail.task.answers, detail.rounds[1]!.answers);
  });

  it('lets a unit read its own answers of an open round, and its co-units’ only on tasks it leads', async (database) => {
    const { planId } = await importSeed(database);
    const service = createPlanViewService({ database });
    const appRoundId = await openAppRound(database, planId);
    const taskId = await taskIdContaining(database, planId, '实施饮用水环境安全保障工程');
    const [shuichu, zongdui] = [await unitIdOf(database, '水处'), await unitIdOf(database, '监察总队')];
    await writeAnswer(database, appRoundId, taskId, shuichu, '水处的草稿。');
    await writeAnswer(database, appRoundId, taskId, zongdui, '总队的草稿。');

    const answersFor = async (unitId: number) =>
      (await service.taskDetail(userActor('reporter', { unitId }), taskId)).task.answers.map((answer) => answer.unitName);
    assert.deepEqual(await answersFor(shuichu), ['水处', '监察总队', '应急中心'], 'the lead unit sees its co-units');
    assert.deepEqual(await answersFor(zongdui), ['监察总队'], 'a co-unit sees only its own answer');
    assert.deepEqual(
      (await service.taskDetail(userActor('unit_head', { unitId: zongdui }), taskId)).rounds[0]!.answers.length,
      2,
      'the imported round is the circulated table: every unit reads it whole',
    );
    const zongduiTree = await service.planTree(userActor('reporter', { unitId: zongdui }), planId, { unitId: zongdui, unanswered: true });
    assert.ok(!rowsOf(zongduiTree).some((row) => row.id === taskId), 'its own answer is written');
    const leaderView = await service.taskDetail(leader, taskId);
    assert.equal(leaderView.task.answers.length, 3, 'leaders read everything');

    await database.db.updateTable('rounds').set({ status: 'closed', closed_at: '2017-10-01T00:00:00.000Z' }).where('id', '=', appRoundId).execute();
    assert.deepEqual(await answersFor(zongdui), ['水处', '监察总队', '应急中心'], 'a closed round is read whole');
  });
});

forEachEngine('plan views of a plan edited after a round opened (020)', (it) => {
  it('a task added after a round opened is not in that round’s tree (its 第 N 项 and total stay); the next round has it', async (database) => {
    const s = await seededRoundWork(database);
    const office = s.person('office');
    const rounds = createRoundService(s.deps);
    const views = createPlanViewService({ database });
    const open = (label: string) =>
      rounds.openRound(office, s.planId, { label, periodStart: null, periodEnd: null, deadline: null, note: null, requiresApproval: false });
    const numbers = (tree: PlanTreeView) => rowsOf(tree).map((row) => [row.id, row.position]);

    const q3 = await open('2017年第三季度');
    const q3Before = await views.planTree(office, s.planId, { roundId: q3.id });
    assert.equal(q3Before.total, 111);

    s.time.set('2017-09-21T10:00:00+08:00');
    const pm = await taskIdContaining(database, s.planId, '全省细颗粒物');
    const section = await database.db.selectFrom('tasks').select('section_id').where('id', '=', pm).executeTakeFirstOrThrow();
    const added = await createPlanEditService(s.deps).addTask(office, {
      sectionId: section.section_id,
      text: '开展新污染物治理。',
      leadDepartment: null,
      leaders: [],
      units: [{ name: '大气处', role: 'lead' }],
      due: null,
      reason: '新增任务',
    });

    const q3After = await views.planTree(office, s.planId, { roundId: q3.id });
    assert.deepEqual([q3After.total, q3After.matched], [111, 111], 'the round’s total as it opened with');
    assert.deepEqual(numbers(q3After), numbers(q3Before), 'every task keeps its 第 N 项 in the round');
    assert.equal(
      rowsOf(q3After).some((row) => row.id === added.objectId),
      false,
    );
    const q3Table = (await createCompileRoundService(s.deps).compileRound(office, q3.id)).table;
    assert.equal(q3Table.rows.length, q3After.total, 'the tree and the round’s table count the same tasks');

    // The plan as it stands, and the task's own page, number it in place.
    const asItStands = await views.planTree(office, s.planId, { current: true });
    assert.equal(asItStands.total, 112);
    const place = rowsOf(asItStands).find((row) => row.id === added.objectId)!.position;
    assert.equal((await views.taskDetail(office, added.objectId)).task.position, place);

    await rounds.closeRound(office, q3.id);
    s.time.set('2017-12-20T10:00:00+08:00');
    const q4 = await open('2017年第四季度');
    const q4Tree = await views.planTree(office, s.planId, { roundId: q4.id });
    assert.equal(q4Tree.total, 112);
    assert.equal(rowsOf(q4Tree).find((row) => row.id === added.objectId)?.position, place);
    assert.deepEqual(numbers(await views.planTree(office, s.planId, { roundId: q3.id })), numbers(q3Before), 'the old round still as it opened');
  });
});
