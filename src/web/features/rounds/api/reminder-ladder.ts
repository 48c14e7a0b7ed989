import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiBody } from '../../../lib/api.ts';

/** Under the round's key: a change of the round (its deadline) refreshes it too. */
const ladderKey = (roundId: number) => ['rounds', roundId, 'reminder-ladder'] as const;

/** 催办提醒: the round's reminder ladder, how many reminders wait and when the next goes (office). */
export function useReminderLadder(roundId: number, enabled = true) {
  return useQuery({
    queryKey: ladderKey(roundId),
    queryFn: () => api.GET('/api/rounds/{roundId}/reminder-ladder', { params: { path: { roundId } } }),
    enabled,
  });
}

/** Replaces the whole ladder. */
export function useSetReminderLadder(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiBody<'/api/rounds/{roundId}/reminder-ladder', 'put'>) =>
      api.PUT('/api/rounds/{roundId}/reminder-ladder', { params: { path: { roundId } }, body: input }),
    onSuccess: (view) => client.setQueryData(ladderKey(roundId), view),
  });
}
