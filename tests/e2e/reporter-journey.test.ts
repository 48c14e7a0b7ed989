import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { attachmentFiles } from '../support/attachment-files.ts';
import { ARTIFACTS, screenshots, openSignedIn, startE2eApp, tasksAnsweredOnlyBy, type E2eApp } from './support/e2e.ts';

/**
 * What a unit's reporter works with on the to-do page (issue 12): 沿用上轮 fills the box with last
 * round's text (the demo data's imported round is the previous one) and tags the answer; 暂存
 * saves at once and says so; the 报送状态 tag leaves 未填报 and 已填写 N/M counts without a
 * reload; an evidence file is uploaded, downloaded byte for byte, and seen by the office in review.
 */
describe('the reporter’s to-do page', { timeout: 300_000 }, () => {
  let app: E2eApp;
  let roundId: number;
  let unitId: number;
  let previous: { taskId: number; text: string }[];
  const shot = screenshots('reporter-journey');

  before(async () => {
    app = await startE2eApp();
    const office = await app.server.as('office');
    const reporter = await app.server.as('huanping');
    unitId = reporter.session.user.unit!.id;
    roundId = (
      await office.post(`/api/plans/${app.server.planId}/rounds`, {
        label: '2017年第三季度',
        deadline: '2099-10-10',
        taskIds: await tasksAnsweredOnlyBy(app, '环评处', 3),
      })
    ).body.id;
    const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
    previous = todo.body.items.map((item: { task: { id: number }; previousText: string | null }) => ({ taskId: item.task.id, text: item.previousText ?? '' }));
    assert.ok(previous[0]!.text.length > 20, 'the first task has last round’s text to copy');
  });

  after(async () => {
    await app?.close();
  });

  const item = (page: Page, n: number) => page.getByRole('region', { name: new RegExp(`^第${n}项`) });
  const box = (page: Page, n: number) => item(page, n).getByLabel('本轮推进情况');
  const stored = async (n: number) => (await (await app.server.as('huanping')).get(`/api/rounds/${roundId}/units/${unitId}/todo`)).body.items[n - 1];

  it('沿用上轮 fills the box from last round and tags the answer; 暂存 saves at once; the state tag and the counter follow without a reload', async () => {
    const page = await openSignedIn(app, 'huanping', `${app.baseUrl}/todo/${roundId}`);
    await box(page, 1).waitFor();
    const state = page.locator('.ant-descriptions-item').filter({ hasText: '报送状态' });
    await state.getByText('未填报').waitFor();
    await page.getByText('已填写 0 / 3 项').waitFor();
    // Marks this document: a reload would lose it.
    await page.evaluate('window.noReload = true');

    await item(page, 1)
      .getByRole('button', { name: /沿用上轮/ })
      .click();
    assert.equal(await box(page, 1).inputValue(), previous[0]!.text, 'last round’s text, word for word');
    await item(page, 1)
      .getByText(/已保存/)
      .waitFor({ timeout: 15_000 });
    await item(page, 1).getByText('沿用上轮·未修改').waitFor({ timeout: 15_000 });
    await state.getByText('填报中').waitFor({ timeout: 15_000 });
    await page.getByText('已填写 1 / 3 项').waitFor();
    await page.getByText(/其中 1 项未选推进状态/).waitFor();
    const first = await stored(1);
    assert.equal(first.answer.text, previous[0]!.text);
    assert.equal(first.answer.copiedUnchanged, true);
    assert.equal(first.answer.copiedFromRoundId, app.server.roundId, 'copied from the imported round, the one before');
    await shot(page, 'copied-from-last-round');

    // Brought up to date: still marked as copied, no longer word for word.
    await box(page, 1).fill(`${previous[0]!.text}\n三季度：已完成年度任务的 80%。`);
    await item(page, 1).getByText('沿用上轮·已修改').waitFor({ timeout: 15_000 });

    // 暂存 saves now, without waiting for the autosave, and says when.
    await box(page, 2).pressSequentially('第二项：正在推进。', { delay: 5 });
    await item(page, 2)
      .getByRole('button', { name: /暂\s*存/ })
      .click();
    await item(page, 2)
      .getByText(/已暂存 \d{2}:\d{2}:\d{2}/)
      .waitFor({ timeout: 15_000 });
    assert.equal((await stored(2)).answer.text, '第二项：正在推进。');
    assert.equal((await stored(2)).answer.copiedFromRoundId, null);
    await page.getByText('已填写 2 / 3 项').waitFor();
    await page.getByText(/其中 2 项未选推进状态/).waitFor();
    assert.equal(await page.evaluate('window.noReload'), true, 'no reload happened');
    await shot(page, 'stashed-and-counted');
    await page.context().close();
  });

  it('an evidence file is uploaded and downloaded byte for byte; the office sees it, and the 沿用上轮 tag, in review', async () => {
    const page = await openSignedIn(app, 'huanping', `${app.baseUrl}/todo/${roundId}`);
    await box(page, 1).waitFor();
    const png = Buffer.from(attachmentFiles.png());
    await item(page, 1).locator('input[type=file]').setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: png });
    const link = item(page, 1).getByRole('link', { name: '现场照片.png' });
    await link.waitFor({ timeout: 15_000 });
    await item(page, 1).getByText('佐证材料（1）').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), '现场照片.png');
    assert.ok(readFileSync((await download.path())!).equals(png), 'the downloaded bytes are the uploaded ones');

    // A second file, deleted again after a confirmation.
    await item(page, 1)
      .locator('input[type=file]')
      .setInputFiles({ name: '台账.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from(attachmentFiles.xlsx()) });
    await item(page, 1).getByText('佐证材料（2）').waitFor({ timeout: 15_000 });
    await item(page, 1).getByRole('button', { name: '删除 台账.xlsx' }).click();
    await page.getByRole('tooltip').getByText('删除佐证材料“台账.xlsx”？').waitFor();
    await page
      .getByRole('tooltip')
      .getByRole('button', { name: /删\s*除/ })
      .click();
    await item(page, 1).getByText('佐证材料（1）').waitFor({ timeout: 15_000 });
    assert.equal(await item(page, 1).getByRole('link', { name: '台账.xlsx' }).count(), 0);

    // A renamed program is refused with the server's message.
    await item(page, 1)
      .locator('input[type=file]')
      .setInputFiles({ name: '报告.pdf', mimeType: 'application/pdf', buffer: Buffer.from(attachmentFiles.exe()) });
    await page.getByText(/上传失败：报告\.pdf：只能上传 PDF/).waitFor({ timeout: 15_000 });
    await shot(page, 'attachment-uploaded');

    // The phone: one column, the buttons within reach.
    await page.setViewportSize({ width: 390, height: 844 });
    await item(page, 1)
      .getByRole('button', { name: /沿用上轮/ })
      .scrollIntoViewIfNeeded();
    await shot(page, 'phone');
    // What the phone shows at once, around the first answer's buttons and files.
    await item(page, 1).getByRole('link', { name: '现场照片.png' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'reporter-journey', 'phone-viewport.png') });
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    assert.ok(width <= 390, `no sideways scrolling on a phone (${width}px)`);
    await page.context().close();

    const office = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}/units/${unitId}`);
    const reviewed = office.getByRole('region', { name: /^第1项/ });
    await reviewed.getByRole('link', { name: '现场照片.png' }).waitFor({ timeout: 15_000 });
    await reviewed.getByText('沿用上轮·已修改').waitFor();
    const [officeDownload] = await Promise.all([office.waitForEvent('download'), reviewed.getByRole('link', { name: '现场照片.png' }).click()]);
    assert.ok(readFileSync((await officeDownload.path())!).equals(png), 'the office downloads the same bytes');
    await shot(office, 'review-with-attachment');
    await office.context().close();
  });
});
