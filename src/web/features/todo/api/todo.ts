import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AnswerConflictDetails, AnswerView, AttachmentView, CollectiveAnswersView, SubmissionView, TodoView } from '../../../../domain/api/round-view.ts';
import type { UnitOpenRoundsView } from '../../../../domain/api/plan-edit.ts';
import type { ProgressStatus } from '../../../../domain/limits.ts';
import { ApiError, api, request } from '../../../lib/api.ts';

export const todoKeys = {
  todo: (roundId: number, unitId: number) => ['rounds', roundId, 'units', unitId, 'todo'] as const,
  collective: (roundId: number, unitId: number) => ['rounds', roundId, 'collective-units', unitId, 'answers'] as const,
};

/** A collective unit (各处(室) …) the office answers itself: its tasks and the office's answers. */
export function useCollectiveAnswers(roundId: number, unitId: number) {
  return useQuery({
    queryKey: todoKeys.collective(roundId, unitId),
    queryFn: () => api.get<CollectiveAnswersView>(`/api/rounds/${roundId}/collective-units/${unitId}/answers`),
    refetchOnWindowFocus: false,
  });
}

/** A saved answer of a collective unit put into the kept list (its version), so the next save starts from it. */
export function useRecordCollectiveAnswer(roundId: number, unitId: number) {
  const client = useQueryClient();
  return (saved: AnswerView) =>
    client.setQueryData<CollectiveAnswersView>(todoKeys.collective(roundId, unitId), (old) =>
      old ? { ...old, items: old.items.map((item) => (item.task.id === saved.taskId && saved.version >= item.answer.version ? { ...item, answer: saved } : item)) } : old,
    );
}

/** The unit's open rounds across every plan not archived, by plan (GET /api/units/:unitId/open-rounds). */
export function useOpenRoundsOfUnit(unitId: number | null) {
  return useQuery({
    queryKey: ['units', unitId ?? 0, 'open-rounds'],
    queryFn: () => api.get<UnitOpenRoundsView>(`/api/units/${unitId}/open-rounds`),
    enabled: unitId !== null,
  });
}

export function useTodo(roundId: number | null, unitId: number | null) {
  return useQuery({
    queryKey: todoKeys.todo(roundId ?? 0, unitId ?? 0),
    queryFn: () => api.get<TodoView>(`/api/rounds/${roundId}/units/${unitId}/todo`),
    enabled: roundId !== null && unitId !== null,
    // Editors hold their own state once mounted; a refetch only updates answers nobody is editing.
    refetchOnWindowFocus: false,
  });
}

export interface AnswerInput {
  text: string;
  status: ProgressStatus | null;
  reason: string | null;
  version: number | null;
  /** 沿用上轮: the text was started from last round's. */
  copiedFromPrevious?: boolean;
}

export function saveAnswer(roundId: number, taskId: number, unitId: number, input: AnswerInput): Promise<AnswerView> {
  return api.put<AnswerView>(`/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/answer`, input);
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
      api.post<SubmissionView>(`/api/rounds/${roundId}/units/${unitId}/${action}`, {}, idempotencyKey ? { headers: { 'Idempotency-Key': idempotencyKey } } : {}),
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
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return api.upload<AttachmentView>(`/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/attachments`, form);
    },
    onSettled: () => client.invalidateQueries({ queryKey: todoKeys.todo(roundId, unitId) }),
  });
}

export function useDeleteAttachment(roundId: number, unitId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (attachment: AttachmentView) => request<null>('DELETE', `/api/attachments/${attachment.id}`),
    onSettled: () => client.invalidateQueries({ queryKey: todoKeys.todo(roundId, unitId) }),
  });
}
