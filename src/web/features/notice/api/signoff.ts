import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SignoffAction } from '../../../../domain/api/notice-signoff-view.ts';
import { api, type ApiBody } from '../../../lib/api.ts';

/** A step and the body its route takes. */
export type SignoffRequest = { [A in SignoffAction]: { action: A; body: SignoffBody<A> } }[SignoffAction];
export type SignoffBody<A extends SignoffAction> = ApiBody<`/api/rounds/{roundId}/notice/signoff/${A}`, 'post'>;
import { noticeKeys } from './notice.ts';

const signoffKeys = {
  signoff: (roundId: number) => ['rounds', roundId, 'notice', 'signoff'] as const,
};

export function useSignoff(roundId: number) {
  return useQuery({
    queryKey: signoffKeys.signoff(roundId),
    queryFn: () => api.GET('/api/rounds/{roundId}/notice/signoff', { params: { path: { roundId } } }),
  });
}

/** One step of 拟稿 → 核稿 → 签发 (or a return, a re-open); the body carries the version the view was read at. */
export function useSignoffStep(roundId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (step: SignoffRequest) => signoffStep(roundId, step),
    onSuccess: (view) => {
      client.setQueryData(signoffKeys.signoff(roundId), view);
      void client.invalidateQueries({ queryKey: noticeKeys.compiled(roundId) });
    },
    // A stale view (someone else moved it): show the current state.
    onError: () => void client.invalidateQueries({ queryKey: signoffKeys.signoff(roundId) }),
  });
}

function signoffStep(roundId: number, step: SignoffRequest) {
  const path = { path: { roundId } };
  switch (step.action) {
    case 'submit':
      return api.POST('/api/rounds/{roundId}/notice/signoff/submit', { params: path, body: step.body });
    case 'review':
      return api.POST('/api/rounds/{roundId}/notice/signoff/review', { params: path, body: step.body });
    case 'sign':
      return api.POST('/api/rounds/{roundId}/notice/signoff/sign', { params: path, body: step.body });
    case 'return':
      return api.POST('/api/rounds/{roundId}/notice/signoff/return', { params: path, body: step.body });
    case 'reopen':
      return api.POST('/api/rounds/{roundId}/notice/signoff/reopen', { params: path, body: step.body });
  }
}
