import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { logIn, screenshots, openSignedIn, signIn, startE2eApp, tasksAnsweredOnlyBy, type E2eApp } from './support/e2e.ts';

/**
 * Nothing typed is lost: a session that ends mid-typing keeps the text and saves it after the
 * next login; two tabs editing one answer meet a dialog showing both versions.
 */
describe('drafts in the browser', { timeout: 240_000 }, () => {
  let app: E2eApp;
  let roundId: number;
  let unitId: number;
  let taskIds: number[];
  const shot = screenshots('drafts-journey');

  before(async () => {
    app = await startE2eApp();
    const office = await app.server.as('office');
    unitId = (await app.server.as('guicai')).session.user.unit!.id;
    taskIds = await tasksAnsweredOnlyBy(app, '规财处', 2);
    roundId = (await office.post(`/api/plans/${app.server.planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10', taskIds })).body.id;
  });

  after(async () => {
    await app?.close();
  });

  const box = (page: Page, n: number) => page.getByRole('region', { name: new RegExp(`^第${n}项`) }).getByLabel('本轮推进情况');
  const stored = async (n: number) => (await (await app.server.as('guicai')).get(`/api/rounds/${roundId}/units/${unitId}/todo`)).body.items[n - 1].answer;

  it('keeps what was typed when the session ends, and saves it after the next login', async () => {
    const page = await openSignedIn(app, 'guicai', `${app.baseUrl}/todo/${roundId}`);
    await box(page, 1).fill('第一项：省级湿地生态效益补偿资金已下达。');
    await page
      .getByRole('region', { name: /^第1项/ })
      .getByText(/已保存/)
      .waitFor({ timeout: 15_000 });

    // The server ends every session (idle timeout, an admin, a restart of the session store…).
    await app.database.db.updateTable('sessions').set({ ended_at: new Date().toISOString() }).execute();
    const typedAfter = '第二项：会同财政厅起草了生态补偿办法（征求意见稿），这段是会话结束后才写的。';
    await box(page, 2).fill(typedAfter);
    // Leaving the box saves at once. By keyboard, not a click on another box: the autosave may already
    // have met the ended session and sent the page to the login, and a click would wait for a box that is gone.
    await page.keyboard.press('Tab');
    await page.waitForURL((url) => url.pathname.startsWith('/login'), { timeout: 15_000 });
    await shot(page, 'session-ended');
    assert.equal((await stored(2)).text, '', 'nothing reached the server without a session');

    await logIn(page, 'guicai', DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname.startsWith(`/todo`), { timeout: 15_000 });
    await assert.doesNotReject(box(page, 2).waitFor());
    assert.equal(await box(page, 2).inputValue(), typedAfter, 'the draft is offered back');
    await page
      .getByRole('region', { name: /^第2项/ })
      .getByText(/已保存/)
      .waitFor({ timeout: 15_000 });
    await shot(page, 'draft-restored');
    assert.equal((await stored(2)).text, typedAfter);
  });

  it('shows both versions when two tabs edit one answer, and keeps the chosen one', async () => {
    const tabA = await signIn(app, 'guicai', DEMO_PASSWORD);
    const tabB = await signIn(app, 'guicai', DEMO_PASSWORD);
    await tabA.goto(`${app.baseUrl}/todo/${roundId}`);
    await tabB.goto(`${app.baseUrl}/todo/${roundId}`);
    await box(tabA, 1).waitFor();
    await box(tabB, 1).waitFor();

    await box(tabA, 1).fill('标签页甲：资金已全部拨付到位。');
    await tabA
      .getByRole('region', { name: /^第1项/ })
      .getByText(/已保存/)
      .waitFor({ timeout: 15_000 });
    const mine = '标签页乙：资金拨付 80%，余款 9 月到位。';
    await box(tabB, 1).fill(mine);
    await box(tabB, 2).click();
    const dialog = tabB.getByRole('dialog', { name: /内容冲突/ });
    await dialog.waitFor({ timeout: 15_000 });
    await dialog.getByText('标签页甲：资金已全部拨付到位。').waitFor();
    await dialog.getByText(mine).first().waitFor();
    await shot(tabB, 'conflict-dialog');
    assert.equal((await stored(1)).text, '标签页甲：资金已全部拨付到位。', 'the other tab’s save was not overwritten');

    await dialog.getByRole('button', { name: '保留我的版本' }).click();
    await tabB
      .getByRole('region', { name: /^第1项/ })
      .getByText(/已保存/)
      .waitFor({ timeout: 15_000 });
    assert.equal((await stored(1)).text, mine);
  });
});
