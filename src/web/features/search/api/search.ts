import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, queryParams } from '../../../lib/api.ts';

export function useSearch(q: string, planId: number | null) {
  return useQuery({
    queryKey: ['search', q, planId],
    queryFn: ({ signal }) => api.GET('/api/search', { params: { query: queryParams({ q, planId }) }, signal }),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}
