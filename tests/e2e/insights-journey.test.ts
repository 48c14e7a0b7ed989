import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemActor } from '../../src/domain/actor.ts';
import type { FindingView, RoundInsightsView } from '../../src/domain/api/insight-view.ts';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import type { SignedInClient } from '../support/test-server.ts';
import { screenshots, openSignedIn, startE2eApp, tasksAnsweredOnlyBy, type E2eApp, waitForValue } from './support/e2e.ts';

/**
 * The office's insight into the seed round (issue 15), in Chromium: the 数据洞察 page shows the
 * 72.4% ratio of 一.(一).3 confirmed and the four 一.(一).4 indicators without actuals; the office
 * confirms an indicator, asks 法规处 to explain a hollow answer; 法规处's reporter answers from the
 * to-do list; the office sees the reply; the review page carries the badges; the evaluation's
 * Excel file downloads. Screenshots (desktop, and the insight page on a phone) land in
 * test-artifacts/e2e/insights-journey/, each page scanned with axe-core.
 */
describe('insight journey', { timeout: 300_000 }, () => {
  let app: E2eApp;
  let office: SignedInClient;
  let roundId: number;
  let faguiId: number;
  const shot = screenshots('insights-journey');

  before(async () => {
    app = await startE2eApp();
    office = await app.server.as('office');
    roundId = app.server.roundId!;
    // The demo has no 法规处 reporter: one for this journey.
    faguiId = (await app.database.db.selectFrom('units').select('id').where('name', '=', '法规处').executeTakeFirstOrThrow()).id;
    await app.server.services.users.createUser(systemActor('test'), {
      username: 'fagui',
      displayName: '钱明',
      password: DEMO_PASSWORD,
      role: 'reporter',
      unitId: faguiId,
      mustChangePassword: false,
    });
  });

  after(async () => {
    await app?.close();
  });

  it('shows the seed round’s findings, confirms an indicator, asks 法规处 and reads its reply', async () => {
    const api = (await office.get(`/api/rounds/${roundId}/insights`)).body as RoundInsightsView;
    const hollow = api.findings.find((f): f is FindingView => f.kind === 'no_new_facts' && f.unit === '法规处');
    assert.ok(hollow, '法规处 has answers without new facts (四.(十六).8: 加强行政执法监督……)');

    const page = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}`);
    await page.getByRole('link', { name: '数据洞察' }).click();
    await page.getByRole('heading', { name: '2017年第二季度数据洞察' }).waitFor();
    await shot(page, 'insights');

    // 一.(一).3: 63 of 87 is 72.41%, stated 72.4% — confirmed, quiet.
    await page.getByRole('button', { name: /^数字不一致\s*\d+/ }).click();
    const ratio = page.getByRole('article').filter({ hasText: '72.4%' }).filter({ hasText: '72.41%' }).first();
    await ratio.getByText('一致', { exact: true }).waitFor();
    assert.match((await ratio.getAttribute('aria-label'))!, /^一\.\(一\)\.3 数字核对/);

    // 一.(一).4: four targets, none reported.
    await page.getByRole('button', { name: /^数字不一致\s*\d+/ }).click();
    await page.getByRole('button', { name: /^指标\s*\d+/ }).click();
    const forest = page.getByRole('article', { name: /^一\.\(一\)\.4 指标/ });
    assert.ok((await forest.count()) >= 4, `一.(一).4 has its four indicators (found ${await forest.count()})`);
    for (const name of ['森林覆盖率', '城市绿地率']) await forest.filter({ hasText: name }).first().getByText('未报告').first().waitFor();
    await shot(page, 'indicators');

    // Confirm one proposed indicator: asked first, then 已确认.
    const first = forest.filter({ hasText: '待确认' }).first();
    const name = (await first.getByRole('button', { name: /^确认指标：/ }).getAttribute('aria-label'))!.replace(/^确认指标：/, '');
    await first.getByRole('button', { name: /^确认指标：/ }).click();
    const confirm = page.getByRole('dialog', { name: `确认指标“${name}”？` });
    await confirm.getByRole('button', { name: '确认指标' }).click();
    await page.getByText(`已确认指标“${name}”`).waitFor();
    await forest.filter({ hasText: name }).first().getByText('已确认').waitFor();

    // Correct another: the server's refusal shows at its field; corrected, it is saved and confirmed.
    const second = forest.filter({ hasText: '待确认' }).first();
    await second.getByRole('button', { name: /^修改：/ }).click();
    const edit = page.getByRole('dialog', { name: /^修改指标：一\.\(一\)\.4$/ });
    await edit.getByLabel('基准年').fill('1900');
    await edit.getByLabel('指标名称').press('Enter'); // Enter never saves
    await edit.getByRole('button', { name: '保存并确认' }).click();
    await edit.getByText('年份不能早于 1949 年').waitFor();
    await shot(page, 'indicator-field-error');
    await edit.getByLabel('基准年').fill('');
    await edit.getByRole('button', { name: '保存并确认' }).click();
    await page.getByText('已修改并确认指标').waitFor();
    await edit.waitFor({ state: 'hidden' });

    // 一.(一).3's 72.4% is read from the answer: confirmed once, it says 已确认 and is not offered again.
    const water = page
      .getByRole('article', { name: /^一\.\(一\)\.3 指标/ })
      .filter({ hasText: '72.4%' })
      .first();
    await water.getByText('待确认').waitFor();
    assert.equal(await water.getByText('已确认', { exact: true }).count(), 0, 'neither the indicator nor its actual is confirmed yet');
    await water.getByRole('button', { name: /^确认实际值：/ }).click();
    await page
      .getByRole('dialog', { name: /^确认.*报告的实际值 72\.4%？$/ })
      .getByRole('button', { name: '确认实际值' })
      .click();
    await page.getByText('已确认实际值').waitFor();
    await water.getByText('已确认', { exact: true }).waitFor();
    assert.equal(
      await water.getByRole('button', { name: /^(确认实际值|不是实际值)：/ }).count(),
      0,
      'a confirmed actual is not offered for confirmation again',
    );
    await shot(page, 'actual-confirmed');

    // 请说明 on 法规处's hollow answer, the message pre-filled and edited.
    await page.getByRole('button', { name: /^指标\s*\d+/ }).click();
    await page.getByRole('button', { name: /^无新内容\s*\d+/ }).click();
    const unit = page.getByRole('combobox', { name: '按单位筛选' });
    await unit.click();
    await unit.fill('法规处');
    await page.locator('.ant-select-item-option[title="法规处"]').click();
    const item = page.getByRole('article', { name: /无新内容 法规处$/ }).first();
    await item.getByRole('button', { name: /^请说明：法规处/ }).click();
    const ask = page.getByRole('dialog', { name: /^请法规处说明/ });
    const text = ask.getByLabel('发给法规处的说明要求（可修改）');
    assert.match(await text.inputValue(), /^2017年第二季度任务 .+ 的推进情况没有具体数字、时间、文件或项目，请补充说明本期的具体进展。$/);
    await text.fill(`${await text.inputValue()}请于本周内答复。`);
    await shot(page, 'ask-to-explain');
    await ask.getByRole('button', { name: /发\s*送/ }).click();
    await page.getByText('已请法规处说明，对方将在“我的填报”中看到').waitFor();
    await item.getByText('已请说明').waitFor();
    await page.getByRole('region', { name: '请说明' }).getByText('待答复').waitFor();

    // The phone: the same page at 390×844.
    const phone = await app.browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      storageState: await page.context().storageState(),
    });
    const mobile = await phone.newPage();
    await mobile.goto(`${app.baseUrl}/rounds/${roundId}/insights`);
    await mobile.getByRole('heading', { name: '2017年第二季度数据洞察' }).waitFor();
    await shot(mobile, 'insights-phone');
    await phone.close();

    // 法规处's reporter answers from the to-do list (no round is open: the request shows anyway).
    const reporter = await openSignedIn(app, 'fagui', `${app.baseUrl}/todo`);
    const requests = reporter.getByRole('region', { name: '办公室请说明' });
    await requests.getByText('请于本周内答复。', { exact: false }).waitFor();
    await requests.getByLabel('本单位的说明').first().fill('该项为配合工作，本期配合省金融办起草绿色金融实施意见初稿，已于6月20日反馈意见。');
    await shot(reporter, 'todo-explanation');
    await requests
      .getByRole('button', { name: /^提交对 / })
      .first()
      .click();
    await reporter
      .getByRole('dialog', { name: /^提交对 .+ 的说明？$/ })
      .getByRole('button', { name: /提\s*交/ })
      .click();
    await reporter.getByText('说明已提交办公室').waitFor();
    await requests.waitFor({ state: 'detached' });

    // The office sees the reply.
    await page.reload();
    const replies = page.getByRole('region', { name: '请说明' });
    await replies.getByText('已答复').waitFor();
    await replies.getByText(/本期配合省金融办起草绿色金融实施意见初稿/).waitFor();
    await shot(page, 'reply-seen');

    // Badges beside the answers on the review screens: a live round (an imported one has no
    // review pages) where 法规处 answers its tasks as hollowly as last quarter.
    const taskIds = await tasksAnsweredOnlyBy(app, '法规处', 2);
    const opened = await office.post(`/api/plans/${app.server.planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10', taskIds, note: null });
    assert.equal(opened.status, 201, opened.text);
    const live = opened.body.id as number;
    const faguiApi = await app.server.as('fagui');
    // The first answer as hollow as last quarter's; the second with a share that holds.
    const texts = ['配合相关职能部门推进相关工作。', '纳入信用管控的重点企业 200 家，其中 150 家已完成评价，占比 75%。'];
    for (const [i, taskId] of taskIds.entries()) {
      const saved = await faguiApi.put(`/api/rounds/${live}/tasks/${taskId}/units/${faguiId}/answer`, {
        text: texts[i],
        status: 'on_track',
        reason: null,
        version: 0,
      });
      assert.equal(saved.status, 200, saved.text);
    }
    assert.equal((await faguiApi.post(`/api/rounds/${live}/units/${faguiId}/submit`, {})).status, 200);
    await page.goto(`${app.baseUrl}/rounds/${live}`);
    const row = page.getByRole('row').filter({ hasText: '法规处' });
    await row.getByRole('button', { name: /^无新内容：/ }).waitFor();
    await shot(page, 'round-review-badges');
    await row.getByRole('link', { name: '法规处', exact: true }).click();
    await page.getByRole('heading', { name: '法规处的填报' }).waitFor();
    const answer = page.getByRole('region', { name: /^第1项 / });
    const badge = answer.getByRole('button', { name: /^无新内容：/ });
    // From the keyboard: Tab to the badge, Enter opens its detail.
    await badge.focus();
    await page.keyboard.press('Enter');
    assert.equal(await badge.getAttribute('aria-expanded'), 'true');
    await page
      .getByText(/答复中没有数字、日期、文号或具体项目：“配合相关职能部门推进相关工作。”/)
      .first()
      .waitFor();
    await shot(page, 'unit-review-badges');
    // …and from the badge to the insight page, filtered to the unit.
    await page.getByRole('link', { name: '在数据洞察页查看' }).click();
    await page.getByRole('heading', { name: '2017年第三季度数据洞察' }).waitFor();
    await page.getByRole('article').first().waitFor();
    assert.ok((await page.getByRole('article').count()) > 0);
    assert.equal(await page.getByRole('article').filter({ hasNotText: '法规处' }).count(), 0, 'only 法规处’s findings listed');

    // The notice's statistics paragraph, with the figures check on request.
    await page.goto(`${app.baseUrl}/rounds/${live}/notice`);
    await page.getByLabel('正文第1段').waitFor();
    await page.getByRole('checkbox', { name: '附上数据核对结果' }).check();
    await page.getByRole('button', { name: '插入统计段落' }).click();
    await waitForValue(page.locator('textarea[aria-label="正文第2段"]'), (value) => value.startsWith('本季度应报送单位'));
    assert.match(await page.getByLabel('正文第2段').inputValue(), /经核对，报送材料中数据关系1处一致/);
    await shot(page, 'notice-with-figures-check');

    // 考核: the table, and the Excel file.
    await page.goto(`${app.baseUrl}/rounds/${roundId}/evaluation`);
    await page.getByRole('heading', { name: '2017年第二季度考核' }).waitFor();
    await page.getByRole('row').filter({ hasText: '法规处' }).first().waitFor();
    await shot(page, 'evaluation');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /导出 Excel/ }).click()]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const path = await download.path();
    assert.ok(path, 'the workbook downloaded');
  });
});
