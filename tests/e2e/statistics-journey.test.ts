import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SignedInClient } from '../support/test-server.ts';
import { screenshots, openSignedIn, startE2eApp, tasksAnsweredOnlyBy, type E2eApp } from './support/e2e.ts';

/**
 * 报送情况统计 on the print page (issue 12): hidden by default, so the notice prints as issued;
 * shown on request as a separate section 附：报送情况统计（不随通报印发） after the table, with a late
 * unit's row saying 逾期 and when it submitted. An imported round says it has no in-app submissions.
 * Screenshots land in test-artifacts/e2e/statistics-journey/.
 */
describe('submission statistics on the print page', { timeout: 240_000 }, () => {
  let app: E2eApp;
  let office: SignedInClient;
  const shot = screenshots('statistics-journey');

  before(async () => {
    app = await startE2eApp();
    office = await app.server.as('office');
  });

  after(async () => {
    await app?.close();
  });

  /** Fills every task of the reporter's unit in the round and submits, through the API. */
  async function fillAndSubmit(username: string, roundId: number) {
    const reporter = await app.server.as(username);
    const unit = reporter.session.user.unit!;
    const todo = await reporter.get(`/api/rounds/${roundId}/units/${unit.id}/todo`);
    for (const item of todo.body.items as { task: { id: number } }[])
      assert.equal(
        (
          await reporter.put(`/api/rounds/${roundId}/tasks/${item.task.id}/units/${unit.id}/answer`, {
            text: '已按期推进。',
            status: 'on_track',
            reason: null,
            version: 0,
          })
        ).status,
        200,
      );
    const submitted = await reporter.post(`/api/rounds/${roundId}/units/${unit.id}/submit`, {});
    assert.equal(submitted.status, 200, submitted.text);
    return unit;
  }

  it('shows on request a separate statistics section with the late unit marked 逾期 and its time', async () => {
    const taskIds = [...(await tasksAnsweredOnlyBy(app, '环评处', 1)), ...(await tasksAnsweredOnlyBy(app, '水处', 1))];
    const opened = await office.post(`/api/plans/${app.server.planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10', taskIds, note: null });
    assert.equal(opened.status, 201, opened.text);
    const roundId = opened.body.id as number;

    const onTime = await fillAndSubmit('huanping', roundId);
    assert.equal((await office.post(`/api/rounds/${roundId}/units/${onTime.id}/accept`, {})).status, 200);
    // The deadline passed yesterday (the server's clock decides): 水处's submit is late.
    await app.database.db
      .updateTable('rounds')
      .set({ deadline: new Date(Date.now() - 24 * 3600 * 1000).toISOString() })
      .where('id', '=', roundId)
      .execute();
    const late = await fillAndSubmit('shuichu', roundId);

    const page = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}/notice/print`);
    await page.getByRole('region', { name: '调度表' }).waitFor();
    assert.equal(await page.getByText('附：报送情况统计（不随通报印发）').count(), 0, 'hidden by default: the notice prints as issued');

    await page.getByRole('switch', { name: '显示报送情况统计（不随通报印发）' }).click();
    const section = page.getByRole('region', { name: '附：报送情况统计（不随通报印发）' });
    await section.waitFor();
    await section.getByText(/参与报送单位 2 个：按时报送 1 个，逾期报送 1 个，未报送 0 个；已采纳 1 个。/).waitFor();
    const lateRow = section.getByRole('row', { name: new RegExp(late.name) });
    await lateRow.getByText(/^逾期（\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 提交）$/).waitFor();
    const acceptedRow = section.getByRole('row', { name: new RegExp(onTime.name) });
    const cells = await acceptedRow.getByRole('cell').allInnerTexts();
    assert.deepEqual([...cells.slice(0, 3), cells[4]], [onTime.name, '已采纳', '按时报送', '已采纳']);
    assert.match(cells[3]!, /^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/, 'the round’s deadline in the department’s time');
    await shot(page, 'statistics-shown');

    // Hidden again with one click; the table above never changed.
    await page.getByRole('switch', { name: '显示报送情况统计（不随通报印发）' }).click();
    await section.waitFor({ state: 'detached' });

    // The imported seed round has no in-app submissions: said so, nothing counted.
    const seedRound = await app.database.db.selectFrom('rounds').select('id').orderBy('id').executeTakeFirstOrThrow();
    await page.goto(`${app.baseUrl}/rounds/${seedRound.id}/notice/print`);
    await page.getByRole('switch', { name: '显示报送情况统计（不随通报印发）' }).click();
    await page.getByText('本轮为导入的历史调度，没有在系统中报送的记录，不作报送情况统计。').waitFor();
    await shot(page, 'statistics-imported-round');
  });
});
