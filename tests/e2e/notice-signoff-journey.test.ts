import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/server/services/demo-accounts.ts';
import type { SignedInClient } from '../support/test-server.ts';
import { screenshots, signIn, startE2eApp, type E2eApp } from './support/e2e.ts';

/**
 * The notice's sign-off in the browser (decision 025): 张敏 (office) drafts and sends it to 王芳
 * (office2) for 核稿, who sends it to 李岳东 (leader) for 签发. Then a return at each step: 王芳
 * returns at 核稿, 李岳东 returns at 签发, and the office withdraws a signed notice; each with its
 * comment shown to the drafter. Every step is confirmed in a dialog; Enter in a field never acts.
 */
describe('notice sign-off in the browser', { timeout: 300_000 }, () => {
  let app: E2eApp;
  let clients: { office: SignedInClient; office2: SignedInClient; leader: SignedInClient };
  const screenshot = screenshots('notice-signoff-journey');
  const shot = async (page: Page, name: string) => {
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, name);
  };
  const openRound = async (label: string) => {
    const opened = await clients.office.post(`/api/plans/${app.server.planId}/rounds`, { label, deadline: '2099-10-10' });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    return opened.body.id as number;
  };
  const card = (page: Page) => page.getByLabel('核稿与签发');
  /** Clicks a step's button, checks the confirmation's one-line summary, and confirms it. */
  const confirmStep = async (page: Page, button: string, summary: RegExp, ok: RegExp, name?: string) => {
    await card(page).getByRole('button', { name: button, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(summary).waitFor();
    if (name) await shot(page, name);
    await dialog.getByRole('button', { name: ok }).click();
    await dialog.waitFor({ state: 'detached' });
  };
  const openNotice = async (username: string, roundId: number) => {
    const page = await signIn(app, username, DEMO_PASSWORD);
    await page.goto(`${app.baseUrl}/rounds/${roundId}/notice`);
    await card(page).waitFor();
    return page;
  };
  const version = async (roundId: number) => (await clients.office.get(`/api/rounds/${roundId}/notice/signoff`)).body.version as number;

  before(async () => {
    app = await startE2eApp();
    clients = { office: await app.server.as('office'), office2: await app.server.as('office2'), leader: await app.server.as('leader') };
  });

  after(async () => {
    await app?.close();
  });

  it('拟稿 → 核稿 → 签发: 张敏 sends to 王芳, 王芳 to 李岳东, who signs; the text is locked meanwhile', async () => {
    const roundId = await openRound('2017年第三季度');

    // 拟稿: the drafter chooses the reviewer (never themselves) and the 印数.
    const office = await openNotice('office', roundId);
    await card(office).getByText('拟稿', { exact: true }).first().waitFor();
    await office.getByText('未签发的通报导出时标“征求意见稿”。').waitFor();
    const options = office.getByLabel('核稿人').locator('option');
    assert.deepEqual(await options.allInnerTexts(), ['选择核稿人', '王芳'], 'the drafter is not offered as reviewer');
    await office.getByLabel('核稿人').selectOption({ label: '王芳' });
    await office.getByLabel('印数').fill('30');
    await office.getByLabel('印数').press('Enter');
    assert.equal(await office.getByRole('dialog').count(), 0, 'Enter in a field does not send the notice');
    await shot(office, 'drafter-before-sending');
    await confirmStep(office, '送核稿', /将通报送王芳核稿（印数 30 份）/, /^送核稿$/, 'drafter-confirms-sending');
    await card(office).getByText('核稿中').waitFor();
    await card(office)
      .getByText(/王芳（待办）/)
      .waitFor();
    // The text is locked while 王芳 reviews it: a save is refused, saying why.
    await office.getByRole('button', { name: /^保存$/ }).click();
    await office.getByText(/通报正在由王芳核稿，不能修改/).waitFor();
    await shot(office, 'drafter-save-refused-in-review');
    await office.context().close();

    // 核稿: 王芳 chooses the leader and passes it on.
    const reviewer = await openNotice('office2', roundId);
    await card(reviewer)
      .getByText(/张敏 \d{4}年/)
      .waitFor();
    await reviewer.getByLabel('核稿意见').fill('文字、数字已核');
    await reviewer.getByLabel('核稿意见').press('Enter');
    assert.equal(await reviewer.getByRole('dialog').count(), 0, 'Enter in the opinion does not pass it on');
    await confirmStep(reviewer, '核稿通过，送签发', /核稿通过，送李岳东签发。/, /^核稿通过$/, 'reviewer-confirms');
    await card(reviewer).getByText('待签发').waitFor();
    await reviewer.context().close();

    // 签发: 李岳东 signs.
    const leader = await openNotice('leader', roundId);
    await card(leader)
      .getByText(/王芳 \d{4}年/)
      .waitFor();
    await leader.getByLabel('签发意见').fill('同意印发');
    await shot(leader, 'leader-before-signing');
    await confirmStep(leader, '签发', /签发本通报（意见：同意印发）；签发后通报文字冻结。/, /^签\s*发$/);
    await card(leader).getByText('已签发', { exact: true }).waitFor();
    await card(leader)
      .getByText(/已由李岳东签发，通报文字已冻结/)
      .waitFor();
    const history = await card(leader).locator('.ant-timeline').innerText();
    assert.match(history, /张敏 送核稿[\s\S]*王芳 核稿通过，送签发[\s\S]*李岳东 签发/);
    await shot(leader, 'signed');
    await leader.context().close();

    const view = (await clients.office.get(`/api/rounds/${roundId}/notice/signoff`)).body;
    assert.equal(view.isSigned, true);
    assert.deepEqual([view.drafter.name, view.reviewer.name, view.signer.name, view.signer.opinion, view.copies], ['张敏', '王芳', '李岳东', '同意印发', 30]);
  });

  it('an answer accepted after signing: the page says the signature no longer covers the notice, the office withdraws it and it is signed again', async () => {
    const roundId = await openRound('2018年第一季度');
    const office2Id = clients.office2.session.user.id;
    const leaderId = clients.leader.session.user.id;
    const step = async (client: SignedInClient, action: string, body: Record<string, unknown>) =>
      assert.equal((await client.post(`/api/rounds/${roundId}/notice/signoff/${action}`, { version: await version(roundId), ...body })).status, 200);
    const signAll = async () => {
      await step(clients.office, 'submit', { reviewerUserId: office2Id, copies: 25 });
      await step(clients.office2, 'review', { signerUserId: leaderId, opinion: null });
      await step(clients.leader, 'sign', { opinion: null });
    };
    await signAll();

    // 环评处 answers and submits after signing; the office accepts: the table the leader signed has changed.
    const reporter = await app.server.as('huanping');
    const unitId = reporter.session.user.unit!.id;
    const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
    for (const item of todo.body.items as { task: { id: number } }[])
      assert.equal(
        (
          await reporter.put(`/api/rounds/${roundId}/tasks/${item.task.id}/units/${unitId}/answer`, {
            text: '已按期推进。',
            status: 'on_track',
            reason: null,
            version: 0,
          })
        ).status,
        200,
      );
    assert.equal((await reporter.post(`/api/rounds/${roundId}/units/${unitId}/submit`, {})).status, 200);
    assert.equal((await clients.office.post(`/api/rounds/${roundId}/units/${unitId}/accept`, {})).status, 200);

    const office = await openNotice('office', roundId);
    await card(office).getByText('签发已失效').waitFor();
    await card(office)
      .getByText(/原签发不再覆盖现在的内容：导出仍标“征求意见稿”/)
      .waitFor();
    await shot(office, 'signature-stale-after-accepting');
    await office.getByLabel('撤回原因').fill('签发后环评处补报，重新签发');
    await confirmStep(office, '撤回签发', /撤回李岳东的签发，通报回到拟稿：签发后环评处补报，重新签发/, /^撤回签发$/);
    await card(office).getByText('未签发的通报导出时标“征求意见稿”。').waitFor();
    await office.context().close();

    await signAll();
    const view = (await clients.office.get(`/api/rounds/${roundId}/notice/signoff`)).body;
    assert.deepEqual([view.state, view.stale, view.isSigned], ['signed', false, true]);
  });

  it('a return at each step: at 核稿, at 签发, and the office withdrawing a signed notice; the drafter sees each comment', async () => {
    const roundId = await openRound('2017年第四季度');
    const office2Id = clients.office2.session.user.id;
    const leaderId = clients.leader.session.user.id;
    const submit = async () =>
      assert.equal(
        (await clients.office.post(`/api/rounds/${roundId}/notice/signoff/submit`, { version: await version(roundId), reviewerUserId: office2Id, copies: 20 }))
          .status,
        200,
      );
    const review = async () =>
      assert.equal(
        (await clients.office2.post(`/api/rounds/${roundId}/notice/signoff/review`, { version: await version(roundId), signerUserId: leaderId, opinion: null }))
          .status,
        200,
      );

    // 1. 王芳 returns at 核稿; the comment is required.
    await submit();
    const reviewer = await openNotice('office2', roundId);
    await card(reviewer).getByRole('button', { name: '退回拟稿' }).click();
    await reviewer.getByText('请填写退回意见').waitFor();
    assert.equal(await reviewer.getByRole('dialog').count(), 0, 'no confirmation without a comment');
    await reviewer.getByLabel('退回意见').fill('第二段的完成率与附件不一致');
    await confirmStep(reviewer, '退回拟稿', /将通报退回张敏重新拟稿：第二段的完成率与附件不一致/, /^退\s*回$/, 'reviewer-returns');
    await card(reviewer)
      .getByText(/王芳于.+退回：第二段的完成率与附件不一致/)
      .waitFor();
    await reviewer.context().close();

    const office = await openNotice('office', roundId);
    await card(office)
      .getByText(/王芳于.+退回：第二段的完成率与附件不一致/)
      .waitFor();
    await shot(office, 'drafter-sees-return-at-review');
    await office.context().close();

    // 2. 李岳东 returns at 签发.
    await submit();
    await review();
    const leader = await openNotice('leader', roundId);
    await leader.getByLabel('退回意见').fill('请补充滞后任务的原因');
    await confirmStep(leader, '退回拟稿', /将通报退回张敏重新拟稿：请补充滞后任务的原因/, /^退\s*回$/, 'leader-returns');
    await card(leader)
      .getByText(/李岳东于.+退回：请补充滞后任务的原因/)
      .waitFor();
    await leader.context().close();

    // 3. Signed, then withdrawn by the office (a correction after signing).
    await submit();
    await review();
    assert.equal((await clients.leader.post(`/api/rounds/${roundId}/notice/signoff/sign`, { version: await version(roundId), opinion: null })).status, 200);
    const drafter = await openNotice('office', roundId);
    await card(drafter).getByText('已签发', { exact: true }).waitFor();
    await drafter.getByLabel('撤回原因').fill('文号有误，重新编号');
    await drafter.getByLabel('撤回原因').press('Enter');
    assert.equal(await drafter.getByRole('dialog').count(), 0, 'Enter in the reason does not withdraw');
    await confirmStep(drafter, '撤回签发', /撤回李岳东的签发，通报回到拟稿：文号有误，重新编号/, /^撤回签发$/, 'office-withdraws-signed');
    await card(drafter)
      .getByText(/张敏于.+撤回签发：文号有误，重新编号/)
      .waitFor();
    const history = await card(drafter).locator('.ant-timeline').innerText();
    assert.equal(history.match(/退回拟稿：|撤回签发，重新拟稿：/g)?.length, 3, history);
    await shot(drafter, 'three-returns-in-history');
    await drafter.context().close();
  });
});
