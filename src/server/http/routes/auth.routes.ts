import { z } from 'zod';
import { errorResponses, errorViewSchema, sessionViewSchema } from '../schemas.ts';
import { clientOf, SESSION_COOKIE, sessionCookieOptions } from '../session-cookie.ts';
import type { RouteModule } from '../types.ts';

const loginBody = z.object({
  username: z.string().min(1).max(64).describe('用户名'),
  password: z.string().min(1).max(1024).describe('密码'),
});

/** Log in (sets the HttpOnly session cookie), log out (ends the session on the server), who am I. */
export const authRoutes: RouteModule = (app, { services, config }) => {
  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: '登录 (log in): sets the diaodu_session cookie; echo csrfToken in x-csrf-token on writes',
        security: [],
        body: loginBody,
        response: { 200: sessionViewSchema, 400: errorResponses[400], 422: errorViewSchema.describe('用户名或密码错误 (login_failed)') },
      },
    },
    async (request, reply) => {
      const { token, session } = await services.auth.login(request.body, clientOf(request));
      reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(config));
      return session.view;
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: '退出登录 (log out)', response: { 204: z.null().describe('会话已结束'), ...errorResponses } } },
    async (request, reply) => {
      await services.auth.logout(request.actor, request.auth.sessionId, clientOf(request));
      reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(config));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { tags: ['auth'], summary: '当前用户与会话 (the signed-in user)', response: { 200: sessionViewSchema, ...errorResponses } } },
    async (request) => request.auth.view,
  );
};
