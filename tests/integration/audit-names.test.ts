import assert from 'node:assert/strict';
import { systemActor } from '../../src/domain/actor.ts';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

/**
 * The audit screen and the notice's version line name people by display name and things by what
 * they are (issue 12): 张敏, 用户 陈静, 处室 环评处, 调度轮次“2017年第三季度”, 第n项任务“…”; never a
 * login name or "user 9". The rows keep what they were written with (the chain is untouched).
 */
type Event = { action: string; actor: string; actorLabel: string; objectType: string; objectId: string | null; objectLabel: string };

forEachEngine('people and things by name in the audit view', (it) => {
  it('names actors by display name and objects by what they are, while the rows stay as written', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const reporter = await server.as('huanping');
      const leader = await server.as('leader');
      const auditor = await server.as('auditor');
      const unitId = reporter.session.user.unit!.id;
      const opened = await office.post(`/api/plans/${server.planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10' });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      const roundId = opened.body.id as number;
      const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
      const task = todo.body.items[0].task as { id: number; text: string };
      const answer = await reporter.put(`/api/rounds/${roundId}/tasks/${task.id}/units/${unitId}/answer`, {
        text: '已完成。',
        status: 'on_track',
        reason: null,
        version: 0,
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const reminded = await office.post(`/api/rounds/${roundId}/units/${unitId}/reminders`, { message: null });
      assert.ok(reminded.status < 300, JSON.stringify(reminded.body));
      assert.equal((await leader.post(`/api/tasks/${task.id}/instructions`, { text: '抓紧推进。' })).status, 201);
      const notice = await office.get(`/api/rounds/${roundId}/notice`);
      const saved = await office.put(`/api/rounds/${roundId}/notice`, { notice: { ...notice.body.notice, title: '关于2017年第三季度的通报' }, version: 0 });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.updatedBy, '张敏', 'the notice’s version line names the person');
      assert.equal((await leader.get(`/api/rounds/${roundId}/notice`)).body.updatedBy, '张敏');
      // Rows about an account and a unit, as the admin services write them.
      const repositories = createRepositories(database.db);
      const base = { at: new Date().toISOString(), actor_kind: 'system', actor_name: 'system:cli', user_id: null, ip: null, result: 'success', detail: '{}' };
      await repositories.audit.appendAuditEvent({ ...base, action: 'user.password_reset', object_type: 'user', object_id: String(reporter.session.user.id) });
      await repositories.audit.appendAuditEvent({ ...base, action: 'unit.update', object_type: 'unit', object_id: String(unitId) });
      await repositories.audit.appendAuditEvent({ ...base, action: 'user.disable', object_type: 'user', object_id: '99999' });

      const page = await auditor.get('/api/audit?pageSize=200');
      assert.equal(page.status, 200, page.text);
      const events = page.body.events as Event[];
      const one = (action: string, objectType?: string) => {
        const found = events.find((event) => event.action === action && (objectType === undefined || event.objectType === objectType));
        assert.ok(found, `an event ${action}`);
        return found;
      };
      const { position } = await database.db.selectFrom('tasks').select('position').where('id', '=', task.id).executeTakeFirstOrThrow();
      const text = task.text.replace(/\s+/g, ' ').trim();
      const taskLabel = `第${Number(position)}项任务“${text.length > 24 ? `${text.slice(0, 24)}…` : text}”`;

      assert.deepEqual(pick(one('round.open')), { actorLabel: '张敏', objectLabel: '调度轮次“2017年第三季度”' });
      assert.deepEqual(pick(one('answer.save')), { actorLabel: '陈静', objectLabel: `环评处对${taskLabel}的填报（调度轮次“2017年第三季度”）` });
      assert.deepEqual(pick(one('round.remind')), { actorLabel: '张敏', objectLabel: '环评处在调度轮次“2017年第三季度”的报送' });
      assert.deepEqual(pick(one('instruction.create')), { actorLabel: '李岳东', objectLabel: taskLabel });
      assert.deepEqual(pick(one('notice.update')), { actorLabel: '张敏', objectLabel: '调度轮次“2017年第三季度”的通报' });
      assert.deepEqual(pick(one('user.password_reset')), { actorLabel: '系统（命令行）', objectLabel: '用户 陈静' });
      assert.deepEqual(pick(one('unit.update')), { actorLabel: '系统（命令行）', objectLabel: '处室 环评处' });
      assert.deepEqual(pick(one('user.disable')), { actorLabel: '系统（命令行）', objectLabel: '用户（编号 99999，已不存在）' });
      assert.match(one('plan.import').objectLabel, /^分工方案“.+”$/);
      assert.equal(one('auth.login').objectLabel.startsWith('用户 '), true);
      for (const event of events) {
        assert.doesNotMatch(event.actorLabel, /^(office|huanping|leader|auditor)$/, `${event.action}: a login name shown as the person`);
        assert.doesNotMatch(event.objectLabel, /\b(user|round|task|unit) \d/, `${event.action}: a bare id shown as the object`);
      }

      const report = await server.services.audit.verify(systemActor('test'));
      assert.equal(report.ok, true, 'the rows are as they were written');
    } finally {
      await server.close();
    }
  });
});

function pick(event: Event) {
  return { actorLabel: event.actorLabel, objectLabel: event.objectLabel };
}
