import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { screenshots, openSignedIn, startE2eApp, type E2eApp } from './support/e2e.ts';

/** The office goes from the round's page to the printable notice and table of the seeded Q2 2017 round. */
describe('notice print view in the browser', { timeout: 240_000 }, () => {
  let app: E2eApp;
  const shot = screenshots('notice-journey');

  before(async () => {
    app = await startE2eApp();
  });

  after(async () => {
    await app?.close();
  });

  it('opens the print view from the round page: red header, doc number, merged chapter cells, a header row that repeats', async () => {
    const round = await app.database.db.selectFrom('rounds').select('id').orderBy('id').executeTakeFirstOrThrow();
    const office = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${round.id}`);
    await office.getByRole('link', { name: '通报与调度表' }).click();
    await office.waitForURL((url) => url.pathname === `/rounds/${round.id}/notice/print`);
    await office.getByText('川环办发〔2017〕102号').waitFor();
    const notice = office.getByRole('article', { name: '通报' });
    assert.match(await notice.innerText(), /四川省环境保护厅办公室/);
    const table = office.locator('table.notice-table');
    assert.equal(await table.locator('tbody tr').count(), 111, 'one row per task of the round');
    const merged = await table.locator('tbody td[rowspan]').first().getAttribute('rowspan');
    assert.ok(Number(merged) > 1, 'the chapter cell spans its rows');
    assert.equal(await table.locator('thead tr').count(), 1);
    for (const label of ['打印', '导出 Word', '导出 Excel', '导出 PDF']) assert.ok(await office.getByRole('button', { name: label }).isVisible(), label);
    await shot(office, 'print-view', { fullPage: true });
    await office.emulateMedia({ media: 'print' });
    assert.equal(await office.getByRole('button', { name: '打印' }).isVisible(), false, 'the toolbar is not printed');
    await shot(office, 'print-media', { fullPage: true });
  });
});
