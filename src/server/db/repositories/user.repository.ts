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
  const withUnit = () =>
    db.selectFrom('users').leftJoin('units', 'units.id', 'users.unit_id').selectAll('users').select('units.name as unit_name');

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
      const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
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

    async setPasswordHash(userId: number, passwordHash: string, mustChangePassword: boolean, now: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ password_hash: passwordHash, must_change_password: mustChangePassword ? 1 : 0, updated_at: now })
        .where('id', '=', userId)
        .execute();
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
