import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AccountSessionView, SessionView } from '../../../domain/api/session.ts';
import { errorResponses, errorViewSchema, sessionViewSchema } from '../schemas.ts';
import { passwordPolicyViewSchema, totpEnrolmentViewSchema } from './admin.schemas.ts';
import { clientOf, requestOrganisationOf, SESSION_COOKIE, sessionCookieOptions, sessionCookieValue } from '../session-cookie.ts';
import type { RequestOrganisation, RouteModule } from '../types.ts';

const loginBody = z.object({
  username: z.string().min(1).max(64).describe('用户名'),
  password: z.string().min(1).max(1024).describe('密码'),
  code: z.string().max(16).optional().describe('动态验证码（已绑定身份验证器的账号）'),
  organisation: z.string().min(1).max(64).optional().describe('单位代码（GET /api/auth/organisations）；省略为本部署的主单位'),
});

const organisationChoiceSchema = z.object({ code: z.string(), name: z.string() });

/** A session view with the organisation it belongs to (decision 028). */
const withOrganisation = (view: AccountSessionView, organisation: Pick<RequestOrganisation, 'code' | 'name'>): SessionView => ({
  ...view,
  organisation: { code: organisation.code, name: organisation.name },
});
const sessionOf = (request: FastifyRequest, view: AccountSessionView) => withOrganisation(view, request.organisation);

const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(1024).describe('当前密码'),
  newPassword: z.string().min(1).max(1024).describe('新密码'),
});

const totpCodeBody = z.object({ code: z.string().min(1).max(16).describe('身份验证器显示的 6 位动态验证码') });

/** Reachable by a session that must first change its password or enrol TOTP (decision 010). */
const restrictedOk = { allowRestricted: true } as const;

/** Log in (sets the HttpOnly session cookie), log out (ends the session on the server), who am I. */
export const authRoutes: RouteModule = (app, { config, directory, platform }) => {
  app.get(
    '/api/auth/organisations',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: '可登录的单位（登录页的单位选择）：未归档的单位，主单位在前',
        security: [],
        response: { 200: z.array(organisationChoiceSchema) },
      },
    },
    async () => platform.organisations.choices(),
  );

  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: '登录 (log in): sets the diaodu_session cookie; echo csrfToken in x-csrf-token on writes',
        security: [],
        body: loginBody,
        response: {
          200: sessionViewSchema,
          400: errorResponses[400],
          422: errorViewSchema.describe('用户名或密码错误 (login_failed)；需要动态验证码 (totp_required)；验证码错误'),
          429: errorViewSchema.describe('该地址登录失败次数过多，见 Retry-After'),
        },
      },
    },
    async (request, reply) => {
      const { organisation: code, ...credentials } = request.body;
      const organisation = code === undefined ? await directory.find(directory.homeOrganisation().id) : await directory.findByCode(code.trim().toLowerCase());
      // The same answer, after as long, as a wrong password; counted and audited in the home store.
      if (!organisation || organisation.archivedAt !== null)
        return directory.home.services.auth.refuseUnknownOrganisation(credentials, code ?? '', clientOf(request));
      const services = await directory.servicesOf(organisation.id);
      const { token, session } = await services.auth.login(credentials, clientOf(request));
      reply.setCookie(SESSION_COOKIE, sessionCookieValue(organisation, token), sessionCookieOptions(config));
      return withOrganisation(session.view, requestOrganisationOf(organisation));
    },
  );

  app.post(
    '/api/auth/logout',
    { config: restrictedOk, schema: { tags: ['auth'], summary: '退出登录', response: { 204: z.null().describe('会话已结束'), ...errorResponses } } },
    async (request, reply) => {
      await request.services.auth.logout(request.actor, request.auth.sessionId, clientOf(request));
      reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(config));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { config: restrictedOk, schema: { tags: ['auth'], summary: '当前用户与会话', response: { 200: sessionViewSchema, ...errorResponses } } },
    async (request) => withOrganisation(request.auth.view, (await directory.find(request.organisation.id)) ?? request.organisation),
  );

  app.post(
    '/api/auth/password',
    {
      config: restrictedOk,
      schema: {
        tags: ['auth'],
        summary: '修改密码 (change my password): ends my other sessions; answers the updated session',
        body: changePasswordBody,
        response: { 200: sessionViewSchema, 422: errorViewSchema.describe('当前密码不正确 / 新密码不符合策略'), ...errorResponses },
      },
    },
    async (request) => sessionOf(request, await request.services.auth.changePassword(request.actor, request.auth.sessionId, request.body, clientOf(request))),
  );

  app.get(
    '/api/auth/password-policy',
    { config: restrictedOk, schema: { tags: ['auth'], summary: '当前密码策略', response: { 200: passwordPolicyViewSchema, ...errorResponses } } },
    async (request) => request.services.auth.passwordPolicy.view(),
  );

  app.post(
    '/api/auth/totp/enrol',
    {
      config: restrictedOk,
      schema: {
        tags: ['auth'],
        summary: '开始绑定身份验证器 (start TOTP enrolment): a new secret as otpauth:// URI and base32',
        response: { 200: totpEnrolmentViewSchema, 409: errorViewSchema.describe('已绑定'), ...errorResponses },
      },
    },
    async (request) => request.services.auth.startTotpEnrolment(request.actor),
  );

  app.post(
    '/api/auth/totp/confirm',
    {
      config: restrictedOk,
      schema: {
        tags: ['auth'],
        summary: '确认绑定身份验证器',
        body: totpCodeBody,
        response: { 200: sessionViewSchema, 422: errorViewSchema.describe('验证码不正确'), ...errorResponses },
      },
    },
    async (request) =>
      sessionOf(request, await request.services.auth.confirmTotpEnrolment(request.actor, request.auth.sessionId, request.body.code, clientOf(request))),
  );
};
