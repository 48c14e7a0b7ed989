import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { ARTIFACTS, screenshots, openSignedIn, startE2eApp, type E2eApp, waitForValue } from './support/e2e.ts';

/**
 * The office edits a round's notice: from the round page to the form, the suggested number, a
 * title with a placeholder, save, the print page showing it; then a second tab saves first and
 * the first one's save opens the conflict dialog, with nothing typed lost.
 */
/** The save button, named by its word alone: a spinner left in it after a save would make it "loading 保存" (App.tsx, motion). */
const SAVE = /^保存$/;

describe('notice form in the browser', { timeout: 300_000 }, () => {
  let app: E2eApp;
  let roundId: number;
  const screenshot = screenshots('notice-form-journey');
  // From the top: a full-page shot of a scrolled page draws the fixed header and menu half way down.
  const shot = async (page: Page, name: string, options: { fullPage?: boolean } = {}) => {
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, name, options);
  };

  before(async () => {
    app = await startE2eApp();
    const office = await app.server.as('office');
    const opened = await office.post(`/api/plans/${app.server.planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10' });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    roundId = opened.body.id as number;
  });

  after(async () => {
    await app?.close();
  });

  it('the seed round’s form shows the stored notice, its date written as the document writes it', async () => {
    const office = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${app.server.roundId}/notice`);
    await office.getByLabel('机关代字').waitFor();
    assert.equal(await office.getByLabel('机关代字').inputValue(), '川环办发');
    assert.equal(await office.getByLabel('年份').inputValue(), '2017');
    assert.equal(await office.getByLabel('序号').inputValue(), '102');
    assert.equal(await office.getByLabel('成文日期').inputValue(), '2017年7月31日');
    const preview = office.getByLabel('预览').getByRole('article', { name: '通报' });
    assert.match(await preview.innerText(), /四川省环境保护厅办公室文件[\s\S]*川环办发〔2017〕102号[\s\S]*2017年7月31日/);
    await shot(office, 'seed-notice-form');
    await office.context().close();
  });

  it('takes the suggested number, edits the title with a placeholder, saves, and the print page shows it', async () => {
    const office = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}`);
    await office.getByRole('link', { name: '编辑通报' }).click();
    await office.waitForURL((url) => url.pathname === `/rounds/${roundId}/notice`);
    await office.getByText('尚未保存：以下为默认文字').waitFor();

    // A new notice starts with its series' prefix. A number another round has: the server's refusal is shown under the number.
    assert.equal(await office.getByLabel('机关代字').inputValue(), '川环办发');
    await office.getByLabel('年份').fill('2017');
    await office.getByLabel('序号').fill('102');
    await office.getByRole('button', { name: SAVE }).click();
    await office.getByText(/文号“川环办发〔2017〕102号”已用于调度“2017年第二季度”的通报/).waitFor();
    await shot(office, 'number-taken');

    // No date yet: the suggestion takes the year typed (else the round's period, 2017年第三季度).
    await office.getByLabel('年份').fill('');
    await office.getByRole('button', { name: '建议文号' }).click();
    await waitForValue(office.locator('input[aria-label="序号"]'), (value) => value === '103');
    assert.equal(await office.getByLabel('机关代字').inputValue(), '川环办发');

    const title = office.getByLabel('标题', { exact: true });
    await title.fill('关于{轮次}厅内分工方案工作推进情况的通报');
    const preview = office.getByLabel('预览').getByRole('article', { name: '通报' });
    await preview.getByText('关于2017年第三季度厅内分工方案工作推进情况的通报').waitFor();
    assert.match(await preview.innerText(), /川环办发〔2017〕103号/);

    await office.getByRole('button', { name: SAVE }).click();
    await office.getByText('通报已保存（第 1 版）').waitFor();
    await office.getByText(/占位符 \{轮次\} 已替换/).waitFor();
    assert.equal(await title.inputValue(), '关于2017年第三季度厅内分工方案工作推进情况的通报', 'the form shows what was stored');
    await shot(office, 'saved');

    await office.getByRole('link', { name: '通报与调度表' }).first().click();
    await office.waitForURL((url) => url.pathname === `/rounds/${roundId}/notice/print`);
    const printed = office.getByRole('article', { name: '通报' });
    await printed.getByText('川环办发〔2017〕103号').waitFor();
    assert.match(await printed.innerText(), /关于2017年第三季度厅内分工方案工作推进情况的通报/);
    await shot(office, 'print-view', { fullPage: true });
    // The whole page is 9,000 px of table: the notice alone, at a size one can read.
    await printed.screenshot({ path: path.join(ARTIFACTS, 'notice-form-journey', 'print-view-notice.png') });
    assert.ok(await office.getByRole('link', { name: '编辑通报' }).isVisible(), 'the print page links back to the form');
    await office.context().close();
  });

  it('a second tab saving first makes the first tab’s save a conflict dialog; loading theirs keeps the typed text on screen', async () => {
    const first = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}/notice`);
    const firstTitle = first.getByLabel('标题', { exact: true });
    await firstTitle.waitFor();
    await firstTitle.fill('甲：第一个窗口写的标题');

    const second = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}/notice`);
    const secondTitle = second.getByLabel('标题', { exact: true });
    await secondTitle.waitFor();
    await secondTitle.fill('乙：第二个窗口先保存的标题');
    await second.getByRole('button', { name: SAVE }).click();
    await second.getByText('通报已保存（第 2 版）').waitFor();

    await first.getByRole('button', { name: SAVE }).click();
    const dialog = first.getByRole('dialog');
    await dialog.getByText('通报已被他人修改').waitFor();
    const text = await dialog.innerText();
    assert.match(text, /保存了第 2 版/);
    assert.match(text, /乙：第二个窗口先保存的标题/);
    assert.match(text, /甲：第一个窗口写的标题/);
    await shot(first, 'conflict-dialog');

    await dialog.getByRole('button', { name: /载入对方的版本/ }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await firstTitle.inputValue(), '乙：第二个窗口先保存的标题');
    await first.getByText('您当时未保存的修改如下', { exact: false }).waitFor();
    assert.ok(await first.getByText('甲：第一个窗口写的标题').isVisible(), 'the text typed in the first tab is still on screen');
    await shot(first, 'after-loading-theirs');

    const stored = await app.database.db.selectFrom('notices').select(['title', 'version']).where('round_id', '=', roundId).executeTakeFirstOrThrow();
    assert.deepEqual({ ...stored, version: Number(stored.version) }, { title: '乙：第二个窗口先保存的标题', version: 2 });
    await first.context().close();
    await second.context().close();
  });
  it('Enter in a field saves nothing; typed dates are taken or refused on the field; the spinner leaves even when no transition ends', async () => {
    const api = await app.server.as('office');
    const opened = await api.post(`/api/plans/${app.server.planId}/rounds`, { label: '2017年第四季度', deadline: '2099-12-10' });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const id = opened.body.id as number;
    const stored = async () =>
      (await api.get(`/api/rounds/${id}/notice`)).body as {
        stored: boolean;
        version: number;
        notice: { date: string | null; printed: { date: string | null } };
      };

    const office = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${id}/notice`);
    const date = office.getByLabel('成文日期');
    await date.waitFor();

    // Enter in the date field and in a text field: no version is saved, the date is only tidied.
    await date.fill('2017-10-16');
    await date.press('Enter');
    assert.equal(await date.inputValue(), '2017年10月16日');
    await office.getByLabel('发文机关', { exact: true }).press('Enter');
    await office.getByLabel('姓名').fill('王芳');
    await office.getByLabel('姓名').press('Enter');
    await office.waitForTimeout(1_000);
    assert.deepEqual((await stored()).stored, false, 'Enter saved no version');
    assert.equal(await office.getByText(/通报已保存/).count(), 0);

    // An impossible day is refused on its field, and 保存 saves nothing while it is there.
    const printed = office.getByLabel('印发日期');
    await printed.fill('2017-02-30');
    await printed.press('Tab');
    await office.getByText('印发日期“2017-02-30”不是有效日期（该日不存在或格式不对）').waitFor();
    await shot(office, 'impossible-date');
    await office.getByRole('button', { name: SAVE }).click();
    await office.waitForTimeout(1_000);
    assert.equal((await stored()).stored, false, 'nothing saved with an impossible date');

    // A machine too busy to report the end of a transition (none runs at all here): the spinner
    // must still leave the button once the save is done.
    await office.evaluate(
      `(() => { const sheet = new CSSStyleSheet(); sheet.replaceSync('*, *::before, *::after { transition: none !important; }'); document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; })()`,
    );
    await printed.fill('2017/10/16');
    await office.getByRole('button', { name: SAVE }).click();
    await office.getByText('通报已保存（第 1 版）').waitFor();
    await office.getByRole('button', { name: SAVE }).waitFor({ timeout: 5_000 });
    assert.equal(await office.locator('.ant-btn-loading-icon').count(), 0, 'no spinner left in a button');
    assert.equal(await printed.inputValue(), '2017年10月16日');
    await shot(office, 'typed-dates-saved');

    const saved = await stored();
    assert.deepEqual(
      { version: saved.version, date: saved.notice.date, printed: saved.notice.printed.date },
      { version: 1, date: '2017-10-16', printed: '2017-10-16' },
    );
    await office.context().close();
  });
});
