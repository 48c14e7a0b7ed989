import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SignedInClient } from '../support/test-server.ts';
import { screenshots, openSignedIn, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * 办公室自行填写 (issue 12), in the browser: the demo data maps no member unit to 直属单位, so the
 * board says the office answers it; the office follows the link, writes the answer with the units'
 * editor (autosave), presses 完成, and the print view's table shows it on task 一.(一).1 attributed
 * to 直属单位. Screenshots land in test-artifacts/e2e/collective-journey/.
 */
describe('the office answers a collective unit itself in the browser', { timeout: 240_000 }, () => {
  let app: E2eApp;
  let office: SignedInClient;
  const shot = screenshots('collective-journey');

  before(async () => {
    app = await startE2eApp();
    office = await app.server.as('office');
  });

  after(async () => {
    await app?.close();
  });

  it('follows 由办公室自行填写 from the board, writes 直属单位’s answer, and finds it in the compiled table', async () => {
    const opened = await office.post(`/api/plans/${app.server.planId}/rounds`, {
      label: '2099年第一季度',
      periodStart: '2099-01-01',
      periodEnd: '2099-03-31',
      deadline: '2099-04-10',
      note: null,
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const roundId = opened.body.id as number;
    const text = '各直属单位结合职能，正在按期推进落实。';

    const page = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${roundId}/board`);
    await page.getByText('集体名称不作为单位催办').waitFor();
    await shot(page, 'board-collectives');
    await page.getByRole('link', { name: '由办公室自行填写（直属单位）' }).click();
    await page.waitForURL((url) => url.pathname === `/todo/${roundId}` && url.searchParams.has('unitId'));
    await page.getByRole('heading', { name: '办公室自行填写' }).waitFor();
    await page.getByText('“直属单位”是集体名称，本轮没有指定代表的单位，由办公室自行填写').waitFor();
    await page
      .getByText(/资源节约型、环境友好型社会建设取得重大进展/)
      .first()
      .waitFor();
    await shot(page, 'collective-page');

    await page.getByLabel('本轮推进情况').fill(text);
    await page.getByLabel('推进状态').selectOption({ label: '按期推进' });
    await page.getByText(/已保存 \d/).waitFor();
    await page.getByText('已填写 1 / 1 项').waitFor();
    await shot(page, 'collective-saved');

    await page.getByRole('button', { name: /^完\s*成$/ }).click();
    await page.waitForURL((url) => url.pathname === `/rounds/${roundId}/board`);
    await page.getByText('“直属单位”的推进情况已保存，已计入调度表').waitFor();

    const compiled = (await office.get(`/api/rounds/${roundId}/compiled`)).body as { table: { rows: { task: string; progress: string }[] } };
    assert.equal(compiled.table.rows[0]!.progress, `${text}（直属单位）`, 'in hand without a submission, attributed like a unit’s answer');

    await page.goto(`${app.baseUrl}/rounds/${roundId}/notice/print`);
    const cell = page.getByText(`${text}（直属单位）`);
    await cell.waitFor();
    await cell.scrollIntoViewIfNeeded();
    await shot(page, 'print-view', { fullPage: true });

    // A reporter never reaches it: the office's page is not theirs, and the API refuses them.
    const reporter = await app.server.as('huanping');
    const direct = ((await office.get(`/api/rounds/${roundId}/board`)).body.collectives as { unitId: number; unitName: string }[]).find(
      (c) => c.unitName === '直属单位',
    )!;
    assert.equal((await reporter.get(`/api/rounds/${roundId}/collective-units/${direct.unitId}/answers`)).status, 403);
  });
});
