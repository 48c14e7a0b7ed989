import '../../../test-support/dom.ts';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AnswerView, TodoView } from '../../../../domain/api/round-view.ts';
import { draftKey, readDraft, writeDraft } from '../../../lib/drafts.ts';
import { startWithNoDrafts } from '../../../test-support/drafts.ts';
import { apiError, deferred, fakeServer, json, type FakeRequest } from '../../../test-support/fake-server.ts';
import { renderWithApp, sessionOf } from '../../../test-support/render.tsx';
import { AnswerEditor } from './AnswerEditor.tsx';
import { mergeStart } from './merge.ts';

const ROUND = 7;
const UNIT = 3;
const TASK = 41;
const ANSWER_PATH = `/api/rounds/${ROUND}/tasks/${TASK}/units/${UNIT}/answer`;

function answer(patch: Partial<AnswerView> = {}): AnswerView {
  return {
    taskId: TASK,
    unitId: UNIT,
    text: '',
    status: null,
    reason: null,
    version: 0,
    updatedAt: null,
    updatedBy: null,
    copiedFromRoundId: null,
    copiedUnchanged: null,
    ...patch,
  };
}

function item(saved: AnswerView = answer()): TodoView['items'][number] {
  return {
    task: { id: TASK, text: '推进排污许可制度改革', due: null, chapterNumber: 1, sectionNumber: 2, leaders: [], role: 'lead' },
    answer: saved,
    previousText: '上季度已完成调研。',
    attachments: [],
    coUnitAnswers: [],
    review: { state: null, comment: null, reviewedAt: null, reviewedBy: null },
  };
}

/** The server stores what is sent and answers with the next version, as the answer route does. */
function storing(version = 1) {
  return (request: FakeRequest) => {
    const body = request.body as { text: string; status: AnswerView['status']; reason: string | null };
    return json(answer({ text: body.text, status: body.status, reason: body.reason, version, updatedAt: '2017-10-16T09:00:00.000Z', updatedBy: '王芳' }));
  };
}

function server() {
  return fakeServer().on('GET', `/api/rounds/${ROUND}/units/${UNIT}/instructions`, []);
}

function renderEditor(saved: AnswerView = answer()) {
  return renderWithApp(<AnswerEditor roundId={ROUND} unitId={UNIT} item={item(saved)} index={0} editable register={() => {}} onFilledChange={() => {}} />, {
    session: sessionOf('reporter', '王芳'),
  });
}

const box = () => screen.getByLabelText('本轮推进情况');
const key = () => draftKey(ROUND, UNIT, TASK);

describe('answer box autosave', () => {
  beforeEach(startWithNoDrafts);

  it('saves once, about a second after typing stops, showing 正在保存 and then 已保存', async () => {
    const held = deferred<Response>();
    const fake = server().on('PUT', ANSWER_PATH, () => held.promise);
    const user = userEvent.setup({ delay: null });
    renderEditor();
    await user.type(box(), '已完成初稿');
    assert.ok(screen.getByText('有未保存的修改'));
    assert.equal(fake.to('PUT', ANSWER_PATH).length, 0, 'nothing is sent while typing');
    assert.equal(readDraft(key())?.text, '已完成初稿', 'every change is kept on this computer first');
    await screen.findByText('正在保存…');
    const puts = fake.to('PUT', ANSWER_PATH);
    assert.equal(puts.length, 1, 'one save for the whole word');
    assert.deepEqual(puts[0]!.body, { text: '已完成初稿', status: null, reason: null, version: 0 });
    assert.equal(puts[0]!.headers.get('x-csrf-token'), null, 'no token set in this test: the session was not fetched');
    held.resolve(storing(1)(puts[0]!));
    await screen.findByText(/已保存/);
    assert.equal(readDraft(key()), null, 'the local copy goes once the server has the same text');
  });

  it('keeps the typed text, and the local copy, when the save fails', async () => {
    const fake = server().on('PUT', ANSWER_PATH, apiError(500, 'internal', 'Internal Server Error'));
    const user = userEvent.setup({ delay: null });
    renderEditor(answer({ text: '旧内容', version: 2 }));
    await user.clear(box());
    await user.type(box(), '新的推进情况');
    await screen.findByText(/保存失败：服务器出错，请稍后重试（内容已保留在本机，稍后自动重试）/);
    assert.equal(fake.to('PUT', ANSWER_PATH).length, 1);
    assert.equal((box() as HTMLTextAreaElement).value, '新的推进情况');
    assert.deepEqual(readDraft(key()) && { text: readDraft(key())!.text, baseVersion: readDraft(key())!.baseVersion }, {
      text: '新的推进情况',
      baseVersion: 2,
    });
  });

  it('says the session expired on a 401 and keeps the text for after the login', async () => {
    server().on('PUT', ANSWER_PATH, apiError(401, 'unauthenticated', 'Not logged in'));
    const user = userEvent.setup({ delay: null });
    renderEditor();
    await user.type(box(), '写到一半');
    await user.tab(); // leaving the box saves at once
    await screen.findByText('保存失败：登录已过期，内容已保留在本机，重新登录后会自动恢复');
    assert.equal(readDraft(key())?.text, '写到一半');
  });

  it('asks for a reason when the status is 滞后, and sends it only with such a status', async () => {
    const fake = server().on('PUT', ANSWER_PATH, storing(1));
    const user = userEvent.setup({ delay: null });
    renderEditor(answer({ text: '推进中', version: 0 }));
    await user.selectOptions(screen.getByLabelText('推进状态'), '滞后');
    assert.ok(screen.getByText('状态为“滞后”时必须填写原因'));
    await user.type(screen.getByLabelText('滞后原因'), '资金未到位');
    await user.tab();
    await screen.findByText(/已保存/);
    assert.deepEqual(fake.to('PUT', ANSWER_PATH).at(-1)!.body, { text: '推进中', status: 'delayed', reason: '资金未到位', version: 0 });
    await user.selectOptions(screen.getByLabelText('推进状态'), '按期推进');
    await user.tab();
    await waitFor(() => assert.equal(fake.to('PUT', ANSWER_PATH).length, 2));
    assert.deepEqual(
      fake.to('PUT', ANSWER_PATH)[1]!.body,
      { text: '推进中', status: 'on_track', reason: null, version: 1 },
      'the reason of 滞后 is not sent with 按期推进',
    );
  });

  it('on a 409 shows both versions; 编辑合并 starts from both texts and saves over the stored version', async () => {
    const stored = answer({ text: '张敏补充：已召开协调会。', status: 'on_track', version: 5, updatedAt: '2017-10-16T09:00:00.000Z', updatedBy: '张敏' });
    const fake = server().on('PUT', ANSWER_PATH, (request) =>
      (request.body as { version: number }).version === 5
        ? storing(6)(request)
        : apiError(409, 'answer_stale', '该条推进情况已被他人修改，您的文字未覆盖对方的修改；请对照两个版本合并后再保存', {
            stored,
            yours: request.body as Record<string, unknown>,
          }),
    );
    const user = userEvent.setup({ delay: null });
    renderEditor(answer({ text: '', version: 4 }));
    await user.type(box(), '我方已完成验收。');
    await user.tab();
    const dialog = await screen.findByRole('dialog', { name: '内容冲突：此项已被他人修改' });
    assert.ok(within(dialog).getByText(/在您编辑期间已被“张敏”保存/));
    assert.ok(within(within(dialog).getByRole('region', { name: '服务器上的版本' })).getByText('张敏补充：已召开协调会。'));
    assert.ok(within(within(dialog).getByRole('region', { name: '您的版本' })).getByText('我方已完成验收。'));
    assert.ok(screen.getByText('与服务器上的版本冲突，请选择'));
    // Typing on while the dialog is open sends nothing.
    assert.equal(fake.to('PUT', ANSWER_PATH).length, 1);

    await user.click(within(dialog).getByRole('button', { name: '编辑合并' }));
    const merged = within(dialog).getByLabelText('合并后的内容') as HTMLTextAreaElement;
    assert.equal(merged.value, '张敏补充：已召开协调会。\n我方已完成验收。');
    await user.type(merged, '（已核对）');
    await user.click(within(dialog).getByRole('button', { name: '保存合并结果' }));
    await screen.findByText(/已保存/);
    assert.equal(screen.queryByRole('dialog'), null);
    assert.deepEqual(fake.to('PUT', ANSWER_PATH).at(-1)!.body, {
      text: '张敏补充：已召开协调会。\n我方已完成验收。（已核对）',
      status: null,
      reason: null,
      version: 5,
    });
    assert.equal((box() as HTMLTextAreaElement).value, '张敏补充：已召开协调会。\n我方已完成验收。（已核对）');
  });

  it('on a 409, 采用服务器版本 puts the stored text in the box and sends nothing', async () => {
    const stored = answer({ text: '服务器上的文字', status: 'completed', version: 9, updatedBy: '张敏' });
    const fake = server().on('PUT', ANSWER_PATH, apiError(409, 'answer_stale', '该条推进情况已被他人修改', { stored, yours: {} }));
    const user = userEvent.setup({ delay: null });
    renderEditor(answer({ version: 8 }));
    await user.type(box(), '我的文字');
    await user.tab();
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: '采用服务器版本' }));
    assert.equal((box() as HTMLTextAreaElement).value, '服务器上的文字');
    assert.equal(readDraft(key()), null);
    assert.equal(fake.to('PUT', ANSWER_PATH).length, 1);
  });

  it('on a 409, 保留我的版本 saves the user’s text over the stored version', async () => {
    const stored = answer({ text: '服务器上的文字', version: 9, updatedBy: '张敏' });
    const fake = server().on('PUT', ANSWER_PATH, (request) =>
      (request.body as { version: number }).version === 9
        ? storing(10)(request)
        : apiError(409, 'answer_stale', '该条推进情况已被他人修改', { stored, yours: {} }),
    );
    const user = userEvent.setup({ delay: null });
    renderEditor(answer({ version: 8 }));
    await user.type(box(), '我的文字');
    await user.tab();
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: '保留我的版本' }));
    await screen.findByText(/已保存/);
    assert.deepEqual(fake.to('PUT', ANSWER_PATH).at(-1)!.body, { text: '我的文字', status: null, reason: null, version: 9 });
    assert.equal((box() as HTMLTextAreaElement).value, '我的文字');
  });

  it('puts back a local copy left by an earlier visit and saves it from its base version', async () => {
    writeDraft(key(), { text: '断网前写的', status: null, reason: null, baseVersion: 3 });
    const fake = server().on('PUT', ANSWER_PATH, storing(4));
    renderEditor(answer({ text: '服务器上的旧文字', version: 3 }));
    assert.ok(screen.getByText('已恢复您上次未保存到服务器的内容，正在保存。'));
    assert.equal((box() as HTMLTextAreaElement).value, '断网前写的');
    await screen.findByText(/已保存/);
    assert.deepEqual(fake.to('PUT', ANSWER_PATH)[0]!.body, { text: '断网前写的', status: null, reason: null, version: 3 });
  });
});

describe('the text 编辑合并 starts from', () => {
  it('is the user’s own when it already holds the server’s text', () => {
    assert.equal(mergeStart('已召开协调会。', '已召开协调会。另已完成验收。'), '已召开协调会。另已完成验收。');
  });
  it('puts the server’s text above the user’s otherwise, with no blank line for an empty side', () => {
    assert.equal(mergeStart('甲', '乙'), '甲\n乙');
    assert.equal(mergeStart('甲', ''), '甲');
    assert.equal(mergeStart('', '乙'), '乙');
  });
});
