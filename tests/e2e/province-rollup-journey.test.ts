import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProvinceRollUpView } from '../../src/domain/api/province-view.ts';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { logIn, screenshots, signIn, startE2eApp, tasksAnsweredOnlyBy, type E2eApp } from './support/e2e.ts';

/**
 * 全省汇总 (decision 030): the province's supervisor signs in and lands on the roll-up, one row
 * per organisation of the demo (the department and the demo city bureau, `demo-city`); the home
 * organisation's open round shows its on-time rate, its lights in words and its 滞后 count; the
 * table sorts by on-time rate and a row opens to the organisation's rounds. The supervisor has no
 * plan in its menu and cannot open one by address. Then the page on a phone.
 */
describe('province roll-up journey: 全省汇总', { timeout: 300_000 }, () => {
  let app: E2eApp;
  const shot = screenshots('province-rollup-journey');

  before(async () => {
    app = await startE2eApp({ demoCity: true });
    // The department runs a round: 环评处 answers one task 滞后 and submits; the others have not yet.
    const office = await app.server.as('office');
    const taskIds = await tasksAnsweredOnlyBy(app, '环评处', 2);
    const round = await office.post(`/api/plans/${app.server.planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10', taskIds });
    assert.equal(round.status, 201, round.text);
    const reporter = await app.server.as('huanping');
    const unitId = reporter.session.user.unit!.id;
    for (const [index, taskId] of taskIds.entries()) {
      const saved = await reporter.put(`/api/rounds/${round.body.id}/tasks/${taskId}/units/${unitId}/answer`, {
        text: index === 0 ? '资金尚未到位，进度滞后。' : '已按期推进。',
        status: index === 0 ? 'delayed' : 'on_track',
        reason: index === 0 ? '资金尚未到位' : null,
        version: 0,
      });
      assert.equal(saved.status, 200, saved.text);
    }
    const submitted = await reporter.post(`/api/rounds/${round.body.id}/units/${unitId}/submit`, {});
    assert.equal(submitted.status, 200, submitted.text);
  });

  after(async () => {
    await app?.close();
  });

  it('the supervisor sees every organisation’s row with its figures, sorts and opens one, and cannot open a plan', async () => {
    const expected = (await (await app.server.as('supervisor')).get<ProvinceRollUpView>('/api/province/rollup')).body;
    assert.ok(
      expected.organisations.some((organisation) => organisation.code === 'demo-city'),
      `the demo has a second organisation, demo-city: ${expected.organisations.map((organisation) => organisation.code).join(', ')}`,
    );
    const home = expected.organisations[0]!;

    const page = await signIn(app, 'supervisor', DEMO_PASSWORD);
    await page.waitForURL(/\/province$/);
    await page.getByRole('heading', { name: '全省汇总' }).waitFor();
    const table = page.getByRole('region', { name: '各单位调度汇总' });
    const rows = table.locator('tbody tr.ant-table-row-level-0');
    await rows.first().waitFor();
    assert.equal(await rows.count(), expected.organisations.length, 'one row per organisation');
    for (const organisation of expected.organisations) await table.getByText(organisation.name, { exact: true }).waitFor();

    // The department's open round: 1 of its units submitted on time, its answer 滞后.
    const homeRow = rows.filter({ hasText: home.name });
    await homeRow.getByText('2017年第三季度').waitFor();
    await homeRow.getByText('截止：2099年10月10日 23:59').waitFor();
    const rate = `${(Math.round(home.round!.onTimeRate! * 1000) / 10).toFixed(1)}%`;
    await homeRow.getByText(rate, { exact: true }).waitFor();
    await homeRow.getByText(`应报 ${home.round!.units} · 按时 1 · 逾期 0 · 未报 ${home.round!.units! - 1}`).waitFor();
    await homeRow.getByLabel('绿灯1个').waitFor();
    await homeRow.getByText(/滞后\s*1/).waitFor();
    await shot(page, 'rollup');

    const header = table.getByRole('columnheader', { name: /按时报送率/ });
    await header.click();
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    await header.click();
    assert.equal(await header.getAttribute('aria-sort'), 'descending');

    // A row opens to the organisation's rounds, newest first; the imported seed round is 导入.
    await homeRow.getByRole('button', { name: /展开/ }).click();
    const rounds = page.getByRole('region', { name: `${home.name}各轮次汇总` });
    await rounds.getByText('2017年第二季度').waitFor();
    await rounds.getByText('导入', { exact: true }).waitFor();
    await rounds.getByText('导入的历史轮次，无系统内报送数据').waitFor();
    await shot(page, 'rollup-rounds-of-home');

    // No plan in the menu, none by address, none through the API.
    const menu = page.getByRole('menu', { name: '主菜单' });
    await menu.getByText('全省汇总').waitFor();
    assert.equal(await menu.getByText('分工方案').count(), 0);
    await page.goto(`${app.baseUrl}/plans/${app.server.planId}`);
    await page.getByText('没有权限').waitFor();
    await page.getByText('省级督查员只能查看全省汇总，不能查看各单位的分工方案和填报内容').first().waitFor();
    await shot(page, 'plan-refused');
    await page.context().close();
  });

  it('全省汇总 on a phone: figures folded into two columns, no horizontal scroll', async () => {
    const context = await app.browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/login`);
    await logIn(page, 'supervisor', DEMO_PASSWORD);
    await page.waitForURL(/\/province$/);
    const table = page.getByRole('region', { name: '各单位调度汇总' });
    await table.getByText('2017年第三季度').waitFor();
    await table.getByLabel('绿灯1个').waitFor();
    // A string: the test files are type-checked without the DOM library.
    const widths = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as {
      scroll: number;
      client: number;
    };
    assert.ok(widths.scroll <= widths.client, `no horizontal scroll: ${widths.scroll} > ${widths.client}`);
    await shot(page, 'rollup-phone');
    await context.close();
  });
});
