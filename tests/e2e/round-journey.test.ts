import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshots, openSignedIn, startE2eApp, tasksAnsweredOnlyBy, type E2eApp } from './support/e2e.ts';

/**
 * The quarter, in the browser: a reporter fills two tasks and submits; the office returns the
 * answers with a comment; the reporter fixes and resubmits; the office accepts and closes the
 * round; the board turns green. Screenshots land in test-artifacts/e2e/round-journey/.
 */
describe('a dispatch round in the browser', { timeout: 240_000 }, () => {
  let app: E2eApp;
  let roundId: number;
  let unitId: number;
  const shot = screenshots('round-journey');

  before(async () => {
    app = await startE2eApp();
    // The office opens the round over two tasks that only 环评处 answers for, so one unit's work turns the board green.
    const office = await app.server.as('office');
    const reporter = await app.server.as('huanping');
    unitId = reporter.session.user.unit!.id;
    const onlyHuanping = await tasksAnsweredOnlyBy(app, '环评处', 2);
    const opened = await office.post(`/api/plans/${app.server.planId}/rounds`, {
      label: '2017年第三季度',
      periodStart: '2017-07-01',
      periodEnd: '2017-09-30',
      deadline: '2099-10-10',
      note: '请各处（室）于截止时间前填报本季度推进情况',
      taskIds: onlyHuanping,
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    roundId = opened.body.id;
  });

  after(async () => {
    await app?.close();
  });

  const region = (page: Page, n: number) => page.getByRole('region', { name: new RegExp(`^第${n}项`) });

  async function fill(page: Page, n: number, text: string) {
    const item = region(page, n);
    await item.getByLabel('本轮推进情况').fill(text);
    await item.getByLabel('推进状态').selectOption({ label: '按期推进' });
    await item.getByText(/已保存/).waitFor({ timeout: 15_000 });
  }

  it('goes from the first draft to a closed round with a green board', async () => {
    const reporter = await openSignedIn(app, 'huanping', `${app.baseUrl}/todo/${roundId}`);
    await region(reporter, 1).waitFor();
    assert.equal(await reporter.getByRole('region', { name: /^第\d+项/ }).count(), 2);
    await fill(reporter, 1, '完成规划环评审查意见 16 个，取消 2 个不宜设置的工业园区。');
    await fill(reporter, 2, '已组织开展飞地园区产业准入课题研究。');
    await shot(reporter, 'reporter-filled');
    await reporter.getByRole('button', { name: /^提\s*交$/ }).click();
    // Submitting asks first, saying what will happen; the focus rests on the way back, not on 提交.
    const asked = reporter.getByRole('dialog');
    await asked.getByText('将把环评处的 2 项推进情况提交办公室').waitFor();
    assert.match(String(await reporter.evaluate('document.activeElement && document.activeElement.textContent')), /再看看/);
    await shot(reporter, 'reporter-confirms-submit');
    await asked.getByRole('button', { name: /^提\s*交$/ }).click();
    await reporter
      .getByText(/已提交/)
      .first()
      .waitFor();
    await shot(reporter, 'reporter-submitted');

    const office = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}/units/${unitId}`);
    await office.getByRole('button', { name: '退回全部（环评处）' }).click();
    await office.getByLabel('退回意见').fill('第1项请补充取消园区的名称');
    await shot(office, 'office-returning');
    await office
      .getByRole('dialog')
      .getByRole('button', { name: /^退\s*回$/ })
      .click();
    await office
      .getByText(/已退回/)
      .first()
      .waitFor();

    await reporter.goto(`${app.baseUrl}/todo/${roundId}`);
    await reporter.getByText('第1项请补充取消园区的名称').waitFor();
    await shot(reporter, 'reporter-sees-return');
    const first = region(reporter, 1).getByLabel('本轮推进情况');
    await first.fill('完成规划环评审查意见 16 个，取消了甲、乙两个不宜设置的工业园区。');
    await region(reporter, 1)
      .getByText(/已保存/)
      .waitFor({ timeout: 15_000 });
    await reporter.getByRole('button', { name: /^提\s*交$/ }).click();
    await reporter
      .getByRole('dialog')
      .getByRole('button', { name: /^提\s*交$/ })
      .click();
    await reporter
      .getByText(/已提交/)
      .first()
      .waitFor();

    await office.goto(`${app.baseUrl}/rounds/${roundId}/units/${unitId}`);
    await office.getByText('取消了甲、乙两个不宜设置的工业园区').waitFor();
    await office.getByRole('button', { name: '采纳全部（环评处）' }).click();
    await office
      .getByRole('dialog')
      .getByRole('button', { name: /^采\s*纳$/ })
      .click();
    await office
      .getByText(/已采纳/)
      .first()
      .waitFor();

    await office.goto(`${app.baseUrl}/rounds/${roundId}`);
    await office
      .getByRole('button', { name: /结束调度/ })
      .first()
      .click();
    await office
      .getByRole('dialog')
      .getByRole('button', { name: /结束调度/ })
      .click();
    await office.getByText('本轮调度已结束').first().waitFor();
    await shot(office, 'office-closed');

    await office.goto(`${app.baseUrl}/rounds/${roundId}/board`);
    await office
      .getByRole('heading', { name: /催办看板/ })
      .first()
      .waitFor();
    await shot(office, 'board-green');
    const board = await (await app.server.as('office')).get(`/api/rounds/${roundId}/board`);
    assert.deepEqual(
      board.body.rows.map((r: { unitName: string; light: string; state: string }) => [r.unitName, r.light, r.state]),
      [['环评处', 'green', 'accepted']],
    );
    assert.equal(board.body.round.status, 'closed');
    const stored = await (await app.server.as('huanping')).get(`/api/rounds/${roundId}/units/${unitId}/todo`);
    assert.equal(stored.body.items[0].answer.text, '完成规划环评审查意见 16 个，取消了甲、乙两个不宜设置的工业园区。');
  });
});
