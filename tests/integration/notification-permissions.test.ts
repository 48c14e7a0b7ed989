import assert from 'node:assert/strict';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

type Note = { id: number; kind: string; readAt: string | null; taskId: number | null };

forEachEngine('notifications, 批示 feedback and the leaders page over HTTP: who may do what', (it) => {
  it("mark-read only one's own rows (404 otherwise), feedback only from a unit of the task (403 otherwise), the portfolio only for leaders (403 otherwise)", async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const leader = await server.as('leader');
      const huanping = await server.as('huanping');
      const head = await server.as('huanping-head');
      const guicai = await server.as('guicai');
      const planId = (await office.get('/api/plans')).body[0].id as number;
      const opened = await office.post(`/api/plans/${planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10', note: null });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      const roundId = opened.body.id as number;

      // Round opened: each unit told; read state per person.
      const mine = (await huanping.get<Note[]>('/api/notifications')).body;
      const openedNote = mine.find((n) => n.kind === 'round_opened')!;
      assert.ok(openedNote, 'the reporter is told the round opened');
      assert.equal((await huanping.get('/api/notifications/unread')).body.unread, 1);
      assert.equal((await head.get('/api/notifications/unread')).body.unread, 1);
      const marked = await huanping.post(`/api/notifications/${openedNote.id}/read`);
      assert.equal(marked.status, 200, JSON.stringify(marked.body));
      assert.deepEqual(marked.body, { unread: 0 });
      assert.equal((await huanping.post(`/api/notifications/${openedNote.id}/read`)).status, 200, 'twice is fine');
      assert.equal((await head.get('/api/notifications/unread')).body.unread, 1, "the head's stays unread");
      const foreign = await guicai.post(`/api/notifications/${openedNote.id}/read`);
      assert.equal(foreign.status, 404, "another unit's notification is not there for guicai");
      assert.equal(foreign.body.error.code, 'notification_not_found');
      assert.equal((await office.post(`/api/notifications/${openedNote.id}/read`)).status, 404);
      assert.equal((await huanping.post('/api/notifications/999999/read')).status, 404);
      assert.equal((await huanping.post('/api/notifications/abc/read')).status, 400);

      // A 批示 on a task of 环评处 that 规财处 does not share.
      const huanpingUnit = huanping.session.user.unit!.id;
      const guicaiUnit = guicai.session.user.unit!.id;
      const ours = (await huanping.get(`/api/rounds/${roundId}/units/${huanpingUnit}/todo`)).body.items.map(
        (i: { task: { id: number } }) => i.task.id,
      ) as number[];
      const theirs = new Set(
        (await guicai.get(`/api/rounds/${roundId}/units/${guicaiUnit}/todo`)).body.items.map((i: { task: { id: number } }) => i.task.id) as number[],
      );
      const taskId = ours.find((id) => !theirs.has(id))!;
      const instruction = await leader.post(`/api/tasks/${taskId}/instructions`, { text: '请抓紧推进，月底前报结果。', roundId });
      assert.equal(instruction.status, 201, JSON.stringify(instruction.body));
      const told = (await huanping.get<Note[]>('/api/notifications')).body.find((n) => n.kind === 'instruction')!;
      assert.equal(told.taskId, taskId);
      assert.ok(!(await guicai.get<Note[]>('/api/notifications')).body.some((n) => n.kind === 'instruction'), 'a unit not on the task is not told');

      const onTodo = await huanping.get(`/api/rounds/${roundId}/units/${huanpingUnit}/instructions`);
      assert.equal(onTodo.status, 200);
      assert.deepEqual(
        onTodo.body.map((i: { id: number }) => i.id),
        [instruction.body.id],
      );
      assert.equal((await guicai.get(`/api/rounds/${roundId}/units/${huanpingUnit}/instructions`)).status, 403, "another unit's to-do is not guicai's to read");

      const path = `/api/instructions/${instruction.body.id}/feedback`;
      const refused = await guicai.post(path, { text: '已落实。' });
      assert.equal(refused.status, 403, 'feedback from another unit');
      assert.equal(refused.body.error.code, 'forbidden_instruction_feedback');
      assert.equal((await office.post(path, { text: '已落实。' })).status, 403);
      assert.equal((await leader.post(path, { text: '已落实。' })).status, 403);
      assert.equal((await huanping.post(path, { text: '已落实。', status: 'completed' })).status, 400, 'an unknown field is refused');
      assert.equal((await huanping.post(path, { text: '' })).status, 422);
      assert.equal((await huanping.post('/api/instructions/999999/feedback', { text: '已落实。' })).status, 404);
      const answered = await huanping.post(path, { text: '已制定整治方案，本月底前完成。' });
      assert.equal(answered.status, 201, JSON.stringify(answered.body));
      assert.equal(answered.body.unitName, huanping.session.user.unit!.name);

      const leaderNotes = (await leader.get<Note[]>('/api/notifications')).body;
      const feedbackNote = leaderNotes.find((n) => n.kind === 'instruction_feedback')!;
      assert.ok(feedbackNote, 'the leader is told');
      assert.equal((await huanping.post(`/api/notifications/${feedbackNote.id}/read`)).status, 404, "the leader's notification is not the reporter's to mark");
      assert.equal((await leader.post(`/api/notifications/${feedbackNote.id}/read`)).status, 200);
      const onTask = await leader.get(`/api/tasks/${taskId}/instructions`);
      assert.equal(onTask.body[0].feedback[0].text, '已制定整治方案，本月底前完成。');
      assert.deepEqual((await leader.post('/api/notifications/read-all')).body, { unread: 0 });

      // 我分管的: leaders only.
      const portfolio = await leader.get('/api/leaders/me/portfolio');
      assert.equal(portfolio.status, 200, JSON.stringify(portfolio.body));
      assert.equal(portfolio.body.leader, '李岳东');
      assert.equal(portfolio.body.round.id, roundId);
      assert.ok(portfolio.body.tasks.length > 0);
      for (const user of [office, huanping, head, guicai, await server.as('sysadmin')]) assert.equal((await user.get('/api/leaders/me/portfolio')).status, 403);
      assert.equal((await server.anonymous().get('/api/leaders/me/portfolio')).status, 401);

      // Leaders read the board.
      assert.equal((await leader.get(`/api/rounds/${roundId}/board`)).status, 200);
    } finally {
      await server.close();
    }
  });
});
