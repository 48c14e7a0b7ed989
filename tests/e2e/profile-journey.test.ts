import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { screenshots, openSignedIn, signInEnrolled, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * 单位信息 in the browser (decision 027): the system admin replaces the demo's profile with a city
 * bureau's — Enter in a field saves nothing, 保存 asks first — and the next round's notice is
 * drafted in the bureau's name, with its 机关代字.
 */
describe('the organisation profile in the browser', { timeout: 240_000 }, () => {
  let app: E2eApp;
  const shot = screenshots('profile-journey');

  before(async () => {
    app = await startE2eApp();
  });

  after(async () => {
    await app?.close();
  });

  const profileChanges = async () => (await createRepositories(app.database.db).audit.listAuditEvents({ action: 'settings.organisation_profile' })).length;

  it('the system admin sets the bureau’s profile; a new round’s notice speaks it', async () => {
    const admin = await signInEnrolled(app, 'sysadmin');

    await admin.getByRole('menuitem', { name: /单位信息/ }).click();
    await admin.waitForURL((url) => url.pathname === '/admin/organisation-profile');
    const fullName = admin.getByLabel('单位全称');
    await fullName.waitFor();
    assert.match(await admin.getByText(/由演示数据设置/).innerText(), /演示数据/);
    const before = await profileChanges();

    await fullName.fill('某某市生态环境局');
    await admin.getByLabel(/办公室名称/).fill('某某市生态环境局办公室');
    await admin.getByLabel('发文机关标志').fill('某某市生态环境局办公室');
    await admin.getByLabel(/机关代字/).fill('某环办、某环办函');
    await admin.getByLabel('领导称谓').selectOption({ label: '局领导' });
    await admin.getByLabel(/处室称谓/).fill('科、室');
    await admin.getByLabel(/处室称谓/).press('Enter');
    await admin.waitForTimeout(800);
    assert.equal(await admin.getByRole('dialog').count(), 0, 'Enter asks nothing');
    assert.equal(await profileChanges(), before, 'Enter saved nothing');
    await shot(admin, 'filled');

    await admin.getByRole('button', { name: /^保\s*存$/ }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByText('之后新发起调度的通报将以“某某市生态环境局办公室”的名义起草。').waitFor();
    await shot(admin, 'confirm');
    await dialog.getByRole('button', { name: /^保\s*存$/ }).click();
    await admin.getByText('单位信息已保存').waitFor();
    await admin.getByText(/由系统管理员在本页设置/).waitFor();
    assert.equal(await profileChanges(), before + 1);
    await admin.context().close();

    const office = await app.server.as('office');
    const opened = await office.post(`/api/plans/${app.server.planId}/rounds`, {
      label: '2017年第三季度',
      periodStart: '2017-07-01',
      periodEnd: '2017-09-30',
      deadline: '2017-10-16',
    });
    assert.equal(opened.status, 201, opened.text);
    const page = await openSignedIn(app, 'office', `${app.baseUrl}/rounds/${opened.body.id}/notice`);
    const issuing = page.getByLabel('发文机关', { exact: true });
    await issuing.waitFor();
    assert.equal(await issuing.inputValue(), '某某市生态环境局办公室');
    assert.equal(await page.getByLabel('机关代字', { exact: true }).inputValue(), '某环办');
    await page
      .getByText(/局机关各科（室）、直属各单位/)
      .first()
      .waitFor();
    assert.equal(await page.getByText('尚未设置本单位信息').count(), 0);
    await shot(page, 'bureau-notice');
    await page.context().close();
  });
});
