import type { Generated, Selectable } from 'kysely';

/** Table types of migration `002_accounts` (see schema.ts for the conventions). */
export interface AccountTables {
  users: UsersTable;
  sessions: SessionsTable;
  password_history: PasswordHistoryTable;
  login_ip_failures: LoginIpFailuresTable;
  settings: SettingsTable;
}

/** A personal account. One role per account, so the three admin roles never share one. */
export interface UsersTable {
  id: Generated<number>;
  /** Login name, unique, compared exactly as stored (lower-case by convention). */
  username: string;
  display_name: string;
  /** argon2id, PHC string (`$argon2id$v=19$…`). */
  password_hash: string;
  /** One of ROLES (src/domain/api/roles.ts). */
  role: string;
  /** The unit of a reporter or unit head; null for every other role. */
  unit_id: number | null;
  phone: string | null;
  /** 1 when the next login must choose a new password. */
  must_change_password: number;
  /** 1 when the account may not log in; disabling ends its sessions. */
  disabled: number;
  /** Failed logins since the last success or lock. */
  failed_logins: number;
  /** ISO time until which logins are refused, after too many failures. */
  locked_until: string | null;
  created_at: string;
  updated_at: string;
  /** 006: the confirmed TOTP secret, sealed (see totp.service.ts); null when there is no second factor. */
  totp_secret: string | null;
  /** 006: a secret shown at enrolment, waiting for its first code. */
  totp_pending_secret: string | null;
  totp_enabled_at: string | null;
  /** 006: the 30-second step of the last accepted code; older or equal steps are refused (replay). */
  totp_last_step: number | null;
  password_changed_at: string | null;
}

/**
 * A server-side session. The cookie carries a random token; only its SHA-256 is stored, so a
 * copy of the database does not let anyone in. Sessions live in the database, not in process
 * memory, so several servers can share PostgreSQL.
 */
export interface SessionsTable {
  id: Generated<number>;
  token_hash: string;
  /** Sent back in `x-csrf-token` on every write. */
  csrf_token: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  /** Absolute end (login + 12 h by default); the idle end follows from last_seen_at. */
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  /** When the session ended (logout, idle, expiry, account disabled); null while it lives. */
  ended_at: string | null;
  /** logout | idle | expired | disabled | password_changed | role_changed */
  end_reason: string | null;
}

/** 006: every password hash an account has had, newest last ("not one of the last 5"). */
export interface PasswordHistoryTable {
  id: Generated<number>;
  user_id: number;
  password_hash: string;
  created_at: string;
}

/** 006: one row per failed login, by client address: the per-IP throttle counts a window of them. */
export interface LoginIpFailuresTable {
  id: Generated<number>;
  ip: string;
  at: string;
}

/** 006: settings changed at run time by an admin (JSON values), over the defaults of config.ts. */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
  updated_by: string;
}

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
