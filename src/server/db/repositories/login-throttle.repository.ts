import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';

/**
 * Failed logins by client address (decision 010), in the database so that several servers
 * sharing PostgreSQL throttle together. Rows older than the window are deleted as new ones come.
 */
export function createLoginThrottleRepository(db: Kysely<DB>) {
  return {
    /** How many failures `ip` had since `since`, and the time of the oldest of them. */
    async failuresSince(ip: string, since: string): Promise<{ count: number; oldest: string | null }> {
      const row = await db
        .selectFrom('login_ip_failures')
        .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('at').as('oldest')])
        .where('ip', '=', ip)
        .where('at', '>', since)
        .executeTakeFirstOrThrow();
      return { count: Number(row.n), oldest: (row.oldest as string | null) ?? null };
    },

    /** Counts one failure for `ip`, and forgets every failure (of any address) older than `forgetBefore`. */
    async recordFailure(ip: string, at: string, forgetBefore: string): Promise<void> {
      await db.deleteFrom('login_ip_failures').where('at', '<=', forgetBefore).execute();
      await db.insertInto('login_ip_failures').values({ ip, at }).execute();
    },
  };
}

export type LoginThrottleRepository = ReturnType<typeof createLoginThrottleRepository>;
