import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionView } from '../../domain/api/session.ts';
import type { Role } from '../../domain/api/roles.ts';
import { ApiError, api, setCsrfToken } from './api.ts';
import { setDraftScope } from './drafts.ts';

export const sessionKey = ['session'] as const;

/** The signed-in user, or null. A 401 from /api/auth/me is an answer, not an error. */
export async function fetchSession(): Promise<SessionView | null> {
  try {
    const session = await api.GET('/api/auth/me', { allowUnauthenticated: true });
    setCsrfToken(session.csrfToken);
    setDraftScope(session.organisation.code);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 60_000 });
}

/** The session of a page behind the login guard: always present there. */
export function useCurrentUser(): SessionView['user'] {
  const { data } = useSession();
  if (!data) throw new Error('useCurrentUser outside the login guard');
  return data.user;
}

export function useSetSession() {
  const client = useQueryClient();
  return (session: SessionView | null) => {
    setCsrfToken(session?.csrfToken ?? null);
    setDraftScope(session?.organisation.code ?? null);
    if (session) {
      // A sign-in (no session before it, e.g. after one ran out) starts from an empty cache: the
      // account now signing in, maybe of another organisation, must not see what the last one read
      // (its plans, its profile's words and clock).
      if (!client.getQueryData(sessionKey)) client.clear();
      client.setQueryData(sessionKey, session);
    } else {
      client.clear();
      client.setQueryData(sessionKey, null);
    }
  };
}

export const can = {
  reportForUnit: (role: Role) => role === 'reporter' || role === 'unit_head',
  approveForUnit: (role: Role) => role === 'unit_head',
  manageRounds: (role: Role) => role === 'office',
  writeInstructions: (role: Role) => role === 'leader',
  readPlans: (role: Role) => role === 'office' || role === 'leader' || role === 'reporter' || role === 'unit_head',
};
