import { timingSafeEqual } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { forbidden } from '../../domain/errors.ts';
import type { Config } from '../config.ts';
import type { ClientInfo } from '../services/auth.service.ts';
import { HOME_ORGANISATION_ID, type Directory, type OrganisationRecord } from '../organisations/directory.ts';
import { AuthRequiredError, CsrfError } from './errors.ts';
import type { RequestOrganisation } from './types.ts';

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
 * The session cookie's value names the organisation whose store holds the session (decision
 * 028): `<organisationId>.<token>`; a bare token is the home organisation's (every cookie made
 * before there were organisations). Tokens are base64url, so they hold no dot.
 */
export function sessionCookieValue(organisation: Pick<OrganisationRecord, 'id' | 'home'>, token: string): string {
  return organisation.home ? token : `${organisation.id}.${token}`;
}

/** The organisation and token of a cookie value, or null when it is not one. */
export function parseSessionCookie(value: string | undefined): { organisationId: number; token: string } | null {
  if (!value) return null;
  const dot = value.indexOf('.');
  if (dot === -1) return { organisationId: HOME_ORGANISATION_ID, token: value };
  const id = value.slice(0, dot);
  if (!/^[1-9]\d{0,8}$/.test(id)) return null;
  return { organisationId: Number(id), token: value.slice(dot + 1) };
}

export function requestOrganisationOf(record: OrganisationRecord): RequestOrganisation {
  return { id: record.id, code: record.code, name: record.name, home: record.home };
}

/**
 * The auth hook (onRequest, before any body is read): every `/api` route that is not marked
 * `config.public` needs a live session, found by the cookie's token in the store of the
 * organisation the cookie names (an unknown or archived organisation has none), and every write
 * also needs the session's CSRF token in `x-csrf-token`. Sets `request.services` (that store's),
 * `request.organisation`, `request.actor` and `request.auth`.
 */
export function createAuthHook(directory: Directory) {
  const home = directory.home.services;
  return async function authenticateRequest(request: FastifyRequest): Promise<void> {
    request.services = home;
    request.organisation = directory.homeOrganisation();
    if (!isApi(request.url)) return;
    if (request.routeOptions.config?.public === true) return;
    const cookie = parseSessionCookie(request.cookies[SESSION_COOKIE]);
    if (!cookie) throw new AuthRequiredError();
    if (cookie.organisationId !== HOME_ORGANISATION_ID) {
      const record = await directory.find(cookie.organisationId);
      if (!record || record.archivedAt !== null) throw new AuthRequiredError();
      request.services = await directory.servicesOf(record.id);
      request.organisation = requestOrganisationOf(record);
    }
    const session = await request.services.auth.authenticate(cookie.token, { ip: request.ip });
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
