import { useQuery } from '@tanstack/react-query';
import { api, type ApiAnswer } from './api.ts';

type PlanSummaryView = ApiAnswer<'/api/plans', 'get'>[number];

/**
 * Reads several features need (which plans exist, which rounds they have). Feature-specific
 * reads live in each feature's api/ folder.
 */
export const planKeys = {
  all: ['plans'] as const,
  rounds: (planId: number) => ['plans', planId, 'rounds'] as const,
};

export function usePlans() {
  return useQuery({ queryKey: planKeys.all, queryFn: () => api.GET('/api/plans') });
}

/** Every open round across plans, newest first: what a unit has to answer now. */
export function openRoundsOf(plans: PlanSummaryView[] | undefined): { planId: number; planTitle: string; id: number; label: string }[] {
  if (!plans) return [];
  return plans
    .flatMap((plan) => plan.rounds.filter((r) => r.status === 'open').map((r) => ({ planId: plan.id, planTitle: plan.title, id: r.id, label: r.label })))
    .sort((a, b) => b.id - a.id);
}

/** The round a plan view should show by default: the open one, else the newest. */
export function defaultRoundOf(plan: PlanSummaryView | undefined): number | null {
  if (!plan || plan.rounds.length === 0) return null;
  const open = plan.rounds.filter((r) => r.status === 'open');
  const pool = open.length ? open : plan.rounds;
  return pool.reduce((best, r) => (r.id > best.id ? r : best)).id;
}

export const roundKeys = {
  round: (roundId: number) => ['rounds', roundId] as const,
  board: (roundId: number) => ['rounds', roundId, 'board'] as const,
};

export function useRound(roundId: number | null) {
  return useQuery({
    queryKey: roundKeys.round(roundId ?? 0),
    queryFn: () => api.GET('/api/rounds/{roundId}', { params: { path: { roundId: roundId! } } }),
    enabled: roundId !== null,
  });
}

/** Who has reported in a round: the review table and the chasing board both read it. */
export function useBoard(roundId: number | null, refetchInterval: number | false = false) {
  return useQuery({
    queryKey: roundKeys.board(roundId ?? 0),
    queryFn: () => api.GET('/api/rounds/{roundId}/board', { params: { path: { roundId: roundId! } } }),
    enabled: roundId !== null,
    refetchInterval,
  });
}

export const insightKeys = {
  round: (roundId: number) => ['rounds', roundId, 'insights'] as const,
};

/** A round's insight findings (issue 15): the insight page and the badges on the review screens read it once per page. */
export function useRoundInsights(roundId: number | null, enabled = true) {
  return useQuery({
    queryKey: insightKeys.round(roundId ?? 0),
    queryFn: () => api.GET('/api/rounds/{roundId}/insights', { params: { path: { roundId: roundId! } } }),
    enabled: enabled && roundId !== null,
    staleTime: 30_000,
  });
}
