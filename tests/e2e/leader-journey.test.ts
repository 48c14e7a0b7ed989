import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { placeLabel } from '../../src/web/lib/findings.ts';
import { logIn, screenshots, signIn, startE2eApp, type E2eApp } from './support/e2e.ts';

type TreeTask = { id: number; position: number; text: string; leaders: string[]; units: { name: string; role: string }[] };

/**
 * A leader's 批示 reaches the unit and comes back answered: the leader writes one on a task;
 * the unit's reporter is told (the bell, the notifications page), finds it on the to-do beside
 * the task and answers with 落实反馈; the leader is told in turn and reads the feedback under
 * the 批示. Then the leader's home page, 我分管的, on a phone: cards, lagging first, no sideways scroll.
 */
describe('leader journey: 批示, 落实反馈, 我分管的', { timeout: 300_000 }, () => {
  let app: E2eApp;
  let roundId: number;
  let task: TreeTask;
  let laggingTask: TreeTask;
  let laggingPlace = '';
  const shot = screenshots('leader-journey');
  const instruction = '请环评处抓紧推进，十月底前报送阶段成果。';
  const feedback = '已制定工作方案，完成 8 件规划环评审查，十月底前报送。';

  before(async () => {
    app = await startE2eApp();
    const office = await app.server.as('office');
    const reporter = await app.server.as('huanping');
    const unitId = reporter.session.user.unit!.id;
    const tree = await office.get(`/api/plans/${app.server.planId}/tree`);
    const tasks = tree.body.chapters.flatMap((c: { sections: { tasks: TreeTask[] }[] }) => c.sections.flatMap((s) => s.tasks)) as TreeTask[];
    const ours = tasks.filter((t) => t.leaders.includes('李岳东') && t.units.some((u) => u.name === '环评处'));
    assert.ok(ours.length >= 2, 'the seed has tasks 李岳东 leads with 环评处 responsible');
    task = ours[0]!;
    laggingTask = ours.at(-1)!;
    const others = tasks.filter((t) => t.leaders.includes('李岳东') && !ours.includes(t)).slice(0, 3);
    roundId = (
      await office.post(`/api/plans/${app.server.planId}/rounds`, {
        label: '2017年第三季度',
        deadline: '2099-10-10',
        taskIds: [...ours, ...others].map((t) => t.id),
      })
    ).body.id;
    // One answer 滞后, so the leader's page has something to put first.
    const saved = await reporter.put(`/api/rounds/${roundId}/tasks/${laggingTask.id}/units/${unitId}/answer`, {
      text: '资金尚未到位，进度滞后。',
      status: 'delayed',
      reason: '资金尚未到位',
      version: 0,
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    // Where the plan prints the lagging task among the round's tasks (二.(二).4), as the insight page cites it.
    const roundTree = await office.get(`/api/plans/${app.server.planId}/tree?roundId=${roundId}`);
    for (const chapter of roundTree.body.chapters as { number: number; sections: { number: number; tasks: TreeTask[] }[] }[])
      for (const section of chapter.sections)
        section.tasks.forEach((t, at) => {
          if (t.id === laggingTask.id) laggingPlace = placeLabel({ chapter: chapter.number, section: section.number, index: at + 1 });
        });
    assert.ok(laggingPlace, 'the lagging task is in the round');
  });

  after(async () => {
    await app?.close();
  });

  const bell = (page: Page) => page.getByRole('button', { name: /^通知消息/ });

  it('the leader writes a 批示; the reporter sees it beside the task on the to-do and answers; the leader is told and reads the feedback', async () => {
    const leader = await signIn(app, 'leader', DEMO_PASSWORD);
    await leader.waitForURL(/\/leader$/);
    await leader.goto(`${app.baseUrl}/tasks/${task.id}`);
    await leader.getByLabel('批示内容').fill(instruction);
    await leader.getByRole('button', { name: '提交批示' }).click();
    await leader.locator('.prose').filter({ hasText: instruction }).waitFor();
    await leader.getByText('责任单位尚未反馈落实情况').waitFor();
    await shot(leader, 'leader-writes-instruction');

    const reporter = await signIn(app, 'huanping', DEMO_PASSWORD);
    // round opened + the 批示: two unread, from the server.
    await reporter.getByRole('button', { name: '通知消息（2条未读）' }).waitFor();
    await bell(reporter).click();
    await reporter.waitForURL(/\/notifications$/);
    await reporter.getByText(/李岳东对任务“.*”作出批示/).waitFor();
    await shot(reporter, 'reporter-notifications');
    await reporter.getByRole('button', { name: '查看批示' }).click();
    await reporter.waitForURL(new RegExp(`/todo/${roundId}$`));
    const panel = reporter.getByRole('region', { name: '厅领导批示' });
    await panel.getByText(instruction).waitFor();
    assert.equal(await panel.count(), 1, 'beside the one task it is about');
    await reporter.getByRole('button', { name: '通知消息（1条未读）' }).waitFor();
    await panel.getByLabel('落实反馈').fill(feedback);
    await panel.getByLabel('落实反馈').press('Enter');
    assert.equal((await app.database.db.selectFrom('instruction_feedback').selectAll().execute()).length, 0, 'Enter in the field sends nothing');
    await panel.getByLabel('落实反馈').fill(feedback);
    await panel.getByRole('button', { name: '报送落实反馈' }).click();
    await reporter.getByRole('tooltip').getByText('向李岳东报送本单位的落实反馈？').waitFor();
    await reporter.getByRole('button', { name: '报送', exact: true }).click();
    await panel.getByText(feedback).waitFor();
    await panel.scrollIntoViewIfNeeded();
    await shot(reporter, 'reporter-answers-on-todo');

    // The leader's bell, on the next poll or focus; a reload stands in for waiting a minute.
    await leader.goto(`${app.baseUrl}/notifications`);
    await leader.getByText(/对任务“.*”的批示反馈了落实情况（/).waitFor();
    await leader.getByRole('button', { name: '通知消息（1条未读）' }).waitFor();
    await shot(leader, 'leader-told');
    await leader.getByRole('button', { name: '查看反馈' }).click();
    await leader.waitForURL(new RegExp(`/tasks/${task.id}$`));
    await leader.getByRole('region', { name: '落实反馈' }).getByText(feedback).waitFor();
    await leader.getByRole('button', { name: '通知消息', exact: true }).waitFor();
    await shot(leader, 'leader-reads-feedback');

    // Read state is per person, on the server: a new browser of the same reporter agrees; the head's is untouched.
    const again = await signIn(app, 'huanping', DEMO_PASSWORD);
    await again.getByRole('button', { name: '通知消息（1条未读）' }).waitFor();
    const head = await signIn(app, 'huanping-head', DEMO_PASSWORD);
    await head.getByRole('button', { name: '通知消息（2条未读）' }).waitFor();
  });

  it('我分管的 on a phone: cards, lagging first, late and unsubmitted units, no horizontal scroll', async () => {
    const context = await app.browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/login`);
    await logIn(page, 'leader', DEMO_PASSWORD);
    await page.waitForURL(/\/leader$/);
    await page.getByRole('heading', { name: '我分管的' }).waitFor();
    const cards = page.getByRole('region', { name: /^任务 / });
    await cards.first().waitFor();
    assert.equal(await cards.first().getAttribute('aria-label'), `任务 ${laggingPlace}`, 'the lagging task comes first, cited as the plan prints it');
    await cards.first().getByText(laggingPlace, { exact: true }).waitFor();
    assert.equal(await page.getByText(/^第 \d+ 项$/).count(), 0, 'no stored position printed');
    await cards.first().getByText('滞后').first().waitFor();
    await page.getByText('1 项任务滞后或暂缓，排在最前。').waitFor();
    // A string: the test files are type-checked without the DOM library.
    const widths = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as {
      scroll: number;
      client: number;
    };
    assert.ok(widths.scroll <= widths.client, `no horizontal scroll: ${widths.scroll} > ${widths.client}`);
    await shot(page, 'leader-home-phone');
    await page.getByRole('link', { name: '催办看板' }).click();
    await page.waitForURL(new RegExp(`/rounds/${roundId}/board$`));
    await page.getByText('环评处').first().waitFor();
    await shot(page, 'leader-board-phone');
    await context.close();
  });
});
