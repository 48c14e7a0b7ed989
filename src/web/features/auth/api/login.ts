import { useMutation } from '@tanstack/react-query';
import type { SessionView } from '../../../../domain/api/session.ts';
import { api } from '../../../lib/api.ts';

export interface Credentials {
  username: string;
  password: string;
  /** The TOTP code, once the server asked for it. */
  code?: string;
}

export function useLogin() {
  return useMutation({
    mutationFn: (credentials: Credentials) => api.post<SessionView>('/api/auth/login', credentials, { allowUnauthenticated: true }),
  });
}
