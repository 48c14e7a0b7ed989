import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { screenshots, signIn, startE2eApp, tasksAnsweredOnlyBy, type E2eApp, waitForFocusInDialog } from './support/e2e.ts';

/**
 * A whole round from the keyboard alone (GB/T 37668-2019 / WCAG 2.1.1): after each page loads no
 * mouse is used. The reporter tabs to each answer box, types, picks a status with the arrow keys,
 * tabs to 提交 and confirms in the dialog; the office tabs to 采纳全部 and confirms; then ends the
 * round from the review page. Every control is reached by Tab (Shift+Tab never needed), and each
 * confirmation opens with the focus on its way back, so Enter pressed twice changes nothing.
 */
describe('a round from the keyboard alone', { timeout: 240_000 }, () => {
  let app: E2eApp;
  let roundId: number;
  let unitId: number;
  const shot = screenshots('keyboard-journey');

  before(async () => {
    app = await startE2eApp();
    const office = await app.server.as('office');
    const reporter = await app.server.as('huanping');
    unitId = reporter.session.user.unit!.id;
    const onlyHuanping = await tasksAnsweredOnlyBy(app, '环评处', 2);
    const opened = await office.post(`/api/plans/${app.server.planId}/rounds`, { label: '键盘季度', deadline: '2099-10-10', taskIds: onlyHuanping });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    roundId = opened.body.id as number;
  });

  after(async () => {
    await app?.close();
  });

  /** What has the focus, by the name a screen reader would start from. */
  const focused = (page: Page) =>
    page.evaluate(`(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return '';
      return (el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText) || el.innerText || el.getAttribute('placeholder') || '').trim().replace(/\\s+/g, ' ');
    })()`) as Promise<string>;

  /** Presses Tab until the focus is on a control whose name matches, at most `presses` times. */
  async function tabTo(page: Page, name: RegExp, presses = 120): Promise<void> {
    const passed: string[] = [];
    for (let i = 0; i < presses; i += 1) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      if (name.test(now)) return;
      passed.push(now);
    }
    assert.fail(`Tab never reached ${name} in ${presses} presses; it passed: ${passed.slice(-25).join(' → ')}`);
  }

  /** Starts the Tab order from the top of the page, as after a fresh load. */
  async function fromTop(page: Page) {
    await page.evaluate(`(() => { document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex'); })()`);
  }

  it('fills, submits, accepts and closes without a mouse', async () => {
    const reporter = await signIn(app, 'huanping', DEMO_PASSWORD);
    await reporter.goto(`${app.baseUrl}/todo/${roundId}`);
    await reporter.getByRole('region', { name: /^第2项/ }).waitFor();
    await fromTop(reporter);
    for (const [n, text] of [
      [1, '键盘填写：规划环评审查意见 16 个。'],
      [2, '键盘填写：课题研究已启动。'],
    ] as const) {
      await tabTo(reporter, /^本轮推进情况/);
      await reporter.keyboard.type(text);
      await tabTo(reporter, /^推进状态/);
      // A native select: the arrow key picks the next status without opening a list.
      await reporter.keyboard.press('ArrowDown');
      await reporter
        .getByRole('region', { name: new RegExp(`^第${n}项`) })
        .getByText(/已保存/)
        .waitFor({ timeout: 15_000 });
    }
    await shot(reporter, 'filled-by-keyboard');
    await tabTo(reporter, /^提\s*交$/);
    await reporter.keyboard.press('Enter');
    const asked = reporter.getByRole('dialog');
    await asked.waitFor();
    await waitForFocusInDialog(reporter);
    assert.match(await focused(reporter), /再看看/, 'the dialog opens on its way back');
    await shot(reporter, 'submit-dialog');
    await reporter.keyboard.press('Tab');
    assert.match(await focused(reporter), /^提\s*交$/);
    await reporter.keyboard.press('Enter');
    await reporter
      .getByText(/已提交/)
      .first()
      .waitFor();

    const office = await signIn(app, 'office', DEMO_PASSWORD);
    await office.goto(`${app.baseUrl}/rounds/${roundId}/units/${unitId}`);
    await office.getByText('键盘填写：课题研究已启动。').waitFor();
    await fromTop(office);
    await tabTo(office, /^采纳全部（环评处）$/);
    await office.keyboard.press('Enter');
    await office.getByRole('dialog').waitFor();
    await waitForFocusInDialog(office);
    assert.match(await focused(office), /取\s*消/);
    await office.keyboard.press('Tab');
    await office.keyboard.press('Enter');
    await office
      .getByText(/已采纳/)
      .first()
      .waitFor();
    await shot(office, 'accepted-by-keyboard');

    await office.goto(`${app.baseUrl}/rounds/${roundId}`);
    await office
      .getByRole('button', { name: /结束调度/ })
      .first()
      .waitFor();
    await fromTop(office);
    await tabTo(office, /结束调度/);
    await office.keyboard.press('Enter');
    await office.getByRole('dialog').waitFor();
    await waitForFocusInDialog(office);
    await office.keyboard.press('Tab');
    await office.keyboard.press('Enter');
    await office.getByText('本轮调度已结束').first().waitFor();
    await shot(office, 'closed-by-keyboard');

    const board = await (await app.server.as('office')).get(`/api/rounds/${roundId}/board`);
    assert.equal(board.body.round.status, 'closed');
    assert.deepEqual(
      board.body.rows.filter((row: { unitId: number }) => row.unitId === unitId).map((row: { state: string }) => row.state),
      ['accepted'],
    );
  });
});
