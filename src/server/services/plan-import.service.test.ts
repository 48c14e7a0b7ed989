import assert from 'node:assert/strict';
import { systemActor, type Actor } from '../../domain/actor.ts';
import { isDomainError, type DomainError } from '../../domain/errors.ts';
import { TaskLimits } from '../../domain/limits.ts';
import type { PlanDocument } from '../../domain/plan-document.ts';
import { createRepositories } from '../db/repositories/index.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { countRows, dataRows, failInsertsWithText } from '../../../tests/support/db-inspection.ts';
import { allTasks, buildChapters, buildNextRoundDocument, buildNotice, buildPlanDocument } from '../../../tests/support/factories.ts';
import { readSeedDocument, seededRoundWork, taskIdContaining } from '../../../tests/support/seeded-plan.ts';
import { createPlanEditService } from './plan-edit.service.ts';
import { createPlanExportService } from './plan-export.service.ts';
import { createPlanImportService } from './plan-import.service.ts';

const actor = systemActor('test');
const source = (fileName = 'seed.txt') => ({ fileName, contentHash: `sha256:${fileName}` });
const fixedClock = () => new Date('2026-03-01T08:00:00.000Z');

function service(database: TestDatabase) {
  return createPlanImportService({ database, now: fixedClock });
}

async function domainErrorOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  assert.fail('expected a DomainError');
}

async function auditRows(database: TestDatabase) {
  return createRepositories(database.db).audit.listAuditEvents({ action: 'plan.import' });
}

forEachEngine('plan import service', (it) => {
  it('creates a new plan with its round, and writes one imports row and one audit row', async (database) => {
    const document = buildPlanDocument();
    const outcome = await service(database).importDocument(actor, document, source());
    assert.equal(outcome.status, 'created');
    assert.equal(outcome.tasks, 5);
    assert.equal(outcome.progressEntries, 7);
    assert.match(outcome.message, /^已导入：分工方案《.*》5 项任务/);

    const counts = await countRows(database);
    assert.deepEqual(
      { ...counts },
      {
        units: 7, // 大气处 水处 监测处 监察总队 规财处 环评处 生态处
        unit_aliases: 2,
        leaders: 4, // 赵乐晨 李岳东 张金汉 各分管厅领导
        departments: 2,
        plans: 1,
        chapters: 2,
        sections: 3,
        tasks: 5,
        task_leaders: 5,
        task_units: 9,
        rounds: 1,
        round_tasks: 5,
        round_unit_aliases: 2,
        progress_entries: 7,
        notices: 1,
        imports: 1,
        audit_events: 2, // the import, and the organisation profile its notice set (none was set; decision 027)
        answer_attachments: 0,
      },
    );
    const audit = (await auditRows(database)).find((row) => row.action === 'plan.import');
    assert.ok(audit);
    assert.deepEqual(
      { actor: audit.actor_name, kind: audit.actor_kind, object: [audit.object_type, audit.object_id], result: audit.result, at: audit.at },
      { actor: 'system:test', kind: 'system', object: ['plan', String(outcome.planId)], result: 'created', at: '2026-03-01T08:00:00.000Z' },
    );
    assert.deepEqual(JSON.parse(audit.detail), {
      fileName: 'seed.txt',
      contentHash: 'sha256:seed.txt',
      roundId: outcome.roundId,
      tasks: 5,
      progressEntries: 7,
    });
    const [importRow] = await createRepositories(database.db).imports.listImportsOfPlan(outcome.planId);
    assert.deepEqual(importRow && { hash: importRow.content_hash, name: importRow.source_name, round: importRow.round_id, status: importRow.status }, {
      hash: 'sha256:seed.txt',
      name: 'seed.txt',
      round: outcome.roundId,
      status: 'created',
    });
  });

  it('keeps unit order, lead role, leaders order and tasks in plan order', async (database) => {
    const outcome = await service(database).importDocument(actor, buildPlanDocument(), source());
    const { plans } = createRepositories(database.db);
    const tasks = await plans.listTasksOfPlan(outcome.planId);
    assert.deepEqual(
      tasks.map((task) => [task.position, task.text]),
      allTasks(buildPlanDocument()).map((task, index) => [index + 1, task.text]),
    );
    const second = tasks[1]!.id;
    const units = (await plans.listTaskUnitsOfPlan(outcome.planId)).filter((unit) => unit.taskId === second);
    assert.deepEqual(
      units.map((unit) => [unit.name, unit.role]),
      [
        ['水处', 'lead'],
        ['监测处', 'co'],
        ['监察总队', 'co'],
      ],
    );
    const third = tasks[2]!.id;
    const leaders = (await plans.listTaskLeadersOfPlan(outcome.planId)).filter((leader) => leader.taskId === third);
    assert.deepEqual(
      leaders.map((leader) => leader.name),
      ['张金汉', '李岳东'],
    );
  });

  it('stores progress with its unit, and a null unit as null (never guessed)', async (database) => {
    const outcome = await service(database).importDocument(actor, buildPlanDocument(), source());
    const entries = await createRepositories(database.db).progress.listProgressOfRound(outcome.roundId);
    assert.deepEqual(
      entries.map((entry) => [entry.unit, entry.text]),
      allTasks(buildPlanDocument()).flatMap((task) => task.progress.map((entry) => [entry.unit, entry.text])),
    );
    assert.equal(entries.filter((entry) => entry.unit === null).length, 1);
  });

  it('stores the document aliases organisation-wide and for the round, in order', async (database) => {
    const outcome = await service(database).importDocument(actor, buildPlanDocument({ unitAliases: { 环评: '环评处', 总队: '监察总队' } }), source());
    const repositories = createRepositories(database.db);
    assert.deepEqual(await repositories.rounds.listRoundUnitAliases(outcome.roundId), [
      { alias: '环评', unitName: '环评处' },
      { alias: '总队', unitName: '监察总队' },
    ]);
    assert.deepEqual((await repositories.organisation.listUnitAliases()).map((row) => [row.alias, row.unitName]).sort(), [
      ['总队', '监察总队'],
      ['环评', '环评处'],
    ]);
  });

  it('answers unchanged for the same document again, and writes nothing but an audit row', async (database) => {
    const imports = service(database);
    const first = await imports.importDocument(actor, buildPlanDocument(), source());
    const before = await countRows(database);
    const again = await imports.importDocument(actor, buildPlanDocument(), source('seed-copy.txt'));
    assert.deepEqual(
      { status: again.status, planId: again.planId, roundId: again.roundId, tasks: again.tasks, progress: again.progressEntries },
      { status: 'unchanged', planId: first.planId, roundId: first.roundId, tasks: 5, progress: 7 },
    );
    assert.match(again.message, /^未变更：.*已导入，内容相同$/);
    const after = await countRows(database);
    assert.deepEqual(dataRows(after), dataRows(before));
    assert.equal(after.audit_events, before.audit_events + 1);
    const audit = (await auditRows(database)).at(-1);
    assert.equal(audit?.result, 'unchanged');
    assert.equal(JSON.parse(audit?.detail ?? '{}').fileName, 'seed-copy.txt');
  });

  it('treats a document with keys in another order as the same document', async (database) => {
    const imports = service(database);
    await imports.importDocument(actor, buildPlanDocument(), source());
    const document = buildPlanDocument();
    const reordered = {
      warnings: document.warnings,
      chapters: document.chapters,
      unitAliases: document.unitAliases,
      round: document.round,
      plan: document.plan,
      notice: document.notice,
      format: document.format,
    };
    assert.equal((await imports.importDocument(actor, reordered, source())).status, 'unchanged');
  });

  it('adds the next round to the stored plan without touching its tasks', async (database) => {
    const imports = service(database);
    const first = await imports.importDocument(actor, buildPlanDocument(), source());
    const before = await countRows(database);
    const next = await imports.importDocument(actor, buildNextRoundDocument(), source('q3.txt'));
    assert.equal(next.status, 'round_added');
    assert.equal(next.planId, first.planId);
    assert.notEqual(next.roundId, first.roundId);
    assert.match(next.message, /^已新增调度：.*条推进情况$/);
    const after = await countRows(database);
    for (const table of ['plans', 'chapters', 'sections', 'tasks', 'task_leaders', 'task_units', 'units', 'leaders', 'departments', 'unit_aliases'] as const)
      assert.equal(after[table], before[table], `${table} unchanged`);
    assert.equal(after.rounds, 2);
    assert.equal(after.progress_entries, 14);
    assert.equal(after.notices, 2);
    assert.equal(after.round_tasks, 10);
    assert.equal(after.imports, 2);
    assert.equal(after.audit_events, 3, 'two imports and the profile the first one set; the second sets none');
    // And once stored, the same next round is unchanged.
    assert.equal((await imports.importDocument(actor, buildNextRoundDocument(), source('q3.txt'))).status, 'unchanged');
  });

  it('identifies a plan without a document number by its title', async (database) => {
    const imports = service(database);
    const first = await imports.importDocument(actor, buildPlanDocument({ plan: { docNumber: null } }), source());
    const next = buildNextRoundDocument();
    next.plan.docNumber = null;
    const second = await imports.importDocument(actor, next, source());
    assert.deepEqual([second.status, second.planId], ['round_added', first.planId]);
    const other = await imports.importDocument(
      actor,
      buildPlanDocument({ plan: { docNumber: null, title: '另一个分工方案' }, notice: buildNotice({ docNumber: '川环办发〔2017〕120号' }) }),
      source(),
    );
    assert.equal(other.status, 'created');
    assert.notEqual(other.planId, first.planId);
  });

  it('refuses a notice whose document number another round already has (0102 is 102): conflict naming the round, nothing written', async (database) => {
    const imports = service(database);
    await imports.importDocument(actor, buildPlanDocument(), source());
    const before = await countRows(database);
    const reused = buildPlanDocument({ plan: { docNumber: null, title: '另一个分工方案' }, notice: buildNotice({ docNumber: '川环办发〔2017〕0102号' }) });
    const error = await domainErrorOf(imports.importDocument(actor, reused, source('other.txt')));
    assert.deepEqual([error.kind, error.code, error.details.roundLabel], ['conflict', 'doc_number_taken', '2017年第二季度']);
    assert.match(error.message, /已用于调度“2017年第二季度”/);
    const after = await countRows(database);
    assert.deepEqual(dataRows(after), dataRows(before), 'no plan, round or notice stored');
    assert.equal((await auditRows(database)).at(-1)?.result, 'rejected');
  });

  it('refuses the same round with different progress: conflict naming the task, nothing written', async (database) => {
    const imports = service(database);
    await imports.importDocument(actor, buildPlanDocument(), source());
    const before = await countRows(database);
    const changed = buildPlanDocument();
    allTasks(changed)[1]!.progress[1]!.text = '改过的推进情况';
    const error = await domainErrorOf(imports.importDocument(actor, changed, source('changed.txt')));
    assert.deepEqual([error.kind, error.code, error.details.differs], ['conflict', 'plan_differs', 'round']);
    assert.match(error.message, /调度“2017年第二季度”已导入，但内容不同/);
    assert.match(error.message, /第 2 项任务「地表水优良水质断面比例达到 82% 以上。」 progress\[1\]\.text/);
    assert.match(error.message, /改过的推进情况/);
    const after = await countRows(database);
    assert.deepEqual(dataRows(after), dataRows(before), 'no data written');
    const rejection = (await auditRows(database)).at(-1);
    assert.equal(rejection?.result, 'rejected', 'the refused attempt is audited');
    assert.equal(JSON.parse(rejection?.detail ?? '{}').code, 'plan_differs');
  });

  it('refuses the same round with a different notice or warnings', async (database) => {
    const imports = service(database);
    await imports.importDocument(actor, buildPlanDocument(), source());
    const noNotice = await domainErrorOf(imports.importDocument(actor, buildPlanDocument({ notice: null }), source()));
    assert.equal(noNotice.code, 'plan_differs');
    assert.equal(noNotice.details.path, 'notice');
    const otherWarnings = await domainErrorOf(imports.importDocument(actor, buildPlanDocument({ warnings: [] }), source()));
    assert.equal(otherWarnings.details.path, 'warnings[0]');
  });

  it('refuses a different task structure, naming the first differing task, even for a new round', async (database) => {
    const imports = service(database);
    await imports.importDocument(actor, buildPlanDocument(), source());
    const before = await countRows(database);

    const reassigned = buildNextRoundDocument();
    allTasks(reassigned)[3]!.units = [{ name: '监测处', role: 'lead' }];
    const error = await domainErrorOf(imports.importDocument(actor, reassigned, source()));
    assert.deepEqual([error.code, error.details.differs, error.details.path], ['plan_differs', 'structure', 'chapters[1].sections[1].tasks[0].units[0].name']);
    assert.match(error.message, /任务结构不同/);
    assert.match(error.message, /第 4 项任务「划定并严守生态保护红线。」 units\[0\]\.name：已存 "生态处"，导入 "监测处"/);

    const extraTask = buildNextRoundDocument();
    extraTask.chapters[0]!.sections[0]!.tasks.push(allTasks(extraTask)[0]!);
    const extra = await domainErrorOf(imports.importDocument(actor, extraTask, source()));
    assert.equal(extra.details.path, 'chapters[0].sections[0].tasks[2]');
    assert.match(extra.message, /第 3 项任务/);

    const renamed = buildNextRoundDocument();
    renamed.plan.title = '改名的分工方案';
    assert.equal((await domainErrorOf(imports.importDocument(actor, renamed, source()))).details.path, 'plan.title');

    assert.deepEqual(dataRows(await countRows(database)), dataRows(before));
  });

  it('refuses an alias that already names another unit', async (database) => {
    const imports = service(database);
    await imports.importDocument(actor, buildPlanDocument(), source());
    const before = await countRows(database);
    const next = buildNextRoundDocument();
    next.unitAliases = { 总队: '环评处' };
    const error = await domainErrorOf(imports.importDocument(actor, next, source()));
    assert.deepEqual([error.kind, error.code], ['conflict', 'unit_alias_differs']);
    assert.match(error.message, /简称“总队”已指“监察总队”/);
    assert.deepEqual(dataRows(await countRows(database)), dataRows(before));
  });

  it('refuses an invalid document before touching the database: a task text over the limit', async (database) => {
    const document = buildPlanDocument();
    allTasks(document)[2]!.text = '长'.repeat(TaskLimits.text.max + 1);
    const error = await domainErrorOf(service(database).importDocument(actor, document, source('too-long.txt')));
    assert.deepEqual([error.kind, error.code], ['invalid', 'plan_document_invalid']);
    assert.match(error.message, /chapters\.1\.sections\.0\.tasks\.0\.text/);
    assert.deepEqual(error.details.issues, [
      { path: 'chapters.1.sections.0.tasks.0.text', message: (error.details.issues as { message: string }[])[0]!.message },
    ]);
    const counts = await countRows(database);
    assert.ok(
      Object.values(dataRows(counts)).every((count) => count === 0),
      'zero data rows',
    );
    assert.equal((await auditRows(database))[0]?.result, 'rejected');
  });

  it('rolls everything back when the database fails midway (after plan, tasks and round were written)', async (database) => {
    await failInsertsWithText(database, 'progress_entries', '平台一期已经验收。');
    await assert.rejects(service(database).importDocument(actor, buildPlanDocument(), source()), /test: refused insert/);
    const counts = await countRows(database);
    assert.deepEqual(
      Object.entries(counts).filter(([, count]) => count !== 0),
      [],
      'not one row in any table, audit included',
    );
  });

  it('rolls back a midway failure of a new round too, leaving the stored plan as it was', async (database) => {
    const imports = service(database);
    await imports.importDocument(actor, buildPlanDocument(), source());
    const before = await countRows(database);
    await failInsertsWithText(database, 'progress_entries', '平台一期已经验收。（第三季度）');
    await assert.rejects(imports.importDocument(actor, buildNextRoundDocument(), source()), /test: refused insert/);
    assert.deepEqual(await countRows(database), before);
  });

  it('two concurrent imports of the same new plan: one created, one unchanged', async (database) => {
    const imports = service(database);
    const outcomes = await Promise.all([
      imports.importDocument(actor, buildPlanDocument(), source('a.txt')),
      imports.importDocument(actor, buildPlanDocument(), source('b.txt')),
    ]);
    assert.deepEqual(outcomes.map((outcome) => outcome.status).sort(), ['created', 'unchanged']);
    const counts = await countRows(database);
    assert.deepEqual([counts.plans, counts.rounds, counts.tasks, counts.imports], [1, 1, 5, 1]);
  });

  it('records the acting user in the audit row', async (database) => {
    const user: Actor = { kind: 'user', name: '谭建波', username: 'tanjianbo', userId: 42, role: 'office', unitId: null };
    await service(database).importDocument(user, buildPlanDocument(), source());
    const [audit] = await auditRows(database);
    // Decision 037: the login name in actor_name (and actor_login), the display name beside it.
    assert.deepEqual(
      [audit?.actor_kind, audit?.actor_name, audit?.user_id, audit?.actor_login, audit?.actor_display_name],
      ['user', 'tanjianbo', 42, 'tanjianbo', '谭建波'],
    );
  });

  it('imports a plan with empty sections, no notice, no aliases and no period', async (database) => {
    const chapters = buildChapters();
    chapters.push({ number: 3, title: '空章', sections: [{ number: 1, title: '空节', tasks: [] }] });
    const document: PlanDocument = buildPlanDocument({ chapters, notice: null, unitAliases: {}, round: { periodStart: null, periodEnd: null } });
    const outcome = await service(database).importDocument(actor, document, source());
    assert.equal(outcome.status, 'created');
    const counts = await countRows(database);
    assert.deepEqual([counts.chapters, counts.sections, counts.notices, counts.round_unit_aliases], [3, 4, 0, 0]);
  });
});

forEachEngine('plan import into a plan edited or archived since (029)', (it) => {
  const PM25 = '全省细颗粒物';
  const WATER = '地表水优良水质断面比例';

  async function editedSeed(database: TestDatabase) {
    const seeded = await seededRoundWork(database);
    const office = seeded.person('office');
    const edits = createPlanEditService(seeded.deps);
    const pm = await taskIdContaining(database, seeded.planId, PM25);
    const water = await taskIdContaining(database, seeded.planId, WATER);
    const section = await database.db.selectFrom('tasks').select('section_id').where('id', '=', pm).executeTakeFirstOrThrow();
    // A new version of a task the imported round covers, a withdrawn one, and a task added since.
    await edits.editTask(office, pm, { version: 1, text: '全省细颗粒物浓度继续下降。', reason: '目标调整' });
    await edits.retireTask(office, water, { version: 1, reason: '任务已完成' });
    await edits.addTask(office, {
      sectionId: section.section_id,
      text: '开展新污染物治理。',
      leadDepartment: null,
      leaders: [],
      units: [{ name: '大气处', role: 'lead' }],
      due: null,
      reason: '新增任务',
    });
    return { ...seeded, office, edits };
  }

  it('the document that created a round, and that round’s export, are recognised as unchanged after the plan was edited', async (database) => {
    const s = await editedSeed(database);
    const imports = createPlanImportService(s.deps);
    const before = await countRows(database);

    const again = await imports.importDocument(actor, readSeedDocument(), source('sichuan-again.txt'));
    assert.deepEqual([again.status, again.planId, again.roundId], ['unchanged', s.planId, s.importedRoundId]);
    assert.match(again.message, /^未变更：/);

    const exported = await createPlanExportService(s.deps).exportDocument(actor, { planId: s.planId, roundLabel: readSeedDocument().round.label });
    const fromExport = await imports.importDocument(actor, exported, source('export.json'));
    assert.deepEqual([fromExport.status, fromExport.roundId], ['unchanged', s.importedRoundId]);
    assert.deepEqual(dataRows(await countRows(database)), dataRows(before));

    // The same round with other progress is still refused as a different round.
    const changed = structuredClone(readSeedDocument());
    allTasks(changed).find((task) => task.progress.length > 0)!.progress[0]!.text = '改过的推进情况。';
    const differs = await domainErrorOf(imports.importDocument(actor, changed, source()));
    assert.deepEqual([differs.code, differs.details.differs], ['plan_differs', 'round']);

    // A new round still has to match the plan as it stands: the old structure is refused.
    const next = structuredClone(readSeedDocument());
    next.round.label = '2017年第三季度';
    next.notice = null;
    const structure = await domainErrorOf(imports.importDocument(actor, next, source('q3.txt')));
    assert.deepEqual([structure.code, structure.details.differs], ['plan_differs', 'structure']);
    assert.match(structure.message, /任务结构不同/);
    assert.deepEqual(dataRows(await countRows(database)), dataRows(before));
  });

  it('refuses any document of an archived plan, in Chinese, writing nothing but the refusal’s audit row', async (database) => {
    const s = await seededRoundWork(database);
    await createPlanEditService(s.deps).archivePlan(s.person('office'), s.planId, { reason: '年度结束' });
    const imports = createPlanImportService(s.deps);
    const before = await countRows(database);

    const next = structuredClone(readSeedDocument());
    next.round.label = '2017年第三季度';
    next.notice = null;
    for (const document of [readSeedDocument(), next]) {
      const error = await domainErrorOf(imports.importDocument(actor, document, source()));
      assert.deepEqual([error.code, error.kind, error.details.planId], ['plan_archived', 'conflict', s.planId]);
      assert.match(error.message, /^分工方案“.+”已归档，不能发起新的调度，未导入$/);
    }
    const after = await countRows(database);
    assert.deepEqual(dataRows(after), dataRows(before));
    assert.equal(after.audit_events, before.audit_events + 2);
    assert.equal((await auditRows(database)).at(-1)?.result, 'rejected');
  });
});
