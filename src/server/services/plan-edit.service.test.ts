import assert from 'node:assert/strict';
import { isDomainError } from '../../domain/errors.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { seededRoundWork, taskIdContaining } from '../../../tests/support/seeded-plan.ts';
import { createAnswerService } from './answer.service.ts';
import { createCompileRoundService } from './compile-round.service.ts';
import { createInstructionService } from './instruction.service.ts';
import { createPlanEditService } from './plan-edit.service.ts';
import { createPlanViewService } from './plan-view.service.ts';
import { createRoundService } from './round.service.ts';
import { createSearchService } from './search.service.ts';

const PM25 = '全省细颗粒物';
const WATER = '地表水优良水质断面比例';

async function setUp(database: TestDatabase) {
  const seeded = await seededRoundWork(database);
  const { deps, person } = seeded;
  const office = { ...person('office'), name: '张敏' };
  return {
    ...seeded,
    office,
    daqi: person('reporter', '大气处'),
    huanping: person('reporter', '环评处'),
    leader: person('leader'),
    edits: createPlanEditService(deps),
    rounds: createRoundService(deps),
    answers: createAnswerService(deps),
    views: createPlanViewService({ database }),
  };
}
type Setup = Awaited<ReturnType<typeof setUp>>;

function open(s: Setup, label: string, planId = s.planId) {
  return s.rounds.openRound(s.office, planId, { label, periodStart: null, periodEnd: null, deadline: null, note: null, requiresApproval: false });
}

async function versionOf(database: TestDatabase, taskId: number): Promise<number> {
  return (await database.db.selectFrom('tasks').select('version').where('id', '=', taskId).executeTakeFirstOrThrow()).version;
}

const rejects = (promise: Promise<unknown>, code: string, message?: RegExp) =>
  assert.rejects(promise, (error: unknown) => {
    assert.ok(isDomainError(error), String(error));
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });

/** Everything a refused change could have half-written. */
async function footprint(database: TestDatabase) {
  const count = async (table: 'tasks' | 'task_units' | 'task_leaders' | 'plan_revisions' | 'chapters' | 'sections' | 'plans') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const retired = await database.db.selectFrom('tasks').select('id').where('retired_at', 'is not', null).execute();
  return {
    tasks: await count('tasks'),
    units: await count('task_units'),
    leaders: await count('task_leaders'),
    revisions: await count('plan_revisions'),
    chapters: await count('chapters'),
    sections: await count('sections'),
    plans: await count('plans'),
    retired: retired.length,
  };
}

/** A task row of a tree, wherever it sits. */
function rowsOf(tree: Awaited<ReturnType<Setup['views']['planTree']>>) {
  return tree.chapters.flatMap((c) => c.sections.flatMap((s) => s.tasks));
}

forEachEngine('plan editing', (it) => {
  it('a round opened before a change keeps the old plan; the next round has the new one; the history tells it', async (database) => {
    const s = await setUp(database);
    const pm = await taskIdContaining(database, s.planId, PM25);
    const water = await taskIdContaining(database, s.planId, WATER);
    const q3 = await open(s, '2017年第三季度');
    await s.answers.saveAnswer(s.daqi, q3.id, pm, s.unit('大气处'), { text: 'PM2.5 同比下降 12%。', status: 'on_track', reason: null, version: 0 });

    await createInstructionService(s.deps).createInstruction(s.leader, pm, { text: '要按期完成。' });
    const boardBefore = (await s.rounds.board(s.office, q3.id)).rows.map((row) => row.unitName).sort();
    s.time.set('2017-09-21T10:00:00+08:00');
    const edit = await s.edits.editTask(s.office, pm, {
      version: await versionOf(database, pm),
      units: [
        { name: '大气处', role: 'lead' },
        { name: '环评处', role: 'co' },
      ],
      leadDepartment: '省经济和信息化委',
      reason: '机构调整',
    });
    assert.notEqual(edit.objectId, pm, 'a task a round covers is replaced by a new version');
    const old = await database.db.selectFrom('tasks').selectAll().where('id', '=', pm).executeTakeFirstOrThrow();
    const current = await database.db.selectFrom('tasks').selectAll().where('id', '=', edit.objectId).executeTakeFirstOrThrow();
    assert.equal(old.replaced_by, current.id);
    assert.ok(old.retired_at);
    assert.equal(current.lineage, old.lineage);
    assert.equal(current.retired_at, null);
    await s.edits.retireTask(s.office, water, { version: await versionOf(database, water), reason: '任务已完成' });

    // The plan as it stands (what a new round offers): the new version, the withdrawn task gone.
    const asItStands = await s.views.planTree(s.office, s.planId, { current: true });
    assert.equal(asItStands.round, null);
    assert.equal(rowsOf(asItStands).find((row) => row.text.includes(PM25))?.id, current.id);
    assert.equal(asItStands.total, 110);

    // The open round: unchanged. 环评处 has nothing in it; its tree shows the old units and the withdrawn task.
    // Its export (the compiled table) and its board: the old text, units and tasks.
    const q3Table = (await createCompileRoundService(s.deps).compileRound(s.office, q3.id)).table;
    const q3PmRow = q3Table.rows.find((row) => row.task.includes(PM25))!;
    assert.deepEqual([q3PmRow.units, q3PmRow.leadDepartment, q3Table.rows.length], ['大气处', '省生态文明建设领导小组办公室', 111]);
    assert.ok(q3Table.rows.some((row) => row.task.includes(WATER)));
    assert.deepEqual((await s.rounds.board(s.office, q3.id)).rows.map((row) => row.unitName).sort(), boardBefore);
    const q3Huanping = await s.answers.todo(s.huanping, q3.id, s.unit('环评处'));
    assert.equal(
      q3Huanping.items.some((item) => item.task.text.includes(PM25)),
      false,
      'the reassigned unit does not get it in the running round',
    );
    const q3Tree = await s.views.planTree(s.office, s.planId, { roundId: q3.id });
    const q3Rows = rowsOf(q3Tree);
    const q3Pm = q3Rows.find((row) => row.text.includes(PM25))!;
    assert.equal(q3Pm.id, pm);
    assert.deepEqual(
      q3Pm.units.map((u) => u.name),
      ['大气处'],
    );
    assert.equal(q3Pm.answers[0]?.text, 'PM2.5 同比下降 12%。');
    assert.equal(q3Rows.filter((row) => row.text.includes(PM25)).length, 1, 'one version per task in a round');
    assert.equal(q3Rows.find((row) => row.text.includes(WATER))?.retired, true, 'the withdrawn task is still in the round that had it, struck');
    assert.deepEqual(
      [q3Pm.position, q3Rows.find((row) => row.text.includes(WATER))!.position, q3Rows.length],
      [2, 3, 111],
      'the round’s numbers as it opened with',
    );

    // The next round: the new version, the new unit; the withdrawn task is gone.
    await s.rounds.closeRound(s.office, q3.id);
    s.time.set('2017-12-20T10:00:00+08:00');
    const q4 = await open(s, '2017年第四季度');
    assert.equal(q4.tasks, q3.tasks - 1);
    const huanpingTodo = await s.answers.todo(s.huanping, q4.id, s.unit('环评处'));
    assert.deepEqual(
      huanpingTodo.items.filter((item) => item.task.text.includes(PM25)).map((item) => item.task.id),
      [current.id],
    );
    assert.equal(huanpingTodo.items.length, q3Huanping.items.length + 1);
    const daqiTodo = await s.answers.todo(s.daqi, q4.id, s.unit('大气处'));
    const item = daqiTodo.items.find((i) => i.task.id === current.id)!;
    assert.equal(item.previousText, 'PM2.5 同比下降 12%。', '沿用上轮 finds last round’s answer on the earlier version');
    const copied = await s.answers.saveAnswer(s.daqi, q4.id, current.id, s.unit('大气处'), {
      text: 'PM2.5 同比下降 12%。',
      status: 'on_track',
      reason: null,
      version: 0,
      copiedFromPrevious: true,
    });
    assert.equal(copied.copiedFromRoundId, q3.id);
    const q4Rows = rowsOf(await s.views.planTree(s.office, s.planId, { roundId: q4.id }));
    assert.deepEqual(
      q4Rows.find((row) => row.text.includes(PM25))!.units.map((u) => u.name),
      ['大气处', '环评处'],
    );
    assert.equal(
      q4Rows.some((row) => row.text.includes(WATER)),
      false,
    );
    assert.deepEqual([q4Rows.find((row) => row.text.includes(PM25))!.position, q4Rows.length], [2, 110]);
    assert.equal((await s.views.taskDetail(s.office, current.id)).task.position, 2);
    const q4PmRow = (await createCompileRoundService(s.deps).compileRound(s.office, q4.id)).table.rows.find((row) => row.task.includes(PM25))!;
    assert.deepEqual([q4PmRow.units, q4PmRow.leadDepartment], ['大气处、环评处', '省经济和信息化委']);

    // The task page: every round's answer across versions, and the history as sentences.
    const detail = await s.views.taskDetail(s.office, current.id);
    assert.equal(detail.rounds.find((round) => round.id === q3.id)?.answers[0]?.text, 'PM2.5 同比下降 12%。');
    assert.deepEqual(
      detail.instructions.map((i) => i.text),
      ['要按期完成。'],
      'the earlier version’s 批示 too',
    );
    const history = await s.edits.history(s.office, current.id);
    assert.equal(history.length, 1);
    assert.equal(
      history[0]!.sentence,
      '自2017年第四季度起牵头部门由省生态文明建设领导小组办公室改为省经济和信息化委；责任单位由大气处（牵头）改为大气处（牵头）、环评处（张敏，2017年9月21日，原因：机构调整）',
    );
    assert.deepEqual(await s.edits.history(s.office, pm), history, 'the old version tells the same history');
    const retired = await s.edits.history(s.office, water);
    assert.equal(retired[0]!.sentence, '自2017年第四季度起撤销该任务（张敏，2017年9月21日，原因：任务已完成）');

    // Search finds the task once, as it stands.
    const hits = await createSearchService({ database }).search(s.office, { q: '细颗粒物' });
    assert.deepEqual(
      hits.filter((hit) => hit.field === 'task').map((hit) => hit.taskId),
      [current.id],
    );

    // Revisions and audit rows, one each.
    const revisions = await database.db.selectFrom('plan_revisions').selectAll().orderBy('id').execute();
    assert.deepEqual(
      revisions.map((r) => [r.kind, r.author_name, r.reason]),
      [
        ['task.edit', '张敏', '机构调整'],
        ['task.retire', '张敏', '任务已完成'],
      ],
    );
    const audits = await database.db.selectFrom('audit_events').select('action').where('action', 'like', 'plan.task%').orderBy('id').execute();
    assert.deepEqual(
      audits.map((a) => a.action),
      ['plan.task_edit', 'plan.task_retire'],
    );
  });

  it('a unit reassigned away keeps its answer in the old round and does not get the task in the next', async (database) => {
    const s = await setUp(database);
    const water = await taskIdContaining(database, s.planId, WATER);
    const shuichu = { ...s.daqi, unitId: s.unit('水处') };
    const shengtai = { ...s.daqi, unitId: s.unit('生态处') };
    const q3 = await open(s, '2017年第三季度');
    await s.answers.saveAnswer(shuichu, q3.id, water, s.unit('水处'), { text: '水质断面达标率 74%。', status: 'on_track', reason: null, version: 0 });
    const edit = await s.edits.editTask(s.office, water, { version: 1, units: [{ name: '生态处', role: 'lead' }], reason: '职责划转' });
    // The running round: still 水处's, its answer kept.
    assert.ok((await s.answers.todo(shuichu, q3.id, s.unit('水处'))).items.some((item) => item.task.id === water));
    assert.equal(
      (await s.answers.todo(shengtai, q3.id, s.unit('生态处'))).items.some((item) => item.task.text.includes(WATER)),
      false,
    );
    await s.rounds.closeRound(s.office, q3.id);
    const q4 = await open(s, '2017年第四季度');
    assert.equal(
      (await s.answers.todo(shuichu, q4.id, s.unit('水处'))).items.some((item) => item.task.text.includes(WATER)),
      false,
      'not in the next round’s to-do of the unit it left',
    );
    const taken = (await s.answers.todo(shengtai, q4.id, s.unit('生态处'))).items.find((item) => item.task.id === edit.objectId);
    assert.ok(taken, 'the unit it went to has it');
    assert.equal(taken.previousText, null, 'another unit’s answer is not offered to copy');
    const detail = await s.views.taskDetail(s.office, edit.objectId);
    assert.deepEqual(
      detail.rounds.find((round) => round.id === q3.id)!.answers.map((a) => [a.unitName, a.text]),
      [['水处', '水质断面达标率 74%。']],
      'the old round’s answer stays on the task page',
    );
  });

  it('two offices editing one task at once: one change is kept, the other refused as stale, one new version', async (database) => {
    const s = await setUp(database);
    const pm = await taskIdContaining(database, s.planId, PM25);
    const results = await Promise.allSettled([
      s.edits.editTask(s.office, pm, { version: 1, due: '2018年底前', reason: '甲' }),
      s.edits.editTask({ ...s.office, name: '王芳' }, pm, { version: 1, leaders: ['李岳东'], reason: '乙' }),
    ]);
    assert.equal(
      results.filter((r) => r.status === 'fulfilled').length,
      1,
      JSON.stringify(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))),
    );
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.ok(isDomainError(refused.reason) && ['task_stale', 'plan_busy'].includes(refused.reason.code), String(refused.reason));
    const lineage = await database.db.selectFrom('tasks').select(['id', 'retired_at']).where('lineage', '=', pm).execute();
    assert.equal(lineage.length, 2);
    assert.equal(lineage.filter((t) => t.retired_at === null).length, 1);
    assert.equal((await database.db.selectFrom('plan_revisions').select('id').execute()).length, 1);
  });

  it('a task no round covers is edited in place; a stale version is refused naming what changed; the next round has the new text', async (database) => {
    const s = await setUp(database);
    const structure = await s.edits.structure(s.office, s.planId);
    const section = structure.chapters[1]!.sections[0]!;
    const added = await s.edits.addTask(s.office, {
      sectionId: section.id,
      text: '开展新污染物治理。',
      leadDepartment: null,
      leaders: ['李岳东'],
      units: [{ name: '环评处', role: 'lead' }],
      due: '2018年底前',
      reason: '新增工作',
    });
    const after = await s.edits.structure(s.office, s.planId);
    const tasks = after.chapters[1]!.sections[0]!.tasks;
    assert.equal(tasks.at(-1)!.id, added.objectId, 'a new task goes at the end of its section');
    assert.ok(tasks.every((task, i) => i === 0 || task.position > tasks[i - 1]!.position));

    const edited = await s.edits.editTask(s.office, added.objectId, { version: 1, text: '开展新污染物治理试点。', reason: '表述调整' });
    assert.equal(edited.objectId, added.objectId, 'no round covers it: edited in place');
    assert.equal(await versionOf(database, added.objectId), 2);
    await rejects(
      s.edits.editTask(s.office, added.objectId, { version: 1, due: '2019年底前', reason: '再改' }),
      'task_stale',
      /张敏于2017年9月20日已修改该任务（任务内容由“开展新污染物治理。”改为“开展新污染物治理试点。”）/,
    );
    const q3 = await open(s, '2017年第三季度');
    const todo = await s.answers.todo(s.huanping, q3.id, s.unit('环评处'));
    assert.ok(todo.items.some((item) => item.task.text === '开展新污染物治理试点。'));
    const history = await s.edits.history(s.office, added.objectId);
    assert.deepEqual(
      history.map((h) => h.appliesFrom),
      ['2017年第三季度', '2017年第三季度'],
    );
    assert.match(history[0]!.sentence, /^自2017年第三季度起新增该任务（张敏，2017年9月20日，原因：新增工作）$/);
  });

  it('moves a task into another section; chapters and sections are added, renamed and withdrawn once empty', async (database) => {
    const s = await setUp(database);
    const pm = await taskIdContaining(database, s.planId, PM25);
    const chapter = await s.edits.addChapter(s.office, s.planId, { title: '新的章', reason: '结构调整' });
    const section = await s.edits.addSection(s.office, chapter.objectId, { title: '新的节', reason: '结构调整' });
    const moved = await s.edits.moveTask(s.office, pm, { sectionId: section.objectId, version: 1, reason: '归入新节' });
    const structure = await s.edits.structure(s.office, s.planId);
    const last = structure.chapters.at(-1)!;
    assert.equal(last.title, '新的章');
    assert.deepEqual(
      last.sections[0]!.tasks.map((t) => t.id),
      [moved.objectId],
    );
    assert.match((await s.edits.history(s.office, moved.objectId))[0]!.sentence, /^自下一轮起由“1\.1 .+”移至“9\.1 新的节”（张敏，/);
    await rejects(
      s.edits.changeHeading(s.office, 'section', section.objectId, { retire: true, reason: '不再需要' }),
      'section_not_empty',
      /还有 1 项未撤销的任务/,
    );
    await s.edits.changeHeading(s.office, 'chapter', chapter.objectId, { title: '改名的章', reason: '表述' });
    await s.edits.retireTask(s.office, moved.objectId, { version: 2, reason: '不再需要' });
    await s.edits.changeHeading(s.office, 'section', section.objectId, { retire: true, reason: '不再需要' });
    await s.edits.changeHeading(s.office, 'chapter', chapter.objectId, { retire: true, reason: '不再需要' });
    const final = (await s.edits.structure(s.office, s.planId)).chapters.at(-1)!;
    assert.equal(final.title, '改名的章');
    assert.equal(final.retired, true);
    assert.equal(final.sections[0]!.tasks[0]!.retired, true);
  });

  it('a heading printed in a round’s table keeps its title; a withdrawn chapter takes its sections with it', async (database) => {
    const s = await setUp(database);
    // The seed's first chapter and section are in the imported round's table and notice.
    const seedChapter = (await s.edits.structure(s.office, s.planId)).chapters[0]!;
    const before = await footprint(database);
    await rejects(
      s.edits.changeHeading(s.office, 'chapter', seedChapter.id, { title: '改过的章', reason: '表述' }),
      'chapter_in_rounds',
      /已出现在 1 轮调度的调度表和通报中.*请新增一章/,
    );
    await rejects(
      s.edits.changeHeading(s.office, 'section', seedChapter.sections[0]!.id, { title: '改过的节', reason: '表述' }),
      'section_in_rounds',
      /请新增一节/,
    );
    assert.deepEqual(await footprint(database), before, 'nothing written');
    assert.equal((await s.edits.structure(s.office, s.planId)).chapters[0]!.title, seedChapter.title);

    // An empty chapter withdrawn withdraws its sections: no task can be added or moved under it.
    const chapter = await s.edits.addChapter(s.office, s.planId, { title: '空的章', reason: '结构调整' });
    const section = await s.edits.addSection(s.office, chapter.objectId, { title: '空的节', reason: '结构调整' });
    await s.edits.changeHeading(s.office, 'chapter', chapter.objectId, { retire: true, reason: '不再需要' });
    const withdrawn = (await s.edits.structure(s.office, s.planId)).chapters.at(-1)!;
    assert.equal(withdrawn.sections[0]!.retired, true);
    const pm = await taskIdContaining(database, s.planId, PM25);
    await rejects(s.edits.moveTask(s.office, pm, { sectionId: section.objectId, version: 1, reason: '归入' }), 'section_retired');
  });

  it('refuses bad input with a clear Chinese message and writes nothing', async (database) => {
    const s = await setUp(database);
    const pm = await taskIdContaining(database, s.planId, PM25);
    const water = await taskIdContaining(database, s.planId, WATER);
    const copy = await s.edits.copyPlan(s.office, s.planId, { title: '2018年分工方案', docNumber: null });
    const otherSection = (await s.edits.structure(s.office, copy.planId)).chapters[0]!.sections[0]!;
    await s.edits.retireTask(s.office, water, { version: 1, reason: '完成' });
    const before = await footprint(database);

    await rejects(s.edits.editTask(s.office, pm, { version: 1, text: '新内容', reason: '   ' }), 'reason_required', /请填写修改原因/);
    await rejects(s.edits.editTask(s.office, pm, { version: 1, text: '新内容', reason: '因'.repeat(501) }), 'reason_too_long', /修改原因不能超过 500 字/);
    await rejects(s.edits.editTask(s.office, pm, { version: 1, text: '  ', reason: '调整' }), 'text_required', /请填写任务内容/);
    await rejects(s.edits.editTask(s.office, pm, { version: 1, text: '字'.repeat(5001), reason: '调整' }), 'text_too_long', /任务内容不能超过 5000 字/);
    await rejects(
      s.edits.editTask(s.office, pm, {
        version: 1,
        units: [
          { name: '不存在处', role: 'lead' },
          { name: '大气处', role: 'co' },
        ],
        reason: '调整',
      }),
      'unit_unknown',
      /未知的责任单位：不存在处/,
    );
    await rejects(s.edits.editTask(s.office, pm, { version: 1, leaders: ['王五'], reason: '调整' }), 'leader_unknown', /未知的牵头领导：王五/);
    await rejects(
      s.edits.editTask(s.office, pm, { version: 1, leadDepartment: '省不存在委', reason: '调整' }),
      'department_unknown',
      /未知的牵头部门：省不存在委/,
    );
    await rejects(s.edits.editTask(s.office, pm, { version: 1, units: [], reason: '调整' }), 'units_required', /至少要有一个责任单位/);
    await rejects(
      s.edits.editTask(s.office, pm, {
        version: 1,
        units: [
          { name: '大气处', role: 'lead' },
          { name: '大气处', role: 'co' },
        ],
        reason: '调整',
      }),
      'unit_twice',
      /责任单位重复：大气处/,
    );
    await rejects(s.edits.editTask(s.office, pm, { version: 1, reason: '调整' }), 'no_change', /没有修改任何内容/);
    await rejects(s.edits.editTask(s.office, pm, { version: 7, text: '新内容', reason: '调整' }), 'task_stale', /旧版本/);
    await rejects(
      s.edits.moveTask(s.office, pm, { sectionId: otherSection.id, version: 1, reason: '调整' }),
      'section_of_other_plan',
      /不能把任务移到另一个分工方案的节中/,
    );
    await rejects(s.edits.editTask(s.office, water, { version: 1, text: '新内容', reason: '调整' }), 'task_retired', /已撤销，不能再修改/);
    await rejects(s.edits.retireTask(s.office, water, { version: 1, reason: '调整' }), 'task_retired');
    await rejects(s.edits.editTask(s.leader, pm, { version: 1, text: '新内容', reason: '调整' }), 'forbidden_role');
    await rejects(s.edits.createPlan(s.office, { title: '2018年分工方案', docNumber: null }), 'plan_exists', /标题为“2018年分工方案”的分工方案已存在/);
    await rejects(s.edits.createPlan(s.office, { title: '', docNumber: null }), 'title_required', /请填写方案标题/);
    // A round chosen over a task withdrawn meanwhile is refused, naming it.
    await rejects(
      open(s, '2017年第三季度')
        .then(() => undefined)
        .then(() =>
          s.rounds.openRound(s.office, s.planId, {
            label: '专项',
            periodStart: null,
            periodEnd: null,
            deadline: null,
            note: null,
            requiresApproval: false,
            taskIds: [water],
          }),
        ),
      'round_tasks_retired',
      /刚被撤销/,
    );
    const after = await footprint(database);
    assert.deepEqual({ ...after, tasks: before.tasks }, before, 'nothing written by a refused change');
  });

  it('copies a plan into next year’s: current tasks, lineage kept, source untouched; its first round can 沿用 last year’s answers', async (database) => {
    const s = await setUp(database);
    const pm = await taskIdContaining(database, s.planId, PM25);
    const water = await taskIdContaining(database, s.planId, WATER);
    await s.edits.retireTask(s.office, water, { version: 1, reason: '完成' });
    const q3 = await open(s, '2017年第三季度');
    await s.answers.saveAnswer(s.daqi, q3.id, pm, s.unit('大气处'), { text: '全年目标已完成。', status: 'completed', reason: null, version: 0 });
    await s.rounds.closeRound(s.office, q3.id);
    const sourceBefore = await s.edits.structure(s.office, s.planId);

    const copy = await s.edits.copyPlan(s.office, s.planId, { title: '2018年分工方案', docNumber: '测办发〔2018〕1号' });
    assert.equal(copy.tasks, 110);
    assert.deepEqual(await s.edits.structure(s.office, s.planId), sourceBefore, 'the source plan untouched');
    const copied = await s.edits.structure(s.office, copy.planId);
    const copiedTasks = copied.chapters.flatMap((c) => c.sections.flatMap((x) => x.tasks));
    assert.equal(copiedTasks.length, 110);
    const copiedPm = copiedTasks.find((t) => t.text.includes(PM25))!;
    assert.equal(copiedPm.lineage, pm);
    assert.deepEqual(copiedPm.units, [{ name: '大气处', role: 'lead' }]);
    assert.equal(
      copiedTasks.some((t) => t.text.includes(WATER)),
      false,
    );
    const q1 = await open(s, '2018年第一季度', copy.planId);
    const todo = await s.answers.todo(s.daqi, q1.id, s.unit('大气处'));
    assert.equal(todo.items.find((i) => i.task.id === copiedPm.id)?.previousText, '全年目标已完成。');
    const plans = await s.views.listPlans(s.office);
    assert.deepEqual(plans.map((p) => [p.title, p.tasks]).slice(-1), [['2018年分工方案', 110]]);
  });

  it('archives a plan once its rounds are closed: no new rounds, hidden from the default list, still readable', async (database) => {
    const s = await setUp(database);
    const q3 = await open(s, '2017年第三季度');
    await rejects(
      s.edits.archivePlan(s.office, s.planId, { reason: '年度结束' }),
      'plan_has_open_rounds',
      /还有进行中的调度（2017年第三季度），请先结束后再归档/,
    );
    await s.rounds.closeRound(s.office, q3.id);
    await s.edits.archivePlan(s.office, s.planId, { reason: '年度结束' });
    assert.deepEqual(await s.views.listPlans(s.office), []);
    const archived = await s.views.listPlans(s.office, { archived: true });
    assert.equal(archived.length, 1);
    assert.ok(archived[0]!.archivedAt);
    assert.ok((await s.views.planTree(s.office, s.planId)).total > 0, 'still readable');
    await rejects(open(s, '2017年第四季度'), 'plan_archived', /已归档，不能发起新的调度/);
    const pm = await taskIdContaining(database, s.planId, PM25);
    await rejects(s.edits.editTask(s.office, pm, { version: 1, text: '新', reason: '调整' }), 'plan_archived', /已归档，不能再修改/);
    await rejects(s.edits.archivePlan(s.office, s.planId, { reason: '再次' }), 'plan_archived');
  });

  it('a unit’s to-do gathers the open rounds of every plan not archived, grouped by plan', async (database) => {
    const s = await setUp(database);
    const copy = await s.edits.copyPlan(s.office, s.planId, { title: '2018年分工方案', docNumber: null });
    const a = await open(s, '2017年第三季度');
    const b = await open(s, '2018年第一季度', copy.planId);
    const view = await s.edits.openRoundsOfUnit(s.daqi, s.unit('大气处'));
    assert.deepEqual(
      view.plans.map((p) => [p.planId, p.rounds.map((r) => r.id)]),
      [
        [s.planId, [a.id]],
        [copy.planId, [b.id]],
      ],
    );
    // 环评处 has no task in the copied plan's … it has, in both; a unit with none in a round is not listed for it.
    const other = await s.edits.openRoundsOfUnit(s.office, s.unit('环评处'));
    assert.ok(other.plans.every((p) => p.rounds.length > 0));
    await rejects(s.edits.openRoundsOfUnit(s.huanping, s.unit('大气处')), 'forbidden');
  });
});
