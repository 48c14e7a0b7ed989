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
