import '../../../test-support/dom.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { screen, waitFor } from '@testing-library/react';
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
});
