import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { systemActor } from '../../src/domain/actor.ts';
import { DEMO_PASSWORD, DEMO_PROFILE } from '../../src/server/services/demo-accounts.ts';
import { ARTIFACTS, screenshots, signIn, signInEnrolled, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * Issue 14 in the browser: the system admin manages a collective unit's members on the 单位 page
 * (a confirmed save); with a bureau's profile (局领导, 科室) the pages say 牵头局领导 / 责任科室 / 局领导,
 * and a task's 完成时限 shows on the plan tree's card and the task page.
 */
describe('the organisation’s words, due dates and unit groups in the browser', { timeout: 240_000 }, () => {
  let app: E2eApp;
  const shot = screenshots('words-journey');

  before(async () => {
    app = await startE2eApp();
  });

  after(async () => {
    await app?.close();
  });

  const enrolledSysadmin = () => signInEnrolled(app, 'sysadmin');

  it('the system admin sets the members of 各处(室), after a one-line confirmation', async () => {
    const admin = await enrolledSysadmin();
    await admin.getByRole('menuitem', { name: /处室管理/ }).click();
    await admin.getByRole('heading', { name: '处室管理' }).waitFor();
    const row = admin.getByRole('row').filter({ hasText: '各处(室)' });
    await row.getByText('无（由办公室填写）').waitFor();
    await row.getByRole('button', { name: '编辑“各处(室)”的成员单位' }).click();
    const dialog = admin.getByRole('dialog', { name: '“各处(室)”的成员单位' });
    const select = dialog.getByRole('combobox', { name: '成员单位' });
    for (const name of ['环评处', '规财处']) {
      await select.fill(name);
      await admin.locator(`.ant-select-item-option[title="${name}"]`).click();
    }
    await admin.keyboard.press('Escape'); // closes the list, not the dialog
    await shot(admin, 'members-chosen');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    const confirm = admin.getByRole('dialog', { name: '保存成员单位？' });
    await confirm.getByText('“各处(室)”由 2 个单位填报：环评处、规财处（今后发起的调度生效）').waitFor();
    await confirm.getByRole('button', { name: /保\s*存/ }).click();
    await admin.getByText('成员单位已保存').waitFor();
    await row.getByText('规财处').waitFor();
    await shot(admin, 'members-saved');
    const group = (await app.server.services.admin.listUnits(systemActor('test'))).find((unit) => unit.name === '各处(室)')!;
    assert.deepEqual(
      group.members.map((m) => m.name),
      ['环评处', '规财处'],
    );
    await admin.context().close();
  });

  it('a bureau’s profile: 牵头局领导, 责任科室 and 局领导 on the pages, dates on its clock, 完成时限 on the task card and page', async () => {
    await app.server.services.organisationProfile.update(systemActor('test'), {
      ...DEMO_PROFILE,
      fullName: '某某市生态环境局',
      officeName: '某某市生态环境局办公室',
      issuerMark: '某某市生态环境局办公室',
      leaderWord: '局领导',
      unitWords: ['科', '室'],
      timeZone: 'Asia/Urumqi',
    });
    // A round whose day ends on the bureau's clock (+06:00): the pages show it so, not on Shanghai's (01:59 the next day).
    const office = await app.server.as('office');
    const opened = await office.post(`/api/plans/${app.server.planId!}/rounds`, {
      label: '2099年第三季度',
      periodStart: null,
      periodEnd: null,
      deadline: '2099-10-10',
      note: null,
    });
    assert.equal(opened.body.deadline, '2099-10-10T23:59:59+06:00', opened.text);
    const first = await app.database.db.selectFrom('tasks').select('id').orderBy('position').executeTakeFirstOrThrow();
    await app.database.db.updateTable('tasks').set({ due: '2018年6月底前' }).where('id', '=', first.id).execute();

    const leader = await signIn(app, 'leader', DEMO_PASSWORD);
    await leader.getByLabel('当前用户').getByText('局领导').waitFor();
    await leader.getByText('2099年第三季度，截止 2099年10月10日 23:59').waitFor();
    await shot(leader, 'leader-home-bureau-clock');
    await leader.getByRole('menuitem', { name: /分工方案/ }).click();
    await leader.getByText('牵头局领导：').first().waitFor();
    await leader.getByText('责任科室：').first().waitFor();
    const card = leader.locator('.ant-card').filter({ hasText: '完成时限：' });
    assert.equal(await card.count(), 1, 'only the task with a due date shows one');
    await card.getByText('2018年6月底前').waitFor();
    // The seed's import warnings quote its own header (牵头厅领导); no label says it.
    assert.equal(await leader.getByText('牵头厅领导：', { exact: true }).count(), 0);
    await leader.getByLabel('牵头局领导').waitFor();
    await shot(leader, 'plan-tree-bureau');
    // The card itself, readable at a glance (the full page is the whole plan).
    await card.screenshot({ path: path.join(ARTIFACTS, 'words-journey', 'task-card-with-due.png') });

    await leader.goto(`${app.baseUrl}/tasks/${first.id}`);
    await leader.getByText('2018年6月底前').waitFor();
    await leader.getByText(/^局领导批示（\d+）$/).waitFor();
    await shot(leader, 'task-page-bureau');
    await leader.screenshot({ path: path.join(ARTIFACTS, 'words-journey', 'task-page-top.png') });

    // The print view of the seed's round: the table has the 完成时限 column now that a task has a due date.
    await leader.goto(`${app.baseUrl}/rounds/${app.server.roundId!}/notice/print`);
    const table = leader.getByRole('table');
    await table.getByRole('columnheader', { name: '完成时限' }).waitFor();
    await table.getByRole('columnheader', { name: '牵头局领导' }).waitFor();
    await table.getByRole('columnheader', { name: '责任科室' }).waitFor();
    await table.getByRole('cell', { name: '2018年6月底前' }).waitFor();
    await table.getByRole('columnheader', { name: '完成时限' }).scrollIntoViewIfNeeded();
    await leader.screenshot({ path: path.join(ARTIFACTS, 'words-journey', 'print-view-table.png') });
    await leader.context().close();
  });
});
