import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api.ts';

/** Retry only what may pass on a second try: network errors and 5xx, never 4xx. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: true,
      retry: (failureCount, error) => {
        if (error instanceof ApiError && error.status < 500) return false;
        return failureCount < 2;
      },
    },
    mutations: { retry: false },
  },
});
