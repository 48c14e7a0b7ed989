import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiBody } from '../../../lib/api.ts';
import { insightKeys } from '../../../lib/queries.ts';

/** The office confirms, corrects or rejects a proposed indicator (PUT /api/tasks/:taskId/indicators/:key). */
export function useDecideIndicator(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ taskId, key, input }: { taskId: number; key: string; input: ApiBody<'/api/tasks/{taskId}/indicators/{key}', 'put'> }) =>
      api.PUT('/api/tasks/{taskId}/indicators/{key}', { params: { path: { taskId, key } }, body: input }),
    onSuccess: () => void client.invalidateQueries({ queryKey: insightKeys.round(roundId) }),
  });
}

/** …and a proposed actual of this round (PUT /api/rounds/:roundId/tasks/:taskId/indicators/:key/actual). */
export function useDecideActual(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({
      taskId,
      key,
      input,
    }: {
      taskId: number;
      key: string;
      input: ApiBody<'/api/rounds/{roundId}/tasks/{taskId}/indicators/{key}/actual', 'put'>;
    }) => api.PUT('/api/rounds/{roundId}/tasks/{taskId}/indicators/{key}/actual', { params: { path: { roundId, taskId, key } }, body: input }),
    onSuccess: () => void client.invalidateQueries({ queryKey: insightKeys.round(roundId) }),
  });
}

/** 请说明: asks a unit to explain a red finding (POST /api/rounds/:roundId/explanations). */
export function useAskExplanation(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiBody<'/api/rounds/{roundId}/explanations', 'post'>) =>
      api.POST('/api/rounds/{roundId}/explanations', { params: { path: { roundId } }, body: input }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: insightKeys.round(roundId) });
      void client.invalidateQueries({ queryKey: explanationsKey(roundId) });
    },
  });
}

const explanationsKey = (roundId: number) => ['rounds', roundId, 'explanations'] as const;

/** Every 请说明 of the round, answered or not (the insights view carries only the open ones). */
export function useRoundExplanations(roundId: number) {
  return useQuery({
    queryKey: explanationsKey(roundId),
    queryFn: () => api.GET('/api/rounds/{roundId}/explanations', { params: { path: { roundId } } }),
  });
}

/** 考核: per unit, this round (GET /api/rounds/:roundId/evaluation). */
export function useEvaluation(roundId: number) {
  return useQuery({
    queryKey: ['rounds', roundId, 'evaluation'] as const,
    queryFn: () => api.GET('/api/rounds/{roundId}/evaluation', { params: { path: { roundId } } }),
  });
}

/** Where the round's evaluation workbook downloads from. */
export const evaluationWorkbookUrl = (roundId: number) => `/api/rounds/${roundId}/evaluation.xlsx`;
/** …and the whole plan's (every round, one sheet each). */
export const planEvaluationWorkbookUrl = (planId: number) => `/api/plans/${planId}/evaluation.xlsx`;
