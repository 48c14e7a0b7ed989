import type { UserActor } from '../../domain/actor.ts';
import type { SessionRestriction } from '../../domain/accounts.ts';
import { ADMIN_ROLES, type Role } from '../../domain/api/roles.ts';
import type { SessionView } from '../../domain/api/session.ts';
import type { SessionRow } from '../db/schema-accounts.ts';
import type { UserWithUnit } from '../db/repositories/user.repository.ts';

/** The actor a stored account acts as. */
export function actorOfUser(user: UserWithUnit): UserActor {
  return {
    kind: 'user',
    userId: user.id,
    username: user.username,
    name: user.display_name,
    role: user.role as Role,
    unitId: user.unit_id,
  };
}

/**
 * What a session of this account must do before anything else: change a password someone
 * else chose (first login, reset), then — for the three admin roles — enrol TOTP.
 */
export function restrictionOf(user: Pick<UserWithUnit, 'must_change_password' | 'role' | 'totp_secret'>): SessionRestriction | null {
  if (Number(user.must_change_password) === 1) return 'password_change';
  if (ADMIN_ROLES.includes(user.role as Role) && user.totp_secret === null) return 'totp_enrolment';
  return null;
}

/** GET /api/auth/me and the login answer. */
export function presentSession(user: UserWithUnit, session: Pick<SessionRow, 'csrf_token' | 'expires_at'>): SessionView {
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role as Role,
      unit: user.unit_id !== null && user.unit_name !== null ? { id: user.unit_id, name: user.unit_name } : null,
      mustChangePassword: Number(user.must_change_password) === 1,
      totpEnabled: user.totp_secret !== null,
    },
    restriction: restrictionOf(user),
    csrfToken: session.csrf_token,
    expiresAt: session.expires_at,
  };
}
