import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findAll, readXmlPart, readZipEntries, textOf } from '../support/ooxml-read.ts';
import { screenshots, openSignedIn, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * The office exports from the print page: 导出 Word starts a job, the page waits for it and the
 * browser downloads the file under its Chinese name; 导出 PDF on a server whose LibreOffice is not
 * where it is said to be shows why it failed.
 */
describe('exports from the print page in the browser', { timeout: 240_000 }, () => {
  let app: E2eApp;
  const shot = screenshots('export-journey');
  const folder = mkdtempSync(path.join(tmpdir(), 'diaodu-e2e-export-'));

  before(async () => {
    app = await startE2eApp({ config: { exports: { perMinute: 20, timeoutMs: 300_000, soffice: '/nonexistent/libreoffice/soffice' } } });
  });

  after(async () => {
    await app?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('downloads the notice as Word under its name, and shows the message when PDF cannot be made', async () => {
    const round = await app.database.db.selectFrom('rounds').select('id').orderBy('id').executeTakeFirstOrThrow();
    const office = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${round.id}/notice/print`);
    await office.getByText('川环办发〔2017〕102号').first().waitFor();

    const download = office.waitForEvent('download');
    await office.getByRole('button', { name: '导出 Word' }).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), '川环办发〔2017〕102号-2017年第二季度工作推进情况通报.docx');
    const saved = path.join(folder, 'notice.docx');
    await file.saveAs(saved);
    const text = findAll(readXmlPart(readZipEntries(readFileSync(saved)), 'word/document.xml'), 'w:p')
      .map((p) => textOf(p))
      .join('\n');
    assert.match(text, /四川省环境保护厅办公室关于《.+》2017年第二季度工作推进情况的通报/);

    await office.getByRole('button', { name: '导出 PDF' }).click();
    await office.getByText(/找不到 LibreOffice 程序.*无法生成 PDF；请下载 Word 文件/).waitFor();
    await shot(office, 'pdf-unavailable');
    const audits = await app.database.db.selectFrom('audit_events').select(['actor_name', 'detail']).where('action', '=', 'round.export').execute();
    assert.deepEqual(
      audits.map((row) => [row.actor_name, JSON.parse(row.detail).format]),
      [['office', 'docx']],
    );
  });

  it('shows the seed as written, with columns wide enough for their names, on a desktop and on a phone', async () => {
    const round = await app.database.db.selectFrom('rounds').select('id').orderBy('id').executeTakeFirstOrThrow();
    const office = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${round.id}/notice/print`);
    const table = office.getByRole('region', { name: '调度表' });
    await table.getByText('省生态文明建设领导小组办公室').first().waitFor();
    // An imported round is its document: the two options that would change it are off, and say why.
    assert.equal(await office.getByLabel('文稿').isDisabled(), true);
    await office.getByText('导入的轮次按原文件导出').waitFor();
    const cells = await table.locator('tbody td').allInnerTexts();
    assert.equal(cells.join('\n').split('（总队）').length - 1, 7, '（总队） as the original writes it');
    assert.ok(!cells.some((text) => text.includes('（未报送）')), 'nothing invented');
    for (const [width, name] of [
      [1366, 'desktop'],
      [390, 'phone'],
    ] as const) {
      await office.setViewportSize({ width, height: 900 });
      // Each name of the name columns on one line (one line of 12 px at line-height 1.5 is 18 px).
      const heights = await table
        .locator('tbody tr')
        .first()
        .locator('td.notice-name-cell .notice-name')
        .evaluateAll((spans) => spans.map((span) => span.getBoundingClientRect().height));
      assert.ok(heights.length >= 3 && heights.every((h) => h < 24), `${name}: names whole on one line (${heights.join(', ')})`);
      const lead = await table
        .locator('col')
        .nth(3)
        .evaluate((col) => col.getBoundingClientRect().width);
      assert.ok(lead >= 4 * 12 + 10, `${name}: 省级牵头部门 at least four characters wide (${lead}px)`);
      await shot(office, `seed-table-${name}`);
    }
  });

  it('exports a live round as the office chooses: a 征求意见稿 with 未审核 and 滞后 marked, （未报送） when asked; the marks remembered, the version not', async () => {
    const office = await app.server.as('office');
    const reporter = await app.server.as('huanping');
    const opened = await office.post(`/api/plans/${app.server.planId}/rounds`, {
      label: '2017年第三季度',
      periodStart: '2017-07-01',
      periodEnd: '2017-09-30',
      deadline: '2099-10-10',
      note: null,
    });
    assert.equal(opened.status, 201, opened.text);
    const roundId = opened.body.id as number;
    const unitId = reporter.session.user.unit!.id;
    const items = (await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`)).body.items as { task: { id: number } }[];
    for (const [i, item] of items.entries()) {
      const body = i === 0 ? { text: '环评审查推迟。', status: 'delayed', reason: '专家未到齐' } : { text: '按期推进。', status: 'on_track', reason: null };
      assert.equal((await reporter.put(`/api/rounds/${roundId}/tasks/${item.task.id}/units/${unitId}/answer`, { ...body, version: 0 })).status, 200);
    }
    assert.equal((await reporter.post(`/api/rounds/${roundId}/units/${unitId}/submit`, {})).status, 200);

    const page = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}/notice/print`);
    const table = page.getByRole('region', { name: '调度表' });
    await table.getByRole('heading', { name: /2017年第三季度工作推进情况调度表$/ }).waitFor();
    assert.equal(await table.getByText('环评审查推迟。', { exact: false }).count(), 0, 'official: nothing accepted yet');

    await page.getByLabel('文稿').selectOption({ label: '征求意见稿（含未审核）' });
    await table.getByRole('heading', { name: /调度表（征求意见稿）$/ }).waitFor();
    await page.getByRole('article', { name: '通报' }).getByText('征求意见稿', { exact: true }).waitFor();
    await table.getByText('【未审核】环评审查推迟。【滞后】原因：专家未到齐（环评处）').waitFor();
    await page.getByLabel('滞后、暂缓及原因').selectOption({ label: '文前：【滞后：…】' });
    await table.getByText('【未审核】【滞后：专家未到齐】环评审查推迟。（环评处）').waitFor();
    await page.getByLabel('无人报送的任务').selectOption({ label: '写“（未报送）”' });
    await table.getByText('（未报送）').first().waitFor();
    await shot(page, 'draft-options');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 Excel' }).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), '2017年第三季度工作推进情况通报（征求意见稿）.xlsx');
    const saved = path.join(folder, 'draft.xlsx');
    await file.saveAs(saved);
    const sheet = readXmlPart(readZipEntries(readFileSync(saved)), 'xl/sharedStrings.xml');
    const strings = findAll(sheet, 't').map((t) => textOf(t));
    assert.ok(strings.some((text) => text.endsWith('工作推进情况调度表（征求意见稿）')));
    assert.ok(strings.includes('【未审核】【滞后：专家未到齐】环评审查推迟。（环评处）'));
    assert.ok(strings.includes('（未报送）'));

    // Back on the page later: the marks are as the office left them, the version is official again.
    await page.reload();
    await table.getByRole('heading', { name: /2017年第三季度工作推进情况调度表$/ }).waitFor();
    assert.equal(await page.getByLabel('文稿').inputValue(), 'official');
    assert.equal(await page.getByLabel('滞后、暂缓及原因').inputValue(), 'before');
    assert.equal(await page.getByLabel('无人报送的任务').inputValue(), 'marked');
  });
});
