import '../../../test-support/dom.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError, fakeServer, json } from '../../../test-support/fake-server.ts';
import { renderWithApp, sessionOf } from '../../../test-support/render.tsx';
import { ChangePasswordPage } from './ChangePasswordPage.tsx';

const firstLogin = {
  ...sessionOf('reporter', '王芳'),
  user: { ...sessionOf('reporter', '王芳').user, username: 'huanping', mustChangePassword: true },
  restriction: 'password_change' as const,
};

function server() {
  return fakeServer().on('GET', '/api/auth/password-policy', { minLength: 10, minClasses: 3, history: 5 });
}

async function renderPage() {
  const user = userEvent.setup({ delay: null });
  renderWithApp(<ChangePasswordPage />, { session: firstLogin, path: '/account/password' });
  await screen.findByText(/密码要求：至少 10 位；包含大写字母、小写字母、数字、符号中的至少 3 类；不能包含用户名；不能与最近 5 次使用过的密码相同/);
  return user;
}

describe('修改密码', () => {
  it('lists what a new password lacks under the organisation’s policy, and sends none that lacks something', async () => {
    const fake = server();
    const user = await renderPage();
    assert.ok(screen.getByText('首次登录或密码已被重置（或已过期）：请先设置您自己的新密码，之后才能使用系统。'));
    await user.type(screen.getByLabelText('当前密码'), 'Diaodu@2017');
    await user.type(screen.getByLabelText('新密码'), 'huanping1');
    // The list follows the field a moment later (antd's form watches on a later task).
    await screen.findAllByText('密码至少 10 位（现为 9 位）');
    await screen.findAllByText('密码须包含大写字母、小写字母、数字、符号中的至少 3 类（现为 2 类）');
    await screen.findAllByText('密码不能包含用户名');
    await user.type(screen.getByLabelText('再次输入新密码'), 'huanping1');
    await user.click(screen.getByRole('button', { name: '保存新密码' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(fake.to('POST', '/api/auth/password').length, 0);
  });

  it('asks for the same password twice', async () => {
    const fake = server();
    const user = await renderPage();
    await user.type(screen.getByLabelText('当前密码'), 'Diaodu@2017');
    await user.type(screen.getByLabelText('新密码'), 'Qingshui#2026');
    await user.type(screen.getByLabelText('再次输入新密码'), 'Qingshui#2025');
    await user.click(screen.getByRole('button', { name: '保存新密码' }));
    await screen.findByText('两次输入的新密码不一致');
    assert.equal(fake.to('POST', '/api/auth/password').length, 0);
  });

  it('shows the server’s refusal in Chinese, then goes on to the app once the password is changed', async () => {
    let answer = apiError(422, 'password_reused', '新密码不能与最近 5 次使用过的密码相同');
    const fake = server().on('POST', '/api/auth/password', () => answer);
    const user = await renderPage();
    await user.type(screen.getByLabelText('当前密码'), 'Diaodu@2017');
    await user.type(screen.getByLabelText('新密码'), 'Qingshui#2026');
    await user.type(screen.getByLabelText('再次输入新密码'), 'Qingshui#2026');
    await user.click(screen.getByRole('button', { name: '保存新密码' }));
    await screen.findByText('新密码不能与最近 5 次使用过的密码相同');
    answer = json({ ...firstLogin, user: { ...firstLogin.user, mustChangePassword: false }, restriction: null });
    await user.click(screen.getByRole('button', { name: '保存新密码' }));
    await screen.findByText('已跳转到 /');
    assert.deepEqual(fake.to('POST', '/api/auth/password').at(-1)!.body, { currentPassword: 'Diaodu@2017', newPassword: 'Qingshui#2026' });
  });
});
