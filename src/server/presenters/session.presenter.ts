import type { UserActor } from '../../domain/actor.ts';
import type { SessionRestriction } from '../../domain/accounts.ts';
import { ADMIN_ROLES, type Role } from '../../domain/api/roles.ts';
import type { AccountSessionView } from '../../domain/api/session.ts';
import type { SessionRow } from '../db/schema-accounts.ts';
import type { SessionAccount } from '../db/repositories/session.repository.ts';
import type { UserWithUnit } from '../db/repositories/user.repository.ts';

/** A stored account as its session sees it. */
export function sessionAccountOf(user: UserWithUnit): SessionAccount {
  return {
    id: user.id,
    username: user.username,
    display_name: user.display_name,
    role: user.role,
    unit_id: user.unit_id,
    unit_name: user.unit_name,
    must_change_password: user.must_change_password,
    totp_enrolled: user.totp_secret !== null,
  };
}

/** The actor a stored account acts as. */
export function actorOfUser(user: Pick<UserWithUnit, 'id' | 'username' | 'display_name' | 'role' | 'unit_id'>): UserActor {
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
export function restrictionOf(user: Pick<SessionAccount, 'must_change_password' | 'role' | 'totp_enrolled'>): SessionRestriction | null {
  if (Number(user.must_change_password) === 1) return 'password_change';
  if (ADMIN_ROLES.includes(user.role as Role) && !user.totp_enrolled) return 'totp_enrolment';
  return null;
}

/** GET /api/auth/me and the login answer. */
export function presentSession(user: SessionAccount, session: Pick<SessionRow, 'csrf_token' | 'expires_at'>): AccountSessionView {
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role as Role,
      unit: user.unit_id !== null && user.unit_name !== null ? { id: user.unit_id, name: user.unit_name } : null,
      mustChangePassword: Number(user.must_change_password) === 1,
      totpEnabled: user.totp_enrolled,
    },
    restriction: restrictionOf(user),
    csrfToken: session.csrf_token,
    expiresAt: session.expires_at,
  };
}
