import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import { findAll, readXmlPart, readZipEntries, textOf } from '../support/ooxml-read.ts';
import { screenshots, signIn, startE2eApp, type E2eApp } from './support/e2e.ts';

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
    const office = await signIn(app, 'office', DEMO_PASSWORD);
    await office.goto(`${app.baseUrl}/rounds/${round.id}/notice/print`);
    await office.getByText('川环办发〔2017〕102号').first().waitFor();

    const download = office.waitForEvent('download');
    await office.getByRole('button', { name: '导出 Word' }).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), '川环办发〔2017〕102号-2017年第二季度工作推进情况通报.docx');
    const saved = path.join(folder, 'notice.docx');
    await file.saveAs(saved);
    const text = findAll(readXmlPart(readZipEntries(readFileSync(saved)), 'word/document.xml'), 'w:p').map((p) => textOf(p)).join('\n');
    assert.match(text, /四川省环境保护厅办公室关于《.+》2017年第二季度工作推进情况的通报/);

    await office.getByRole('button', { name: '导出 PDF' }).click();
    await office.getByText(/找不到 LibreOffice 程序.*无法生成 PDF；请下载 Word 文件/).waitFor();
    await shot(office, 'pdf-unavailable');
    const audits = await app.database.db.selectFrom('audit_events').select(['actor_name', 'detail']).where('action', '=', 'round.export').execute();
    assert.deepEqual(audits.map((row) => [row.actor_name, JSON.parse(row.detail).format]), [['office', 'docx']]);
  });
});
