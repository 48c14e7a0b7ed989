import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { forEachEngine } from '../support/databases.ts';
import { unitIdOf } from '../support/seeded-plan.ts';
import { createTestServer } from '../support/test-server.ts';

async function workbookOf(raw: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(raw as unknown as ArrayBuffer);
  return workbook;
}

/**
 * Issue 15's boards over HTTP on the demo data (the seed's imported round 2017年第二季度): 请说明
 * (who asks, who replies, bad input), 考核 and its Excel files read back, the leaders' dashboard.
 */
forEachEngine('explanations, evaluation and dashboard API', (it) => {
  it('serves the office, leaders and the unit asked as each may, refuses everyone else and bad input', async (database) => {
    const server = await createTestServer(database);
    try {
      const planId = server.planId!;
      const roundId = server.roundId!;
      const huanpingId = await unitIdOf(database, '环评处');
      const task = await database.db
        .selectFrom('task_units')
        .innerJoin('round_tasks', 'round_tasks.task_id', 'task_units.task_id')
        .select('task_units.task_id')
        .where('round_tasks.round_id', '=', roundId)
        .where('task_units.unit_id', '=', huanpingId)
        .executeTakeFirstOrThrow();
      const notAsked = await database.db
        .selectFrom('round_tasks')
        .select('task_id')
        .where('round_id', '=', roundId)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('task_units')
                .select('task_id')
                .whereRef('task_units.task_id', '=', 'round_tasks.task_id')
                .where('task_units.unit_id', '=', huanpingId),
            ),
          ),
        )
        .executeTakeFirstOrThrow();
      const office = await server.as('office');
      const leader = await server.as('leader');
      const huanping = await server.as('huanping');
      const shuichu = await server.as('shuichu');
      const ask = { taskId: task.task_id, unitId: huanpingId, kind: 'stale', message: '本季度填报与上季度基本相同，请说明进展。' };
      const url = `/api/rounds/${roundId}/explanations`;

      // ---- 请说明 ----
      for (const [client, name] of [
        [leader, 'leader'],
        [huanping, 'huanping'],
      ] as const)
        assert.equal((await client.post(url, ask)).status, 403, name);
      const bad: [unknown, number, string?][] = [
        [{ ...ask, message: '   ' }, 422, 'explanation_message_empty'],
        [{ ...ask, message: '说'.repeat(501) }, 422, 'explanation_message_too_long'],
        [{ ...ask, taskId: notAsked.task_id }, 422, 'explanation_unit_not_asked'],
        [{ ...ask, kind: 'gossip' }, 400],
        [{ ...ask, extra: 1 }, 400],
        [{ taskId: ask.taskId }, 400],
      ];
      for (const [body, status, code] of bad) {
        const answer = await office.post(url, body);
        assert.equal(answer.status, status, JSON.stringify(answer.body));
        if (code) assert.equal(answer.body.error.code, code);
        assert.match(answer.body.error.message, /[\u4e00-\u9fff]/, 'the error speaks Chinese');
      }
      assert.equal((await office.post('/api/rounds/999999/explanations', ask)).status, 404);
      const asked = await office.post(url, ask);
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      assert.equal(asked.body.unitName, '环评处');
      assert.equal(asked.body.reply, null);
      assert.ok(asked.body.task.chapter >= 1 && asked.body.task.index >= 1);
      // The round's insights carry the open request.
      const insights = await leader.get(`/api/rounds/${roundId}/insights`);
      assert.equal(insights.status, 200, JSON.stringify(insights.body));
      assert.deepEqual(
        insights.body.explanations.map((e: { id: number }) => e.id),
        [asked.body.id],
      );
      const again = await office.post(url, ask);
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'explanation_open');

      // The unit is told and reads its own list; another unit neither reads nor replies.
      assert.ok((await huanping.get('/api/notifications')).body.some((n: { kind: string }) => n.kind === 'explanation_requested'));
      const own = await huanping.get(`/api/units/${huanpingId}/explanations`);
      assert.equal(own.status, 200);
      assert.deepEqual(
        own.body.map((e: { id: number }) => e.id),
        [asked.body.id],
      );
      assert.equal((await office.get(`/api/units/${huanpingId}/explanations`)).status, 200);
      assert.equal((await shuichu.get(`/api/units/${huanpingId}/explanations`)).status, 403);
      assert.equal((await office.get('/api/units/999999/explanations')).status, 404);
      const replyUrl = `/api/explanations/${asked.body.id}`;
      assert.equal((await shuichu.put(replyUrl, { reply: '不是我们' })).status, 403);
      assert.equal((await office.put(replyUrl, { reply: '代答' })).status, 403);
      assert.equal((await huanping.put(replyUrl, { reply: '' })).status, 422);
      assert.equal((await huanping.put(replyUrl, { reply: '说'.repeat(2001) })).status, 422);
      assert.equal((await huanping.put('/api/explanations/999999', { reply: '说明' })).status, 404);
      const replied = await huanping.put(replyUrl, { reply: '本季度新增审批项目 12 个，已补充。' });
      assert.equal(replied.status, 200, JSON.stringify(replied.body));
      assert.equal(replied.body.reply, '本季度新增审批项目 12 个，已补充。');
      assert.ok(replied.body.repliedBy);
      assert.ok((await office.get('/api/notifications')).body.some((n: { kind: string }) => n.kind === 'explanation_replied'));
      // The round is imported (not open): the reply stands as written.
      const edit = await huanping.put(replyUrl, { reply: '改一下' });
      assert.equal(edit.status, 409);
      assert.equal(edit.body.error.code, 'explanation_round_closed');
      assert.deepEqual((await office.get(`/api/rounds/${roundId}/insights`)).body.explanations, [], 'replied: no longer open');
      // Replied, the request is no longer open: the office may ask again.
      assert.equal((await office.post(url, ask)).status, 201);
      const ofRound = await leader.get(url);
      assert.equal(ofRound.status, 200);
      assert.equal(ofRound.body.length, 2);
      assert.equal((await huanping.get(url)).status, 403);
      const audited = await database.db.selectFrom('audit_events').select('action').where('object_type', '=', 'explanation').execute();
      assert.deepEqual(audited.map((row) => row.action).sort(), ['explanation.reply', 'explanation.request', 'explanation.request']);

      // ---- 考核 ----
      const evaluation = await leader.get(`/api/rounds/${roundId}/evaluation`);
      assert.equal(evaluation.status, 200, JSON.stringify(evaluation.body));
      assert.equal(evaluation.body.roundLabel, '2017年第二季度');
      const row = evaluation.body.rows.find((r: { unitName: string }) => r.unitName === '环评处');
      assert.ok(row.tasks >= 1 && row.answered >= 1, JSON.stringify(row));
      assert.equal(row.onTime, null, 'an imported round has no submissions');
      assert.equal(row.explanations, 2);
      assert.ok(!evaluation.body.rows.some((r: { unitName: string }) => r.unitName === '各处(室)'), 'collective names are nobody to evaluate');
      // The same findings as the insight page: every silent co-unit is one unit's silent task.
      const found = (await office.get(`/api/rounds/${roundId}/insights`)).body;
      const silentOf = (name: string) => found.findings.filter((f: { kind: string; unit: string }) => f.kind === 'silent_unit' && f.unit === name).length;
      for (const r of evaluation.body.rows as { unitName: string; silent: number; answered: number; tasks: number }[]) {
        assert.equal(r.silent, silentOf(r.unitName), r.unitName);
        assert.equal(r.answered + r.silent, r.tasks, r.unitName);
      }
      assert.ok(silentOf('土壤处') >= 1, '二.(二).4: 土壤处 said nothing');
      for (const person of ['huanping', 'huanping-head', 'sysadmin'])
        assert.equal((await (await server.as(person)).get(`/api/rounds/${roundId}/evaluation`)).status, 403, person);
      assert.equal((await office.get('/api/rounds/999999/evaluation')).status, 404);
      assert.equal((await office.get('/api/rounds/01/evaluation')).status, 400);

      const file = await office.get(`/api/rounds/${roundId}/evaluation.xlsx`);
      assert.equal(file.status, 200);
      assert.match(String(file.headers['content-type']), /spreadsheetml/);
      const book = await workbookOf(file.raw);
      const sheet = book.getWorksheet('考核')!;
      assert.equal(sheet.getCell('A1').value, '2017年第二季度考核情况');
      assert.equal(sheet.getCell('B2').value, '单位');
      assert.equal(sheet.views[0]?.state, 'frozen');
      assert.equal((sheet.views[0] as { ySplit?: number } | undefined)?.ySplit, 2);
      const names = evaluation.body.rows.map((r: { unitName: string }) => r.unitName);
      assert.deepEqual(
        names.map((_: string, i: number) => sheet.getCell(3 + i, 2).value),
        names,
      );
      assert.equal(sheet.getCell(3 + names.indexOf('环评处'), 12).value, 2, 'the explanations column');
      assert.equal((await huanping.get(`/api/rounds/${roundId}/evaluation.xlsx`)).status, 403);

      const planFile = await leader.get(`/api/plans/${planId}/evaluation.xlsx`);
      assert.equal(planFile.status, 200);
      const planBook = await workbookOf(planFile.raw);
      assert.deepEqual(
        planBook.worksheets.map((s) => s.name),
        ['汇总', '2017年第二季度'],
      );
      const summary = planBook.getWorksheet('汇总')!;
      assert.match(String(summary.getCell('A1').value), /考核汇总$/);
      assert.equal(summary.getCell('C2').value, '2017年第二季度');
      assert.equal((await office.get('/api/plans/999999/evaluation.xlsx')).status, 404);
      const exports = await database.db.selectFrom('audit_events').select('object_type').where('action', '=', 'evaluation.export').execute();
      assert.deepEqual(exports.map((e) => e.object_type).sort(), ['plan', 'round']);

      // ---- the dashboard ----
      const board = await office.get(`/api/plans/${planId}/dashboard`);
      assert.equal(board.status, 200, JSON.stringify(board.body));
      assert.equal(board.body.round.label, '2017年第二季度');
      const units = board.body.completion.byUnit as { name: string; total: number; answered: number; none: number }[];
      const total = units.reduce((sum, g) => sum + g.total, 0);
      const answered = units.reduce((sum, g) => sum + g.answered, 0);
      assert.ok(answered > 0 && answered <= total, `an imported round has answers: ${answered}/${total}`);
      assert.equal(board.body.completion.byChapter.length, 8);
      assert.match(board.body.completion.byChapter[0].name, /^一、/);
      assert.equal(
        board.body.completion.byChapter.reduce((sum: number, g: { total: number }) => sum + g.total, 0),
        total,
      );
      assert.deepEqual(board.body.findings, found.counts, 'the dashboard counts what the insight page counts');
      assert.ok(board.body.findings.silent_unit > 0);
      assert.deepEqual(board.body.heatMap.rounds, ['2017年第二季度']);
      assert.ok(board.body.heatMap.cells.length > 0);
      const mine = await leader.get(`/api/plans/${planId}/dashboard?scope=mine`);
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      const mineTotal = mine.body.completion.byUnit.reduce((sum: number, g: { total: number }) => sum + g.total, 0);
      assert.ok(mineTotal > 0 && mineTotal < total, `李岳东 leads some tasks, not all: ${mineTotal}/${total}`);
      assert.ok(mine.body.completion.byLeader.some((g: { name: string }) => g.name === '李岳东'));
      assert.equal((await office.get(`/api/plans/${planId}/dashboard?scope=mine`)).status, 422);
      assert.equal((await office.get(`/api/plans/${planId}/dashboard?scope=everything`)).status, 400);
      assert.equal((await office.get(`/api/plans/${planId}/dashboard?roundId=999999`)).status, 404);
      assert.equal((await office.get(`/api/plans/${planId}/dashboard?roundId=${roundId}`)).status, 200);
      assert.equal((await office.get('/api/plans/999999/dashboard')).status, 404);
      for (const person of ['huanping', 'huanping-head', 'sysadmin'])
        assert.equal((await (await server.as(person)).get(`/api/plans/${planId}/dashboard`)).status, 403, person);
      assert.equal((await server.anonymous().get(`/api/plans/${planId}/dashboard`)).status, 401);
    } finally {
      await server.close();
    }
  });
});
