import assert from 'node:assert/strict';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

/** GET /api/rounds/:id/notice/statistics-paragraph over HTTP: who reads it, an imported round, the notice view's check. */
forEachEngine('notice statistics paragraph API', (it) => {
  it('answers the office and leaders, refuses units and the admin, says an imported round has no figures', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const opened = await office.post(`/api/plans/${server.planId!}/rounds`, {
        label: '2099年第三季度',
        periodStart: '2099-07-01',
        periodEnd: '2099-09-30',
        deadline: '2099-10-10',
        note: null,
      });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      const roundId = opened.body.id as number;
      const url = `/api/rounds/${roundId}/notice/statistics-paragraph`;

      for (const person of ['office', 'leader']) {
        const answer = await (await server.as(person)).get(url);
        assert.equal(answer.status, 200, `${person}: ${JSON.stringify(answer.body)}`);
        assert.match(answer.body.text, /^本季度应报送单位\d+个，按时报送0个；逾期报送0个；未报送\d+个（.+）。全部\d+项任务中，0项进度滞后。$/);
        assert.equal(answer.body.statistics.units, answer.body.statistics.notSubmitted);
      }
      for (const person of ['huanping', 'huanping-head', 'sysadmin']) assert.equal((await (await server.as(person)).get(url)).status, 403, person);

      const imported = await office.get(`/api/rounds/${server.roundId!}/notice/statistics-paragraph`);
      assert.equal(imported.status, 422, JSON.stringify(imported.body));
      assert.equal(imported.body.error.code, 'notice_statistics_imported');
      assert.match(imported.body.error.message, /导入的历史调度/);
      assert.equal((await office.get('/api/rounds/999999/notice/statistics-paragraph')).status, 404);

      // The notice view carries the check of a saved paragraph: agreeing now, named once it differs.
      const notice = await office.get(`/api/rounds/${roundId}/notice`);
      assert.deepEqual(notice.body.statisticsWarnings, []);
      const edited = (await office.get(url)).body.text.replace(/按时报送0个/, '按时报送5个');
      const saved = await office.put(`/api/rounds/${roundId}/notice`, {
        notice: { ...notice.body.notice, body: [...notice.body.notice.body, edited] },
        version: notice.body.version,
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.deepEqual(saved.body.statisticsWarnings, ['正文第2段统计段落：按时报送写的是5个，现为0个']);
    } finally {
      await server.close();
    }
  });
});
