import { useQuery } from '@tanstack/react-query';
import type { PlanDashboardView } from '../../../../domain/api/insight-view.ts';
import type { LeaderPortfolioView } from '../../../../domain/api/leader-view.ts';
import { api } from '../../../lib/api.ts';

export const dashboardKeys = {
  plan: (planId: number, roundId: number | null, mine: boolean) => ['plans', planId, 'dashboard', roundId ?? 'latest', mine ? 'mine' : 'all'] as const,
};

/**
 * GET /api/plans/:planId/dashboard: the round asked for, else the latest open one, else the latest.
 * `mine`: only the leader's own tasks (the phone page). `refetchInterval`: the 大屏 refreshes itself.
 */
export function useDashboard(planId: number | null, roundId: number | null, options: { mine?: boolean; refetchInterval?: number | false } = {}) {
  const mine = options.mine ?? false;
  const query = new URLSearchParams();
  if (roundId !== null) query.set('roundId', String(roundId));
  if (mine) query.set('scope', 'mine');
  const search = query.toString();
  return useQuery({
    queryKey: dashboardKeys.plan(planId ?? 0, roundId, mine),
    queryFn: () => api.get<PlanDashboardView>(`/api/plans/${planId}/dashboard${search ? `?${search}` : ''}`),
    enabled: planId !== null,
    refetchInterval: options.refetchInterval ?? false,
  });
}

/** 我分管的 as the phone page reads it: the leader's tasks in the current round, lagging first. */
export function useMyTasks() {
  return useQuery({
    queryKey: ['leaders', 'me', 'portfolio'] as const,
    queryFn: () => api.get<LeaderPortfolioView>('/api/leaders/me/portfolio'),
    refetchInterval: 120_000,
  });
}
