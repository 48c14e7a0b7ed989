import assert from 'node:assert/strict';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { inReadTransaction, inTransaction } from '../../src/server/db/transaction.ts';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';
import { countRows } from '../support/db-inspection.ts';

const AT = '2026-01-01T00:00:00.000Z';

/** A plan with one chapter, one section and `taskCount` tasks; returns ids. */
async function seedPlan(database: TestDatabase, taskCount: number) {
  const repositories = createRepositories(database.db);
  const planId = await repositories.plans.insertPlan({
    identityKey: 'doc:川环办发〔2016〕144号',
    title: '厅内分工方案',
    docNumber: '川环办发〔2016〕144号',
    now: AT,
  });
  const chapterId = await repositories.plans.insertChapter({ planId, number: 1, title: '总体要求', position: 1 });
  const sectionId = await repositories.plans.insertSection({ chapterId, number: 1, title: '主要目标', position: 1 });
  await repositories.plans.insertTasks(
    Array.from({ length: taskCount }, (_, index) => ({
      plan_id: planId,
      section_id: sectionId,
      position: index + 1,
      text: `任务 ${index + 1}`,
      lead_department_id: null,
      version: 1,
      created_at: AT,
      updated_at: AT,
    })),
  );
  const taskIds = await repositories.plans.taskIdsByPosition(planId);
  return { repositories, planId, sectionId, taskIds };
}

forEachEngine('organisation repository', (it) => {
  it('upserts names once and returns every id, old and new', async (database) => {
    const { organisation } = createRepositories(database.db);
    const first = await organisation.upsertUnitsByName(['大气处', '水处', '大气处'], AT);
    assert.deepEqual([...first.keys()].sort(), ['大气处', '水处'].sort());
    const second = await organisation.upsertUnitsByName(['水处', '监察总队'], AT);
    assert.equal(second.get('水处'), first.get('水处'), 'existing name keeps its id');
    assert.ok(second.get('监察总队'));
    assert.equal((await countRows(database)).units, 3);
  });

  it('keeps leaders and departments in their own tables', async (database) => {
    const { organisation } = createRepositories(database.db);
    await organisation.upsertLeadersByName(['赵乐晨', '李岳东'], AT);
    await organisation.upsertDepartmentsByName(['省环境保护厅'], AT);
    const counts = await countRows(database);
    assert.deepEqual([counts.leaders, counts.departments, counts.units], [2, 1, 0]);
  });

  it('handles more names than one batch', async (database) => {
    const { organisation } = createRepositories(database.db);
    const names = Array.from({ length: 1_234 }, (_, index) => `单位${index}`);
    const ids = await organisation.upsertUnitsByName(names, AT);
    assert.equal(ids.size, 1_234);
    assert.equal(new Set(ids.values()).size, 1_234);
  });

  it('stores an alias once: a later insert does not move it to another unit', async (database) => {
    const { organisation } = createRepositories(database.db);
    const units = await organisation.upsertUnitsByName(['监察总队', '环评处'], AT);
    await organisation.insertUnitAliases([{ alias: '总队', unitId: units.get('监察总队')! }], AT);
    await organisation.insertUnitAliases([{ alias: '总队', unitId: units.get('环评处')! }], AT);
    assert.deepEqual(await organisation.listUnitAliases(), [{ alias: '总队', unitName: '监察总队' }]);
    const found = await organisation.findUnitsOfAliases(['总队', '不存在']);
    assert.deepEqual([...found.entries()], [['总队', { unitId: units.get('监察总队'), unitName: '监察总队' }]]);
  });
});

forEachEngine('plan repository', (it) => {
  it('finds a plan by identity and by id; lists plans in creation order', async (database) => {
    const { repositories, planId } = await seedPlan(database, 1);
    const other = await repositories.plans.insertPlan({ identityKey: 'title:另一个方案', title: '另一个方案', docNumber: null, now: AT });
    assert.equal((await repositories.plans.findPlanByIdentity('doc:川环办发〔2016〕144号'))?.id, planId);
    assert.equal(await repositories.plans.findPlanByIdentity('doc:不存在'), undefined);
    assert.equal((await repositories.plans.findPlanById(other))?.doc_number, null);
    assert.deepEqual(
      (await repositories.plans.listPlans()).map((plan) => plan.id),
      [planId, other],
    );
  });

  it('inserts tasks in batches and maps every position to its id', async (database) => {
    const { repositories, planId, taskIds } = await seedPlan(database, 1_201);
    assert.equal(taskIds.size, 1_201);
    const tasks = await repositories.plans.listTasksOfPlan(planId);
    assert.deepEqual(
      tasks.slice(0, 3).map((task) => task.text),
      ['任务 1', '任务 2', '任务 3'],
    );
    assert.equal(tasks.at(-1)?.text, '任务 1201');
    assert.ok(tasks.every((task) => taskIds.get(task.position) === task.id));
  });

  it('returns leaders and units in the order they were given, lead unit first', async (database) => {
    const { repositories, planId, taskIds } = await seedPlan(database, 2);
    const { organisation, plans } = repositories;
    const units = await organisation.upsertUnitsByName(['水处', '监测处', '监察总队'], AT);
    const leaders = await organisation.upsertLeadersByName(['李岳东', '张金汉'], AT);
    const [first, second] = [taskIds.get(1)!, taskIds.get(2)!];
    // Inserted out of order on purpose: order comes from `position`, not insertion.
    await plans.insertTaskUnits([
      { task_id: second, unit_id: units.get('水处')!, position: 1, role: 'lead' },
      { task_id: first, unit_id: units.get('监察总队')!, position: 3, role: 'co' },
      { task_id: first, unit_id: units.get('水处')!, position: 1, role: 'lead' },
      { task_id: first, unit_id: units.get('监测处')!, position: 2, role: 'co' },
    ]);
    await plans.insertTaskLeaders([
      { task_id: first, leader_id: leaders.get('张金汉')!, position: 2 },
      { task_id: first, leader_id: leaders.get('李岳东')!, position: 1 },
    ]);
    assert.deepEqual(await plans.listTaskUnitsOfPlan(planId), [
      { taskId: first, name: '水处', role: 'lead' },
      { taskId: first, name: '监测处', role: 'co' },
      { taskId: first, name: '监察总队', role: 'co' },
      { taskId: second, name: '水处', role: 'lead' },
    ]);
    assert.deepEqual(await plans.listTaskLeadersOfPlan(planId), [
      { taskId: first, name: '李岳东' },
      { taskId: first, name: '张金汉' },
    ]);
  });
});

forEachEngine('round and progress repositories', (it) => {
  it('store a round with its tasks, aliases, notice and progress (unit null kept)', async (database) => {
    const { repositories, planId, taskIds } = await seedPlan(database, 2);
    const { rounds, progress, organisation } = repositories;
    const units = await organisation.upsertUnitsByName(['水处', '监察总队'], AT);
    const roundId = await rounds.insertRound({
      planId,
      label: '2017年第二季度',
      periodStart: '2017-04-01',
      periodEnd: '2017-06-30',
      deadline: null,
      status: 'imported',
      warnings: '["w"]',
      now: AT,
    });
    await rounds.insertRoundTasks([...taskIds.values()].map((taskId) => ({ round_id: roundId, task_id: taskId, warnings: '[]' })));
    await rounds.insertRoundUnitAliases(roundId, [
      { alias: '总队', unitId: units.get('监察总队')! },
      { alias: '水', unitId: units.get('水处')! },
    ]);
    const [first, second] = [taskIds.get(1)!, taskIds.get(2)!];
    const entry = (taskId: number, position: number, unit: number | null, text: string) => ({
      round_id: roundId,
      task_id: taskId,
      unit_id: unit,
      position,
      text,
      status: null,
      version: 1,
      created_at: AT,
      updated_at: AT,
    });
    await progress.insertProgressEntries([
      entry(second, 1, units.get('水处')!, '第二项'),
      entry(first, 2, null, '未注明单位'),
      entry(first, 1, units.get('监察总队')!, '总队写的'),
    ]);

    assert.equal((await rounds.findRoundByLabel(planId, '2017年第二季度'))?.id, roundId);
    assert.equal(await rounds.findRoundByLabel(planId, '2017年第三季度'), undefined);
    assert.deepEqual(
      (await progress.listProgressOfRound(roundId)).map(({ taskId, unit, position, text }) => ({ taskId, unit, position, text })),
      [
        { taskId: first, unit: '监察总队', position: 1, text: '总队写的' },
        { taskId: first, unit: null, position: 2, text: '未注明单位' },
        { taskId: second, unit: '水处', position: 1, text: '第二项' },
      ],
    );
    assert.equal(await progress.countProgressOfRound(roundId), 3);
    assert.deepEqual(await rounds.listRoundUnitAliases(roundId), [
      { alias: '总队', unitName: '监察总队' },
      { alias: '水', unitName: '水处' },
    ]);
    assert.deepEqual(
      (await rounds.listRoundTasks(roundId)).map((row) => row.taskId),
      [first, second],
    );
  });

  it('refuse a second round with the same label in one plan', async (database) => {
    const { repositories, planId } = await seedPlan(database, 1);
    const round = { planId, label: '2017年第二季度', periodStart: null, periodEnd: null, deadline: null, status: 'imported' as const, warnings: '[]', now: AT };
    await repositories.rounds.insertRound(round);
    await assert.rejects(repositories.rounds.insertRound(round));
  });
});

forEachEngine('transactions', (it) => {
  it('inTransaction commits everything together', async (database) => {
    await inTransaction(database, async ({ organisation }) => {
      await organisation.upsertUnitsByName(['大气处'], AT);
      await organisation.upsertLeadersByName(['赵乐晨'], AT);
    });
    const counts = await countRows(database);
    assert.deepEqual([counts.units, counts.leaders], [1, 1]);
  });

  it('inTransaction rolls back everything when the work throws', async (database) => {
    await assert.rejects(
      inTransaction(database, async ({ organisation, audit }) => {
        await organisation.upsertUnitsByName(['大气处'], AT);
        await audit.appendAuditEvent({
          at: AT,
          actor_kind: 'system',
          actor_name: 't',
          user_id: null,
          ip: null,
          action: 'x',
          object_type: 'x',
          object_id: null,
          result: 'ok',
          detail: '{}',
        });
        throw new Error('midway');
      }),
      /midway/,
    );
    const counts = await countRows(database);
    assert.deepEqual([counts.units, counts.audit_events], [0, 0]);
  });

  it('inReadTransaction reads, and refuses writes', async (database) => {
    await createRepositories(database.db).organisation.upsertUnitsByName(['大气处'], AT);
    const aliases = await inReadTransaction(database, ({ organisation }) => organisation.listUnitAliases());
    assert.deepEqual(aliases, []);
    if (database.engine === 'postgres')
      await assert.rejects(
        inReadTransaction(database, ({ organisation }) => organisation.upsertUnitsByName(['水处'], AT)),
        /read-only/,
      );
  });

  it('audit repository lists events in order and filters by object', async (database) => {
    const { audit } = createRepositories(database.db);
    const event = (objectId: string, result: string) => ({
      at: AT,
      actor_kind: 'system',
      actor_name: 'cli',
      user_id: null,
      ip: null,
      action: 'plan.import',
      object_type: 'plan',
      object_id: objectId,
      result,
      detail: '{}',
    });
    await audit.appendAuditEvent(event('1', 'created'));
    await audit.appendAuditEvent(event('2', 'created'));
    await audit.appendAuditEvent(event('1', 'unchanged'));
    assert.deepEqual(
      (await audit.listAuditEvents({ objectType: 'plan', objectId: '1' })).map((row) => row.result),
      ['created', 'unchanged'],
    );
    assert.equal((await audit.listAuditEvents()).length, 3);
  });
});
