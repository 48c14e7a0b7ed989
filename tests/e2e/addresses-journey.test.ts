import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshots, openSignedIn, signInEnrolled, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * Issue 16 in the browser: the system admin sets a unit's e-mail and 钉钉 robot on the 单位 page
 * (confirmed; Enter saves nothing; the URL and the secret are not shown again), and a reporter
 * turns on 邮件提醒 for their own address on the 修改密码 page.
 */
describe('delivery addresses in the browser', { timeout: 240_000 }, () => {
  let app: E2eApp;
  const shot = screenshots('addresses-journey');
  const DING_URL = 'https://oapi.dingtalk.com/robot/send?access_token=journey-token-42';

  before(async () => {
    app = await startE2eApp({ config: { totpKey: 'b2'.repeat(32) } });
  });

  after(async () => {
    await app?.close();
  });

  const enrolledSysadmin = () => signInEnrolled(app, 'sysadmin');

  it('the system admin sets 环评处’s e-mail and 钉钉 robot after a one-line confirmation; the URL and secret are never shown again', async () => {
    const admin = await enrolledSysadmin();
    await admin.getByRole('menuitem', { name: /处室管理/ }).click();
    await admin.getByRole('heading', { name: '处室管理' }).waitFor();
    const row = admin.getByRole('row').filter({ hasText: '环评处' }).first();
    await row.getByRole('button', { name: '设置“环评处”的提醒地址' }).click();
    const dialog = admin.getByRole('dialog', { name: '“环评处”的提醒地址' });
    await dialog.getByLabel('电子邮箱').fill('huanping@example.gov.cn');
    await dialog.getByRole('combobox', { name: '群机器人类型' }).click();
    await admin.locator('.ant-select-item-option[title="钉钉自定义机器人"]').click();
    await dialog.getByLabel('机器人地址').fill('http://oapi.dingtalk.com/robot/send');
    await dialog.getByLabel('机器人地址').press('Enter');
    await dialog.getByText('机器人地址须以 https:// 开头').waitFor();
    await dialog.getByLabel('机器人地址').fill(DING_URL);
    await dialog.getByLabel('签名密钥').fill('SECjourney-secret');
    await dialog.getByLabel('签名密钥').press('Enter');
    await shot(admin, 'robot-filled');
    assert.equal(await app.database.db.selectFrom('unit_addresses').selectAll().executeTakeFirst(), undefined, 'Enter saved nothing');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    const confirm = admin.getByRole('dialog', { name: '保存提醒地址？' });
    await confirm.getByText('“环评处”：电子邮箱 huanping@example.gov.cn；群机器人：钉钉自定义机器人（新地址），更新签名密钥').waitFor();
    await confirm.getByRole('button', { name: /保\s*存/ }).click();
    await admin.getByText('提醒地址已保存').waitFor();
    await row.getByText('钉钉自定义机器人（oapi.dingtalk.com，已设签名密钥）').waitFor();
    await shot(admin, 'robot-saved');
    assert.ok(!(await admin.content()).includes('journey-token-42'), 'the robot key is not on the page');

    // Opened again: URL and secret write-only.
    await row.getByRole('button', { name: '设置“环评处”的提醒地址' }).click();
    await dialog.getByLabel('机器人地址').waitFor();
    await shot(admin, 'robot-reopened');
    await dialog.getByText('已设置（oapi.dingtalk.com），留空则不变；地址含密钥，保存后不再显示').waitFor();
    assert.equal(await dialog.getByLabel('机器人地址').inputValue(), '');
    assert.equal(await dialog.getByLabel('签名密钥').getAttribute('placeholder'), '已设置，留空则不变');
    await shot(admin, 'robot-write-only');
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    const raw = await app.database.db.selectFrom('unit_addresses').selectAll().executeTakeFirstOrThrow();
    assert.match(raw.webhook_url ?? '', /^gcm1:/);
    assert.equal(raw.email, 'huanping@example.gov.cn');
    await admin.context().close();
  });

  it('a reporter turns on 邮件提醒 for their own e-mail, confirmed', async () => {
    const page = await openSignedIn(app, 'huanping', `${app.baseUrl}/account/password`);
    const card = page.locator('.ant-card').filter({ hasText: '提醒方式' });
    await card.getByRole('switch', { name: '邮件提醒' }).click();
    await card.getByRole('button', { name: /保存提醒方式/ }).click();
    await card.getByText('开启邮件提醒须先填写电子邮箱').waitFor();
    await card.getByLabel('电子邮箱').fill('zhangmin@example.gov.cn');
    await card.getByLabel('电子邮箱').press('Enter');
    await card.getByRole('button', { name: /保存提醒方式/ }).click();
    const confirm = page.getByRole('dialog', { name: '保存提醒方式？' });
    await confirm.getByText('站内提醒，并发送邮件到 zhangmin@example.gov.cn').waitFor();
    await shot(page, 'my-delivery-confirm');
    await confirm.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('提醒方式已保存').waitFor();
    await shot(page, 'my-delivery-saved');
    const row = await app.database.db.selectFrom('user_delivery').selectAll().executeTakeFirstOrThrow();
    assert.equal(row.email, 'zhangmin@example.gov.cn');
    assert.equal(Number(row.email_enabled), 1);
    await page.context().close();
  });
});
