import type { Kysely } from 'kysely';
import { preparedQuery } from '../prepared.ts';
import type { DB } from '../schema.ts';
import type { SessionRow } from '../schema-accounts.ts';
import type { UserWithUnit } from './user.repository.ts';

export type SessionEndReason = 'logout' | 'idle' | 'expired' | 'disabled' | 'password_changed' | 'role_changed';

/**
 * A live session and what a request needs of its account, found by the hash of the cookie's
 * token: no password hash and no TOTP secret travel with every request (TOTP only as "enrolled").
 */
export type SessionWithUser = {
  session: Pick<SessionRow, 'id' | 'csrf_token' | 'last_seen_at' | 'expires_at'>;
  user: SessionUser;
};

/** What a session's view needs of its account (presenters/session.presenter.ts). */
export type SessionAccount = Pick<UserWithUnit, 'id' | 'username' | 'display_name' | 'role' | 'unit_id' | 'unit_name' | 'must_change_password'> & {
  totp_enrolled: boolean;
};

/** The account behind a request (`authenticate`): who it is, its unit, and whether it is disabled. */
export type SessionUser = SessionAccount & Pick<UserWithUnit, 'disabled'>;

/**
 * Runs on every request: built once (db/prepared.ts), and only the columns a request uses
 * (each column of a row costs better-sqlite3 about as much as finding the row).
 */
const liveSessionByTokenHash = preparedQuery((db, args: { tokenHash: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .select((eb) => [
      'sessions.id',
      'sessions.csrf_token',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.user_id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.unit_id',
      'units.name as unit_name',
      'users.must_change_password',
      'users.disabled',
      eb('users.totp_secret', 'is not', null).as('totp_enrolled'),
    ])
    .where('sessions.token_hash', '=', args.tokenHash)
    .where('sessions.ended_at', 'is', null),
);

/** Server-side sessions. Tokens are never stored, only their SHA-256. */
export function createSessionRepository(db: Kysely<DB>) {
  return {
    async insertSession(session: {
      tokenHash: string;
      csrfToken: string;
      userId: number;
      now: string;
      expiresAt: string;
      ip: string | null;
      userAgent: string | null;
    }): Promise<number> {
      const row = await db
        .insertInto('sessions')
        .values({
          token_hash: session.tokenHash,
          csrf_token: session.csrfToken,
          user_id: session.userId,
          created_at: session.now,
          last_seen_at: session.now,
          expires_at: session.expiresAt,
          ip: session.ip,
          user_agent: session.userAgent,
          ended_at: null,
          end_reason: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** The session with this token hash that has not ended, with its account (one query per request). */
    async findLiveSessionByTokenHash(tokenHash: string): Promise<SessionWithUser | undefined> {
      const [row] = (await liveSessionByTokenHash.execute(db, { tokenHash })).rows;
      if (!row) return undefined;
      return {
        session: { id: row.id, csrf_token: row.csrf_token, last_seen_at: row.last_seen_at, expires_at: row.expires_at },
        user: {
          id: row.user_id,
          username: row.username,
          display_name: row.display_name,
          role: row.role,
          unit_id: row.unit_id,
          unit_name: row.unit_name,
          must_change_password: row.must_change_password,
          disabled: row.disabled,
          // SQLite answers 0/1, PostgreSQL a boolean.
          totp_enrolled: Boolean(row.totp_enrolled),
        },
      };
    },

    async findSessionById(sessionId: number): Promise<SessionRow | undefined> {
      return db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
    },

    /** Marks the session used now; the caller decides how often that is worth a write. */
    async touchSession(sessionId: number, now: string): Promise<void> {
      await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).where('ended_at', 'is', null).execute();
    },

    /** Ends a live session; returns 1 if it was live, 0 if it had already ended. */
    async endSession(sessionId: number, reason: SessionEndReason, now: string): Promise<number> {
      const result = await db
        .updateTable('sessions')
        .set({ ended_at: now, end_reason: reason })
        .where('id', '=', sessionId)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Ends every live session of an account (disabled, password or role changed) but `keep`; returns how many. */
    async endSessionsOfUser(userId: number, reason: SessionEndReason, now: string, keep?: number): Promise<number> {
      let query = db.updateTable('sessions').set({ ended_at: now, end_reason: reason }).where('user_id', '=', userId).where('ended_at', 'is', null);
      if (keep !== undefined) query = query.where('id', '!=', keep);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async listSessionsOfUser(userId: number): Promise<SessionRow[]> {
      return db.selectFrom('sessions').selectAll().where('user_id', '=', userId).orderBy('id').execute();
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
