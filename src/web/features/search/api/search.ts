import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SearchHitView } from '../../../../domain/api/plan-view.ts';
import { api, queryString } from '../../../lib/api.ts';

export function useSearch(q: string, planId: number | null) {
  return useQuery({
    queryKey: ['search', q, planId],
    queryFn: ({ signal }) => api.get<SearchHitView[]>(`/api/search${queryString({ q, planId })}`, { signal }),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}
