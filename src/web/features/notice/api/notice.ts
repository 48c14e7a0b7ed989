import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiBody } from '../../../lib/api.ts';

export const noticeKeys = {
  notice: (roundId: number) => ['rounds', roundId, 'notice'] as const,
  compiled: (roundId: number) => ['rounds', roundId, 'compiled'] as const,
};

export function useNotice(roundId: number) {
  // Never refetched behind the user's back: a refetch would not touch the form, but the
  // version it shows must be the one the form was loaded from until the user reloads.
  return useQuery({
    queryKey: noticeKeys.notice(roundId),
    queryFn: () => api.GET('/api/rounds/{roundId}/notice', { params: { path: { roundId } } }),
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });
}

export function useSaveNotice(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiBody<'/api/rounds/{roundId}/notice', 'put'>) =>
      api.PUT('/api/rounds/{roundId}/notice', { params: { path: { roundId } }, body: input }),
    onSuccess: (saved) => {
      client.setQueryData(noticeKeys.notice(roundId), saved);
      void client.invalidateQueries({ queryKey: noticeKeys.compiled(roundId) });
    },
  });
}

/** The next free number of a prefix and year (office only). */
export function fetchSuggestedNumber(roundId: number, year: number, prefix: string) {
  return api.GET('/api/rounds/{roundId}/notice/next-number', { params: { path: { roundId }, query: { year, ...(prefix ? { prefix } : {}) } } });
}
