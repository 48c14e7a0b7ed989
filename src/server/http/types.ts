import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { UserActor } from '../../domain/actor.ts';
import type { Config } from '../config.ts';
import type { Directory } from '../organisations/directory.ts';
import type { PlatformServices } from '../organisations/index.ts';
import type { AuthenticatedSession } from '../services/auth.service.ts';
import type { Services } from '../services/index.ts';

/** The fastify instance routes are declared on: zod schemas type `request.body`, `params`, `query`. */
export type ApiApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/**
 * What every routes module receives. Handlers reach the services of the request's organisation
 * as `request.services` (decision 028); `directory` and `platform` serve login and the platform
 * administrator, who work across organisations.
 */
export type RouteDeps = { config: Config; directory: Directory; platform: PlatformServices };

/** The organisation of the request's session (the home organisation on public routes). */
export type RequestOrganisation = { id: number; code: string; name: string; home: boolean };

/** One routes file (`round.routes.ts` …): declares its routes on `app`; listed in routes/index.ts. */
export type RouteModule = (app: ApiApp, deps: RouteDeps) => void;

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The signed-in user. The auth hook sets it before any handler of a non-public `/api`
     * route runs (or answers 401), so handlers use it directly. On public routes (login,
     * health) and outside `/api` it is null at run time: do not read it there.
     */
    actor: UserActor;
    /** The session behind `actor`: its id (for logout) and the SessionView of GET /api/auth/me. */
    auth: AuthenticatedSession;
    /**
     * The services over the store of the session's organisation (decision 028): every route
     * reaches data through these, so no query can reach another organisation's rows. Set by
     * the auth hook; the home organisation's on public routes.
     */
    services: Services;
    /** The organisation of the session. */
    organisation: RequestOrganisation;
  }
  interface FastifyContextConfig {
    /** Reachable without a session. Only login, health and the login page's organisations: a test walks the OpenAPI document to keep it so. */
    public?: boolean;
    /**
     * Reachable by a restricted session too (decision 010: first-login password change, admin
     * TOTP enrolment): me, logout, change password, the policy, TOTP enrolment. Every other
     * route answers 403 `password_change_required` / `totp_enrolment_required` to such a session.
     */
    allowRestricted?: boolean;
  }
}
