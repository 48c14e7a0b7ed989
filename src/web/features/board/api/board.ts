import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { roundKeys } from '../../../lib/queries.ts';

export function useSendReminder(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ unitId, message }: { unitId: number; message: string }) => api.post<unknown>(`/api/rounds/${roundId}/units/${unitId}/reminders`, { message }),
    onSettled: () => client.invalidateQueries({ queryKey: roundKeys.board(roundId) }),
  });
}

/** 延期: one unit's own deadline (null: back to the round's). */
export function useExtendDeadline(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ unitId, deadline }: { unitId: number; deadline: string | null }) => api.put<unknown>(`/api/rounds/${roundId}/units/${unitId}/deadline`, { deadline }),
    onSettled: () => client.invalidateQueries({ queryKey: roundKeys.board(roundId) }),
  });
}
