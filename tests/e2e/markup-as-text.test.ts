import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { screenshots, openSignedIn, signIn, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * QUALITY.md bad input 11: `<img src=x onerror=…>` and `javascript:` links typed into an answer are
 * shown as the text they are wherever another person reads them (the lead unit's view of co-unit
 * answers, search snippets with highlights), never run.
 */
const HOSTILE = '资金已下达。<img src=x onerror="window.__xss=1;alert(1)"> <a href="javascript:window.__xss=2">点此查看</a>';

describe('markup in answers is shown as text', { timeout: 240_000 }, () => {
  let app: E2eApp;
  let roundId: number;
  const shot = screenshots('markup-as-text');

  before(async () => {
    app = await startE2eApp();
    const office = await app.server.as('office');
    roundId = (await office.post(`/api/plans/${app.server.planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10' })).body.id;
    const guicai = await app.server.as('guicai');
    const unitId = guicai.session.user.unit!.id;
    const todo = await guicai.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
    const shared = todo.body.items.find((item: { task: { text: string } }) => item.task.text.startsWith('推动成都平原经济区'));
    const saved = await guicai.put(`/api/rounds/${roundId}/tasks/${shared.task.id}/units/${unitId}/answer`, {
      text: HOSTILE,
      status: 'on_track',
      reason: null,
      version: 0,
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  });

  after(async () => {
    await app?.close();
  });

  async function assertInert(page: Page) {
    assert.equal(await page.evaluate(() => (globalThis as { __xss?: number }).__xss), undefined, 'no script ran');
    assert.equal(await page.locator('img[src="x"]').count(), 0, 'no image element was made from the text');
    assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, 'no javascript: link was made from the text');
  }

  it('the lead unit sees the co-unit’s answer as text', async () => {
    const page = await signIn(app, 'huanping', DEMO_PASSWORD);
    let alerted = false;
    page.on('dialog', (dialog) => {
      alerted = true;
      void dialog.dismiss();
    });
    await page.goto(`${app.baseUrl}/todo/${roundId}`);
    await page.getByText('配合单位本轮填报（1）').click({ timeout: 15_000 });
    await page.getByText('onerror="window.__xss=1;alert(1)"', { exact: false }).first().waitFor({ timeout: 15_000 });
    await shot(page, 'co-unit-answer');
    await assertInert(page);
    assert.equal(alerted, false);
  });

  it('search shows the snippet with its highlight, as text', async () => {
    const page = await openSignedIn(app, 'office', `${app.baseUrl}/search?q=${encodeURIComponent('onerror')}`);
    await page
      .getByText(/window\.__xss=1/)
      .first()
      .waitFor({ timeout: 15_000 });
    await shot(page, 'search-snippet');
    await assertInert(page);
  });
});
