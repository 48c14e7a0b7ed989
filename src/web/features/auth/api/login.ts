import { useMutation, useQuery } from '@tanstack/react-query';
import { api, type ApiBody } from '../../../lib/api.ts';

/** Login name and password; the TOTP code once the server asked for it; the organisation's code (absent for the home one). */
export type Credentials = ApiBody<'/api/auth/login', 'post'>;

/** The organisations one may log in to (public): the login page offers a choice when there are several. */
export function useLoginOrganisations() {
  return useQuery({
    queryKey: ['auth', 'organisations'],
    queryFn: () => api.GET('/api/auth/organisations', { allowUnauthenticated: true }),
    staleTime: 5 * 60_000,
  });
}

export function useLogin() {
  return useMutation({
    mutationFn: (credentials: Credentials) => api.POST('/api/auth/login', { body: credentials, allowUnauthenticated: true }),
  });
}
