import fastifyRateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { rateLimited } from '../../domain/errors.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';
import type { ApiApp } from './types.ts';

/**
 * Request-level hardening besides the security headers (helmet, in app.ts) and the client's
 * address on the actor (auth hook, session-cookie.ts): the rate limiter, off by default and
 * switched on per route with `exportRateLimit`. Registered on the root instance before any
 * routes, so it reaches every route.
 */
export async function registerHardening(app: ApiApp, database?: Database): Promise<void> {
  // PostgreSQL may have several servers behind a proxy: they count in the database (decision 040).
  // SQLite is one server: the plugin's own store in the process, as before.
  const store = database?.dialect === 'postgres' ? { store: databaseRateLimitStore(database) } : {};
  await app.register(fastifyRateLimit, { global: false, ...store });
}

/**
 * The limiter's key: the signed-in user (a whole office behind one NAT shares an address), else
 * the address. Account ids are per organisation's store (decision 028): the organisation is part
 * of the key, or one organisation's user 1 would spend another's.
 */
export function userKey(request: FastifyRequest): string {
  const actor = request.actor as FastifyRequest['actor'] | null;
  const organisation = (request.organisation as FastifyRequest['organisation'] | null)?.id ?? 1;
  return actor ? `user:${organisation}:${actor.userId}` : `ip:${request.ip}`;
}

/**
 * The route config of every export endpoint (audit CSV, round documents …): at most
 * `config.exports.perMinute` exports a minute per user, shared across all export routes;
 * more gets 429 `export_too_often` with Retry-After (the envelope in errors.ts). Checked after the auth hook,
 * so the user is known.
 *
 *   app.get('/api/…/export', { config: { rateLimit: exportRateLimit(config) } }, handler)
 */
export function exportRateLimit(config: Pick<Config, 'exports'>): RateLimitOptions {
  const max = config.exports.perMinute;
  return {
    max,
    timeWindow: 60_000,
    groupId: 'export',
    hook: 'preHandler',
    keyGenerator: userKey,
    // The one per-minute refusal of an export (decision 043: the export service no longer counts
    // its own), saying what the limit is, that every kind of export shares it, and when to retry.
    errorResponseBuilder: (_request, context) => {
      const retryAfterSeconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return rateLimited('export_too_often', `导出过于频繁：每人每分钟最多导出 ${max} 次（通报、调度表与审计日志合计），请 ${retryAfterSeconds} 秒后再试`, {
        retryAfterSeconds,
        perMinute: max,
      });
    },
  };
}
