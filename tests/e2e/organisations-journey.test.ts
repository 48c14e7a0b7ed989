import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_CITY, DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { totpCode } from '../../src/server/services/totp.service.ts';
import { logIn, screenshots, type E2eApp, startE2eApp } from './support/e2e.ts';

/**
 * Many organisations on one deployment in the browser (decision 028): the login page offers a
 * 单位 picker; the city bureau's office sees only its own plan, its name in the header; the
 * platform administrator creates an organisation, whose first admin then logs in to it.
 */
describe('organisations in the browser', { timeout: 240_000 }, () => {
  let app: E2eApp;
  const shot = screenshots('organisations-journey');

  before(async () => {
    app = await startE2eApp({ demoCity: true });
  });

  after(async () => {
    await app?.close();
  });

  const newPage = async () => {
    const context = await app.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/login`);
    return page;
  };

  it('the city bureau’s office logs in choosing its organisation and sees only its own plan', async () => {
    const page = await newPage();
    const picker = page.getByLabel('单位');
    await picker.waitFor();
    assert.equal(await picker.locator('option:checked').innerText(), '四川省环境保护厅', 'the home organisation first');
    await picker.selectOption({ label: DEMO_CITY.name });
    await shot(page, 'login-choose-city');
    await logIn(page, 'city-office', DEMO_PASSWORD);
    await page.getByLabel('当前单位').filter({ hasText: DEMO_CITY.name }).waitFor();
    await page.goto(`${app.baseUrl}/plans`);
    await page.getByText('完成城区建筑工地扬尘在线监测全覆盖。').first().waitFor();
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, /四川|环评处/, 'nothing of the other organisation');
    await shot(page, 'city-plan');

    // The choice is remembered for the next login on this browser.
    await page.getByRole('button', { name: /退\s*出/ }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/login'));
    assert.equal(await page.getByLabel('单位').locator('option:checked').innerText(), DEMO_CITY.name);
    await page.context().close();
  });

  it('the platform administrator creates an organisation; its first admin logs in to it with the temporary password', async () => {
    const page = await newPage();
    await logIn(page, 'platform', DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === '/account/totp');
    await page.getByRole('button', { name: '生成密钥' }).click();
    const secret = (await page.getByTestId('totp-secret').innerText()).trim();
    await page.getByLabel('动态验证码').fill(totpCode(secret, new Date()));
    await page.getByRole('button', { name: '确认绑定' }).click();
    await page.waitForURL((url) => url.pathname === '/platform/organisations');
    await page.getByRole('cell', { name: DEMO_CITY.name }).waitFor();
    await shot(page, 'organisations');

    await page.getByRole('button', { name: /新建组织/ }).click();
    const form = page.getByRole('dialog', { name: '新建组织' });
    await form.getByLabel('单位名称').fill('测试县生态环境局');
    await form.getByLabel('单位代码').fill('test-county');
    await form.getByLabel('首位系统管理员的用户名').fill('county-admin');
    await form.getByLabel('首位系统管理员的姓名').fill('周文');
    await form.getByLabel('首位系统管理员的姓名').press('Enter');
    await page.waitForTimeout(500);
    assert.equal(await app.server.directory.findByCode('test-county'), null, 'Enter creates nothing');
    await form.getByRole('button', { name: /新\s*建/ }).click();
    const confirm = page.getByRole('dialog', { name: /新建组织“测试县生态环境局”/ });
    await confirm.getByText('单位代码 test-county，首位系统管理员 周文（county-admin）。').waitFor();
    await shot(page, 'confirm-create');
    await confirm.getByRole('button', { name: /新\s*建/ }).click();
    const password = (await page.getByTestId('temporary-password').innerText()).trim();
    assert.ok(password.length >= 14);
    await shot(page, 'temporary-password');
    await page.getByRole('button', { name: '已记下' }).click();
    await page.getByRole('cell', { name: '测试县生态环境局' }).waitFor();
    await page.context().close();

    const admin = await newPage();
    await admin.getByLabel('单位').selectOption({ label: '测试县生态环境局' });
    await logIn(admin, 'county-admin', password);
    await admin.waitForURL((url) => url.pathname === '/account/password');
    await admin.getByLabel('当前单位').filter({ hasText: '测试县生态环境局' }).waitFor();
    await shot(admin, 'county-admin-first-login');
    await admin.context().close();
  });
});
