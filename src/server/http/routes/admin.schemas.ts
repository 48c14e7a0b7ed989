import { z } from 'zod';
import type {
  AccountView,
  PasswordPolicyView,
  PersonalDeliveryView,
  SystemSettingsView,
  TemporaryPasswordView,
  TotpEnrolmentView,
  UnitView,
  WebhookView,
} from '../../../domain/api/admin.ts';
import { WEBHOOK_KINDS } from '../../../domain/delivery-addresses.ts';
import { ROLES } from '../../../domain/api/roles.ts';

/** Answer schemas of the identity and admin routes, each checked against its view type. */

export const accountViewSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  unit: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  phone: z.string().nullable(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  failedLogins: z.number().int(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  managedByCli: z.boolean(),
  createdAt: z.string(),
}) satisfies z.ZodType<AccountView>;

export const temporaryPasswordViewSchema = z.object({
  account: accountViewSchema,
  temporaryPassword: z.string(),
}) satisfies z.ZodType<TemporaryPasswordView>;

export const webhookViewSchema = z.object({
  kind: z.enum(WEBHOOK_KINDS).describe('机器人类型'),
  host: z.string().describe('机器人地址的主机名（地址本身含密钥，不返回）'),
  hasSecret: z.boolean().describe('是否已设置签名密钥'),
}) satisfies z.ZodType<WebhookView>;

export const personalDeliveryViewSchema = z.object({
  email: z.string().nullable().describe('本人电子邮箱'),
  emailEnabled: z.boolean().describe('是否接收邮件提醒（站内提醒始终开启）'),
}) satisfies z.ZodType<PersonalDeliveryView>;

export const unitViewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable().describe('单位电子邮箱'),
  webhook: webhookViewSchema.nullable().describe('群机器人（不含地址与密钥）'),
  collective: z.boolean(),
  members: z.array(z.object({ id: z.number().int(), name: z.string() })).describe('集体单位的成员单位（由其填报）；其他单位为空'),
}) satisfies z.ZodType<UnitView>;

export const passwordPolicyViewSchema = z.object({
  minLength: z.number().int(),
  minClasses: z.number().int(),
  history: z.number().int(),
  customised: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
}) satisfies z.ZodType<PasswordPolicyView>;

export const systemSettingsViewSchema = z.object({
  database: z.enum(['sqlite', 'postgres']),
  tls: z.boolean(),
  trustProxy: z.boolean(),
  demo: z.boolean(),
  session: z.object({ idleMinutes: z.number().int(), absoluteHours: z.number().int() }),
  login: z.object({ maxFailures: z.number().int(), lockMinutes: z.number().int(), ipMaxFailures: z.number().int(), ipWindowMinutes: z.number().int() }),
  totpSecretsSealed: z.boolean(),
}) satisfies z.ZodType<SystemSettingsView>;

export const totpEnrolmentViewSchema = z.object({ uri: z.string(), secret: z.string() }) satisfies z.ZodType<TotpEnrolmentView>;

/** DeliveryFailureView (src/domain/api/admin.ts): an address whose messages fail (issue 16). */
export const deliveryFailureViewSchema = z.object({
  unitId: z.number().int().nullable().describe('处室（个人邮箱为 null）'),
  unitName: z.string().nullable(),
  userId: z.number().int().nullable().describe('个人（处室地址为 null）'),
  personName: z.string().nullable(),
  channel: z.enum(['email', 'wecom', 'dingtalk', 'feishu', 'webhook']).describe('发送渠道'),
  reason: z.string().describe('最近一次失败的原因'),
  failedAt: z.string().describe('最近一次失败的时间'),
  failures: z.number().int().describe('自最近一次发送成功以来失败的消息数'),
});
