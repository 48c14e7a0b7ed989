import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { screenshots, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * The login page after five wrong passwords (issue 12): the right password is told the account
 * is locked and until when, on the department's clock — and so is a wrong one, word for word, so
 * the lock never tells a guesser that a guess was right.
 */
describe('a locked account on the login page', { timeout: 120_000 }, () => {
  let app: E2eApp;
  const shot = screenshots('locked-login-journey');

  before(async () => {
    app = await startE2eApp();
  });

  after(async () => {
    await app?.close();
  });

  it('the lock and its end are shown on the department clock, the same to a right and a wrong password', async () => {
    for (let attempt = 1; attempt <= 5; attempt += 1)
      await app.server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'shengtai', password: `Wrong@${attempt}` } });
    const context = await app.browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/login`);
    await page.getByLabel('用户名').fill('shengtai');
    await page.getByLabel('密码').fill('Wrong@6');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('alert').filter({ hasText: '已被锁定' }).waitFor();
    const toWrong = await page.getByRole('alert').filter({ hasText: '已被锁定' }).innerText();
    await shot(page, 'wrong-password-locked');

    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    const alert = page.getByRole('alert').filter({ hasText: '已被锁定' });
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /该账户因连续多次登录失败已被锁定，请于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 后再登录，或请系统管理员解锁/);
    assert.doesNotMatch(text, /T\d{2}:\d{2}|Z\b/, 'no raw ISO time');
    assert.equal(text, toWrong, 'the page cannot tell a right password from a wrong one');
    assert.equal(new URL(page.url()).pathname, '/login', 'not signed in');
    await shot(page, 'right-password-locked');
    await context.close();
  });
});
