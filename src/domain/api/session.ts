import type { SessionRestriction } from '../accounts.ts';
import type { OrganisationChoice } from './organisation-view.ts';
import type { Role } from './roles.ts';

/** A session as its own store knows it; the HTTP layer adds the organisation (SessionView). */
export interface AccountSessionView {
  user: {
    id: number;
    username: string;
    displayName: string;
    role: Role;
    unit: { id: number; name: string } | null;
    mustChangePassword: boolean;
    /** A TOTP second factor is enrolled; the three admin roles must have one. */
    totpEnabled: boolean;
  };
  /**
   * Null for a full session. Otherwise the one thing this session may do first (every other
   * API answers 403 with this code + `_required`): change the password, then enrol TOTP.
   */
  restriction: SessionRestriction | null;
  /** Echo this in the `x-csrf-token` header on every write. */
  csrfToken: string;
  expiresAt: string;
}

/** GET /api/auth/me, and the body of a successful POST /api/auth/login. */
export interface SessionView extends AccountSessionView {
  /** The organisation the session belongs to (decision 028): its data is all the session reaches. */
  organisation: OrganisationChoice;
}

/** The one JSON envelope of every error answer (http/errors.ts). */
export interface ErrorView {
  error: {
    code: string;
    message: string;
    details?: Record<string, unknown>;
  };
}
