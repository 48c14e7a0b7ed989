import { z } from 'zod';
import { AUDIT_SORTS, AuditLimits, type AuditEventView, type AuditPageView, type AuditVocabularyView } from '../../../domain/api/audit-view.ts';
import { exportRateLimit } from '../hardening.ts';
import { dateTimeSchema, errorResponses, errorViewSchema, queryInteger } from '../schemas.ts';
import type { RouteModule } from '../types.ts';

const text = z.string().max(AuditLimits.filterText.max).optional();
const time = dateTimeSchema.optional().describe('ISO 8601 时间，如 2026-03-02T08:00:00Z');

const auditFilter = z.object({
  from: time.describe('起始时间（含）'),
  to: time.describe('截止时间（不含）'),
  user: text.describe('用户名（部分匹配）'),
  action: text.describe('操作，如 auth.login'),
  objectType: text.describe('对象类型，如 round'),
  objectId: text.describe('对象编号'),
  result: text.describe('结果，如 success、failure、denied'),
  ip: text.describe('客户端地址'),
});

const auditListQuery = auditFilter.extend({
  sort: z.enum(AUDIT_SORTS).default('id'),
  order: z.enum(['asc', 'desc']).default('desc'),
  page: queryInteger(1, Number.MAX_SAFE_INTEGER).default(1),
  pageSize: queryInteger(1, AuditLimits.pageSize.max).default(AuditLimits.pageSize.default),
});

const auditEventView = z.object({
  id: z.number().int(),
  at: z.string(),
  actorKind: z.string(),
  actor: z.string(),
  actorLabel: z.string(),
  actorLogin: z.string().nullable(),
  chainFormat: z.number().int(),
  userId: z.number().int().nullable(),
  username: z.string().nullable(),
  userDisplayName: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  objectLabel: z.string(),
  result: z.string(),
  detail: z.record(z.string(), z.unknown()),
  hash: z.string(),
}) satisfies z.ZodType<AuditEventView>;

const auditPageView = z.object({
  events: z.array(auditEventView),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
}) satisfies z.ZodType<AuditPageView>;

const auditVocabularyView = z.object({
  actions: z.array(z.string()),
  results: z.array(z.string()),
  objectTypes: z.array(z.string()),
}) satisfies z.ZodType<AuditVocabularyView>;

/** The audit log, for the audit admin only (三员分立): list, filter values, CSV export. */
export const auditRoutes: RouteModule = (app, { config }) => {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: '查询审计日志（仅审计管理员）',
        description: `按时间、用户、操作、对象、结果筛选，分页（每页最多 ${AuditLimits.pageSize.max} 条）；排序列只能是 ${AUDIT_SORTS.join('、')}。`,
        querystring: auditListQuery,
        response: { 200: auditPageView, ...errorResponses, 422: errorViewSchema },
      },
    },
    async (request) => request.services.audit.list(request.actor, request.query),
  );

  app.get(
    '/api/audit/vocabulary',
    {
      schema: {
        tags: ['audit'],
        summary: '审计日志中出现过的操作、结果和对象类型（筛选用）',
        response: { 200: auditVocabularyView, ...errorResponses },
      },
    },
    async (request) => request.services.audit.vocabulary(request.actor),
  );

  app.get(
    '/api/audit/export',
    {
      config: { rateLimit: exportRateLimit(config) },
      schema: {
        tags: ['audit'],
        summary: '导出审计日志 CSV（仅审计管理员）',
        description: `筛选条件同查询；最多 ${AuditLimits.exportRows.max} 条。以 = + - @ 开头的单元格前加 ' 以防公式注入。导出本身记入审计日志。每用户每分钟次数受限（429）。`,
        querystring: auditFilter,
        response: { 200: z.any().describe('CSV 文件 (text/csv; charset=utf-8，带 BOM)'), ...errorResponses, 422: errorViewSchema, 429: errorViewSchema },
      },
    },
    async (request, reply) => {
      const file = await request.services.audit.exportCsv(request.actor, request.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit.csv"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
        .send(file.bytes);
    },
  );
};
