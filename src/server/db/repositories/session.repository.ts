import type { Kysely } from 'kysely';
import { preparedQuery } from '../prepared.ts';
import type { DB } from '../schema.ts';
import type { SessionRow } from '../schema-accounts.ts';
import type { UserWithUnit } from './user.repository.ts';

export type SessionEndReason = 'logout' | 'idle' | 'expired' | 'disabled' | 'password_changed' | 'role_changed';

/** A live session and its account, found by the hash of the cookie's token. */
export type SessionWithUser = { session: SessionRow; user: UserWithUnit };

/** Runs on every request: built once (db/prepared.ts). */
const liveSessionByTokenHash = preparedQuery((db, args: { tokenHash: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .selectAll('sessions')
    .select([
      'users.username',
      'users.display_name',
      'users.password_hash',
      'users.role',
      'users.unit_id',
      'users.phone',
      'users.must_change_password',
      'users.disabled',
      'users.failed_logins',
      'users.locked_until',
      'users.totp_secret',
      'users.totp_pending_secret',
      'users.totp_enabled_at',
      'users.totp_last_step',
      'users.password_changed_at',
      'users.created_at as user_created_at',
      'users.updated_at as user_updated_at',
      'units.name as unit_name',
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
        session: {
          id: row.id,
          token_hash: row.token_hash,
          csrf_token: row.csrf_token,
          user_id: row.user_id,
          created_at: row.created_at,
          last_seen_at: row.last_seen_at,
          expires_at: row.expires_at,
          ip: row.ip,
          user_agent: row.user_agent,
          ended_at: row.ended_at,
          end_reason: row.end_reason,
        },
        user: {
          id: row.user_id,
          username: row.username,
          display_name: row.display_name,
          password_hash: row.password_hash,
          role: row.role,
          unit_id: row.unit_id,
          phone: row.phone,
          must_change_password: row.must_change_password,
          disabled: row.disabled,
          failed_logins: row.failed_logins,
          locked_until: row.locked_until,
          totp_secret: row.totp_secret,
          totp_pending_secret: row.totp_pending_secret,
          totp_enabled_at: row.totp_enabled_at,
          totp_last_step: row.totp_last_step,
          password_changed_at: row.password_changed_at,
          created_at: row.user_created_at,
          updated_at: row.user_updated_at,
          unit_name: row.unit_name,
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
