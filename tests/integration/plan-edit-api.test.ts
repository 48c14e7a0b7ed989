import assert from 'node:assert/strict';
import type { PlanStructureView, TaskHistoryEntryView, UnitOpenRoundsView } from '../../src/domain/api/plan-edit.ts';
import type { PlanSummaryView, PlanTreeView, TaskRowView } from '../../src/domain/api/plan-view.ts';
import type { TodoView } from '../../src/domain/api/round-view.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, type TestClient } from '../support/test-server.ts';

const rowsOf = (tree: PlanTreeView): TaskRowView[] => tree.chapters.flatMap((chapter) => chapter.sections.flatMap((section) => section.tasks));
const tasksOf = (structure: PlanStructureView) => structure.chapters.flatMap((c) => c.sections.flatMap((s) => s.tasks));

async function structureOf(client: TestClient, planId: number): Promise<PlanStructureView> {
  const response = await client.get<PlanStructureView>(`/api/plans/${planId}/structure`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

forEachEngine('plan editing API', (it) => {
  it('the office edits a plan through the API with reasons; others are refused; bad input gets a Chinese error naming the field', async (database) => {
    const server = await createTestServer(database);
    try {
      const planId = server.planId!;
      const office = await server.as('office');
      const names = await office.get('/api/plan-names');
      assert.equal(names.status, 200);
      assert.ok(names.body.units.includes('环评处'));

      const pm = tasksOf(await structureOf(office, planId)).find((task) => task.text.includes('全省细颗粒物'))!;
      const opened = await office.post(`/api/plans/${planId}/rounds`, {
        label: '2017年第三季度',
        periodStart: null,
        periodEnd: null,
        deadline: '2030-10-10',
        note: '',
        requiresApproval: false,
      });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));

      for (const username of ['leader', 'huanping', 'huanping-head']) {
        const client = await server.as(username);
        const denied = await client.patch(`/api/tasks/${pm.id}`, { version: pm.version, text: '改', reason: '试' });
        assert.equal(denied.status, 403, username);
      }
      assert.equal((await server.anonymous().get(`/api/plans/${planId}/structure`)).status, 401);

      const missingReason = await office.patch(`/api/tasks/${pm.id}`, { version: pm.version, text: '改' });
      assert.equal(missingReason.status, 400);
      assert.match(JSON.stringify(missingReason.body), /reason/);
      const unknownUnit = await office.patch(`/api/tasks/${pm.id}`, { version: pm.version, units: [{ name: '不存在处', role: 'lead' }], reason: '调整' });
      assert.equal(unknownUnit.status, 422);
      assert.equal(unknownUnit.body.error.message, '未知的责任单位：不存在处（请使用已有的名称）');

      const edited = await office.patch(`/api/tasks/${pm.id}`, {
        version: pm.version,
        units: [
          { name: '大气处', role: 'lead' },
          { name: '环评处', role: 'co' },
        ],
        reason: '职责调整',
      });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.notEqual(edited.body.objectId, pm.id);
      const stale = await office.patch(`/api/tasks/${pm.id}`, { version: pm.version, due: '2018年底前', reason: '调整' });
      assert.equal(stale.status, 409);
      assert.match(stale.body.error.message, /已修改该任务（责任单位由大气处（牵头）改为大气处（牵头）、环评处）/);

      // The open round keeps the old units; the structure has the new version.
      const tree = await office.get<PlanTreeView>(`/api/plans/${planId}/tree?roundId=${opened.body.id}`);
      assert.deepEqual(
        rowsOf(tree.body)
          .find((row) => row.id === pm.id)
          ?.units.map((u) => u.name),
        ['大气处'],
      );
      const current = tasksOf(await structureOf(office, planId)).find((task) => task.lineage === pm.lineage)!;
      assert.equal(current.id, edited.body.objectId);
      assert.deepEqual(
        current.units.map((u) => u.name),
        ['大气处', '环评处'],
      );

      const history = await office.get<TaskHistoryEntryView[]>(`/api/tasks/${current.id}/history`);
      assert.equal(history.status, 200);
      assert.match(history.body[0]!.sentence, /^自下一轮起责任单位由大气处（牵头）改为大气处（牵头）、环评处（.+，\d{4}年\d+月\d+日，原因：职责调整）$/);

      // Retire, add, move over HTTP.
      const section = (await structureOf(office, planId)).chapters[0]!.sections[0]!;
      const added = await office.post(`/api/sections/${section.id}/tasks`, {
        text: '新增一项任务。',
        leadDepartment: null,
        leaders: [],
        units: [{ name: '环评处', role: 'lead' }],
        due: null,
        reason: '新增',
      });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      const retired = await office.post(`/api/tasks/${added.body.objectId}/retire`, { version: 1, reason: '撤回' });
      assert.equal(retired.status, 200);
      const again = await office.post(`/api/tasks/${added.body.objectId}/retire`, { version: 1, reason: '撤回' });
      assert.equal(again.status, 409);
      assert.match(again.body.error.message, /已撤销/);

      // Archive refused while the round is open, then allowed; the list hides it unless asked.
      const refused = await office.post(`/api/plans/${planId}/archive`, { reason: '年度结束' });
      assert.equal(refused.status, 409);
      assert.match(refused.body.error.message, /请先结束后再归档/);
      const copy = await office.post(`/api/plans/${planId}/copy`, { title: '2018年分工方案', docNumber: null });
      assert.equal(copy.status, 201, JSON.stringify(copy.body));
      assert.equal(copy.body.tasks, 111);
      assert.equal((await office.post(`/api/rounds/${opened.body.id}/close`)).status, 200);
      assert.equal((await office.post(`/api/plans/${planId}/archive`, { reason: '年度结束' })).status, 200);
      const plans = await office.get<PlanSummaryView[]>('/api/plans');
      assert.deepEqual(
        plans.body.map((p) => p.title),
        ['2018年分工方案'],
      );
      const all = await office.get<PlanSummaryView[]>('/api/plans?archived=1');
      assert.equal(all.body.length, 2);
      assert.ok(all.body[0]!.archivedAt);

      const created = await office.post('/api/plans', { title: '专项工作方案', docNumber: '测办发〔2018〕2号' });
      assert.equal(created.status, 201);
      const duplicate = await office.post('/api/plans', { title: '另一个', docNumber: '测办发〔2018〕2号' });
      assert.equal(duplicate.status, 409);
      assert.equal(duplicate.body.error.message, '文号为“测办发〔2018〕2号”的分工方案已存在');
    } finally {
      await server.close();
    }
  });

  it('a reporter’s to-do lists the open rounds of every plan it has tasks in, grouped by plan; the reassigned unit gets the task from the next round', async (database) => {
    const server = await createTestServer(database);
    try {
      const planId = server.planId!;
      const office = await server.as('office');
      const huanping = await server.as('huanping');
      const unitId = huanping.session.user.unit!.id;
      const pm = tasksOf(await structureOf(office, planId)).find((task) => task.text.includes('全省细颗粒物'))!;
      await office.patch(`/api/tasks/${pm.id}`, {
        version: pm.version,
        units: [
          { name: '大气处', role: 'lead' },
          { name: '环评处', role: 'co' },
        ],
        reason: '职责调整',
      });
      const copy = await office.post(`/api/plans/${planId}/copy`, { title: '2018年分工方案', docNumber: null });
      const round = { periodStart: null, periodEnd: null, deadline: '2030-10-10', note: '', requiresApproval: false };
      const a = await office.post(`/api/plans/${planId}/rounds`, { ...round, label: '2017年第三季度' });
      const b = await office.post(`/api/plans/${copy.body.planId}/rounds`, { ...round, label: '2018年第一季度' });
      const view = await huanping.get<UnitOpenRoundsView>(`/api/units/${unitId}/open-rounds`);
      assert.equal(view.status, 200);
      assert.deepEqual(
        view.body.plans.map((p) => [p.planTitle, p.rounds.map((r) => r.id)]),
        [
          [plans(await office.get<PlanSummaryView[]>('/api/plans'), planId), [a.body.id]],
          ['2018年分工方案', [b.body.id]],
        ],
      );
      const todo = await huanping.get<TodoView>(`/api/rounds/${a.body.id}/units/${unitId}/todo`);
      assert.ok(
        todo.body.items.some((item) => item.task.text.includes('全省细颗粒物')),
        'the new version went into the next round, with the reassigned unit',
      );
      const other = await (await server.as('guicai')).get(`/api/units/${unitId}/open-rounds`);
      assert.equal(other.status, 403);
    } finally {
      await server.close();
    }
  });
});

function plans(response: { body: PlanSummaryView[] }, planId: number): string {
  return response.body.find((p) => p.id === planId)!.title;
}
