import { useMutation, useQuery } from '@tanstack/react-query';
import { api, type ApiBody } from '../../../lib/api.ts';

export interface Credentials {
  username: string;
  password: string;
  /** The TOTP code, once the server asked for it. */
  code?: string;
  /** The organisation's code; absent for the deployment's home organisation. */
  organisation?: string;
}

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
