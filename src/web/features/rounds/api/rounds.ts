import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiBody } from '../../../lib/api.ts';
import { planKeys, roundKeys } from '../../../lib/queries.ts';

export type NewRoundInput = ApiBody<'/api/plans/{planId}/rounds', 'post'>;

const taskQuery = (taskIds: number[] | undefined) => (taskIds ? { taskIds: taskIds.join(',') } : {});

/** Before opening: the chosen tasks' units that have no 处室负责人 account (undefined: every task). */
export function useUnitsWithoutHead(planId: number | null, taskIds: number[] | undefined, enabled: boolean) {
  const on = enabled && planId !== null && (taskIds === undefined || taskIds.length > 0);
  return useQuery({
    queryKey: ['plans', planId ?? 0, 'units-without-head', taskIds?.join(',') ?? 'all'],
    queryFn: () => api.GET('/api/plans/{planId}/units-without-head', { params: { path: { planId: planId! }, query: taskQuery(taskIds) } }),
    enabled: on,
    // A task ticked or unticked changes the key: keep the last answer while the new one loads, so
    // the Alert showing it stays put; nothing kept once the read is off (no task chosen).
    placeholderData: on ? keepPreviousData : undefined,
  });
}

/** The collective units (各处(室) …) the chosen tasks name, and who answers each. */
export function useCollectiveUnits(planId: number | null, taskIds: number[] | undefined) {
  const on = planId !== null && (taskIds === undefined || taskIds.length > 0);
  return useQuery({
    queryKey: ['plans', planId ?? 0, 'collective-units', taskIds?.join(',') ?? 'all'],
    queryFn: () => api.GET('/api/plans/{planId}/collective-units', { params: { path: { planId: planId! }, query: taskQuery(taskIds) } }),
    enabled: on,
    // As above: the collective units' Alert (with a member mapping half chosen) stays while a task toggle reloads it.
    placeholderData: on ? keepPreviousData : undefined,
  });
}

export function useSetCollectiveMembers(planId: number | null) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ unitId, memberUnitIds }: { unitId: number; memberUnitIds: number[] }) =>
      api.PUT('/api/collective-units/{unitId}/members', { params: { path: { unitId } }, body: { memberUnitIds } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['plans', planId ?? 0, 'collective-units'] });
      void client.invalidateQueries({ queryKey: ['plans', planId ?? 0, 'units-without-head'] });
    },
  });
}

/** The plan's rounds; voided ones too when asked. */
export function useRoundsOfPlan(planId: number | null, includeVoid: boolean) {
  return useQuery({
    queryKey: [...planKeys.rounds(planId ?? 0), includeVoid ? 'with-void' : 'default'],
    queryFn: () => api.GET('/api/plans/{planId}/rounds', { params: { path: { planId: planId! }, query: includeVoid ? { includeVoid: '1' } : {} } }),
    enabled: planId !== null,
  });
}

/** 作废: a round opened by mistake, while no unit has saved anything. */
export function useVoidRound() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ roundId, reason }: { roundId: number; reason: string }) =>
      api.POST('/api/rounds/{roundId}/void', { params: { path: { roundId } }, body: { reason } }),
    onSuccess: (round) => {
      client.setQueryData(roundKeys.round(round.id), round);
      void client.invalidateQueries({ queryKey: planKeys.all });
    },
  });
}

export function useCreateRound(planId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NewRoundInput) => api.POST('/api/plans/{planId}/rounds', { params: { path: { planId } }, body: input }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: planKeys.all });
    },
  });
}

/** The whole plan, for choosing a round's tasks. */
export function usePlanTasks(planId: number | null) {
  return useQuery({
    queryKey: ['plans', planId ?? 0, 'tree', 'all'],
    // The plan as it stands: a task changed since the last round is offered in its new version.
    queryFn: () => api.GET('/api/plans/{planId}/tree', { params: { path: { planId: planId! }, query: { current: '1' } } }),
    enabled: planId !== null,
  });
}

export function useCloseRound(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.POST('/api/rounds/{roundId}/close', { params: { path: { roundId } }, body: {} }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: roundKeys.round(roundId) });
      void client.invalidateQueries({ queryKey: roundKeys.board(roundId) });
      void client.invalidateQueries({ queryKey: planKeys.all });
    },
  });
}

/** Extend (or move) a round's deadline: submits after it are refused by the server. */
export function useSetDeadline(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (deadline: string) => api.PATCH('/api/rounds/{roundId}', { params: { path: { roundId } }, body: { deadline } }),
    onSuccess: (round) => {
      client.setQueryData(roundKeys.round(roundId), round);
      void client.invalidateQueries({ queryKey: roundKeys.board(roundId) });
    },
  });
}

export type ReviewAction = 'accept' | 'return' | 'reopen' | 'approve-for-head' | 'approve';

export function useReviewAction(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ unitId, action, comment }: { unitId: number; action: ReviewAction; comment?: string }) =>
      action === 'return'
        ? api.POST('/api/rounds/{roundId}/units/{unitId}/return', { params: { path: { roundId, unitId } }, body: { comment } })
        : api.POST(`/api/rounds/{roundId}/units/{unitId}/${action}`, { params: { path: { roundId, unitId } }, body: {} }),
    onSettled: (_data, _error, { unitId }) => {
      void client.invalidateQueries({ queryKey: roundKeys.board(roundId) });
      void client.invalidateQueries({ queryKey: ['rounds', roundId, 'units', unitId] });
    },
  });
}

/**
 * 采纳 for several units one after another, the board and the units' reads reloaded once when all
 * are through (not once per unit). Resolves with the units that did not go through and why.
 */
export function useBulkAccept(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (units: { unitId: number; unitName: string }[]) => {
      const failed: { unitName: string; error: unknown }[] = [];
      for (const unit of units)
        await api
          .POST('/api/rounds/{roundId}/units/{unitId}/accept', { params: { path: { roundId, unitId: unit.unitId } }, body: {} })
          .catch((error: unknown) => failed.push({ unitName: unit.unitName, error }));
      return failed;
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: roundKeys.board(roundId) });
      void client.invalidateQueries({ queryKey: ['rounds', roundId, 'units'] });
    },
  });
}

/** Accept (the head: approve) or return single answers of a unit. */
export function useAnswerReview(roundId: number, unitId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiBody<'/api/rounds/{roundId}/units/{unitId}/answers/review', 'post'>) =>
      api.POST('/api/rounds/{roundId}/units/{unitId}/answers/review', { params: { path: { roundId, unitId } }, body: input }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: roundKeys.board(roundId) });
      void client.invalidateQueries({ queryKey: ['rounds', roundId, 'units', unitId] });
    },
  });
}

export function useUnitAnswers(roundId: number, unitId: number) {
  return useQuery({
    queryKey: ['rounds', roundId, 'units', unitId, 'todo'],
    queryFn: () => api.GET('/api/rounds/{roundId}/units/{unitId}/todo', { params: { path: { roundId, unitId } } }),
  });
}

const QUARTERS = ['一', '二', '三', '四'];

/** After 2017年第二季度 comes 2017年第三季度, with its period. */
export function nextQuarter(label: string | undefined, today = new Date()): { label: string; start: string; end: string } {
  const match = label?.match(/(\d{4})\s*年\s*第\s*([一二三四1-4])\s*季度/);
  let year = today.getFullYear();
  let quarter = Math.floor(today.getMonth() / 3) + 1;
  if (match) {
    const q = QUARTERS.indexOf(match[2]!) + 1 || Number(match[2]);
    year = Number(match[1]);
    quarter = q + 1;
    if (quarter > 4) {
      quarter = 1;
      year += 1;
    }
  }
  const startMonth = (quarter - 1) * 3 + 1;
  const endMonth = startMonth + 2;
  const lastDay = new Date(year, endMonth, 0).getDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    label: `${year}年第${QUARTERS[quarter - 1]}季度`,
    start: `${year}-${pad(startMonth)}-01`,
    end: `${year}-${pad(endMonth)}-${pad(lastDay)}`,
  };
}
