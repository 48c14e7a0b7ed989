import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DocNumberSuggestion, NoticeSaveView, NoticeView } from '../../../../domain/api/notice-view.ts';
import type { NoticeFields } from '../../../../domain/notice.ts';
import { api, queryString } from '../../../lib/api.ts';

export const noticeKeys = {
  notice: (roundId: number) => ['rounds', roundId, 'notice'] as const,
  compiled: (roundId: number) => ['rounds', roundId, 'compiled'] as const,
};

export function useNotice(roundId: number) {
  // Never refetched behind the user's back: a refetch would not touch the form, but the
  // version it shows must be the one the form was loaded from until the user reloads.
  return useQuery({ queryKey: noticeKeys.notice(roundId), queryFn: () => api.get<NoticeView>(`/api/rounds/${roundId}/notice`), refetchOnWindowFocus: false, staleTime: Infinity });
}

export function useSaveNotice(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { notice: NoticeFields; version: number }) => api.put<NoticeSaveView>(`/api/rounds/${roundId}/notice`, input),
    onSuccess: (saved) => {
      client.setQueryData(noticeKeys.notice(roundId), saved);
      void client.invalidateQueries({ queryKey: noticeKeys.compiled(roundId) });
    },
  });
}

/** The next free number of a prefix and year (office only). */
export function fetchSuggestedNumber(roundId: number, year: number, prefix: string): Promise<DocNumberSuggestion> {
  return api.get<DocNumberSuggestion>(`/api/rounds/${roundId}/notice/next-number${queryString({ year, prefix })}`);
}
