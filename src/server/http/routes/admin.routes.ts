import { z } from 'zod';
import { PasswordPolicyLimits } from '../../../domain/accounts.ts';
import { ROLES } from '../../../domain/api/roles.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import type { RouteModule } from '../types.ts';
import {
  accountViewSchema,
  deliveryFailureViewSchema,
  passwordPolicyViewSchema,
  systemSettingsViewSchema,
  temporaryPasswordViewSchema,
  unitViewSchema,
} from './admin.schemas.ts';

const userParams = z.object({ userId: idParam });
const unitParams = z.object({ unitId: idParam });
const role = z.enum(ROLES).describe('角色');
const unitId = z.number().int().positive().nullable().describe('处室（处室填报员、处室负责人必填，其他角色为 null）');
const phone = z.string().max(64).nullable().optional().describe('电话');

const newAccountBody = z.object({
  username: z.string().min(1).max(64).describe('用户名'),
  displayName: z.string().min(1).max(64).describe('姓名'),
  role,
  unitId,
  phone,
});
const policyBody = z.object({
  minLength: z.number().int().min(PasswordPolicyLimits.minLength.min).max(PasswordPolicyLimits.minLength.max).describe('最小长度'),
  minClasses: z.number().int().min(PasswordPolicyLimits.minClasses.min).max(PasswordPolicyLimits.minClasses.max).describe('至少几类字符'),
  history: z.number().int().min(PasswordPolicyLimits.history.min).max(PasswordPolicyLimits.history.max).describe('不得与最近几次密码相同'),
});

const tags = ['admin'];
const denied = { 403: errorViewSchema.describe('角色不符（三员分立）或对象不可管理'), 404: errorViewSchema.describe('账号或处室不存在') };

/**
 * 三员分立 (decision 010): the system admin's accounts, units and settings; the security admin's
 * roles, unlocks, second-factor resets and password policy. Each route calls one admin-service
 * use case, which checks the role (admin.policy.ts) and audits.
 */
export const adminRoutes: RouteModule = (app) => {
  app.get(
    '/api/admin/accounts',
    { schema: { tags, summary: '账号列表（系统管理员、安全管理员）', response: { 200: z.array(accountViewSchema), ...errorResponses } } },
    async (request) => request.services.admin.listAccounts(request.actor),
  );
  app.post(
    '/api/admin/accounts',
    {
      schema: {
        tags,
        summary: '新建业务账号（系统管理员）：返回一次性临时密码，首次登录须修改',
        body: newAccountBody,
        response: { 201: temporaryPasswordViewSchema, 409: errorViewSchema, 422: errorViewSchema, ...errorResponses, ...denied },
      },
    },
    async (request, reply) => reply.code(201).send(await request.services.admin.createAccount(request.actor, request.body)),
  );
  app.post(
    '/api/admin/accounts/:userId/disable',
    {
      schema: {
        tags,
        summary: '停用账号（系统管理员）：立即结束其会话',
        params: userParams,
        response: { 200: accountViewSchema, ...errorResponses, ...denied },
      },
    },
    async (request) => request.services.admin.setDisabled(request.actor, request.params.userId, true),
  );
  app.post(
    '/api/admin/accounts/:userId/enable',
    { schema: { tags, summary: '启用账号（系统管理员）', params: userParams, response: { 200: accountViewSchema, ...errorResponses, ...denied } } },
    async (request) => request.services.admin.setDisabled(request.actor, request.params.userId, false),
  );
  app.post(
    '/api/admin/accounts/:userId/reset-password',
    {
      schema: {
        tags,
        summary: '重置密码（系统管理员）：一次性临时密码，结束其会话',
        params: userParams,
        response: { 200: temporaryPasswordViewSchema, ...errorResponses, ...denied },
      },
    },
    async (request) => request.services.admin.resetPassword(request.actor, request.params.userId),
  );
  app.put(
    '/api/admin/accounts/:userId/role',
    {
      schema: {
        tags,
        summary: '变更角色（安全管理员）：仅业务角色之间，结束其会话',
        params: userParams,
        body: z.object({ role, unitId }),
        response: { 200: accountViewSchema, 422: errorViewSchema, ...errorResponses, ...denied },
      },
    },
    async (request) => request.services.admin.changeRole(request.actor, request.params.userId, request.body),
  );
  app.post(
    '/api/admin/accounts/:userId/unlock',
    { schema: { tags, summary: '解锁账号（安全管理员）', params: userParams, response: { 200: accountViewSchema, ...errorResponses, ...denied } } },
    async (request) => request.services.admin.unlock(request.actor, request.params.userId),
  );
  app.post(
    '/api/admin/accounts/:userId/reset-totp',
    { schema: { tags, summary: '重置动态验证码（安全管理员）', params: userParams, response: { 200: accountViewSchema, ...errorResponses, ...denied } } },
    async (request) => request.services.admin.resetTotp(request.actor, request.params.userId),
  );

  app.get(
    '/api/admin/delivery-failures',
    {
      schema: {
        tags,
        summary: '发送失败的地址（系统管理员）：最近的消息发送失败且此后未再发送成功的处室和个人地址',
        response: { 200: z.array(deliveryFailureViewSchema), ...errorResponses, ...denied },
      },
    },
    async (request) => request.services.admin.deliveryFailures(request.actor),
  );
  app.get(
    '/api/admin/units',
    {
      schema: {
        tags,
        summary: '处室列表（系统管理员；安全管理员只读，用于指定处室角色）',
        response: { 200: z.array(unitViewSchema), ...errorResponses, ...denied },
      },
    },
    async (request) => request.services.admin.listUnits(request.actor),
  );
  app.post(
    '/api/admin/units',
    {
      schema: {
        tags,
        summary: '新增处室（系统管理员）',
        body: z.object({ name: z.string().min(1).max(64).describe('处室名称'), phone }),
        response: { 201: unitViewSchema, 409: errorViewSchema, 422: errorViewSchema, ...errorResponses, ...denied },
      },
    },
    async (request, reply) => reply.code(201).send(await request.services.admin.createUnit(request.actor, request.body)),
  );
  app.put(
    '/api/admin/units/:unitId',
    {
      schema: {
        tags,
        summary: '修改处室电话、电子邮箱与群机器人（系统管理员；省略的字段不变）',
        params: unitParams,
        body: z.object({
          phone: z.string().max(64).nullable().optional().describe('电话'),
          email: z.string().max(1_000).nullable().optional().describe('电子邮箱；null 为清除'),
          webhook: z
            .object({
              kind: z.string().max(32).describe('机器人类型：wecom 企业微信/政务微信、dingtalk 钉钉、feishu 飞书、webhook 通用 JSON'),
              url: z.string().max(4_000).nullable().optional().describe('机器人地址（https）；省略则不变'),
              secret: z.string().max(1_000).nullable().optional().describe('签名密钥；省略则不变，null 或空为清除'),
            })
            .nullable()
            .optional()
            .describe('群机器人；null 为移除'),
        }),
        response: { 200: unitViewSchema, 422: errorViewSchema, ...errorResponses, ...denied },
      },
    },
    async (request) => request.services.admin.updateUnit(request.actor, request.params.unitId, request.body),
  );
  app.put(
    '/api/admin/units/:unitId/collective',
    {
      schema: {
        tags,
        summary: '标记集体单位（各处(室)、直属单位等，无人登录，不被催办；系统管理员）',
        params: unitParams,
        body: z.object({ collective: z.boolean() }),
        response: { 200: unitViewSchema, ...errorResponses, ...denied },
      },
    },
    async (request) => request.services.admin.setUnitCollective(request.actor, request.params.unitId, request.body.collective),
  );
  app.put(
    '/api/admin/units/:unitId/members',
    {
      schema: {
        tags,
        summary: '设置集体单位的成员单位（由其代为填报；为空时由办公室填写；系统管理员）',
        params: unitParams,
        body: z.object({ memberUnitIds: z.array(z.number().int().positive()).max(1_000).describe('成员单位，按顺序') }),
        response: { 200: unitViewSchema, 409: errorViewSchema, 422: errorViewSchema, ...errorResponses, ...denied },
      },
    },
    async (request) => request.services.admin.setUnitMembers(request.actor, request.params.unitId, request.body.memberUnitIds),
  );

  app.get(
    '/api/admin/settings',
    { schema: { tags, summary: '系统设置（系统管理员，只读）', response: { 200: systemSettingsViewSchema, ...errorResponses, ...denied } } },
    async (request) => request.services.admin.settings(request.actor),
  );

  app.get(
    '/api/admin/password-policy',
    { schema: { tags, summary: '密码策略（安全管理员）', response: { 200: passwordPolicyViewSchema, ...errorResponses, ...denied } } },
    async (request) => {
      request.services.admin.assertCanSetPasswordPolicy(request.actor);
      return request.services.admin.passwordPolicy.view();
    },
  );
  app.put(
    '/api/admin/password-policy',
    {
      schema: {
        tags,
        summary: '修改密码策略（安全管理员）',
        body: policyBody,
        response: { 200: passwordPolicyViewSchema, 422: errorViewSchema, ...errorResponses, ...denied },
      },
    },
    async (request) => request.services.admin.passwordPolicy.update(request.actor, request.body),
  );
};
