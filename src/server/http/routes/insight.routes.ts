import { z } from 'zod';
import type { ActualDecisionView, IndicatorDecisionView } from '../../../domain/api/insight-decision-view.ts';
import type { ActualDecisionInput, FindingView, IndicatorDecisionInput, RoundInsightsView } from '../../../domain/api/insight-view.ts';
import type { IndicatorActual, IndicatorTarget, TaskPlace } from '../../../domain/insights/types.ts';
import { InsightLimits } from '../../../domain/limits.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import { serialiseOnce } from '../serialise-once.ts';
import type { RouteModule } from '../types.ts';
import { explanationView } from './explanation.routes.ts';

const count = z.number().int();
const year = z
  .number()
  .int()
  .min(InsightLimits.year.min, `年份不能早于 ${InsightLimits.year.min} 年`)
  .max(InsightLimits.year.max, `年份不能晚于 ${InsightLimits.year.max} 年`);

const taskPlace = z.object({ chapter: count, section: count, index: count }) satisfies z.ZodType<TaskPlace>;

export const indicatorTargetSchema = z.object({
  value: z.number(),
  unit: z.string().max(InsightLimits.unit.max, `计量单位不能超过 ${InsightLimits.unit.max} 个字`),
  direction: z.enum(['up', 'down']),
  bound: z.enum(['at_least', 'at_most', 'exactly']),
  baseYear: year.nullable(),
  baseValue: z.number().nullable(),
  byYear: year.nullable(),
  period: z.literal('year').nullable(),
}) satisfies z.ZodType<IndicatorTarget>;

export const indicatorActualSchema = z.object({
  value: z.number(),
  unit: z.string().max(InsightLimits.unit.max, `计量单位不能超过 ${InsightLimits.unit.max} 个字`),
  basis: z.enum(['level', 'vs_base_year', 'year_on_year', 'cumulative']),
  months: z.number().int().min(1).max(12).nullable(),
  baseYear: year.nullable(),
  quote: z.string().max(InsightLimits.quote.max, `引文不能超过 ${InsightLimits.quote.max} 个字`),
}) satisfies z.ZodType<IndicatorActual>;

/** What every finding carries, and what the API adds: the chapter's title and the task's leaders. */
const findingBase = {
  task: taskPlace,
  taskId: count,
  unit: z.string().nullable(),
  unitId: count.nullable(),
  chapterTitle: z.string(),
  leaders: z.array(z.string()),
};

const findingView = z.discriminatedUnion('kind', [
  z.object({
    ...findingBase,
    kind: z.literal('arithmetic'),
    relation: z.enum(['sum', 'ratio', 'count']),
    quote: z.string(),
    stated: z.string(),
    computed: z.string(),
    ok: z.boolean(),
  }),
  z.object({
    ...findingBase,
    kind: z.literal('indicator'),
    key: z.string(),
    name: z.string(),
    target: indicatorTargetSchema,
    targetQuote: z.string(),
    actual: indicatorActualSchema.nullable(),
    expected: z.number().nullable(),
    verdict: z.enum(['on_track', 'behind', 'basis_differs', 'no_actual']),
    status: z.enum(['proposed', 'confirmed']),
    actualStatus: z.enum(['proposed', 'confirmed']).nullable(),
  }),
  z.object({ ...findingBase, kind: z.literal('stale'), similarity: z.number(), against: z.string(), copiedUnchanged: z.boolean() }),
  z.object({ ...findingBase, kind: z.literal('duplicate'), other: taskPlace, otherTaskId: count, otherUnit: z.string().nullable(), similarity: z.number() }),
  z.object({ ...findingBase, kind: z.literal('no_new_facts'), quote: z.string() }),
  z.object({ ...findingBase, kind: z.literal('silent_unit') }),
]) satisfies z.ZodType<FindingView>;

export const roundInsightsView = z.object({
  format: z.literal('diaodu.insights/1'),
  round: z.string(),
  previousRound: z.string().nullable(),
  roundId: count,
  planId: count,
  counts: z.object({ arithmetic: count, indicator: count, stale: count, duplicate: count, no_new_facts: count, silent_unit: count }),
  arithmetic: z.object({ checked: count, confirmed: count }),
  findings: z.array(findingView),
  explanations: z.array(explanationView),
}) satisfies z.ZodType<RoundInsightsView>;

/** The service hands out one frozen view per round until something is written: encode it once (≈10 MB at 10,000 tasks). */
const sendInsights = serialiseOnce(roundInsightsView, '/api/rounds/:roundId/insights');

const keyParam = z.string().min(1).max(InsightLimits.key.max, `指标编号不能超过 ${InsightLimits.key.max} 个字`);

const indicatorDecisionBody = z.strictObject({
  state: z.enum(['confirmed', 'rejected']),
  name: z.string().max(InsightLimits.name.max, `指标名称不能超过 ${InsightLimits.name.max} 个字`).nullable().optional(),
  target: indicatorTargetSchema.nullable().optional(),
}) satisfies z.ZodType<IndicatorDecisionInput>;

const actualDecisionBody = z.strictObject({
  unitId: count.positive('单位编号应为正整数').nullable(),
  state: z.enum(['confirmed', 'rejected']),
  actual: indicatorActualSchema.nullable().optional(),
}) satisfies z.ZodType<ActualDecisionInput>;

const indicatorDecisionView = z.object({
  taskId: count,
  taskLineage: count,
  key: z.string(),
  state: z.enum(['confirmed', 'rejected']),
  name: z.string().nullable(),
  target: indicatorTargetSchema.nullable(),
  decidedBy: z.string(),
  decidedAt: z.string(),
}) satisfies z.ZodType<IndicatorDecisionView>;

const actualDecisionView = z.object({
  roundId: count,
  taskId: count,
  taskLineage: count,
  key: z.string(),
  unitId: count.nullable(),
  state: z.enum(['confirmed', 'rejected']),
  actual: indicatorActualSchema.nullable(),
  decidedBy: z.string(),
  decidedAt: z.string(),
}) satisfies z.ZodType<ActualDecisionView>;

/** Insight (issue 15): a round's findings, and the office's decisions on proposed indicators and actuals. */
export const insightRoutes: RouteModule = (app) => {
  app.get(
    '/api/rounds/:roundId/insights',
    {
      schema: {
        tags: ['rounds'],
        summary: '调度分析：数字核对、指标进度、沿用未更新、重复答复、无新内容、未发声单位',
        description:
          '办公室和领导可查看。格式 diaodu.insights/1：每条发现注明任务位置（部分、节、节内序号）；指标在办公室确认前为“建议”（proposed），不计入进度。每次读取时依据已存的答复计算。',
        params: z.object({ roundId: idParam }),
        response: { 200: roundInsightsView, ...errorResponses, 404: errorViewSchema },
      },
    },
    async (request, reply) => sendInsights(reply, await request.services.insights.roundInsights(request.actor, request.params.roundId)),
  );

  app.put(
    '/api/tasks/:taskId/indicators/:key',
    {
      schema: {
        tags: ['rounds'],
        summary: '确认、更正或否定任务的建议指标',
        description: '仅办公室。按任务的沿革（各版本共用）保存；更正时给出名称和目标（目标值、计量单位、方向、界限、基准年与目标年）。',
        params: z.object({ taskId: idParam, key: keyParam }),
        body: indicatorDecisionBody,
        response: { 200: indicatorDecisionView, ...errorResponses, 404: errorViewSchema },
      },
    },
    async (request) => request.services.insights.decideIndicator(request.actor, request.params.taskId, request.params.key, request.body),
  );

  app.put(
    '/api/rounds/:roundId/tasks/:taskId/indicators/:key/actual',
    {
      schema: {
        tags: ['rounds'],
        summary: '确认、更正或否定一轮答复中读出的指标实际值',
        description: '仅办公室。按轮次、任务沿革、指标和单位保存（未署名的导入答复单位为空）。',
        params: z.object({ roundId: idParam, taskId: idParam, key: keyParam }),
        body: actualDecisionBody,
        response: { 200: actualDecisionView, ...errorResponses, 404: errorViewSchema },
      },
    },
    async (request) => request.services.insights.decideActual(request.actor, request.params.roundId, request.params.taskId, request.params.key, request.body),
  );
};
