import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import path from 'node:path';
import { ARTIFACTS, screenshots, openSignedIn, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * Issue 16 in the browser: on a round's page the office finds the 催办提醒 card with the default
 * ladder, is told in place what it typed wrong, adds 截止前 2 天 (weekends allowed), saves after a
 * confirmation that lists the ladder, and finds it again after a reload — at desktop and phone width;
 * a save the server refuses (the round closed meanwhile) says why in the card.
 */
describe('the reminder ladder in the browser', { timeout: 240_000 }, () => {
  let app: E2eApp;
  let roundId: number;
  const shot = screenshots('reminder-ladder-journey');

  before(async () => {
    app = await startE2eApp();
    const office = await app.server.as('office');
    const planId = (await office.get('/api/plans')).body[0].id as number;
    const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const opened = await office.post(`/api/plans/${planId}/rounds`, { label: '提醒测试轮次', deadline, note: null });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    roundId = opened.body.id as number;
  });

  after(async () => {
    await app?.close();
  });

  it('the office adds a rung, saves it after a confirmation and sees it after a reload', async () => {
    const page = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}`);
    const card = page.locator('#reminder-ladder');
    await card.getByText('截止前 7 天 09:00').waitFor();
    for (const label of ['截止前 3 天 09:00', '截止当天 09:00', '逾期后每天 09:00']) await card.getByText(label).waitFor();
    await card
      .getByTestId('ladder-status')
      .getByText(/^待发提醒 \d+ 条，下一次 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/)
      .waitFor();
    await card
      .getByTestId('ladder-status')
      .getByText(/^张敏 于 .* 设置$/)
      .waitFor();
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'default-ladder');

    // 99 days before is refused in place; Enter in the field adds and saves nothing.
    await card.getByLabel('提前天数').fill('99');
    await card.getByLabel('提前天数').press('Enter');
    await card.getByRole('button', { name: /添加提醒/ }).click();
    await card.getByText('提前天数应为 1–60').waitFor();
    await card.getByLabel('提前天数').fill('2');
    await card.getByRole('button', { name: /添加提醒/ }).click();
    const row = card.getByRole('row').filter({ hasText: '截止前 2 天 09:00' });
    await row.waitFor();
    await row.getByRole('checkbox', { name: '截止前 2 天 09:00允许周末发送' }).check();
    // And 截止当天 18:30 replaces 09:00 on the day.
    await card.getByRole('combobox', { name: '提醒类型' }).click();
    await page.locator('.ant-select-item-option[title="截止当天"]').click();
    await card.getByLabel('提醒时刻').fill('18:30');
    await card.getByRole('button', { name: /添加提醒/ }).click();
    await card
      .getByRole('row')
      .filter({ hasText: '截止当天 09:00' })
      .getByRole('button', { name: /删除截止当天 09:00/ })
      .click();
    await shot(page, 'ladder-edited');
    const stored = await app.database.db.selectFrom('reminder_rungs').select('rung').where('round_id', '=', roundId).execute();
    assert.equal(stored.length, 4, 'nothing saved before the confirmation');

    await card.getByRole('button', { name: /保存催办提醒/ }).click();
    const confirm = page.getByRole('dialog', { name: '保存催办提醒？' });
    await confirm
      .getByText('未提交的单位将在以下时间收到提醒：截止前 7 天 09:00；截止前 3 天 09:00；截止前 2 天 09:00（周末也发）；截止当天 18:30；逾期后每天 09:00。')
      .waitFor();
    await shot(page, 'confirm');
    await confirm.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText(/催办提醒已保存/).waitFor();
    assert.deepEqual(
      (await app.database.db.selectFrom('reminder_rungs').select(['rung', 'weekends']).where('round_id', '=', roundId).orderBy('rung').execute()).map(
        (r) => `${r.rung} ${r.weekends}`,
      ),
      ['before:2d 1', 'before:3d 0', 'before:7d 0', 'due_day:18:30 0', 'overdue_daily:09:00 0'],
    );

    await page.reload();
    await card.getByText('截止当天 18:30').waitFor();
    assert.equal(await card.getByText('截止当天 09:00').count(), 0);
    assert.equal(await card.getByRole('checkbox', { name: '截止前 2 天 09:00允许周末发送' }).isChecked(), true);
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'after-reload');

    await page.setViewportSize({ width: 390, height: 844 });
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'phone');
    // The card alone, to look at closely (the whole page is too tall to read at phone width).
    await card.screenshot({ path: path.join(ARTIFACTS, 'reminder-ladder-journey', 'phone-card.png') });

    // Closed meanwhile (in another tab, say): the server's refusal is shown in the card, the edit kept.
    await page.setViewportSize({ width: 1366, height: 900 });
    assert.equal((await (await app.server.as('office')).post(`/api/rounds/${roundId}/close`, {})).status, 200);
    await card.getByRole('button', { name: '删除截止前 3 天 09:00' }).click();
    await card.getByRole('button', { name: /保存催办提醒/ }).click();
    await page
      .getByRole('dialog', { name: '保存催办提醒？' })
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await card.getByText('未能保存：调度轮次“提醒测试轮次”不在进行中，不能设置催办提醒').waitFor();
    assert.equal(await card.getByText('截止前 3 天 09:00').count(), 0, 'the edit is still on the page');
    await shot(page, 'refused-in-place');
    await page.context().close();
  });
});
