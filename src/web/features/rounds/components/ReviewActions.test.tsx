import '../../../test-support/dom.ts';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { startWithNoDrafts } from '../../../test-support/drafts.ts';
import { fakeServer, json } from '../../../test-support/fake-server.ts';
import { renderWithApp, sessionOf } from '../../../test-support/render.tsx';
import { ReviewActions, reviewChoices } from './ReviewActions.tsx';

const RETURN_PATH = '/api/rounds/7/units/3/return';

function renderActions(state: 'submitted' | 'approved' | 'accepted' = 'submitted') {
  return renderWithApp(<ReviewActions roundId={7} unitId={3} unitName="环评处" state={state} requiresApproval={false} roundOpen />, {
    session: sessionOf('office'),
  });
}

describe('the office’s review of a whole unit', () => {
  beforeEach(startWithNoDrafts);

  it('returns only with a comment, keeps a half-written one across a reload, and sends it trimmed', async () => {
    const fake = fakeServer().on('POST', RETURN_PATH, json({ state: 'returned' }));
    const user = userEvent.setup({ delay: null });
    const first = renderActions();
    await user.click(screen.getByRole('button', { name: '退回全部（环评处）' }));
    let dialog = await screen.findByRole('dialog', { name: '退回环评处的填报' });
    const send = () => within(dialog).getByRole('button', { name: '退回' });
    assert.equal((send() as HTMLButtonElement).disabled, true, 'no comment, no return');
    await user.type(within(dialog).getByLabelText('退回意见'), '   ');
    assert.equal((send() as HTMLButtonElement).disabled, true, 'blanks are no comment');
    await user.type(within(dialog).getByLabelText('退回意见'), '请补充第3项的佐证材料');
    first.unmount();

    renderActions();
    await user.click(screen.getByRole('button', { name: '退回全部（环评处）' }));
    dialog = await screen.findByRole('dialog', { name: '退回环评处的填报' });
    assert.equal((within(dialog).getByLabelText('退回意见') as HTMLTextAreaElement).value, '   请补充第3项的佐证材料');
    await user.click(send());
    await screen.findByText('已退回环评处的填报');
    assert.deepEqual(fake.to('POST', RETURN_PATH)[0]!.body, { comment: '请补充第3项的佐证材料' });
    assert.equal(window.localStorage.length, 0, 'the kept comment goes once sent');
  });

  it('accepts only after a one-line confirmation', async () => {
    const fake = fakeServer().on('POST', '/api/rounds/7/units/3/accept', json({ state: 'accepted' }));
    const user = userEvent.setup({ delay: null });
    renderActions();
    await user.click(screen.getByRole('button', { name: '采纳全部（环评处）' }));
    const dialog = await screen.findByRole('dialog');
    assert.ok(within(dialog).getByText('将采纳环评处全部待审阅的填报并通知该单位。'));
    assert.equal(fake.to('POST', '/api/rounds/7/units/3/accept').length, 0);
    await user.click(within(dialog).getByRole('button', { name: '采纳' }));
    await screen.findByText('已采纳环评处的填报');
    assert.equal(fake.to('POST', '/api/rounds/7/units/3/accept').length, 1);
  });
});

describe('what the office may do with a unit’s answers', () => {
  it('follows the state, the approval step and whether the round is open', () => {
    assert.deepEqual(reviewChoices('submitted', false, true), { accept: true, return: true, reopen: false, approveForHead: false });
    assert.deepEqual(reviewChoices('submitted', true, true), { accept: false, return: true, reopen: false, approveForHead: true }, 'waiting for its head');
    assert.deepEqual(reviewChoices('approved', true, true), { accept: true, return: true, reopen: false, approveForHead: false });
    assert.deepEqual(reviewChoices('accepted', false, true), { accept: false, return: false, reopen: true, approveForHead: false });
    assert.deepEqual(reviewChoices('draft', false, true), { accept: false, return: false, reopen: false, approveForHead: false });
    assert.deepEqual(reviewChoices('submitted', false, false), { accept: false, return: false, reopen: false, approveForHead: false }, 'a closed round');
  });
});
