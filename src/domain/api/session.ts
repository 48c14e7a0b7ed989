import type { Role } from './roles.ts';

/** GET /api/auth/me, and the body of a successful POST /api/auth/login. */
export interface SessionView {
  user: {
    id: number;
    username: string;
    displayName: string;
    role: Role;
    unit: { id: number; name: string } | null;
    mustChangePassword: boolean;
  };
  /** Echo this in the `x-csrf-token` header on every write. */
  csrfToken: string;
  expiresAt: string;
}

/** The one JSON envelope of every error answer (http/errors.ts). */
export interface ErrorView {
  error: {
    code: string;
    message: string;
    details?: Record<string, unknown>;
  };
}
