import '../../../test-support/dom.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError, fakeServer, json } from '../../../test-support/fake-server.ts';
import { renderWithApp, sessionOf } from '../../../test-support/render.tsx';
import { LoginPage } from './LoginPage.tsx';

function server() {
  return fakeServer().on('GET', '/api/auth/organisations', [{ code: 'dept', name: '生态环境厅' }]);
}

describe('login page', () => {
  it('logs in with Enter in the password field and goes to the page asked for', async () => {
    const fake = server().on('POST', '/api/auth/login', json(sessionOf('office')));
    const user = userEvent.setup({ delay: null });
    renderWithApp(<LoginPage />, { session: null, path: '/login?next=/rounds', route: '/login' });
    await user.type(screen.getByLabelText('用户名'), ' office ');
    await user.type(screen.getByLabelText('密码'), 'Diaodu@2017{Enter}');
    await screen.findByText('已跳转到 /rounds');
    const [login] = fake.to('POST', '/api/auth/login');
    assert.deepEqual(login?.body, { username: 'office', password: 'Diaodu@2017' });
  });

  it('says in Chinese what is missing and sends nothing', async () => {
    const fake = server();
    const user = userEvent.setup({ delay: null });
    renderWithApp(<LoginPage />, { session: null, path: '/login', route: '/login' });
    await user.type(screen.getByLabelText('用户名'), '   {Enter}');
    await screen.findByText('请输入用户名');
    await screen.findByText('请输入密码');
    assert.equal(fake.to('POST', '/api/auth/login').length, 0);
  });

  it('turns an English refusal into 用户名或密码错误, and shows the server’s own Chinese message as it is', async () => {
    let answer = apiError(401, 'invalid_credentials', 'invalid username or password');
    const fake = server().on('POST', '/api/auth/login', () => answer);
    const user = userEvent.setup({ delay: null });
    renderWithApp(<LoginPage />, { session: null, path: '/login', route: '/login' });
    await user.type(screen.getByLabelText('用户名'), 'office');
    await user.type(screen.getByLabelText('密码'), 'wrong{Enter}');
    await screen.findByText('用户名或密码错误');
    answer = apiError(423, 'account_locked', '账户已锁定，请30分钟后再试 (account locked)');
    await user.type(screen.getByLabelText('密码'), '{Enter}');
    await screen.findByText('账户已锁定，请30分钟后再试');
    assert.equal(fake.to('POST', '/api/auth/login').length, 2);
  });

  it('asks for the 6-digit code once the server wants one, checks its form, and sends it', async () => {
    const fake = server().on('POST', '/api/auth/login', (request) =>
      (request.body as { code?: string }).code === '123456'
        ? json(sessionOf('office'))
        : apiError(422, 'totp_required', '请输入身份验证器中的 6 位动态验证码', { field: 'code' }),
    );
    const user = userEvent.setup({ delay: null });
    renderWithApp(<LoginPage />, { session: null, path: '/login', route: '/login' });
    await user.type(screen.getByLabelText('用户名'), 'office');
    await user.type(screen.getByLabelText('密码'), 'Diaodu@2017{Enter}');
    await screen.findByText('请输入身份验证器中的 6 位动态验证码');
    await user.type(screen.getByLabelText('动态验证码'), '12345{Enter}');
    await screen.findByText('请输入 6 位动态验证码');
    assert.equal(fake.to('POST', '/api/auth/login').length, 1, 'a five-digit code is not sent');
    await user.type(screen.getByLabelText('动态验证码'), '6{Enter}');
    await screen.findByText('已跳转到 /');
    assert.deepEqual(fake.to('POST', '/api/auth/login')[1]!.body, { username: 'office', password: 'Diaodu@2017', code: '123456' });
  });

  it('never leaves the app after login, and sends a first login to change the password', async () => {
    const restricted = { ...sessionOf('reporter'), restriction: 'password_change' as const };
    let answer = json(sessionOf('office'));
    server().on('POST', '/api/auth/login', () => answer);
    const user = userEvent.setup({ delay: null });
    const first = renderWithApp(<LoginPage />, { session: null, path: '/login?next=//evil.example/x', route: '/login' });
    await user.type(screen.getByLabelText('用户名'), 'office');
    await user.type(screen.getByLabelText('密码'), 'Diaodu@2017{Enter}');
    await screen.findByText('已跳转到 /');
    first.unmount();
    answer = json(restricted);
    renderWithApp(<LoginPage />, { session: null, path: '/login?next=/rounds', route: '/login' });
    await user.type(screen.getByLabelText('用户名'), 'huanping');
    await user.type(screen.getByLabelText('密码'), 'Diaodu@2017{Enter}');
    await screen.findByText('已跳转到 /account/password');
  });

  it('offers the organisations when there are several, and names the chosen one unless it is the first', async () => {
    const fake = fakeServer()
      .on('GET', '/api/auth/organisations', [
        { code: 'dept', name: '生态环境厅' },
        { code: 'cd', name: '成都市生态环境局' },
      ])
      .on('POST', '/api/auth/login', json(sessionOf('office')));
    const user = userEvent.setup({ delay: null });
    renderWithApp(<LoginPage />, { session: null, path: '/login', route: '/login' });
    await user.selectOptions(await screen.findByLabelText('单位'), '成都市生态环境局');
    await user.type(screen.getByLabelText('用户名'), 'office');
    await user.type(screen.getByLabelText('密码'), 'Diaodu@2017{Enter}');
    await screen.findByText('已跳转到 /');
    assert.deepEqual(fake.to('POST', '/api/auth/login')[0]!.body, { username: 'office', password: 'Diaodu@2017', organisation: 'cd' });
    assert.equal(window.localStorage.getItem('diaodu.loginOrganisation'), 'cd', 'offered again next time');
  });
});
