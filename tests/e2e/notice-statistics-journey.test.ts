import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { SignedInClient } from '../support/test-server.ts';
import { screenshots, openSignedIn, startE2eApp, tasksAnsweredOnlyBy, type E2eApp, waitForValue } from './support/e2e.ts';

/**
 * The statistics paragraph of the notice (issue 13): 插入统计段落 puts the round's figures into the
 * body as an editable paragraph (on time, 逾期 and 未报送 units by name, the task that lags); saved,
 * then a unit reports, and the form names the figures that no longer match; 更新统计段落 replaces the
 * paragraph after a confirmation and the warning goes. Screenshots in test-artifacts/e2e/notice-statistics-journey/.
 */
describe('statistics paragraph in the notice form', { timeout: 240_000 }, () => {
  let app: E2eApp;
  let office: SignedInClient;
  const screenshot = screenshots('notice-statistics-journey');
  const shot = async (page: Page, name: string) => {
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, name);
  };

  before(async () => {
    app = await startE2eApp();
    office = await app.server.as('office');
  });

  after(async () => {
    await app?.close();
  });

  /** Answers every task of the reporter's unit through the API, the first one 滞后 when asked, submits, and the office accepts. */
  async function fillAndSubmit(username: string, roundId: number, delayFirst = false) {
    const reporter = await app.server.as(username);
    const unit = reporter.session.user.unit!;
    const todo = await reporter.get(`/api/rounds/${roundId}/units/${unit.id}/todo`);
    for (const [i, item] of (todo.body.items as { task: { id: number } }[]).entries()) {
      const delayed = delayFirst && i === 0;
      const answer = {
        text: delayed ? '审批未完成，进度滞后。' : '已按期推进。',
        status: delayed ? 'delayed' : 'on_track',
        reason: delayed ? '用地审批未完成' : null,
        version: 0,
      };
      const saved = await reporter.put(`/api/rounds/${roundId}/tasks/${item.task.id}/units/${unit.id}/answer`, answer);
      assert.equal(saved.status, 200, saved.text);
    }
    const submitted = await reporter.post(`/api/rounds/${roundId}/units/${unit.id}/submit`, {});
    assert.equal(submitted.status, 200, submitted.text);
    // The office accepts them: the official table (and so the paragraph's 滞后 tasks) holds accepted answers only.
    const taskIds = (todo.body.items as { task: { id: number } }[]).map((item) => item.task.id);
    const accepted = await office.post(`/api/rounds/${roundId}/units/${unit.id}/answers/review`, { decision: 'accept', taskIds, comment: null });
    assert.equal(accepted.status, 200, accepted.text);
    return unit;
  }

  it('inserts the paragraph, saves it, warns when a unit reports since, and updates it', async () => {
    const taskIds = [
      ...(await tasksAnsweredOnlyBy(app, '环评处', 1)),
      ...(await tasksAnsweredOnlyBy(app, '水处', 1)),
      ...(await tasksAnsweredOnlyBy(app, '规财处', 1)),
    ];
    const opened = await office.post(`/api/plans/${app.server.planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10', taskIds, note: null });
    assert.equal(opened.status, 201, opened.text);
    const roundId = opened.body.id as number;
    await fillAndSubmit('huanping', roundId, true);
    // The deadline passed yesterday (the server's clock decides): 水处's submit is late.
    await app.database.db
      .updateTable('rounds')
      .set({ deadline: new Date(Date.now() - 24 * 3600 * 1000).toISOString() })
      .where('id', '=', roundId)
      .execute();
    await fillAndSubmit('shuichu', roundId);

    const page = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}/notice`);
    await page.getByLabel('正文第1段').waitFor();
    await page.getByRole('button', { name: '插入统计段落' }).click();
    const second = page.getByLabel('正文第2段');
    await second.waitFor();
    const text = await second.inputValue();
    assert.match(
      text,
      /^本季度应报送单位3个，按时报送1个；逾期报送1个（水处）；未报送1个（规财处）。全部3项任务中，1项进度滞后（（[一二三四五六七八九十]+）第1项“.+”）。$/,
    );
    const preview = page.getByLabel('预览').getByRole('article', { name: '通报' });
    await preview.getByText(/本季度应报送单位3个/).waitFor();
    assert.equal(await page.getByText('统计段落的数字与本轮现状不符').count(), 0);

    // Edited by hand before saving: still checked, and still agreeing.
    await second.fill(text.replace('。全部', '。从任务进展看，全部'));
    await page.getByRole('button', { name: /^保存$/ }).click();
    await page.getByText('通报已保存（第 1 版）').waitFor();
    await shot(page, 'paragraph-inserted');

    // 规财处 reports (late) after the notice was written: the saved paragraph no longer matches.
    await fillAndSubmit('guicai', roundId);
    const view = await office.get(`/api/rounds/${roundId}/notice`);
    assert.deepEqual(view.body.statisticsWarnings, [
      '正文第2段统计段落：逾期报送写的是1个（水处），现为2个（规财处、水处）',
      '正文第2段统计段落：未报送写的是1个（规财处），现为0个',
    ]);
    await page.reload();
    const warning = page.getByRole('alert').filter({ hasText: '统计段落的数字与本轮现状不符' });
    await warning.waitFor();
    await warning.getByText('正文第2段统计段落：逾期报送写的是1个（水处），现为2个（规财处、水处）').waitFor();
    await warning.getByText('正文第2段统计段落：未报送写的是1个（规财处），现为0个').waitFor();
    await shot(page, 'mismatch-warning');

    // 更新统计段落: confirmed, the paragraph is replaced in place and the warning goes.
    await warning.getByRole('button', { name: '更新统计段落' }).click();
    const confirm = page.getByRole('dialog', { name: '用新生成的统计段落替换正文第2段？' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: '替换' }).click();
    await waitForValue(page.locator('textarea[aria-label="正文第2段"]'), (value) =>
      value.startsWith('本季度应报送单位3个，按时报送1个；逾期报送2个（规财处、水处）；未报送0个。'),
    );
    await warning.waitFor({ state: 'detached' });
    assert.equal(await page.getByLabel('正文第3段').count(), 0, 'replaced, not added');
    await shot(page, 'paragraph-updated');
    await page.context().close();
  });
});
