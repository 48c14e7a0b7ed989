import { z } from 'zod';
import type { OrganisationRoundsView, ProvinceRollUpView, RoundFiguresView } from '../../../domain/api/province-view.ts';
import { errorResponses, errorViewSchema } from '../schemas.ts';
import type { RouteModule } from '../types.ts';

const count = z.number().int().min(0);
const nullableCount = count.nullable();

const roundFigures = z.object({
  roundId: count,
  label: z.string(),
  deadline: z.string().nullable(),
  timeZone: z.string(),
  status: z.enum(['open', 'closed', 'imported']),
  units: nullableCount,
  onTime: nullableCount,
  late: nullableCount,
  notSubmitted: nullableCount,
  onTimeRate: z.number().min(0).max(1).nullable(),
  lights: z.object({ green: count, yellow: count, red: count, grey: count }).nullable(),
  lagging: nullableCount,
  suspended: nullableCount,
}) satisfies z.ZodType<RoundFiguresView>;

const rollUpView = z.object({
  readAt: z.string(),
  organisations: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      plans: z.object({ total: count, active: count }),
      round: roundFigures.nullable(),
      readAt: z.string(),
    }),
  ),
}) satisfies z.ZodType<ProvinceRollUpView>;

const organisationRoundsView = z.object({
  organisation: z.object({ code: z.string(), name: z.string() }),
  rounds: z.array(roundFigures),
  readAt: z.string(),
}) satisfies z.ZodType<OrganisationRoundsView>;

/** An organisation's code as the directory writes it: letters, digits and hyphens. */
const organisationCode = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, '单位代码只能由小写字母、数字和连字符组成')
  .describe('单位代码');

/** 全省汇总 (decision 030): the province's supervisor reads counts across organisations, never texts. */
export const provinceRoutes: RouteModule = (app, { platform }) => {
  app.get(
    '/api/province/rollup',
    {
      schema: {
        tags: ['province'],
        summary: '全省汇总：各单位调度轮次、按时报送率、红黄绿灯和滞后数',
        description: '仅省级督查员可查看。只有数字，不含任务内容、推进情况文字和草稿。已归档的单位不列出；导入的历史轮次不计算报送率。',
        response: { 200: rollUpView, ...errorResponses },
      },
    },
    async (request) => platform.province.rollUp(request.actor, request.organisation),
  );

  app.get(
    '/api/province/organisations/:code/rounds',
    {
      schema: {
        tags: ['province'],
        summary: '某单位各调度轮次的汇总数字',
        description: '仅省级督查员可查看。作废的轮次不列出，最新的在前。',
        params: z.object({ code: organisationCode }),
        response: { 200: organisationRoundsView, ...errorResponses, 404: errorViewSchema },
      },
    },
    async (request) => platform.province.organisationRounds(request.actor, request.organisation, request.params.code),
  );
};
