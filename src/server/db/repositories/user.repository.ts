import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { UserRow } from '../schema-accounts.ts';

/** An account with the name of its unit, as sessions and presenters need it. */
export type UserWithUnit = UserRow & { unit_name: string | null };

export type NewUser = {
  username: string;
  displayName: string;
  passwordHash: string;
  role: string;
  unitId: number | null;
  phone: string | null;
  mustChangePassword: boolean;
  now: string;
};

/** Accounts: lookup for login, creation, and the counters of failed logins and locks. */
export function createUserRepository(db: Kysely<DB>) {
  const withUnit = () => db.selectFrom('users').leftJoin('units', 'units.id', 'users.unit_id').selectAll('users').select('units.name as unit_name');

  return {
    async findUserByUsername(username: string): Promise<UserWithUnit | undefined> {
      return withUnit().where('users.username', '=', username).executeTakeFirst();
    },

    async findUserById(userId: number): Promise<UserWithUnit | undefined> {
      return withUnit().where('users.id', '=', userId).executeTakeFirst();
    },

    async listUsers(): Promise<UserWithUnit[]> {
      return withUnit().orderBy('users.id').execute();
    },

    async countUsers(): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Inserts an account; a taken username is a unique violation for the caller to report. */
    async insertUser(user: NewUser): Promise<number> {
      const row = await db
        .insertInto('users')
        .values({
          username: user.username,
          display_name: user.displayName,
          password_hash: user.passwordHash,
          role: user.role,
          unit_id: user.unitId,
          phone: user.phone,
          must_change_password: user.mustChangePassword ? 1 : 0,
          disabled: 0,
          failed_logins: 0,
          locked_until: null,
          created_at: user.now,
          updated_at: user.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /**
     * Counts one failed login atomically (two wrong passwords at once both count) and returns
     * the new count.
     */
    async incrementFailedLogins(userId: number, now: string): Promise<number> {
      const row = await db
        .updateTable('users')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1), updated_at: now }))
        .where('id', '=', userId)
        .returning('failed_logins')
        .executeTakeFirstOrThrow();
      return row.failed_logins;
    },

    /** Locks the account until `until` and starts counting failures afresh. */
    async lockUser(userId: number, until: string, now: string): Promise<void> {
      await db.updateTable('users').set({ locked_until: until, failed_logins: 0, updated_at: now }).where('id', '=', userId).execute();
    },

    /** After a successful login: no failures, no lock. Writes only when there is something to clear. */
    async clearFailedLogins(userId: number, now: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ failed_logins: 0, locked_until: null, updated_at: now })
        .where('id', '=', userId)
        .where((eb) => eb.or([eb('failed_logins', '>', 0), eb('locked_until', 'is not', null)]))
        .execute();
    },

    async setUserDisabled(userId: number, disabled: boolean, now: string): Promise<number> {
      const result = await db
        .updateTable('users')
        .set({ disabled: disabled ? 1 : 0, updated_at: now })
        .where('id', '=', userId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Sets a new password and records it in the history ("not one of the last N"). */
    async setPasswordHash(userId: number, passwordHash: string, mustChangePassword: boolean, now: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ password_hash: passwordHash, must_change_password: mustChangePassword ? 1 : 0, password_changed_at: now, updated_at: now })
        .where('id', '=', userId)
        .execute();
      await db.insertInto('password_history').values({ user_id: userId, password_hash: passwordHash, created_at: now }).execute();
    },

    /** The password must be changed at the next step (it has grown older than the maximum age). */
    async requirePasswordChange(userId: number, now: string): Promise<void> {
      await db.updateTable('users').set({ must_change_password: 1, updated_at: now }).where('id', '=', userId).execute();
    },

    /** The first history entry of a new account. */
    async addPasswordHistory(userId: number, passwordHash: string, now: string): Promise<void> {
      await db.insertInto('password_history').values({ user_id: userId, password_hash: passwordHash, created_at: now }).execute();
    },

    /** The account's last `count` password hashes, newest first (its current one included). */
    async recentPasswordHashes(userId: number, count: number): Promise<string[]> {
      if (count <= 0) return [];
      const rows = await db.selectFrom('password_history').select('password_hash').where('user_id', '=', userId).orderBy('id', 'desc').limit(count).execute();
      return rows.map((row) => row.password_hash);
    },

    /** Clears a lock and the failure count (the security admin's unlock); returns 1 if the account exists. */
    async unlockUser(userId: number, now: string): Promise<number> {
      const result = await db.updateTable('users').set({ failed_logins: 0, locked_until: null, updated_at: now }).where('id', '=', userId).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async setUserRole(userId: number, role: string, unitId: number | null, now: string): Promise<void> {
      await db.updateTable('users').set({ role, unit_id: unitId, updated_at: now }).where('id', '=', userId).execute();
    },

    /** A secret shown at enrolment, kept until the first code confirms it. */
    async setPendingTotpSecret(userId: number, sealed: string | null, now: string): Promise<void> {
      await db.updateTable('users').set({ totp_pending_secret: sealed, updated_at: now }).where('id', '=', userId).execute();
    },

    /** Makes the pending secret the account's second factor, with the step of the confirming code. */
    async enableTotp(userId: number, sealed: string, step: number, now: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ totp_secret: sealed, totp_pending_secret: null, totp_enabled_at: now, totp_last_step: step, updated_at: now })
        .where('id', '=', userId)
        .execute();
    },

    /** Removes the second factor (the security admin's reset after a lost phone). */
    async clearTotp(userId: number, now: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_step: null, updated_at: now })
        .where('id', '=', userId)
        .execute();
    },

    /**
     * Records that a code of `step` was used, only if no code of this or a later step was
     * (compare-and-set: of two logins racing with one code, one wins). Returns true if recorded.
     */
    async claimTotpStep(userId: number, step: number): Promise<boolean> {
      const result = await db
        .updateTable('users')
        .set({ totp_last_step: step })
        .where('id', '=', userId)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
