import type { Generated, Selectable } from 'kysely';

/** Table types of migration `002_accounts` (see schema.ts for the conventions). */
export interface AccountTables {
  users: UsersTable;
  sessions: SessionsTable;
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
  /** logout | idle | expired | disabled */
  end_reason: string | null;
}

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
