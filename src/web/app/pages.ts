import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

const loaders: (() => Promise<unknown>)[] = [];

/** Each page is its own chunk, fetched when first visited (or preloaded once the shell is idle). */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): LazyExoticComponent<ComponentType> {
  loaders.push(load);
  return lazy(() => load().then((module) => ({ default: module[name] })));
}

/**
 * Fetches every page's chunk in the background after sign-in, so moving between pages does not
 * wait for the network (the charts library stays out: the board loads it on its own).
 */
export function preloadPages(): void {
  for (const load of loaders) void load().catch(() => {});
}

export const LoginPage = page(() => import('../features/auth/components/LoginPage.tsx'), 'LoginPage');
export const PlanTreePage = page(() => import('../features/plans/components/PlanTreePage.tsx'), 'PlanTreePage');
export const TaskDetailPage = page(() => import('../features/plans/components/TaskDetailPage.tsx'), 'TaskDetailPage');
export const TodoPage = page(() => import('../features/todo/components/TodoPage.tsx'), 'TodoPage');
export const RoundsPage = page(() => import('../features/rounds/components/RoundsPage.tsx'), 'RoundsPage');
export const NewRoundPage = page(() => import('../features/rounds/components/NewRoundPage.tsx'), 'NewRoundPage');
export const RoundReviewPage = page(() => import('../features/rounds/components/RoundReviewPage.tsx'), 'RoundReviewPage');
export const UnitReviewPage = page(() => import('../features/rounds/components/UnitReviewPage.tsx'), 'UnitReviewPage');
export const NoticePrintPage = page(() => import('../features/notice/components/NoticePrintPage.tsx'), 'NoticePrintPage');
export const NoticeFormPage = page(() => import('../features/notice/components/NoticeFormPage.tsx'), 'NoticeFormPage');
export const BoardPage = page(() => import('../features/board/components/BoardPage.tsx'), 'BoardPage');
export const SearchPage = page(() => import('../features/search/components/SearchPage.tsx'), 'SearchPage');
export const NotificationsPage = page(() => import('../features/notifications/components/NotificationsPage.tsx'), 'NotificationsPage');
export const LeaderHomePage = page(() => import('../features/leader/components/LeaderHomePage.tsx'), 'LeaderHomePage');
export const AuditPage = page(() => import('../features/audit/components/AuditPage.tsx'), 'AuditPage');
export const ChangePasswordPage = page(() => import('../features/auth/components/ChangePasswordPage.tsx'), 'ChangePasswordPage');
export const TotpEnrolPage = page(() => import('../features/auth/components/TotpEnrolPage.tsx'), 'TotpEnrolPage');
export const AccountsPage = page(() => import('../features/admin/components/AccountsPage.tsx'), 'AccountsPage');
export const UnitsPage = page(() => import('../features/admin/components/UnitsPage.tsx'), 'UnitsPage');
export const SettingsPage = page(() => import('../features/admin/components/SettingsPage.tsx'), 'SettingsPage');
export const PasswordPolicyPage = page(() => import('../features/admin/components/PasswordPolicyPage.tsx'), 'PasswordPolicyPage');
export const ProvinceRollUpPage = page(() => import('../features/province/components/ProvinceRollUpPage.tsx'), 'ProvinceRollUpPage');
export const OrganisationProfilePage = page(() => import('../features/admin/components/OrganisationProfilePage.tsx'), 'OrganisationProfilePage');
export const OrganisationsPage = page(() => import('../features/platform/components/OrganisationsPage.tsx'), 'OrganisationsPage');
export const DashboardPage = page(() => import('../features/dashboard/components/DashboardPage.tsx'), 'DashboardPage');
export const ScreenPage = page(() => import('../features/dashboard/components/ScreenPage.tsx'), 'ScreenPage');
export const PhonePage = page(() => import('../features/dashboard/components/PhonePage.tsx'), 'PhonePage');
export const InsightsPage = page(() => import('../features/insights/components/InsightsPage.tsx'), 'InsightsPage');
export const EvaluationPage = page(() => import('../features/insights/components/EvaluationPage.tsx'), 'EvaluationPage');
