import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { screenshots, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * The audit admin's screen in Chromium under the app's real CSP: the log is listed with who,
 * from where, what and the result; filters narrow it; 导出 CSV downloads a file with formula
 * starts defused. No CSP violation is reported while doing it.
 */
describe('audit log in the browser', { timeout: 240_000 }, () => {
  let app: E2eApp;
  const shot = screenshots('audit-journey');
  const cspViolations: string[] = [];

  before(async () => {
    app = await startE2eApp();
    // Something worth finding: a failed login with a name that would be a formula in a spreadsheet, and a round opened.
    await app.server.anonymous().post('/api/auth/login', { username: '=1+1', password: 'nope-Nope-1' });
    const office = await app.server.as('office');
    await office.post(`/api/plans/${app.server.planId}/rounds`, { label: '审计旅程轮次', deadline: '2099-10-10' });
  });

  after(async () => {
    await app?.close();
  });

  /** The auditor's browser session: signed in through the API (the admin's second factor enrolled as an authenticator would). */
  async function auditorPage(): Promise<Page> {
    const context = await app.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const login = await context.request.post(`${app.baseUrl}/api/auth/login`, { data: { username: 'auditor', password: DEMO_PASSWORD } });
    assert.equal(login.status(), 200, await login.text());
    const session = (await login.json()) as { csrfToken: string; restriction?: string | null };
    if (session.restriction === 'totp_enrolment') {
      const headers = { 'x-csrf-token': session.csrfToken };
      const enrolment = (await (await context.request.post(`${app.baseUrl}/api/auth/totp/enrol`, { headers, data: {} })).json()) as { secret: string };
      const code = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(enrolment.secret) }).generate();
      const confirmed = await context.request.post(`${app.baseUrl}/api/auth/totp/confirm`, { headers, data: { code } });
      assert.equal(confirmed.status(), 200, await confirmed.text());
    }
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    return page;
  }

  it('lists, filters and exports the log, within the CSP', async () => {
    const page = await auditorPage();
    await page.goto(`${app.baseUrl}/`);
    await page.waitForURL((url) => url.pathname === '/audit');
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    await page.getByRole('menuitem', { name: /审计日志/ }).waitFor();
    const table = page.locator('.ant-table');
    await table.getByText('发起调度', { exact: true }).first().waitFor();
    await table.getByText('127.0.0.1').first().waitFor();
    // People by name and things by what they are: the round opened by 张敏, never "office" or "round 2".
    const opening = table.locator('tbody tr.ant-table-row').filter({ hasText: '发起调度' }).filter({ hasText: '审计旅程轮次' });
    await opening.getByText('调度轮次“审计旅程轮次”').waitFor();
    await opening.getByText('张敏', { exact: true }).waitFor();
    // Decision 037: the row was written with the display name and the login; the login shows on hover.
    assert.equal(await opening.locator('span[title="账号 office"]').getByText('张敏', { exact: true }).count(), 1);
    assert.doesNotMatch(await table.innerText(), /[a-z]{3,}/i, 'no login names, bare ids or English words');
    assert.match(await table.innerText(), /\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/, 'times as people read them');
    await shot(page, 'log');

    await page.getByPlaceholder('用户名或姓名').fill('=1+1');
    await page.getByPlaceholder('用户名或姓名').press('Enter');
    await page.waitForURL((url) => url.searchParams.get('user') === '=1+1');
    await page.getByText('共 1 条').waitFor();
    await table.getByText('失败').waitFor();
    const rows = table.locator('tbody tr.ant-table-row');
    assert.equal(await rows.count(), 1, 'only the failed login of that name');
    await shot(page, 'filtered');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /导出 CSV/ }).click()]);
    assert.match(download.suggestedFilename(), /^审计日志-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.ok(csv.startsWith('\uFEFF"编号"'), csv.slice(0, 30));
    assert.ok(csv.includes(`"'=1+1"`), 'the formula-looking name is exported as text');
    assert.equal(csv.trim().split('\r\n').length, 2, 'header and the one filtered row');

    assert.deepEqual(cspViolations, [], 'the page ran within its Content-Security-Policy');
  });
});
