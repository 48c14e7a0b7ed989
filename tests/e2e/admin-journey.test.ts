import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { totpCode } from '../../src/server/services/totp.service.ts';
import { logIn, screenshots, signIn, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * 三员 in the browser (decision 010): an admin's first login goes to TOTP enrolment (the code
 * computed here, as an authenticator would); the security admin unlocks a locked reporter; the
 * system admin creates an account whose first login is sent to the change-password page.
 */
describe('admins in the browser', { timeout: 240_000 }, () => {
  let app: E2eApp;
  const shot = screenshots('admin-journey');
  const secrets = new Map<string, string>();

  before(async () => {
    app = await startE2eApp();
  });

  after(async () => {
    await app?.close();
  });

  /** First login of a demo admin: the app sends it to enrolment; the secret on the page makes the code. */
  async function enrolledAdmin(username: string): Promise<Page> {
    const page = await signIn(app, username, DEMO_PASSWORD);
    await page.waitForURL((url) => url.pathname === '/account/totp');
    await page.getByText('管理员账号须绑定身份验证器后才能使用管理功能').waitFor();
    await page.getByRole('button', { name: '生成密钥' }).click();
    const secret = (await page.getByTestId('totp-secret').innerText()).trim();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    secrets.set(username, secret);
    await shot(page, `${username}-enrol`);
    await page.getByLabel('动态验证码').fill(totpCode(secret, new Date()));
    await page.getByRole('button', { name: '确认绑定' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/accounts');
    return page;
  }

  it('the security admin enrols TOTP, then unlocks a reporter locked by five wrong passwords', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1)
      await app.server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'guicai', password: `Wrong@${attempt}` } });
    const locked = await app.server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'guicai', password: DEMO_PASSWORD } });
    assert.equal(locked.statusCode, 422, 'guicai is locked');

    const page = await enrolledAdmin('secadmin');
    await page.getByRole('heading', { name: '账号管理' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'guicai' });
    await row.getByText(/锁定至/).waitFor();
    await shot(page, 'locked-reporter');
    await row.getByRole('button', { name: '解锁' }).click();
    await page.getByText('解锁 guicai：已完成').waitFor();
    await row.getByText(/锁定至/).waitFor({ state: 'detached' });
    await shot(page, 'unlocked');

    const after = await app.server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'guicai', password: DEMO_PASSWORD } });
    assert.equal(after.statusCode, 200, after.body);
    const [unlock] = await createRepositories(app.database.db).audit.listAuditEvents({ action: 'auth.unlock' });
    assert.equal(unlock?.actor_name, 'secadmin');
    await page.context().close();
  });

  it('an enrolled admin is asked for the code at the next login', async () => {
    const context = await app.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/login`);
    await page.getByLabel('用户名').fill('secadmin');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText('请输入身份验证器中的 6 位动态验证码').waitFor();
    // The enrolment code used this 30-second step; the authenticator's next code is within the ±1 window.
    await page.getByLabel('动态验证码').fill(totpCode(secrets.get('secadmin')!, new Date(Date.now() + 30_000)));
    await shot(page, 'login-code');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL((url) => url.pathname === '/admin/accounts');
    await page.getByRole('menuitem', { name: /密码策略/ }).waitFor();
    await context.close();
  });

  it('the system admin creates a reporter; its first login can only change the password', async () => {
    const admin = await enrolledAdmin('sysadmin');
    await admin.getByRole('button', { name: '新建账号' }).click();
    const dialog = admin.getByRole('dialog', { name: '新建账号' });
    await dialog.getByLabel('用户名').fill('zhangsan');
    await dialog.getByLabel('姓名').fill('张三');
    await dialog.getByLabel('角色').selectOption({ label: '处室填报员' });
    await dialog.getByLabel('处室').selectOption({ label: '环评处' });
    await dialog.getByRole('button', { name: '创建' }).click();
    const issued = admin.getByTestId('temporary-password');
    await issued.waitFor();
    const temporary = (await issued.innerText()).trim();
    assert.ok(temporary.length >= 14, temporary);
    await shot(admin, 'temporary-password');
    await admin.context().close();

    const page = await signIn(app, 'zhangsan', temporary);
    await page.waitForURL((url) => url.pathname === '/account/password');
    await page.getByText('首次登录或密码已被重置').waitFor();
    // The menu offers nothing else, and typing another address comes back here.
    await page.goto(`${app.baseUrl}/todo`);
    await page.waitForURL((url) => url.pathname === '/account/password');
    await page.getByLabel('当前密码').fill(temporary);
    await page.getByLabel('新密码', { exact: true }).fill('zhangsan1');
    await page.getByText('密码不能包含用户名').first().waitFor();
    await shot(page, 'policy-hints');
    await page.getByLabel('新密码', { exact: true }).fill('Huanping.Zs-2026');
    await page.getByLabel('再次输入新密码').fill('Huanping.Zs-2026');
    await page.getByRole('button', { name: '保存新密码' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/todo'));
    await page.getByRole('menuitem', { name: /我的填报/ }).waitFor();
    await shot(page, 'after-change');
    await page.context().close();

    const fresh = await app.browser.newContext({ locale: 'zh-CN' });
    const again = await fresh.newPage();
    await again.goto(`${app.baseUrl}/login`);
    await logIn(again, 'zhangsan', 'Huanping.Zs-2026');
    await again.waitForURL((url) => url.pathname.startsWith('/todo'));
    assert.equal(await again.getByText('首次登录或密码已被重置').count(), 0, 'no longer restricted');
    await fresh.close();
  });
});
