import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ExportJobView } from '../../../../domain/api/export-view.ts';
import type { NoticeSignoffView, SignoffAction } from '../../../../domain/api/notice-signoff-view.ts';
import { api, ApiError } from '../../../lib/api.ts';
import { noticeKeys } from './notice.ts';

export const signoffKeys = {
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

/** The 发文稿纸 as Word or PDF: an export job, waited for, then downloaded. */
export async function exportCoverSheet(roundId: number, format: 'cover-docx' | 'cover-pdf'): Promise<void> {
  const { jobId } = await api.post<ExportJobView>(`/api/rounds/${roundId}/exports`, { format });
  for (let attempt = 0; attempt < 1_200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, attempt < 10 ? 300 : 1_000));
    const job = await api.get<ExportJobView>(`/api/exports/${jobId}`);
    if (job.status === 'done') {
      window.location.assign(`/api/exports/${jobId}/file`);
      return;
    }
    if (job.status === 'failed') throw new ApiError(500, job.errorCode ?? 'export_failed', job.error ?? '导出失败，请重试');
  }
  throw new Error('导出超时，请稍后重试');
}
