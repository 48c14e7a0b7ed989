import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { PlanDashboardView, RoundEvaluationView, RoundInsightsView } from '../../src/domain/api/insight-view.ts';
import type { IndicatorFinding } from '../../src/domain/insights/types.ts';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import type { SignedInClient } from '../support/test-server.ts';
import { logIn, screenshots, startE2eApp, type E2eApp } from './support/e2e.ts';

type TodoItem = { task: { id: number; leaders: string[] }; previousText: string | null };

/**
 * The leaders' dashboards over two rounds of the seed plan (issue 15): the office opens 2017年第三季度
 * after the imported 2017年第二季度; 大气处 and 水处 write new answers and submit, 规财处 and 生态处
 * copy 上轮 unchanged and submit, 环评处 has not reported; the office confirms two indicators. Then
 * 领导看板 at a desk (1440×900), the 大屏 in the meeting room (1920×1080, no scrolling, Esc goes
 * back) and the leader's phone page (390×844, no sideways scroll, thumb-sized targets).
 * Screenshots land in test-artifacts/e2e/dashboard-journey/.
 */
describe('dashboard journey: 领导看板, 大屏, the leader’s phone page', { timeout: 300_000 }, () => {
  let app: E2eApp;
  let office: SignedInClient;
  let planId: number;
  let roundId: number;
  const shot = screenshots('dashboard-journey');
  const units: string[] = [];
  /** This round's figures for the two indicators, written into the answers of their tasks. */
  const figures = new Map<number, string>();

  /** Every task of the reporter's unit answered (afresh, or 沿用上轮 as it stood) and submitted. */
  async function report(username: string, how: 'fresh' | 'copy') {
    const reporter = await app.server.as(username);
    const unit = reporter.session.user.unit!;
    units.push(unit.name);
    const todo = await reporter.get(`/api/rounds/${roundId}/units/${unit.id}/todo`);
    assert.equal(todo.status, 200, todo.text);
    const items = todo.body.items as TodoItem[];
    // One of 李岳东's tasks lags, so his phone page has one to show.
    const lagging = items.findIndex((item) => item.task.leaders.includes('李岳东') && !figures.has(item.task.id));
    for (const [i, item] of items.entries()) {
      const figure = figures.get(item.task.id);
      const body = figure
        ? { text: figure, status: 'on_track', reason: null, version: 0 }
        : how === 'copy' && item.previousText
          ? { text: item.previousText, status: 'on_track', reason: null, version: 0, copiedFromPrevious: true }
          : i === lagging
            ? { text: `7-9 月资金尚未到位，第 ${i + 1} 项进度滞后，计划 11 月底前完成招标。`, status: 'delayed', reason: '资金尚未到位', version: 0 }
            : {
                text: `截至 9 月底，已完成年度任务的 ${60 + i}%，印发《实施方案》（环办〔2017〕${i + 10} 号）。`,
                status: 'on_track',
                reason: null,
                version: 0,
              };
      const saved = await reporter.put(`/api/rounds/${roundId}/tasks/${item.task.id}/units/${unit.id}/answer`, body);
      assert.equal(saved.status, 200, saved.text);
    }
    const submitted = await reporter.post(`/api/rounds/${roundId}/units/${unit.id}/submit`, {});
    assert.equal(submitted.status, 200, submitted.text);
  }

  before(async () => {
    app = await startE2eApp();
    office = await app.server.as('office');
    planId = app.server.planId!;
    const opened = await office.post(`/api/plans/${planId}/rounds`, {
      label: '2017年第三季度',
      periodStart: '2017-07-01',
      periodEnd: '2017-09-30',
      deadline: '2099-10-10',
      note: null,
    });
    assert.equal(opened.status, 201, opened.text);
    roundId = opened.body.id;

    // The office confirms two of the proposed indicators (一.(一).2 and 一.(一).3 in the seed).
    const insights = await office.get<RoundInsightsView>(`/api/rounds/${app.server.roundId}/insights`);
    assert.equal(insights.status, 200, insights.text);
    const proposed = insights.body.findings.filter((f): f is IndicatorFinding & { chapterTitle: string; leaders: string[] } => f.kind === 'indicator');
    const chosen = [2, 3].map((index) => proposed.find((f) => f.task.chapter === 1 && f.task.section === 1 && f.task.index === index));
    assert.ok(chosen.every(Boolean), `the seed proposes indicators on 一.(一).2 and 一.(一).3: ${proposed.map((f) => `${f.task.index}:${f.name}`).join(', ')}`);
    for (const finding of chosen) {
      const confirmed = await office.put(`/api/tasks/${finding!.taskId}/indicators/${encodeURIComponent(finding!.key)}`, { state: 'confirmed' });
      assert.equal(confirmed.status, 200, confirmed.text);
    }
    figures.set(chosen[0]!.taskId, '1-9 月，全省细颗粒物（PM2.5）平均浓度同比 2015 年下降 13.6%，9 月启动秋冬季大气污染防治攻坚行动。');
    figures.set(chosen[1]!.taskId, '87 个国家断面有 65 个水质为 III 类及以上，占比 74.7%，同比上升 2.3 个百分点。');

    await report('daqi', 'fresh');
    await report('shuichu', 'fresh');
    await report('guicai', 'copy');
    await report('shengtai', 'copy');
  });

  after(async () => {
    await app?.close();
  });

  /** Every URL a page asked for since it opened (the login page included). */
  const requested = new Map<Page, string[]>();
  const chartsLibrary = (page: Page) => requested.get(page)!.filter((url) => /\/assets\/echarts-[\w-]+\.js$/.test(url));

  async function open(username: string, viewport: { width: number; height: number }, phone = false): Promise<Page> {
    const context = await app.browser.newContext({ locale: 'zh-CN', viewport, ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
    const page = await context.newPage();
    const urls: string[] = [];
    requested.set(page, urls);
    page.on('request', (request) => void urls.push(request.url()));
    await page.goto(`${app.baseUrl}/login`);
    await logIn(page, username, DEMO_PASSWORD);
    return page;
  }

  /** The charts drawn on the page: per chart, how many pixels of its canvases are painted. */
  async function paintedCharts(page: Page): Promise<number[]> {
    // A string: the test files are type-checked without the DOM library.
    return (await page.evaluate(`[...document.querySelectorAll('[data-chart]')].map((chart) => {
      let painted = 0;
      for (const canvas of chart.querySelectorAll('canvas')) {
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
      }
      return painted;
    })`)) as number[];
  }

  async function scrollSizes(page: Page) {
    return (await page.evaluate(
      '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, scrollHeight: document.documentElement.scrollHeight, clientHeight: document.documentElement.clientHeight })',
    )) as { scrollWidth: number; clientWidth: number; scrollHeight: number; clientHeight: number };
  }

  it('the API gives the dashboard of the open round: both rounds in the heat map, the two confirmed indicators', async () => {
    const view = await office.get<PlanDashboardView>(`/api/plans/${planId}/dashboard`);
    assert.equal(view.status, 200, view.text);
    assert.equal(view.body.round?.id, roundId);
    assert.deepEqual(view.body.heatMap.rounds, ['2017年第二季度', '2017年第三季度']);
    assert.equal(view.body.indicators.length, 2);
    for (const series of view.body.indicators)
      assert.deepEqual(
        series.actuals.map((a) => [a.round, a.value !== null]),
        [
          ['2017年第二季度', true],
          ['2017年第三季度', true],
        ],
        `${series.name}: an actual in each round`,
      );
    // The deadline is ahead: a unit that has not submitted has no score yet (未到截止), those that did have theirs.
    const open = view.body.heatMap.cells.filter((c) => c.round === '2017年第三季度');
    for (const unit of units) assert.equal(open.find((c) => c.unit === unit)?.scoreState, 'scored', `${unit} submitted: scored`);
    const waiting = open.filter((c) => !units.includes(c.unit));
    assert.ok(waiting.length > 0 && waiting.every((c) => c.scoreState === 'not_due' && c.score === null), JSON.stringify(waiting.slice(0, 2)));
  });

  it('考核 of the open round: a unit not yet due reads 未到截止, not 0', async () => {
    const page = await open('office', { width: 1440, height: 900 });
    await page.goto(`${app.baseUrl}/rounds/${roundId}/evaluation`);
    await page.getByRole('heading', { name: '2017年第三季度考核' }).waitFor();
    const evaluation = await office.get<RoundEvaluationView>(`/api/rounds/${roundId}/evaluation`);
    const waiting = evaluation.body.rows.find((r) => r.scoreState === 'not_due')!;
    assert.equal(waiting.score, null);
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: waiting.unitName, exact: true }) });
    assert.equal(await row.getByRole('cell').last().innerText(), '未到截止');
    const reported = page.getByRole('row').filter({ has: page.getByRole('cell', { name: units[0]!, exact: true }) });
    assert.match(await reported.getByRole('cell').last().innerText(), /^\d+$/, `${units[0]} has its score`);
    await shot(page, 'evaluation-open-round');
    await page.context().close();
  });

  it('领导看板 at a desk: completion by unit, leader and chapter, the indicator charts and the heat map, drawn', async () => {
    const page = await open('office', { width: 1440, height: 900 });
    await page
      .getByRole('menuitem')
      .filter({ hasText: /^看板$/ })
      .click();
    await page.waitForURL(/\/dashboard/);
    await page.getByRole('heading', { name: '领导看板' }).waitFor();
    await page.locator('[data-chart="heatmap"] canvas').first().waitFor();
    await page.locator('[data-chart="indicator"]').nth(1).locator('canvas').first().waitFor();
    assert.equal(await page.locator('[data-chart="completion"]').count(), 3, 'by unit, by leader, by chapter');
    const byUnit = (await page.locator('[data-chart="completion"]').first().getAttribute('aria-label'))!;
    for (const unit of units) assert.match(byUnit, new RegExp(`${unit}：已报 \\d+/\\d+`), `${unit} has its bar`);
    const heat = (await page.locator('[data-chart="heatmap"]').getAttribute('aria-label'))!;
    assert.match(heat, /2017年第二季度、2017年第三季度/, 'both rounds in the heat map');
    for (const unit of units) assert.ok(heat.includes(unit), `the heat map names ${unit}`);
    const painted = await paintedCharts(page);
    assert.equal(painted.length, 6);
    assert.ok(
      painted.every((n) => n > 500),
      `every chart is drawn: ${painted.join(', ')}`,
    );
    await page.getByRole('group', { name: '本轮数据洞察发现' }).waitFor();
    assert.equal(await page.getByRole('link', { name: '查看本轮数据洞察' }).getAttribute('href'), `/rounds/${roundId}/insights`);
    assert.equal(chartsLibrary(page).length, 1, 'the dashboard loads the charts library');
    await shot(page, 'dashboard-desk');

    // The round picker: last quarter's imported round, its own completion.
    await page.getByRole('combobox', { name: '调度轮次' }).click();
    await page.locator('.ant-select-item-option').filter({ hasText: '2017年第二季度' }).click();
    await page.waitForURL(new RegExp(`plan=${planId}&round=${app.server.roundId}$`));
    await page.getByText(/· 2017年第二季度$/).waitFor();
    await page.locator('[data-chart="completion"]').first().waitFor();
    await page.context().close();
  });

  it('大屏: no app chrome, fits 1920×1080 without scrolling, every chart drawn, Esc goes back', async () => {
    const page = await open('leader', { width: 1920, height: 1080 });
    await page.goto(`${app.baseUrl}/screen/${planId}`);
    await page.getByRole('heading', { name: '2017年第三季度调度情况' }).waitFor();
    await page.locator('[data-chart="heatmap"] canvas').first().waitFor();
    await page.locator('[data-chart="indicator"]').nth(1).locator('canvas').first().waitFor();
    assert.equal(await page.getByRole('menu', { name: '主菜单' }).count(), 0, 'no app chrome');
    const sizes = await scrollSizes(page);
    assert.ok(sizes.scrollHeight <= sizes.clientHeight && sizes.scrollWidth <= sizes.clientWidth, `no scrolling: ${JSON.stringify(sizes)}`);
    const painted = await paintedCharts(page);
    assert.equal(painted.length, 4, 'chapters, two indicators, the heat map');
    assert.ok(
      painted.every((n) => n > 500),
      `every chart is drawn: ${painted.join(', ')}`,
    );
    await page.getByText('每分钟自动刷新').waitFor();
    await shot(page, 'screen-meeting-room');
    await page.keyboard.press('Escape');
    await page.waitForURL(new RegExp(`/dashboard\\?plan=${planId}$`));
    await page.getByRole('heading', { name: '领导看板' }).waitFor();
    await page.context().close();
  });

  it('大屏: a failed refresh keeps the last figures up, dated, instead of an error over the whole screen', async () => {
    const context = await app.browser.newContext({ locale: 'zh-CN', viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${app.baseUrl}/login`);
    await logIn(page, 'leader', DEMO_PASSWORD);
    await page.goto(`${app.baseUrl}/screen/${planId}`);
    await page.getByRole('heading', { name: '2017年第三季度调度情况' }).waitFor();
    await page.getByText('每分钟自动刷新').waitFor();
    // The server stops answering (refused, so not retried), and the minute's refresh comes.
    await page.route('**/api/plans/*/dashboard**', (route) =>
      route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: { code: 'forbidden', message: '无权查看' } }) }),
    );
    await page.clock.fastForward('01:05');
    await page
      .getByRole('status')
      .filter({ hasText: /^刷新失败，显示 .+ 的数据$/ })
      .waitFor();
    await page.getByRole('heading', { name: '2017年第三季度调度情况' }).waitFor();
    assert.equal(await page.getByText('大屏加载失败').count(), 0);
    await context.close();
  });

  it('the leader’s phone page: big counts, his indicators, his lagging tasks; no sideways scroll; thumb-sized targets', async () => {
    const page = await open('leader', { width: 390, height: 844 }, true);
    await page.waitForURL(/\/leader$/);
    await page.getByRole('link', { name: '领导看板' }).waitFor();
    await page.getByRole('link', { name: '手机版' }).click();
    await page.waitForURL(/\/m$/);
    const counts = page.getByRole('group', { name: '我分管的任务概况' });
    await counts.waitFor();
    const text = (await counts.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /\d+ 项滞后 \d+ 个未报 \d+ 个已报/);
    await page.getByText('指标', { exact: true }).waitFor();
    await page.getByText(/^滞后的任务（[1-9]\d*）$/).waitFor();
    await page.getByRole('list', { name: '滞后的任务' }).getByText('滞后', { exact: true }).first().waitFor();
    await page.getByRole('link', { name: '完整看板' }).waitFor();
    // Tasks cited by their place in the plan (二.(二).4), as the insight page and the dashboards do.
    const lagging = page.getByRole('list', { name: '滞后的任务' }).getByRole('listitem');
    await lagging
      .first()
      .getByText(/^[一二三四五六七八九十]+\.\([一二三四五六七八九十]+\)\.\d+$/)
      .waitFor();
    assert.equal(await page.getByText(/^第 \d+ 项$/).count(), 0, 'no bare 第 N 项 on the phone');
    await page.getByRole('link', { name: '本轮数据洞察' }).waitFor();
    const sizes = await scrollSizes(page);
    assert.ok(sizes.scrollWidth <= sizes.clientWidth, `no horizontal scroll: ${sizes.scrollWidth} > ${sizes.clientWidth}`);
    const heights = (await page.evaluate(
      `[...document.querySelectorAll('.app-content a, .app-content button')].filter((el) => el.offsetParent !== null).map((el) => [el.textContent.trim(), el.getBoundingClientRect().height])`,
    )) as [string, number][];
    assert.ok(heights.length > 0);
    for (const [name, height] of heights) assert.ok(height >= 44, `${name}: ${height}px is below 44px`);
    assert.deepEqual(chartsLibrary(page), [], 'login, 我分管的 and the phone page draw no chart: the charts library stays on the server');
    await shot(page, 'leader-phone');
    await page.context().close();
  });

  it('the phone page keeps what it shows when a refresh fails on a bad connection', async () => {
    const context = await app.browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${app.baseUrl}/login`);
    await logIn(page, 'leader', DEMO_PASSWORD);
    await page.goto(`${app.baseUrl}/m`);
    await page.getByRole('group', { name: '我分管的任务概况' }).waitFor();
    await page.route('**/api/leaders/me/portfolio', (route) =>
      route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: { code: 'forbidden', message: '无权查看' } }) }),
    );
    await page.clock.fastForward('02:05');
    await page
      .getByRole('status')
      .filter({ hasText: /^刷新失败，显示 .+ 的数据$/ })
      .waitFor();
    await page.getByRole('group', { name: '我分管的任务概况' }).waitFor();
    await context.close();
  });

  it('a leader reads the round’s insight page from 领导看板: read only, the way back is the dashboard', async () => {
    const page = await open('leader', { width: 1440, height: 900 });
    await page.goto(`${app.baseUrl}/dashboard?plan=${planId}`);
    await page.getByRole('link', { name: '查看本轮数据洞察' }).click();
    await page.waitForURL(new RegExp(`/rounds/${roundId}/insights$`));
    await page.getByRole('heading', { name: '2017年第三季度数据洞察' }).waitFor();
    await page.getByRole('article').first().waitFor();
    for (const name of [/^确认指标/, /^修改/, /^不是指标/, /^确认实际值/, /^请说明/, /^考核$/])
      assert.equal(await page.getByRole('button', { name }).count(), 0, `no ${name} for a leader`);
    const crumbs = page.locator('.ant-breadcrumb');
    assert.equal(await crumbs.getByRole('link', { name: '调度轮次' }).count(), 0, 'the rounds’ review screens are the office’s');
    await crumbs.getByRole('link', { name: '领导看板' }).click();
    await page.waitForURL(new RegExp(`/dashboard\\?plan=${planId}&round=${roundId}$`));
    await page.getByRole('heading', { name: '领导看板' }).waitFor();
    await page.context().close();
  });

  it('a session that must change its password first cannot open the 大屏 either', async () => {
    const home = await app.server.organisation('home');
    await home.database.db.updateTable('users').set({ must_change_password: 1 }).where('username', '=', 'daqi').execute();
    const page = await open('daqi', { width: 1920, height: 1080 });
    await page.waitForURL((url) => url.pathname === '/account/password');
    await page.goto(`${app.baseUrl}/screen/${planId}`);
    await page.waitForURL((url) => url.pathname === '/account/password');
    assert.equal(await page.locator('[data-chart]').count(), 0);
    await page.context().close();
  });
});
