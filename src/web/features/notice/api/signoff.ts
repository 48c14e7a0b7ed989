import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NoticeSignoffView, SignoffAction } from '../../../../domain/api/notice-signoff-view.ts';
import { api } from '../../../lib/api.ts';
import { noticeKeys } from './notice.ts';

const signoffKeys = {
  signoff: (roundId: number) => ['rounds', roundId, 'notice', 'signoff'] as const,
};

export function useSignoff(roundId: number) {
  return useQuery({ queryKey: signoffKeys.signoff(roundId), queryFn: () => api.get<NoticeSignoffView>(`/api/rounds/${roundId}/notice/signoff`) });
}

/** One step of 拟稿 → 核稿 → 签发 (or a return, a re-open); the body carries the version the view was read at. */
export function useSignoffStep(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: SignoffAction; body: Record<string, unknown> }) => api.post<NoticeSignoffView>(`/api/rounds/${roundId}/notice/signoff/${action}`, body),
    onSuccess: (view) => {
      client.setQueryData(signoffKeys.signoff(roundId), view);
      void client.invalidateQueries({ queryKey: noticeKeys.compiled(roundId) });
    },
    // A stale view (someone else moved it): show the current state.
    onError: () => void client.invalidateQueries({ queryKey: signoffKeys.signoff(roundId) }),
  });
}
