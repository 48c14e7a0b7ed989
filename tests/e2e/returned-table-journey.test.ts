import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { compiledRound, xlsxWithEdits } from '../support/returned-table.ts';
import { screenshots, openSignedIn, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * A unit works offline: the office's table of the round comes back from the unit as an Excel
 * file with one cell edited; the reporter uploads it on the to-do page, sees what changed
 * (the added words marked), imports it as a draft and finds it in the editor, unsubmitted.
 */
describe('returned table in the browser', { timeout: 300_000 }, () => {
  let app: E2eApp;
  let roundId: number;
  let unitId: number;
  let taskTexts: string[];
  let compiled: Awaited<ReturnType<typeof compiledRound>>;
  const shot = screenshots('returned-table-journey');
  const texts = ['第一项：规划环评审查 8 件，按期推进。', '第二项：完成项目环评审批 35 件。', '第三项：开展环评机构专项检查。'];
  const added = '下半年将完成剩余 4 件的技术评估。';

  before(async () => {
    app = await startE2eApp();
    const office = await app.server.as('office');
    const reporter = await app.server.as('huanping');
    unitId = reporter.session.user.unit!.id;
    const tree = await office.get(`/api/plans/${app.server.planId}/tree`);
    const tasks = tree.body.chapters
      .flatMap((c: { sections: { tasks: { id: number; text: string; units: { name: string }[] }[] }[] }) => c.sections.flatMap((s) => s.tasks))
      .filter((t: { units: { name: string }[] }) => t.units[0]?.name === '环评处')
      .slice(0, 3) as { id: number; text: string }[];
    assert.equal(tasks.length, 3);
    taskTexts = tasks.map((t) => t.text);
    roundId = (
      await office.post(`/api/plans/${app.server.planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10', taskIds: tasks.map((t) => t.id) })
    ).body.id;
    // The unit answered and submitted; the office compiled the table, then sent the answers back.
    for (const [index, task] of tasks.entries())
      assert.equal(
        (
          await reporter.put(`/api/rounds/${roundId}/tasks/${task.id}/units/${unitId}/answer`, {
            text: texts[index],
            status: 'on_track',
            reason: null,
            version: 0,
          })
        ).status,
        200,
      );
    assert.equal((await reporter.post(`/api/rounds/${roundId}/units/${unitId}/submit`, {}, { 'idempotency-key': 'e2e-returned' })).status, 200);
    compiled = await compiledRound(app.server, roundId);
    assert.equal((await office.post(`/api/rounds/${roundId}/units/${unitId}/return`, { comment: '请补充下一步计划' })).status, 200);
  });

  after(async () => {
    await app?.close();
  });

  const box = (page: Page, n: number) => page.getByRole('region', { name: new RegExp(`^第${n}项`) }).getByLabel('本轮推进情况');

  it('uploads the Excel table, shows the change, imports it as a draft into the editor', async () => {
    // The draft the office sends back while the answers were in its hands: each cell holds the unit's text, 【未审核】 (not accepted yet).
    assert.equal(compiled.table.rows[1]!.progress, `【未审核】${texts[1]}（环评处）`);
    const file = await xlsxWithEdits(compiled, new Map([[taskTexts[1]!, `${texts[1]}${added}（环评处）`]]));

    const page = await openSignedIn(app, 'huanping', `${app.baseUrl}/todo/${roundId}`);
    await box(page, 2).waitFor();
    assert.equal(await box(page, 2).inputValue(), texts[1]);
    await page.getByRole('button', { name: '导入回传表' }).click();
    const dialog = page.getByRole('dialog', { name: '导入回传表' });
    await dialog.waitFor();
    await dialog.locator('input[type=file]').setInputFiles({
      name: '环评处-三季度回传.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(file),
    });

    const counts = dialog.getByLabel('对照结果统计');
    await counts.getByText('修改 1').waitFor({ timeout: 20_000 });
    await counts.getByText('未变 2').waitFor();
    const card = dialog.getByRole('region', { name: /^回传表 第2项/ });
    assert.equal(await card.locator('ins').innerText(), added, 'only the added words are marked');
    assert.equal(await card.locator('del').count(), 0);
    await shot(page, 'diff');

    await dialog.getByRole('button', { name: /导入为草稿（1 项）/ }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 20_000 });
    await page.getByText(/已将 1 项推进情况导入为草稿/).waitFor();
    // The to-do list reloads: the editor shows the imported draft once the new answer arrives.
    for (let tries = 0; tries < 100 && (await box(page, 2).inputValue()) !== `${texts[1]}${added}`; tries++) await page.waitForTimeout(200);
    assert.equal(await box(page, 2).inputValue(), `${texts[1]}${added}`);
    assert.equal(await box(page, 1).inputValue(), texts[0]);
    await page.getByText('已退回').first().waitFor();
    await shot(page, 'draft-in-editor');

    const todo = await (await app.server.as('huanping')).get(`/api/rounds/${roundId}/units/${unitId}/todo`);
    assert.equal(todo.body.submission.state, 'returned', 'a draft to review, not submitted');
    assert.equal(todo.body.items[1].answer.text, `${texts[1]}${added}`);
  });
});
