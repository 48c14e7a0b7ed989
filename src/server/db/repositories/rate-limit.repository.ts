import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';

/**
 * The rate limiter's counters (migration 026, decision 040), for several servers on one
 * PostgreSQL: one statement counts a hit and starts a new window when the last one has ended,
 * so two servers counting the same key at once never lose a hit.
 */
export function createRateLimitRepository(db: Kysely<DB>) {
  return {
    /** Counts one hit of `key` at `now`; returns the hits in the window and when it ends. */
    async hit(key: string, now: string, windowEndsAt: string): Promise<{ hits: number; windowEndsAt: string }> {
      const row = await db
        .insertInto('rate_limit_hits')
        .values({ key, hits: 1, window_ends_at: windowEndsAt })
        .onConflict((conflict) =>
          conflict.column('key').doUpdateSet({
            hits: sql<number>`case when rate_limit_hits.window_ends_at <= ${now} then 1 else rate_limit_hits.hits + 1 end`,
            window_ends_at: sql<string>`case when rate_limit_hits.window_ends_at <= ${now} then excluded.window_ends_at else rate_limit_hits.window_ends_at end`,
          }),
        )
        .returning(['hits', 'window_ends_at'])
        .executeTakeFirstOrThrow();
      return { hits: Number(row.hits), windowEndsAt: row.window_ends_at };
    },

    /** Deletes the counters whose window ended before `now`. */
    async pruneEnded(now: string): Promise<number> {
      const result = await db.deleteFrom('rate_limit_hits').where('window_ends_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type RateLimitRepository = ReturnType<typeof createRateLimitRepository>;
