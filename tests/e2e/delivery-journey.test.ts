import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../src/server/config.ts';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { startSmtpReceiver } from '../support/smtp-receiver.ts';
import { screenshots, openSignedIn, signIn, signInEnrolled, startE2eApp, startE2eDelivery, type E2eApp, type E2eDelivery } from './support/e2e.ts';

/**
 * Issue 16's journey: the system admin sets 环评处's e-mail and 企业微信 group robot; the office
 * sends 催办 from the board; the delivery worker sends it to a real SMTP server and a real HTTP
 * stand-in for 企业微信 (which checks the vendor's message shape and key), both on loopback; the
 * board shows 已发送（邮件、企业微信）. Then 规财处's robot answers 500: the board shows
 * 发送失败（企业微信） with the reason, and the admin's units page flags the address.
 */

/** DIAODU_PUBLIC_URL: the messages' link back into diaodu. */
const PUBLIC_URL = 'https://diaodu.example.gov.cn';

type RobotCall = { key: string | null; content: string };

/** 企业微信's group robot on loopback: POST /cgi-bin/webhook/send?key=…, {msgtype:'text', text:{content}} of at most 2048 bytes. */
async function startWecomRobot(): Promise<{ url: (key: string) => string; calls: RobotCall[]; close(): Promise<void> }> {
  const calls: RobotCall[] = [];
  const read = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  const server: Server = createServer((request, response) => {
    void read(request).then((text) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const answer = (status: number, body: object) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const key = url.searchParams.get('key');
      if (request.method !== 'POST' || url.pathname !== '/cgi-bin/webhook/send') return answer(404, { errcode: 404, errmsg: 'not found' });
      if (key === 'broken-robot') return answer(500, { errcode: -1, errmsg: 'internal error' });
      if (!key) return answer(200, { errcode: 93000, errmsg: 'invalid webhook url' });
      let body: { msgtype?: unknown; text?: { content?: unknown } };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        return answer(200, { errcode: 40008, errmsg: 'invalid message type' });
      }
      const content = body.text?.content;
      if (
        !/^application\/json/.test(request.headers['content-type'] ?? '') ||
        body.msgtype !== 'text' ||
        typeof content !== 'string' ||
        content === '' ||
        Buffer.byteLength(content) > 2048
      )
        return answer(200, { errcode: 40008, errmsg: 'invalid message type' });
      calls.push({ key, content });
      return answer(200, { errcode: 0, errmsg: 'ok' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (key) => `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=${key}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('催办 by e-mail and 企业微信 robot, seen on the board', { timeout: 300_000 }, () => {
  let app: E2eApp;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let robot: Awaited<ReturnType<typeof startWecomRobot>>;
  let delivery: E2eDelivery;
  let roundId: number;
  // The system admin's page stays open across the steps (a second sign-in would need the second factor again).
  let admin: Page;
  const shot = screenshots('delivery-journey');

  before(async () => {
    [smtp, robot] = await Promise.all([startSmtpReceiver(), startWecomRobot()]);
    const base = loadConfig({});
    app = await startE2eApp({ config: { totpKey: 'b3'.repeat(32), delivery: { ...base.delivery, publicUrl: PUBLIC_URL } } });
    // Two attempts 0.3–0.6 s apart: a robot answering 500 is retried once, then failed for good.
    delivery = startE2eDelivery(app, { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, retry: { baseMs: 600, capMs: 600, maxAttempts: 2 } });
    const office = await app.server.as('office');
    const planId = (await office.get('/api/plans')).body[0].id as number;
    const opened = await office.post(`/api/plans/${planId}/rounds`, { label: '2017年三季度调度', deadline: '2099-01-01' });
    assert.equal(opened.status, 201, opened.text);
    roundId = opened.body.id as number;
  });

  after(async () => {
    await delivery?.stop();
    await app?.close();
    await Promise.all([smtp?.close(), robot?.close()]);
  });

  async function setAddresses(admin: Page, unit: string, email: string, robotUrl: string) {
    const row = admin.getByRole('row').filter({ hasText: unit }).first();
    await row.getByRole('button', { name: `设置“${unit}”的提醒地址` }).click();
    const dialog = admin.getByRole('dialog', { name: `“${unit}”的提醒地址` });
    await dialog.getByLabel('电子邮箱').fill(email);
    await dialog.getByRole('combobox', { name: '群机器人类型' }).click();
    await admin.locator('.ant-select-item-option[title="企业微信/政务微信群机器人"]').click();
    await dialog.getByLabel('机器人地址').fill(robotUrl);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    const confirm = admin.getByRole('dialog', { name: '保存提醒地址？' });
    await confirm.getByRole('button', { name: /保\s*存/ }).click();
    await admin.getByText('提醒地址已保存').first().waitFor();
    await row.getByText(/企业微信\/政务微信群机器人（127\.0\.0\.1:\d+）/).waitFor();
  }

  async function urge(page: Page, unit: string) {
    await page.getByRole('button', { name: `催办 ${unit}` }).click();
    const dialog = page.getByRole('dialog', { name: `催办：${unit}` });
    await dialog.getByRole('button', { name: /发送催办/ }).click();
    await page.getByText(`已向${unit}发送催办`).waitFor();
  }

  it('the admin sets 环评处’s e-mail and robot, the office sets the reminder ladder and sends 催办, the board shows 已发送（邮件、企业微信）', async () => {
    admin = await signInEnrolled(app, 'sysadmin');
    await admin.getByRole('menuitem', { name: /处室管理/ }).click();
    await admin.getByRole('heading', { name: '处室管理' }).waitFor();
    await setAddresses(admin, '环评处', 'huanping@example.gov.cn', robot.url('huanping-robot'));
    await setAddresses(admin, '规财处', 'guicai@example.gov.cn', robot.url('broken-robot'));
    await shot(admin, 'addresses-set');

    const office = await signIn(app, 'office', DEMO_PASSWORD);
    // The office sets the round's reminder ladder: the default one, plus the day before the deadline
    // (the ladder's own journey, reminder-ladder-journey, tries it in depth).
    await office.goto(`${app.baseUrl}/rounds/${roundId}`);
    const card = office.locator('#reminder-ladder');
    await card.getByText('截止前 7 天 09:00').waitFor();
    await card.getByLabel('提前天数').fill('1');
    await card.getByRole('button', { name: /添加提醒/ }).click();
    await card.getByRole('row').filter({ hasText: '截止前 1 天 09:00' }).waitFor();
    await card.getByRole('button', { name: /保存催办提醒/ }).click();
    await office
      .getByRole('dialog', { name: '保存催办提醒？' })
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await office.getByText(/催办提醒已保存/).waitFor();
    assert.deepEqual(
      (await app.database.db.selectFrom('reminder_rungs').select('rung').where('round_id', '=', roundId).orderBy('rung').execute()).map((r) => r.rung),
      ['before:1d', 'before:3d', 'before:7d', 'due_day:09:00', 'overdue_daily:09:00'],
    );

    await office.goto(`${app.baseUrl}/rounds/${roundId}/board`);
    await office.getByRole('columnheader', { name: '站外送达' }).waitFor();
    const row = office.getByRole('row').filter({ hasText: '环评处' }).first();
    await row.getByText('—').first().waitFor();
    await urge(office, '环评处');
    await row.getByText('已发送（邮件、企业微信）').waitFor({ timeout: 20_000 });
    await shot(office, 'board-sent');

    const mail = smtp.received.find((m) => m.to.includes('huanping@example.gov.cn'));
    assert.ok(mail, 'the e-mail reached the SMTP server');
    assert.match(mail.raw, /Subject: =\?UTF-8\?/i);
    const call = robot.calls.find((c) => c.key === 'huanping-robot');
    assert.ok(call, 'the robot got the message');
    assert.match(call.content, /^【催办】2017年三季度调度\n环评处：/);
    assert.ok(call.content.endsWith(`\n${PUBLIC_URL}/todo/${roundId}`), 'with a link back into diaodu');

    // Tooltip: when each went.
    await row.getByText('已发送（邮件、企业微信）').hover();
    await office
      .getByRole('tooltip')
      .getByText(/^邮件：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 已发送$/)
      .waitFor();
    await shot(office, 'board-sent-tooltip');
    await office.context().close();
  });

  it('a robot answering 500: the board shows 发送失败（企业微信） with the reason, the admin sees the flag', async () => {
    const office = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}/board`);
    const row = office.getByRole('row').filter({ hasText: '规财处' }).first();
    await urge(office, '规财处');
    await row.getByText('发送失败（企业微信）').waitFor({ timeout: 30_000 });
    await row.getByText('已发送（邮件）').waitFor({ timeout: 20_000 });
    await row.getByText('发送失败（企业微信）').hover();
    await office
      .getByRole('tooltip')
      .getByText(/企业微信：企业微信机器人服务出错（HTTP 500）.*已尝试2次，不再重试/)
      .waitFor();
    await shot(office, 'board-failed');
    assert.ok(
      robot.calls.every((c) => c.key !== 'broken-robot'),
      'the 500 robot accepted nothing',
    );
    // The other unit is as it was.
    await office.getByRole('row').filter({ hasText: '环评处' }).first().getByText('已发送（邮件、企业微信）').waitFor();

    // At phone width the column is reached by scrolling the table.
    await office.setViewportSize({ width: 390, height: 844 });
    await office.reload();
    await office.getByRole('row').filter({ hasText: '规财处' }).first().getByText('发送失败（企业微信）').scrollIntoViewIfNeeded();
    await shot(office, 'board-phone');
    await office.context().close();

    // The admin's units page flags 规财处's address (and only it), with the reason; the dialog says what to fix.
    await admin.reload();
    const flagged = admin.getByRole('row').filter({ hasText: '规财处' }).first();
    await flagged.getByText(/^地址发送失败：企业微信（企业微信机器人服务出错（HTTP 500）/).waitFor();
    assert.equal(
      await admin
        .getByRole('row')
        .filter({ hasText: '环评处' })
        .first()
        .getByText(/地址发送失败/)
        .count(),
      0,
    );
    await shot(admin, 'admin-flag');
    await flagged.getByRole('button', { name: '设置“规财处”的提醒地址' }).click();
    const dialog = admin.getByRole('dialog', { name: '“规财处”的提醒地址' });
    await dialog.getByText('以下地址发送失败，请核对后更正').waitFor();
    await dialog.getByText(/^企业微信：企业微信机器人服务出错（HTTP 500）.*共 1 条）$/).waitFor();
    await shot(admin, 'admin-dialog');
    await admin.context().close();
  });
});
