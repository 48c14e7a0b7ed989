import { z } from 'zod';
import type { DocNumberSuggestion, NoticeSaveView, NoticeView } from '../../../domain/api/notice-view.ts';
import { TABLE_HEADER } from '../../../domain/compiled-table.ts';
import { NoticeLimits } from '../../../domain/limits.ts';
import { noticeFieldsSchema } from '../../../domain/notice.ts';
import { noticeSchema } from '../../../domain/plan-document.ts';
import { errorResponses, errorViewSchema, idParam, optionalDateSchema, queryInteger, versionSchema } from '../schemas.ts';
import type { RouteModule } from '../types.ts';
import { tableOptionsShape } from './export.schemas.ts';

const compiledRow = z.object({
  chapterNumber: z.number().int(),
  chapterLabel: z.string(),
  chapterSpan: z.number().int(),
  sectionNumber: z.number().int(),
  sectionLabel: z.string(),
  sectionSpan: z.number().int(),
  task: z.string(),
  leadDepartment: z.string(),
  leaders: z.string(),
  units: z.string(),
  due: z.string().optional().describe('完成时限（有时限的任务）'),
  progress: z.string(),
  answered: z.boolean(),
  lagging: z.boolean().optional(),
  delayed: z.boolean().optional(),
  unreviewed: z.boolean().optional(),
});

const compiledRoundView = z.object({
  notice: noticeSchema,
  table: z.object({
    title: z.string(),
    roundLabel: z.string(),
    header: z
      .array(z.string())
      .min(TABLE_HEADER.length)
      .max(TABLE_HEADER.length + 1)
      .describe('表头；有任务带完成时限时多一列“完成时限”'),
    rows: z.array(compiledRow),
  }),
  fileBaseName: z.string(),
  draft: z.boolean(),
  imported: z.boolean(),
});

const nextNumberView = z.object({
  prefix: z.string().describe('机关代字；未设置单位信息且无已用文号时为空'),
  year: z.number().int(),
  number: z.number().int(),
  docNumber: z.string(),
}) satisfies z.ZodType<DocNumberSuggestion>;

const noticeView = z.object({
  roundId: z.number().int(),
  roundLabel: z.string(),
  stored: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  notice: noticeSchema,
  suggestedDocNumber: nextNumberView,
  placeholders: z.record(z.string(), z.string().nullable()),
  statisticsWarnings: z.array(z.string()),
  profileMissing: z.boolean(),
}) satisfies z.ZodType<NoticeView>;

const noticeSaveView = noticeView.extend({ notes: z.array(z.string()) }) satisfies z.ZodType<NoticeSaveView>;

/** The notice's fields; its two dates as typed (2017-10-16, 2017/10/16, 2017年10月16日), impossible days refused naming the field. */
const noticeFieldsBody = noticeFieldsSchema.extend({
  date: optionalDateSchema,
  printed: noticeFieldsSchema.shape.printed.extend({ date: optionalDateSchema }),
});

const noticeSaveBody = z.object({
  notice: noticeFieldsBody,
  /** The version the text was edited from (0 before the first save). Missing = stale: 409, never an overwrite. */
  version: versionSchema.nullable().default(null),
});

const roundParams = z.object({ roundId: idParam });
const noticeErrors = { ...errorResponses, 404: errorViewSchema, 409: errorViewSchema, 422: errorViewSchema } as const;

/** The round's notice and compiled table: what the print view and the Word/Excel/PDF exports show. */
export const noticeRoutes: RouteModule = (app) => {
  app.get(
    '/api/rounds/:roundId/compiled',
    {
      schema: {
        tags: ['rounds'],
        summary: '汇编后的通报与调度表（打印视图）；选项与导出相同',
        params: z.object({ roundId: idParam }),
        querystring: z.object(tableOptionsShape),
        response: { 200: compiledRoundView, ...errorResponses, 404: errorViewSchema },
      },
    },
    async (request) => {
      const compiled = await request.services.compileRound.compileRound(request.actor, request.params.roundId, request.query);
      return { ...compiled, table: { ...compiled.table, header: [...compiled.table.header] } };
    },
  );

  app.get(
    '/api/rounds/:roundId/notice/next-number',
    {
      schema: {
        tags: ['rounds'],
        summary: '建议通报文号（该年已用最大号 + 1）',
        params: roundParams,
        querystring: z.object({ year: queryInteger(2000, 2100), prefix: z.string().min(1).max(NoticeLimits.docPrefix.max).optional() }),
        response: { 200: nextNumberView, ...noticeErrors },
      },
    },
    async (request) => request.services.notices.suggestNextNumber(request.actor, request.params.roundId, request.query.year, request.query.prefix),
  );

  app.get(
    '/api/rounds/:roundId/notice',
    {
      schema: {
        tags: ['rounds'],
        summary: '本轮通报（已保存的，或默认文字 version 0）与建议文号',
        params: roundParams,
        response: { 200: noticeView, ...noticeErrors },
      },
    },
    async (request) => request.services.notices.getNotice(request.actor, request.params.roundId),
  );

  app.put(
    '/api/rounds/:roundId/notice',
    {
      schema: {
        tags: ['rounds'],
        summary: '保存本轮通报（带版本号；版本过期 409 version_conflict，文号已被占用 409 doc_number_taken）',
        params: roundParams,
        body: noticeSaveBody,
        response: { 200: noticeSaveView, ...noticeErrors },
      },
    },
    async (request) => request.services.notices.saveNotice(request.actor, request.params.roundId, request.body),
  );
};
