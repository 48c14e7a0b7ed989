import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';

/** The statistics paragraph as the round's figures give it now (office and leaders; 422 for an imported round). */
export function useStatisticsParagraph(roundId: number, withInsights = false) {
  return useQuery({
    queryKey: ['rounds', roundId, 'notice', 'statistics-paragraph', withInsights ? 'insights' : 'plain'] as const,
    // 附上数据核对结果 (issue 15): the paragraph also says what the figures check found.
    queryFn: () =>
      api.GET('/api/rounds/{roundId}/notice/statistics-paragraph', { params: { path: { roundId }, query: withInsights ? { insights: 'true' } : {} } }),
    retry: false,
  });
}
