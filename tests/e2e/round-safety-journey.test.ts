import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SignedInClient } from '../support/test-server.ts';
import { screenshots, openSignedIn, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * Opening a round safely, in the browser: on 发起调度, Enter in the deadline field opens nothing;
 * an impossible day is refused on the field and 2017/10/16 is taken; the approval option shows
 * which units have no head; opening asks first with a one-line summary; the round opened is then
 * voided (作废) from the rounds page. Screenshots land in test-artifacts/e2e/round-safety-journey/.
 */
describe('opening and voiding a round safely in the browser', { timeout: 240_000 }, () => {
  let app: E2eApp;
  let office: SignedInClient;
  const shot = screenshots('round-safety-journey');
  const rounds = async () =>
    (await office.get(`/api/plans/${app.server.planId}/rounds?includeVoid=1`)).body as { id: number; label: string; status: string; deadline: string | null }[];

  before(async () => {
    app = await startE2eApp();
    office = await app.server.as('office');
  });

  after(async () => {
    await app?.close();
  });

  it('refuses Enter and impossible days, confirms before opening, then voids the round', async () => {
    const before = (await rounds()).length;
    const page = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/new?planId=${app.server.planId}`);
    const deadline = page.getByLabel('截止日期');
    await deadline.waitFor();

    // Enter in the deadline field (and in the label field) opens nothing.
    await deadline.fill('2017-10-16');
    await deadline.press('Enter');
    await page.getByLabel('轮次名称').press('Enter');
    await page.waitForTimeout(1_000);
    assert.equal(await page.getByRole('dialog').count(), 0, 'no confirmation either');
    assert.equal((await rounds()).length, before, 'Enter opened no round');

    // An impossible day is refused on the field, naming it.
    await deadline.fill('2017-02-30');
    await deadline.blur();
    const refusal = page.getByText(/截止日期“2017-02-30”不是有效日期/);
    await refusal.waitFor();
    await shot(page, 'impossible-day-refused');
    await page.getByRole('button', { name: /^发起调度$/ }).click();
    await page.waitForTimeout(500);
    assert.equal(await page.getByRole('dialog').count(), 0, 'an impossible day stops the form before the confirmation');

    // The forms people type are taken.
    await deadline.fill('2017/10/16');
    await deadline.blur();
    await refusal.waitFor({ state: 'detached' });
    await page.getByText('即 2017年10月16日').waitFor();

    // With approval, the units without a head account are named before opening.
    await page.getByLabel('需经处室负责人审核后报送').check();
    await page.getByText(/个单位没有处室负责人账号/).waitFor();
    await page.getByText('所选任务含集体名称：不作为单位催办').waitFor();
    // The office says whom 各处(室) stands for: a choice, a confirmation naming it, then saved.
    await page.getByRole('button', { name: '指定代表的单位（各处(室)）' }).click();
    const members = page.getByRole('combobox', { name: '各处(室)代表的单位', exact: true });
    await members.click();
    await members.fill('环评');
    await page.locator('.ant-select-item-option[title="环评处"]').click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '保存各处(室)代表的单位' }).click();
    await page.getByText('“各处(室)”的任务改由 环评处 填报（今后发起的调度生效）').waitFor();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /^保\s*存$/ })
      .click();
    await page.getByText('由 环评处 填报（作为配合单位）').waitFor();
    const mapped = (await office.get(`/api/plans/${app.server.planId}/collective-units`)).body as { unitName: string; members: { name: string }[] }[];
    assert.deepEqual(
      mapped.find((u) => u.unitName === '各处(室)')!.members.map((m) => m.name),
      ['环评处'],
    );
    await shot(page, 'before-opening');
    await page.getByLabel('需经处室负责人审核后报送').uncheck();

    await page.getByRole('button', { name: /^发起调度$/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/发起“2017年第三季度”：111 项任务，\d+ 个单位，截止 2017年10月16日 17:30，不需处室负责人审核/).waitFor();
    await shot(page, 'confirm-opening');
    assert.equal((await rounds()).length, before, 'nothing opened while the confirmation is shown');
    await dialog.getByRole('button', { name: /^发起调度$/ }).click();
    await page.waitForURL(/\/rounds\/\d+$/);
    const opened = (await rounds()).find((r) => r.label === '2017年第三季度')!;
    assert.equal(opened.status, 'open');
    assert.equal(opened.deadline, '2017-10-16T17:30:00+08:00');

    // 作废 from the rounds page: a reason, a confirmation, and the round is gone from the list.
    await page.goto(`${app.baseUrl}/rounds?planId=${app.server.planId}`);
    const row = page.getByRole('row', { name: /2017年第三季度/ });
    await row.getByRole('button', { name: /作\s*废/ }).click();
    const voiding = page.getByRole('dialog', { name: /作废调度“2017年第三季度”/ });
    await voiding.getByLabel('作废原因（必填）').fill('截止日期填错，重新发起');
    await shot(page, 'void-dialog');
    await voiding.getByRole('button', { name: /确认作废/ }).click();
    await page.getByText('已作废“2017年第三季度”').waitFor();
    await row.waitFor({ state: 'detached' });
    const voided = (await rounds()).find((r) => r.id === opened.id)!;
    assert.equal(voided.status, 'void');
    await page.getByLabel('显示已作废').click();
    await page.getByText(/作废：截止日期填错，重新发起/).waitFor();
    await shot(page, 'voided-shown');
  });

  it("extends one unit's deadline from the board, and names the collective units it does not chase", async () => {
    const units = (await office.get(`/api/plans/${app.server.planId}/collective-units`)).body as { unitId: number; unitName: string }[];
    const reporter = await app.server.as('huanping');
    const huanping = reporter.session.user.unit!.id;
    const mapped = await office.put(`/api/collective-units/${units.find((u) => u.unitName === '各处(室)')!.unitId}/members`, { memberUnitIds: [huanping] });
    assert.equal(mapped.status, 200, JSON.stringify(mapped.body));
    const opened = await office.post(`/api/plans/${app.server.planId}/rounds`, {
      label: '2099年第一季度',
      periodStart: '2099-01-01',
      periodEnd: '2099-03-31',
      deadline: '2099-04-10',
      note: null,
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const roundId = opened.body.id as number;

    const page = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}/board`);
    await page.getByText('各处(室)：由 环评处 作为配合单位填报；直属单位：由办公室自行填写').waitFor();
    await page.getByRole('button', { name: '延期 环评处' }).click();
    const dialog = page.getByRole('dialog', { name: '延长环评处的截止时间' });
    const date = dialog.getByLabel('新截止日期');
    await date.fill('2099年4月20日');
    await date.press('Enter');
    await page.waitForTimeout(500);
    assert.equal(
      (await office.get(`/api/rounds/${roundId}/board`)).body.rows.find((r: { unitId: number }) => r.unitId === huanping).extendedDeadline,
      null,
      'Enter changed nothing',
    );
    await shot(page, 'extend-dialog');
    await dialog.getByRole('button', { name: '延长至 2099年4月20日 17:30' }).click();
    await page.getByText('环评处的截止时间已延长').waitFor();
    const row = page.getByRole('row', { name: /环评处/ });
    await row.getByText('已延期').waitFor();
    await row.getByText('2099年4月20日 17:30').waitFor();
    await shot(page, 'board-extended');
    const board = (await office.get(`/api/rounds/${roundId}/board`)).body;
    assert.equal(board.rows.find((r: { unitId: number }) => r.unitId === huanping).extendedDeadline, '2099-04-20T17:30:00+08:00');
    assert.ok(!board.rows.some((r: { unitName: string }) => r.unitName === '各处(室)' || r.unitName === '直属单位'));

    // The round's own deadline, on the review page: typed forms, impossible days refused, Enter inert.
    await page.goto(`${app.baseUrl}/rounds/${roundId}`);
    await page.getByRole('button', { name: '修改截止时间' }).click();
    const change = page.getByRole('dialog', { name: '修改截止时间' });
    const day = change.getByLabel('新截止日期');
    await day.fill('2099-02-29');
    await day.press('Enter');
    await change.getByText(/新截止日期“2099-02-29”不是有效日期/).waitFor();
    await day.fill('2099年5月8日');
    await change.getByLabel('时刻').fill('16:00');
    await day.press('Enter');
    await page.waitForTimeout(500);
    assert.equal((await office.get(`/api/rounds/${roundId}`)).body.deadline, '2099-04-10T23:59:59+08:00', 'Enter changed nothing');
    await shot(page, 'round-deadline-dialog');
    await change.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('截止时间已修改').waitFor();
    assert.equal((await office.get(`/api/rounds/${roundId}`)).body.deadline, '2099-05-08T16:00:00+08:00');
  });
});
