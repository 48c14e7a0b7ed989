import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { seriousA11yViolations, tabWalk } from './support/a11y.ts';
import { ARTIFACTS, screenshots, signIn, startE2eApp, type E2eApp, waitForFocusInDialog } from './support/e2e.ts';

/**
 * Every page of a round's work, scanned with axe-core (WCAG 2.1 AA, which GB/T 37668-2019 asks of
 * government sites) and walked with the Tab key: the login page, a reporter's to-do, the plan,
 * a task, search, notifications, the account page; the office's rounds, new round, review, board
 * and notice. No page may have a serious or critical violation, and every Tab stop must show
 * where the focus is. The admin and audit pages are scanned by their own journeys (each
 * screenshot is scanned).
 */
describe('accessibility of every page', { timeout: 480_000 }, () => {
  let app: E2eApp;
  let roundId: number;
  let unitId: number;
  let taskId: number;
  const shot = screenshots('a11y-journey');
  /** Page → its violations, gathered so one run reports every page. */
  const found: Record<string, string[]> = {};

  before(async () => {
    app = await startE2eApp();
    const office = await app.server.as('office');
    const reporter = await app.server.as('huanping');
    unitId = reporter.session.user.unit!.id;
    const opened = await office.post(`/api/plans/${app.server.planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10' });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    roundId = opened.body.id as number;
    const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
    taskId = todo.body.items[0].task.id as number;
  });

  after(async () => {
    await app?.close();
  });

  /** Scans the page as it is now (and screenshots it), recording what fails. */
  async function scan(page: Page, name: string) {
    await page.evaluate('window.scrollTo(0, 0)');
    await shot(page, name, { a11y: false });
    const violations = await seriousA11yViolations(page, { allNodes: true });
    writeFileSync(path.join(ARTIFACTS, 'a11y-journey', `${name}.a11y.json`), JSON.stringify(violations, null, 2));
    found[name] = violations.map((v) => `${v.id} ×${v.count}: ${v.nodes.slice(0, 2).join(' | ')}`);
  }

  /** Tabs through the page; what fails is reported with the scans. */
  async function walk(page: Page, name: string, presses: number): Promise<string[]> {
    const { stops, problems } = await tabWalk(page, presses);
    found[`${name} (Tab)`] = problems.map((problem) => `${problem}; stops: ${stops.join(' → ')}`);
    return stops;
  }

  async function visit(page: Page, path: string, name: string, ready: (page: Page) => Promise<unknown>) {
    await page.goto(`${app.baseUrl}${path}`);
    await ready(page);
    // Tables and lists render after their data: give late paints a moment before the scan.
    await page.waitForLoadState('networkidle');
    await scan(page, name);
  }

  it('the login page', async () => {
    const context = await app.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/login`);
    await page.getByLabel('用户名').waitFor();
    await scan(page, 'login');
    // A wrong password shows the error: scanned too.
    await page.getByLabel('用户名').fill('huanping');
    await page.getByLabel('密码').fill('Wrong@password1');
    await page.getByLabel('密码').press('Enter');
    await page.getByRole('alert').first().waitFor();
    await scan(page, 'login-error');

    const stops = await walk(page, 'login', 5);
    assert.ok(stops.includes('用户名') && stops.includes('密码'), stops.join(' → '));
    await context.close();
  });

  it('a reporter’s pages', async () => {
    const page = await signIn(app, 'huanping', DEMO_PASSWORD);
    await visit(page, `/todo/${roundId}`, 'todo', (p) => p.getByRole('region', { name: /^第1项/ }).waitFor());
    const stops = await walk(page, 'todo', 25);
    assert.ok(stops.includes('本轮推进情况') && stops.includes('推进状态'), `the answer field is reached: ${stops.join(' → ')}`);

    await visit(page, `/plans`, 'plan-tree', (p) => p.getByText(/一、/).first().waitFor());
    await visit(page, `/tasks/${taskId}`, 'task-detail', (p) => p.getByRole('heading').first().waitFor());
    await visit(page, `/search?q=${encodeURIComponent('环评')}`, 'search', (p) =>
      p
        .getByText(/条结果|共/)
        .first()
        .waitFor(),
    );
    await visit(page, `/notifications`, 'notifications', (p) => p.getByRole('heading', { name: /通知/ }).first().waitFor());
    await visit(page, `/account/password`, 'change-password', (p) => p.getByRole('heading').first().waitFor());
    await page.context().close();
  });

  it('the office’s pages', async () => {
    const page = await signIn(app, 'office', DEMO_PASSWORD);
    await visit(page, `/rounds`, 'rounds', (p) => p.getByText('2017年第三季度').first().waitFor());
    await visit(page, `/rounds/new`, 'new-round', (p) => p.getByRole('heading').first().waitFor());
    await visit(page, `/rounds/${roundId}`, 'round-review', (p) => p.getByText('2017年第三季度').first().waitFor());
    // A confirmation dialog from the keyboard: Enter opens it, the focus is inside it, Escape
    // closes it with nothing done, and the focus comes back to the button.
    const close = page.getByRole('button', { name: /结束调度/ }).first();
    await close.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await waitForFocusInDialog(page, 5_000);
    // The focus waits on 取消, so a second Enter does not end the round by accident.
    assert.match(String(await page.evaluate('document.activeElement && document.activeElement.textContent')), /取\s*消/);
    await scan(page, 'close-round-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.match(
      String(await page.evaluate('document.activeElement && document.activeElement.tagName + " " + document.activeElement.textContent')),
      /^BUTTON .*结束调度/,
      'the focus is back on the button',
    );
    assert.equal((await (await app.server.as('office')).get(`/api/rounds/${roundId}/board`)).body.round.status, 'open', 'Escape closed nothing');
    await visit(page, `/rounds/${roundId}/units/${unitId}`, 'unit-review', (p) => p.getByText('环评处').first().waitFor());
    await visit(page, `/rounds/${roundId}/board`, 'board', (p) =>
      p
        .getByRole('heading', { name: /催办看板/ })
        .first()
        .waitFor(),
    );
    await visit(page, `/rounds/${roundId}/notice`, 'notice-form', (p) => p.getByLabel('机关代字').waitFor());
    const stops = await walk(page, 'notice-form', 40);
    assert.ok(stops.includes('机关代字') && stops.some((stop) => /保存/.test(stop)), stops.join(' → '));
    await visit(page, `/rounds/${app.server.roundId}/notice/print`, 'notice-print', (p) => p.getByRole('article', { name: '通报' }).waitFor());
    await page.context().close();
  });

  it('a leader’s plan', async () => {
    const page = await signIn(app, 'leader', DEMO_PASSWORD);
    await visit(page, `/plans`, 'leader-plan-tree', (p) => p.getByText(/一、/).first().waitFor());
    await page.context().close();
  });

  it('has no serious or critical violation on any page', () => {
    const failing = Object.entries(found).filter(([, list]) => list.length > 0);
    assert.deepEqual(failing, [], failing.map(([page, list]) => `${page}:\n  ${list.join('\n  ')}`).join('\n'));
  });
});
