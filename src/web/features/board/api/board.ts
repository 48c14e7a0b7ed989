import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { roundKeys } from '../../../lib/queries.ts';

export function useSendReminder(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ unitId, message }: { unitId: number; message: string }) =>
      api.POST('/api/rounds/{roundId}/units/{unitId}/reminders', { params: { path: { roundId, unitId } }, body: { message } }),
    onSettled: () => client.invalidateQueries({ queryKey: roundKeys.board(roundId) }),
  });
}

/** 延期: one unit's own deadline (null: back to the round's). */
export function useExtendDeadline(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ unitId, deadline }: { unitId: number; deadline: string | null }) =>
      api.PUT('/api/rounds/{roundId}/units/{unitId}/deadline', { params: { path: { roundId, unitId } }, body: { deadline } }),
    onSettled: () => client.invalidateQueries({ queryKey: roundKeys.board(roundId) }),
  });
}

/**
 * What went out beyond the app (issue 16), per unit: read beside the board and refreshed with it (its
 * key is under the board's, so 催办 refreshes both); every 5 s while a message waits to go, else with
 * the board every 30 s. Only the office reads it.
 */
export function useRoundDelivery(roundId: number, enabled: boolean) {
  return useQuery({
    queryKey: [...roundKeys.board(roundId), 'delivery'],
    queryFn: () => api.GET('/api/rounds/{roundId}/delivery', { params: { path: { roundId } } }),
    enabled,
    refetchInterval: (query) => (query.state.data?.units.some((unit) => unit.channels.some((c) => c.state === 'queued')) ? 5_000 : 30_000),
  });
}
