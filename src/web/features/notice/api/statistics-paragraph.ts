import { useQuery } from '@tanstack/react-query';
import type { NoticeStatisticsParagraphView } from '../../../../domain/api/notice-statistics-view.ts';
import { api } from '../../../lib/api.ts';

/** The statistics paragraph as the round's figures give it now (office and leaders; 422 for an imported round). */
export function useStatisticsParagraph(roundId: number) {
  return useQuery({
    queryKey: ['rounds', roundId, 'notice', 'statistics-paragraph'] as const,
    queryFn: () => api.get<NoticeStatisticsParagraphView>(`/api/rounds/${roundId}/notice/statistics-paragraph`),
    retry: false,
  });
}
