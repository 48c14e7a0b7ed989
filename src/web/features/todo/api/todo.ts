import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AnswerConflictDetails } from '../../../../domain/api/round-view.ts';
import { ApiError, api, type ApiAnswer, type ApiBody } from '../../../lib/api.ts';

export const todoKeys = {
  todo: (roundId: number, unitId: number) => ['rounds', roundId, 'units', unitId, 'todo'] as const,
  collective: (roundId: number, unitId: number) => ['rounds', roundId, 'collective-units', unitId, 'answers'] as const,
};

/** A collective unit (各处(室) …) the office answers itself: its tasks and the office's answers. */
export function useCollectiveAnswers(roundId: number, unitId: number) {
  return useQuery({
    queryKey: todoKeys.collective(roundId, unitId),
    queryFn: () => api.GET('/api/rounds/{roundId}/collective-units/{unitId}/answers', { params: { path: { roundId: roundId!, unitId: unitId! } } }),
    refetchOnWindowFocus: false,
  });
}

/** A saved answer of a collective unit put into the kept list (its version), so the next save starts from it. */
export function useRecordCollectiveAnswer(roundId: number, unitId: number) {
  const client = useQueryClient();
  return (saved: AnswerView) =>
    client.setQueryData<CollectiveAnswersView>(todoKeys.collective(roundId, unitId), (old) =>
      old
        ? {
            ...old,
            items: old.items.map((item) => (item.task.id === saved.taskId && saved.version >= item.answer.version ? { ...item, answer: saved } : item)),
          }
        : old,
    );
}

/** The unit's open rounds across every plan not archived, by plan (GET /api/units/:unitId/open-rounds). */
export function useOpenRoundsOfUnit(unitId: number | null) {
  return useQuery({
    queryKey: ['units', unitId ?? 0, 'open-rounds'],
    queryFn: () => api.GET('/api/units/{unitId}/open-rounds', { params: { path: { unitId: unitId! } } }),
    enabled: unitId !== null,
  });
}

export function useTodo(roundId: number | null, unitId: number | null) {
  return useQuery({
    queryKey: todoKeys.todo(roundId ?? 0, unitId ?? 0),
    queryFn: () => api.GET('/api/rounds/{roundId}/units/{unitId}/todo', { params: { path: { roundId: roundId!, unitId: unitId! } } }),
    enabled: roundId !== null && unitId !== null,
    // Editors hold their own state once mounted; a refetch only updates answers nobody is editing.
    refetchOnWindowFocus: false,
  });
}

/** An answer's save, as PUT …/answer takes it (沿用上轮: `copiedFromPrevious`, the text was started from last round's). */
export type AnswerInput = ApiBody<'/api/rounds/{roundId}/tasks/{taskId}/units/{unitId}/answer', 'put'>;
type AnswerView = ApiAnswer<'/api/rounds/{roundId}/tasks/{taskId}/units/{unitId}/answer', 'put'>;
type CollectiveAnswersView = ApiAnswer<'/api/rounds/{roundId}/collective-units/{unitId}/answers', 'get'>;
type TodoView = ApiAnswer<'/api/rounds/{roundId}/units/{unitId}/todo', 'get'>;

export function saveAnswer(roundId: number, taskId: number, unitId: number, input: AnswerInput): Promise<AnswerView> {
  return api.PUT('/api/rounds/{roundId}/tasks/{taskId}/units/{unitId}/answer', { params: { path: { roundId, taskId, unitId } }, body: input });
}

/** The 409 of a stale save, with the server's stored answer; null for any other error. */
export function conflictOf(error: unknown): AnswerConflictDetails | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const details = error.details as Partial<AnswerConflictDetails>;
  return details && typeof details.stored === 'object' && details.stored !== null ? (details as AnswerConflictDetails) : null;
}

export function useSubmissionAction(roundId: number, unitId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ action, idempotencyKey }: { action: 'submit' | 'approve'; idempotencyKey?: string }) =>
      api.POST(`/api/rounds/{roundId}/units/{unitId}/${action}`, {
        params: { path: { roundId, unitId }, header: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {} },
        body: {},
      }),
    onSettled: () => client.invalidateQueries({ queryKey: todoKeys.todo(roundId, unitId) }),
  });
}

/**
 * A saved answer put into the kept to-do list, so the page reflects it without a reload: the
 * answer itself (its version, 沿用上轮 tag) and, after the unit's first save, the state 填报中.
 */
export function useRecordSavedAnswer(roundId: number, unitId: number) {
  const client = useQueryClient();
  return (saved: AnswerView) =>
    client.setQueryData<TodoView>(todoKeys.todo(roundId, unitId), (old) => {
      if (!old) return old;
      return {
        ...old,
        submission: old.submission.state === 'not_started' ? { ...old.submission, state: 'draft' } : old.submission,
        items: old.items.map((item) => (item.task.id === saved.taskId && saved.version >= item.answer.version ? { ...item, answer: saved } : item)),
      };
    });
}

/** Uploads one evidence file to the unit's answer; the to-do list reloads to show it. */
export function useUploadAttachment(roundId: number, taskId: number, unitId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      api.upload('/api/rounds/{roundId}/tasks/{taskId}/units/{unitId}/attachments', { params: { path: { roundId, taskId, unitId } }, body: { file } }),
    onSettled: () => client.invalidateQueries({ queryKey: todoKeys.todo(roundId, unitId) }),
  });
}

export function useDeleteAttachment(roundId: number, unitId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (attachment: { id: number }) => api.DELETE('/api/attachments/{id}', { params: { path: { id: attachment.id } }, body: {} }),
    onSettled: () => client.invalidateQueries({ queryKey: todoKeys.todo(roundId, unitId) }),
  });
}
