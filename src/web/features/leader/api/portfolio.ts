import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';

const portfolioKey = ['leaders', 'me', 'portfolio'] as const;

/** 我分管的: refreshed every two minutes while open, and when the leader comes back to the window. */
export function usePortfolio() {
  return useQuery({
    queryKey: portfolioKey,
    queryFn: () => api.GET('/api/leaders/me/portfolio'),
    refetchInterval: 120_000,
  });
}
