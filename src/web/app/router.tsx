import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { createBrowserRouter } from 'react-router';
import { PageLoading } from '../components/PageLoading.tsx';
import { onUnauthenticated } from '../lib/api.ts';
import { queryClient } from '../lib/query-client.ts';
import { sessionKey } from '../lib/session.ts';
import { RequireAuth } from './layout/RequireAuth.tsx';
import { HomeRedirect } from './layout/HomeRedirect.tsx';
import { NotFoundPage } from './layout/NotFoundPage.tsx';
import {
  AuditPage,
  AccountsPage,
  ChangePasswordPage,
  PasswordPolicyPage,
  OrganisationProfilePage,
  OrganisationsPage,
  SettingsPage,
  TotpEnrolPage,
  UnitsPage,
  BoardPage,
  DashboardPage,
  PhonePage,
  ScreenPage,
  EvaluationPage,
  InsightsPage,
  LeaderHomePage,
  LoginPage,
  NewRoundPage,
  NoticeFormPage,
  NoticePrintPage,
  NotificationsPage,
  PlanTreePage,
  ProvinceRollUpPage,
  RoundReviewPage,
  RoundsPage,
  SearchPage,
  TaskDetailPage,
  TodoPage,
  UnitReviewPage,
} from './pages.ts';

// The signed-in shell (menu, drawer, badges) is its own chunk: the login page does not fetch it.
const AppLayout = lazy(() => import('./layout/AppLayout.tsx').then((module) => ({ default: module.AppLayout })));

function load(Page: LazyExoticComponent<ComponentType>) {
  return (
    <Suspense fallback={<PageLoading />}>
      <Page />
    </Suspense>
  );
}

export const router = createBrowserRouter([
  { path: '/login', element: load(LoginPage) },
  // 大屏: full screen, no app chrome.
  { path: '/screen/:planId', element: <RequireAuth>{load(ScreenPage)}</RequireAuth> },
  {
    path: '/',
    element: <RequireAuth>{load(AppLayout)}</RequireAuth>,
    children: [
      { index: true, element: <HomeRedirect /> },
      { path: 'plans', element: load(PlanTreePage) },
      { path: 'plans/:planId', element: load(PlanTreePage) },
      { path: 'tasks/:taskId', element: load(TaskDetailPage) },
      { path: 'todo', element: load(TodoPage) },
      { path: 'todo/:roundId', element: load(TodoPage) },
      { path: 'rounds', element: load(RoundsPage) },
      { path: 'rounds/new', element: load(NewRoundPage) },
      { path: 'rounds/:roundId', element: load(RoundReviewPage) },
      { path: 'rounds/:roundId/units/:unitId', element: load(UnitReviewPage) },
      { path: 'rounds/:roundId/board', element: load(BoardPage) },
      { path: 'rounds/:roundId/insights', element: load(InsightsPage) },
      { path: 'rounds/:roundId/evaluation', element: load(EvaluationPage) },
      { path: 'rounds/:roundId/notice', element: load(NoticeFormPage) },
      { path: 'rounds/:roundId/notice/print', element: load(NoticePrintPage) },
      { path: 'board', element: load(BoardPage) },
      { path: 'dashboard', element: load(DashboardPage) },
      { path: 'm', element: load(PhonePage) },
      { path: 'search', element: load(SearchPage) },
      { path: 'notifications', element: load(NotificationsPage) },
      { path: 'leader', element: load(LeaderHomePage) },
      { path: 'audit', element: load(AuditPage) },
      { path: 'province', element: load(ProvinceRollUpPage) },
      { path: 'account/password', element: load(ChangePasswordPage) },
      { path: 'account/totp', element: load(TotpEnrolPage) },
      { path: 'admin/accounts', element: load(AccountsPage) },
      { path: 'admin/units', element: load(UnitsPage) },
      { path: 'admin/settings', element: load(SettingsPage) },
      { path: 'admin/organisation-profile', element: load(OrganisationProfilePage) },
      { path: 'admin/password-policy', element: load(PasswordPolicyPage) },
      { path: 'platform/organisations', element: load(OrganisationsPage) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

/**
 * A 401 anywhere (the session expired or was ended on the server): forget the session and go to
 * the login page, which comes back here afterwards. Drafts are already in localStorage.
 */
onUnauthenticated(() => {
  const here = window.location.pathname + window.location.search;
  queryClient.setQueryData(sessionKey, null);
  if (window.location.pathname !== '/login') void router.navigate(`/login?next=${encodeURIComponent(here)}&expired=1`, { replace: true });
});
