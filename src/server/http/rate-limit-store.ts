import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Database } from '../db/database.ts';
import { createRateLimitRepository } from '../db/repositories/rate-limit.repository.ts';

/**
 * The rate limiter's store in the database (decision 040): on PostgreSQL every server counts the
 * same hits, so "20 exports a minute" holds behind a reverse proxy however the requests are
 * spread. A key's window starts at its first hit and lasts `timeWindow`, as the plugin's own
 * in-memory store counts. The database unreachable: the request is let through (the limiter is
 * a brake, not a gate; the route's own checks still run).
 */
export function databaseRateLimitStore(database: Database, now: () => Date = () => new Date()): FastifyRateLimitStoreCtor {
  const counters = createRateLimitRepository(database.db);
  let hitsSincePrune = 0;

  class DatabaseStore implements FastifyRateLimitStore {
    constructor(private readonly prefix = '') {}

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const at = now();
      void (async () => {
        // Now and then (every 200th hit of this server) the ended windows are deleted.
        if (++hitsSincePrune >= 200) {
          hitsSincePrune = 0;
          await counters.pruneEnded(at.toISOString());
        }
        const counted = await counters.hit(this.prefix + key, at.toISOString(), new Date(at.getTime() + timeWindow).toISOString());
        return { current: counted.hits, ttl: Math.max(0, new Date(counted.windowEndsAt).getTime() - at.getTime()) };
      })().then(
        (result) => callback(null, result),
        () => callback(null, { current: 0, ttl: timeWindow }),
      );
    }

    child(routeOptions: { path: string; groupId?: string }): FastifyRateLimitStore {
      // The plugin puts a group's id into the key itself; other routes count per route.
      return new DatabaseStore(routeOptions.groupId ? '' : `${routeOptions.path}:`);
    }
  }
  return DatabaseStore as unknown as FastifyRateLimitStoreCtor;
}
