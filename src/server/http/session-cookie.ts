import { timingSafeEqual } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { forbidden } from '../../domain/errors.ts';
import type { Config } from '../config.ts';
import type { ClientInfo } from '../services/auth.service.ts';
import type { Services } from '../services/index.ts';
import { AuthRequiredError, CsrfError } from './errors.ts';

export const SESSION_COOKIE = 'diaodu_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change nothing (no writes on GET): they need a session but no CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * HttpOnly: scripts (and XSS) cannot read the token. SameSite=Lax: other sites' forms do not
 * carry it. Secure behind TLS. No Max-Age: the browser drops it when it closes, and the server
 * ends the session anyway (idle, absolute, logout).
 */
export function sessionCookieOptions(config: Pick<Config, 'tls'>): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', secure: config.tls, path: '/' };
}

export function clientOf(request: FastifyRequest): ClientInfo {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

/** A path under /api: JSON answers, never cached, and a session unless the route is public. */
export function isApi(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/**
 * The auth hook (onRequest, before any body is read): every `/api` route that is not marked
 * `config.public` needs a live session, found by the cookie's token, and every write also
 * needs the session's CSRF token in `x-csrf-token`. Sets `request.actor` and `request.auth`.
 */
export function createAuthHook(services: Services) {
  return async function authenticateRequest(request: FastifyRequest): Promise<void> {
    if (!isApi(request.url)) return;
    if (request.routeOptions.config?.public === true) return;
    const session = await services.auth.authenticate(request.cookies[SESSION_COOKIE], { ip: request.ip });
    if (!session) throw new AuthRequiredError();
    request.auth = session;
    request.actor = session.actor;
    if (!SAFE_METHODS.has(request.method) && !sameToken(request.headers[CSRF_HEADER], session.view.csrfToken)) throw new CsrfError();
    const restriction = session.view.restriction;
    if (restriction !== null && request.routeOptions.config?.allowRestricted !== true) throw RESTRICTED[restriction]();
  };
}

/** What a restricted session hears on every other route (the web app sends the user to the page). */
const RESTRICTED = {
  password_change: () =>
    forbidden('password_change_required', '请先修改密码：首次登录、密码被重置或已过期后，须设置自己的新密码', { restriction: 'password_change' }),
  totp_enrolment: () =>
    forbidden('totp_enrolment_required', '管理员账号须先绑定身份验证器（动态验证码）后才能使用', {
      restriction: 'totp_enrolment',
    }),
} as const;

function sameToken(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
