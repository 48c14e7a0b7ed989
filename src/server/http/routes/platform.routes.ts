import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { OrganisationAdminView, OrganisationCreatedView } from '../../../domain/api/organisation-view.ts';
import { AccountLimits } from '../../../domain/accounts.ts';
import { forbidden } from '../../../domain/errors.ts';
import { ORGANISATION_NAME_MAX } from '../../organisations/platform.service.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import type { RouteModule } from '../types.ts';

const organisationAdminViewSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  home: z.boolean(),
  archivedAt: z.string().nullable(),
  accounts: z.number().int(),
  plans: z.number().int(),
  rounds: z.number().int(),
}) satisfies z.ZodType<OrganisationAdminView>;

const createdViewSchema = z.object({
  organisation: organisationAdminViewSchema,
  admin: z.object({ username: z.string(), displayName: z.string() }),
  temporaryPassword: z.string().describe('首位系统管理员的临时密码，只显示这一次'),
}) satisfies z.ZodType<OrganisationCreatedView>;

const createBody = z.object({
  code: z.string().max(64).describe('单位代码：登录时选择，2–32 位小写字母、数字或“-”'),
  name: z
    .string()
    .max(ORGANISATION_NAME_MAX * 2)
    .describe('单位名称（全称）'),
  adminUsername: z
    .string()
    .max(AccountLimits.username.max * 2)
    .describe('首位系统管理员的用户名'),
  adminName: z
    .string()
    .max(AccountLimits.displayName.max * 2)
    .describe('首位系统管理员的姓名'),
});

const platformErrors = { ...errorResponses, 404: errorViewSchema, 409: errorViewSchema, 422: errorViewSchema } as const;

/** The platform administrator works from the home organisation only (decision 028). */
function assertHome(request: FastifyRequest): void {
  if (!request.organisation.home) throw forbidden('forbidden_platform', '组织管理只能由主单位的平台管理员进行', { organisation: request.organisation.code });
}

/**
 * 组织管理 (decision 028): the platform administrator creates, lists and archives organisations;
 * it sees their counts, never their data.
 */
export const platformRoutes: RouteModule = (app, { platform }) => {
  app.get(
    '/api/platform/organisations',
    {
      schema: {
        tags: ['platform'],
        summary: '组织列表（含账号、方案、调度轮次数）',
        response: { 200: z.array(organisationAdminViewSchema), ...platformErrors },
      },
    },
    async (request) => {
      assertHome(request);
      return platform.organisations.list(request.actor);
    },
  );

  app.post(
    '/api/platform/organisations',
    {
      schema: {
        tags: ['platform'],
        summary: '新建组织：建立其数据存储和首位系统管理员（临时密码只显示一次）',
        body: createBody,
        response: { 201: createdViewSchema, ...platformErrors },
      },
    },
    async (request, reply) => {
      assertHome(request);
      return reply.code(201).send(await platform.organisations.create(request.actor, request.body));
    },
  );

  app.post(
    '/api/platform/organisations/:organisationId/archive',
    {
      schema: {
        tags: ['platform'],
        summary: '归档组织：其账号不能再登录，数据保留',
        params: z.object({ organisationId: idParam }),
        response: { 200: organisationAdminViewSchema, ...platformErrors },
      },
    },
    async (request) => {
      assertHome(request);
      return platform.organisations.archive(request.actor, request.params.organisationId);
    },
  );
};
