/**
 * A component under test inside the providers the app gives every page (src/web/app/App.tsx): the
 * Chinese locale, antd's App context without motion, a fresh query cache, a router at `path`, and,
 * for pages behind the login guard, the session already in the cache as AppLayout leaves it.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider, useLocation } from 'react-router';
import type { SessionView } from '../../domain/api/session.ts';
import type { Role } from '../../domain/api/roles.ts';
import { sessionKey } from '../lib/session.ts';

export function sessionOf(role: Role, displayName = '张敏'): SessionView {
  return {
    user: {
      id: 1,
      username: 'office',
      displayName,
      role,
      unit: role === 'reporter' || role === 'unit_head' ? { id: 3, name: '环评处' } : null,
      mustChangePassword: false,
      totpEnabled: false,
    },
    restriction: null,
    csrfToken: 'csrf-test',
    expiresAt: '2030-01-01T00:00:00.000Z',
    organisation: { code: 'dept', name: '生态环境厅' },
  };
}

export interface RenderOptions {
  session?: SessionView | null;
  /** The address the router starts at, and the route pattern the element is mounted on. */
  path?: string;
  route?: string;
}

export function renderWithApp(element: ReactElement, options: RenderOptions = {}) {
  // No retries (a test says what the server answers) and no garbage-collection timers left running.
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false, gcTime: Infinity } } });
  if (options.session !== undefined) client.setQueryData(sessionKey, options.session);
  const path = options.path ?? '/';
  // A data router, as the app's (src/web/app/router.tsx): navigations behave as there.
  const router = createMemoryRouter(
    [
      { path: options.route ?? path, element },
      { path: '*', element: <Landed /> },
    ],
    { initialEntries: [path] },
  );
  // zeroRuntime: antd writes no style sheets at run time. The page is never painted in jsdom, and
  // jsdom parsing what antd's CSS-in-JS generates for every component was a third of these tests'
  // CPU: the 77 web tests took 67.6 s of CPU with it off against 98.5 s (2026-12-06). The styles
  // are checked where they are seen, in Chromium (tests/e2e).
  const result = render(
    <ConfigProvider locale={zhCN} theme={{ zeroRuntime: true, token: { motion: false } }} button={{ autoInsertSpace: false }}>
      <AntApp>
        <QueryClientProvider client={client}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>,
  );
  return { ...result, client };
}

/** Where a navigation away from the element under test arrived. */
function Landed() {
  const location = useLocation();
  return <p>已跳转到 {location.pathname}</p>;
}
