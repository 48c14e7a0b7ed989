import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { SignedInClient } from '../support/test-server.ts';
import { screenshots, openSignedIn, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * Review per answer, in the browser: the office returns item 2 with a comment and accepts the
 * rest; the reporter sees item 2 highlighted with the comment, fixes it and resubmits; the office
 * accepts it and the unit reads 已采纳. Then an approval round where 规财处 has no head account
 * (in the demo data only 环评处 has one): its submit goes straight to the office, which accepts
 * it. Screenshots land in test-artifacts/e2e/review-journey/.
 */
describe('review per answer in the browser', { timeout: 300_000 }, () => {
  let app: E2eApp;
  let office: SignedInClient;
  const shot = screenshots('review-journey');

  type TreeTask = { id: number; units: { name: string }[] };
  async function tasksOf(unitName: string, count: number, only: boolean): Promise<number[]> {
    const tree = await office.get(`/api/plans/${app.server.planId}/tree`);
    const tasks: TreeTask[] = tree.body.chapters.flatMap((c: { sections: { tasks: TreeTask[] }[] }) => c.sections.flatMap((s) => s.tasks));
    const ids = tasks.filter((t) => (only ? t.units.length === 1 && t.units[0]!.name === unitName : t.units.some((u) => u.name === unitName))).map((t) => t.id);
    assert.ok(ids.length >= count, `${unitName} has ${ids.length} tasks`);
    return ids.slice(0, count);
  }

  async function openRound(label: string, taskIds: number[], requiresApproval: boolean): Promise<number> {
    const opened = await office.post(`/api/plans/${app.server.planId}/rounds`, { label, deadline: '2099-10-10', taskIds, requiresApproval, note: null });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    return opened.body.id as number;
  }

  before(async () => {
    app = await startE2eApp();
    office = await app.server.as('office');
  });

  after(async () => {
    await app?.close();
  });

  const region = (page: Page, n: number) => page.getByRole('region', { name: new RegExp(`^第${n}项`) });

  /** Clicks a button that changes state and answers its confirmation (if the page asks for one). */
  /** Clicks, and confirms in the dialog the click must open. */
  async function clickAndConfirm(page: Page, name: RegExp | string, okName: RegExp) {
    await page.getByRole('button', { name }).click();
    await page.getByRole('dialog').getByRole('button', { name: okName }).click();
  }

  async function fill(page: Page, n: number, text: string) {
    const item = region(page, n);
    await item.getByLabel('本轮推进情况').fill(text);
    await item.getByLabel('推进状态').selectOption({ label: '按期推进' });
    await item.getByText(/已保存/).waitFor({ timeout: 15_000 });
  }

  it('returns item 2 with a comment, accepts the rest; the reporter fixes item 2 alone and the unit reaches 已采纳', async () => {
    const roundId = await openRound('2017年第三季度', await tasksOf('环评处', 3, true), false);
    const unitId = (await app.server.as('huanping')).session.user.unit!.id;
    const reporter = await openSignedIn(app, 'huanping', `${app.baseUrl}/todo/${roundId}`);
    await region(reporter, 3).waitFor();
    await fill(reporter, 1, '完成规划环评审查意见 16 个。');
    await fill(reporter, 2, '已开展飞地园区课题研究。');
    await fill(reporter, 3, '按期推进园区环评跟踪评价。');
    await clickAndConfirm(reporter, /^提\s*交$/, /^提\s*交$/);
    await reporter
      .getByText(/已提交/)
      .first()
      .waitFor();

    const page = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}/units/${unitId}`);
    await region(page, 2).waitFor();
    await page.getByRole('button', { name: '退回第2项' }).click();
    const returnDialog = page.getByRole('dialog');
    await returnDialog.getByText('将退回第2项；其余 2 项待审阅').waitFor();
    await returnDialog.getByLabel('退回意见').fill('请写明课题的承担单位和完成时间');
    await shot(page, 'office-returns-item-2');
    await returnDialog.getByRole('button', { name: /^退\s*回$/ }).click();
    await region(page, 2).getByText('已退回').waitFor();
    await page.getByRole('checkbox', { name: '选择第1项' }).check();
    await page.getByRole('checkbox', { name: '选择第3项' }).check();
    await page.getByRole('button', { name: /采纳所选（2 项）/ }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByText('将采纳第1、3项，并通知环评处修改被退回的项。').waitFor();
    await shot(page, 'office-confirms-accepting-the-rest');
    await confirm.getByRole('button', { name: /^采\s*纳$/ }).click();
    await page
      .getByText(/已交回环评处修改/)
      .first()
      .waitFor();
    await shot(page, 'office-after-review');

    await reporter.goto(`${app.baseUrl}/todo/${roundId}`);
    const second = region(reporter, 2);
    await second.getByText('退回意见：请写明课题的承担单位和完成时间').waitFor();
    assert.equal(await region(reporter, 1).getByLabel('本轮推进情况').count(), 0, 'an accepted answer is read-only');
    assert.equal(await region(reporter, 1).getByText('已采纳').count(), 1);
    await shot(reporter, 'reporter-sees-item-2-returned');
    await second.getByLabel('本轮推进情况').fill('已开展飞地园区课题研究，由省环科院承担，9 月底完成。');
    await second.getByText(/已保存/).waitFor({ timeout: 15_000 });
    await clickAndConfirm(reporter, /^提\s*交$/, /^提\s*交$/);
    await reporter
      .getByText(/已提交/)
      .first()
      .waitFor();

    await page.goto(`${app.baseUrl}/rounds/${roundId}/units/${unitId}`);
    await page.getByText('由省环科院承担').waitFor();
    assert.equal(await page.getByRole('button', { name: '采纳第1项' }).count(), 0, 'only the resubmitted answer waits for review');
    await page.getByRole('button', { name: '采纳第2项' }).click();
    await page.getByRole('dialog').getByText('将采纳第2项，并通知环评处本单位填报已全部采纳。').waitFor();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^采\s*纳$/ })
      .click();
    await page.getByText('环评处的填报已全部采纳').first().waitFor();
    await page.getByRole('main').getByText('已采纳', { exact: true }).first().waitFor();
    await shot(page, 'office-unit-accepted');

    const stored = await office.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
    assert.equal(stored.body.submission.state, 'accepted');
    assert.deepEqual(
      stored.body.items.map((i: { review: { state: string } }) => i.review.state),
      ['accepted', 'accepted', 'accepted'],
    );
  });

  it('takes a unit without a head account straight to the office in an approval round, which accepts it', async () => {
    const roundId = await openRound('2017年第三季度（需审核）', await tasksOf('规财处', 2, false), true);
    const guicai = await app.server.as('guicai');
    const unitId = guicai.session.user.unit!.id;
    const without = await office.get(`/api/rounds/${roundId}/units-without-head`);
    assert.ok((without.body as { unitName: string }[]).some((u) => u.unitName === '规财处'));

    const reporter = await openSignedIn(app, 'guicai', `${app.baseUrl}/todo/${roundId}`);
    await region(reporter, 2).waitFor();
    await fill(reporter, 1, '资金已下达。');
    await fill(reporter, 2, '预算执行进度 75%。');
    await clickAndConfirm(reporter, /^提\s*交$/, /^提\s*交$/);
    await reporter
      .getByText(/已报送办公室/)
      .first()
      .waitFor();
    await shot(reporter, 'no-head-unit-submitted');

    const page = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}`);
    const row = page.getByRole('row', { name: /规财处/ });
    await row.getByText('办公室', { exact: true }).waitFor();
    await row.getByText('已报送办公室').waitFor();
    await shot(page, 'review-list-holders');
    await page.goto(`${app.baseUrl}/rounds/${roundId}/units/${unitId}`);
    await page.getByText('本单位无处室负责人账号，已直接报送办公室').waitFor();
    await page.getByRole('button', { name: '采纳全部（规财处）' }).click();
    await page.getByRole('dialog').getByText('将采纳规财处全部待审阅的填报并通知该单位。').waitFor();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^采\s*纳$/ })
      .click();
    await page.getByText('已采纳规财处的填报').first().waitFor();
    await shot(page, 'no-head-unit-accepted');
    const stored = await office.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
    assert.equal(stored.body.submission.state, 'accepted');
    assert.equal(stored.body.submission.holder, 'done');
  });

  it('takes a submit after the deadline while the round is open, and shows it as 逾期 with its time', async () => {
    const shuichu = await app.server.as('shuichu');
    const unit = shuichu.session.user.unit!;
    const roundId = await openRound('2017年第三季度（逾期）', await tasksOf(unit.name, 1, false), false);
    // The deadline passed yesterday (the server's clock decides).
    await app.database.db
      .updateTable('rounds')
      .set({ deadline: new Date(Date.now() - 24 * 3600 * 1000).toISOString() })
      .where('id', '=', roundId)
      .execute();

    const reporter = await openSignedIn(app, 'shuichu', `${app.baseUrl}/todo/${roundId}`);
    await region(reporter, 1).waitFor();
    await fill(reporter, 1, '逾期后补报：已完成水源地整治。');
    await clickAndConfirm(reporter, /^提\s*交$/, /^提\s*交$/);
    await reporter
      .getByText(/已提交/)
      .first()
      .waitFor();

    const page = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}`);
    const late = page.getByRole('row', { name: new RegExp(unit.name) }).getByText(/^逾期 · \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 提交$/);
    await late.waitFor();
    await shot(page, 'late-submit-in-review-list');
    await page.goto(`${app.baseUrl}/rounds/${roundId}/units/${unit.id}`);
    await page.getByText(/^逾期 · /).waitFor();
    // …and on the board the office chases from.
    await page.goto(`${app.baseUrl}/rounds/${roundId}/board`);
    await page
      .getByRole('row', { name: new RegExp(unit.name) })
      .getByText('逾期', { exact: true })
      .waitFor();
    await shot(page, 'late-on-the-board');

    // Several units at once from the review list (here the one that is ready).
    await page.goto(`${app.baseUrl}/rounds/${roundId}`);
    await page.getByRole('checkbox', { name: `选择${unit.name}` }).check();
    await page.getByRole('button', { name: /采纳所选单位（1）/ }).click();
    await page.getByRole('dialog').getByText(`将采纳${unit.name}全部待审阅的填报并通知各单位。`).waitFor();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^采\s*纳$/ })
      .click();
    await page.getByText('已采纳 1 个单位的填报').waitFor();
    await shot(page, 'late-unit-accepted-from-the-list');
    const stored = await office.get(`/api/rounds/${roundId}/units/${unit.id}/todo`);
    assert.equal(stored.body.submission.late, true);
    assert.equal(stored.body.submission.state, 'accepted');
  });
});
