import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { PageLoading } from '../../components/PageLoading.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useSession } from '../../lib/session.ts';

/** Pages behind it need a session; without one, the login page, which returns here. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageLoading top={160} />;
  if (session.error)
    return (
      <QueryState isPending={false} error={session.error} retry={() => void session.refetch()}>
        {() => null}
      </QueryState>
    );
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  // The server answers 403 to everything else until this is done (decision 010): go there now.
  const required =
    session.data.restriction === 'password_change' ? '/account/password' : session.data.restriction === 'totp_enrolment' ? '/account/totp' : null;
  if (required && location.pathname !== required) return <Navigate to={required} replace />;
  return <>{children}</>;
}
