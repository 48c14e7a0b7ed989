import assert from 'node:assert/strict';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';
import { countRows } from '../support/db-inspection.ts';
import { createTestServer, type TestServer } from '../support/test-server.ts';

/**
 * docs/promises.md bad input 16, "the task deleted or reassigned while someone edits it (their text
 * offered back)". The app has no screen that moves a task of an open round (a plan import that
 * changes the task structure is refused), so the change is made in the database, as an operator
 * or a later feature would make it, between the reporter opening the form and saving it.
 */

/** Text a reporter might paste: Chinese, an emoji outside the BMP, a line break, markup and a formula start. */
const TYPED = '已完成环评审批 12 件。\n𠀀😀 <b>加粗</b> =1+1 ＝2\u3000';

async function openRound(server: TestServer) {
  const office = await server.as('office');
  const reporter = await server.as('huanping');
  const opened = await office.post(`/api/plans/${server.planId}/rounds`, {
    label: '2017年第三季度',
    periodStart: '2017-07-01',
    periodEnd: '2017-09-30',
    deadline: '2099-10-10',
    note: null,
  });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const roundId = opened.body.id as number;
  const unitId = reporter.session.user.unit!.id;
  const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
  assert.equal(todo.status, 200);
  const [first, second] = todo.body.items as { task: { id: number }; answer: { version: number } }[];
  assert.ok(first && second, 'the unit has at least two tasks');
  const answerPath = (taskId: number) => `/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/answer`;
  return { reporter, roundId, unitId, first: first.task.id, second: second.task.id, answerPath };
}

async function unitNotOn(database: TestDatabase, taskId: number): Promise<number> {
  const onTask = (await database.db.selectFrom('task_units').select('unit_id').where('task_id', '=', taskId).execute()).map((r) => r.unit_id);
  const other = await database.db.selectFrom('units').select('id').where('id', 'not in', onTask).orderBy('id').executeTakeFirstOrThrow();
  return other.id;
}

forEachEngine('a task deleted or reassigned while someone edits it', (it) => {
  it('reassigned to another unit: the save is 409 with the typed text byte for byte, the stored answer and the audit log unchanged', async (database) => {
    const server = await createTestServer(database);
    try {
      const { reporter, roundId, unitId, first, answerPath } = await openRound(server);
      const saved = await reporter.put(answerPath(first), { text: '第一稿。', status: 'on_track', reason: null, version: 0 });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));

      // Meanwhile the task goes to another unit.
      await database.db
        .updateTable('task_units')
        .set({ unit_id: await unitNotOn(database, first) })
        .where('task_id', '=', first)
        .where('unit_id', '=', unitId)
        .execute();
      const before = await countRows(database);

      const refused = await reporter.put(answerPath(first), { text: TYPED, status: 'on_track', reason: null, version: 1 });
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'task_not_assigned');
      assert.match(refused.body.error.message, /^该任务已不在本单位本轮的填报范围内.*您的文字未保存，请复制留存/);
      assert.equal(refused.body.error.details.yours.text, TYPED, 'the typed text comes back, byte for byte');
      assert.equal(refused.body.error.details.yours.status, 'on_track');

      assert.deepEqual(await countRows(database), before, 'nothing written, not even an audit row');
      const stored = await database.db
        .selectFrom('progress_entries')
        .select(['text', 'version'])
        .where('round_id', '=', roundId)
        .where('task_id', '=', first)
        .where('unit_id', '=', unitId)
        .execute();
      assert.deepEqual(stored, [{ text: '第一稿。', version: 1 }], 'the answer saved before the change is kept as it was');
    } finally {
      await server.close();
    }
  });

  it('taken out of the round: the first save of a new answer is 409 with the typed text, and nothing is stored', async (database) => {
    const server = await createTestServer(database);
    try {
      const { reporter, roundId, unitId, second, answerPath } = await openRound(server);

      // Meanwhile the task leaves the round (nobody has answered it yet).
      await database.db.deleteFrom('round_tasks').where('round_id', '=', roundId).where('task_id', '=', second).execute();
      const before = await countRows(database);

      const refused = await reporter.put(answerPath(second), { text: TYPED, status: null, reason: null, version: 0 });
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'task_not_assigned');
      assert.equal(refused.body.error.details.yours.text, TYPED, 'the typed text comes back, byte for byte');

      assert.deepEqual(await countRows(database), before, 'nothing written, not even an audit row');
      const stored = await database.db
        .selectFrom('progress_entries')
        .select('id')
        .where('round_id', '=', roundId)
        .where('task_id', '=', second)
        .where('unit_id', '=', unitId)
        .execute();
      assert.deepEqual(stored, []);
    } finally {
      await server.close();
    }
  });
});
