import { useQuery } from '@tanstack/react-query';
import type { LeaderPortfolioView } from '../../../../domain/api/leader-view.ts';
import { api } from '../../../lib/api.ts';

const portfolioKey = ['leaders', 'me', 'portfolio'] as const;

/** 我分管的: refreshed every two minutes while open, and when the leader comes back to the window. */
export function usePortfolio() {
  return useQuery({
    queryKey: portfolioKey,
    queryFn: () => api.get<LeaderPortfolioView>('/api/leaders/me/portfolio'),
    refetchInterval: 120_000,
  });
}
