import { useQuery } from '@tanstack/react-query';
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
  return useQuery({
    queryKey: dashboardKeys.plan(planId ?? 0, roundId, mine),
    queryFn: () =>
      api.GET('/api/plans/{planId}/dashboard', {
        params: { path: { planId: planId! }, query: { ...(roundId !== null ? { roundId } : {}), ...(mine ? { scope: 'mine' as const } : {}) } },
      }),
    enabled: planId !== null,
    refetchInterval: options.refetchInterval ?? false,
  });
}

/** 我分管的 as the phone page reads it: the leader's tasks in the current round, lagging first. */
export function useMyTasks() {
  return useQuery({
    queryKey: ['leaders', 'me', 'portfolio'] as const,
    queryFn: () => api.GET('/api/leaders/me/portfolio'),
    refetchInterval: 120_000,
  });
}
