import { create as contentDisposition } from 'content-disposition';
import { z } from 'zod';
import type { PlanDashboardView, RoundEvaluationView } from '../../../domain/api/insight-view.ts';
import type { EvaluationFile } from '../../services/evaluation.service.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import type { RouteModule } from '../types.ts';
import type { FastifyReply } from 'fastify';
import { FINDING_KINDS } from '../../presenters/insight.presenter.ts';

/** Where a score stands (src/domain/evaluation.ts ScoreState): not_due is 未到截止, no score yet. */
const scoreState = z.enum(['scored', 'not_due', 'not_asked']);
const taskPlace = z.object({ chapter: z.number().int(), section: z.number().int(), index: z.number().int() });
const verdict = z.enum(['on_track', 'behind', 'basis_differs', 'no_actual']);
const basis = z.enum(['level', 'vs_base_year', 'year_on_year', 'cumulative']);

const target = z.object({
  value: z.number(),
  unit: z.string(),
  direction: z.enum(['up', 'down']),
  bound: z.enum(['at_least', 'at_most', 'exactly']),
  baseYear: z.number().int().nullable(),
  baseValue: z.number().nullable(),
  byYear: z.number().int().nullable(),
  period: z.literal('year').nullable(),
});

const group = z.object({
  name: z.string(),
  total: z.number().int(),
  answered: z.number().int(),
  green: z.number().int(),
  yellow: z.number().int(),
  red: z.number().int(),
  none: z.number().int(),
});

const findingCounts = z.object(
  Object.fromEntries(FINDING_KINDS.map((kind) => [kind, z.number().int()])) as Record<(typeof FINDING_KINDS)[number], z.ZodNumber>,
);

const dashboardView = z.object({
  planId: z.number().int(),
  planTitle: z.string(),
  round: z.object({ id: z.number().int(), label: z.string(), status: z.string(), deadline: z.string().nullable() }).nullable(),
  rounds: z.array(z.object({ id: z.number().int(), label: z.string(), status: z.string() })),
  completion: z.object({ byUnit: z.array(group), byLeader: z.array(group), byChapter: z.array(group) }),
  heatMap: z.object({
    units: z.array(z.string()),
    rounds: z.array(z.string()),
    cells: z.array(
      z.object({
        unit: z.string(),
        round: z.string(),
        score: z.number().nullable(),
        scoreState,
        onTime: z.boolean().nullable(),
        stale: z.number().int(),
        silent: z.number().int(),
      }),
    ),
  }),
  indicators: z.array(
    z.object({
      taskId: z.number().int(),
      task: taskPlace,
      key: z.string(),
      name: z.string(),
      target,
      path: z.array(z.object({ year: z.number().int(), value: z.number() })),
      actuals: z.array(z.object({ round: z.string(), periodEnd: z.string().nullable(), value: z.number().nullable(), basis: basis.nullable(), verdict })),
    }),
  ),
  findings: findingCounts,
}) satisfies z.ZodType<PlanDashboardView>;

const evaluationView = z.object({
  roundId: z.number().int(),
  roundLabel: z.string(),
  rows: z.array(
    z.object({
      unitId: z.number().int(),
      unitName: z.string(),
      onTime: z.boolean().nullable(),
      tasks: z.number().int(),
      answered: z.number().int(),
      returned: z.number().int(),
      stale: z.number().int(),
      noNewFacts: z.number().int(),
      silent: z.number().int(),
      arithmeticErrors: z.number().int(),
      indicatorsBehind: z.number().int(),
      explanations: z.number().int(),
      score: z.number().nullable(),
      scoreState,
    }),
  ),
}) satisfies z.ZodType<RoundEvaluationView>;

const dashboardQuery = z.object({
  roundId: idParam.optional(),
  scope: z.enum(['all', 'mine']).optional().describe('mine：只看本人分管的任务（领导）'),
});

const responses = { ...errorResponses, 404: errorViewSchema, 422: errorViewSchema } as const;
const fileResponse = { 200: z.any().describe('Excel 文件（.xlsx）'), ...responses };

function sendFile(reply: FastifyReply, file: EvaluationFile) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', contentDisposition(file.fileName, { fallback: 'diaodu-evaluation.xlsx' }))
    .header('x-content-type-options', 'nosniff')
    .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
}

/** The leaders' dashboard and 考核 (issue 15): office and leaders. */
export const dashboardRoutes: RouteModule = (app) => {
  app.get(
    '/api/plans/:planId/dashboard',
    {
      schema: {
        tags: ['insights'],
        summary: '领导看板：本轮完成情况与状态灯、单位×轮次热力图、指标走势、本轮发现（办公室、领导）',
        params: z.object({ planId: idParam }),
        querystring: dashboardQuery,
        response: { 200: dashboardView, ...responses },
      },
    },
    async (request) => request.services.dashboard.dashboard(request.actor, request.params.planId, request.query),
  );

  app.get(
    '/api/rounds/:roundId/evaluation',
    {
      schema: {
        tags: ['insights'],
        summary: '本轮各单位考核情况（办公室、领导）',
        params: z.object({ roundId: idParam }),
        response: { 200: evaluationView, ...responses },
      },
    },
    async (request) => request.services.evaluation.roundEvaluation(request.actor, request.params.roundId),
  );

  app.get(
    '/api/rounds/:roundId/evaluation.xlsx',
    { schema: { tags: ['insights'], summary: '导出本轮考核表（Excel，记入审计日志）', params: z.object({ roundId: idParam }), response: fileResponse } },
    async (request, reply) => sendFile(reply, await request.services.evaluation.roundWorkbook(request.actor, request.params.roundId)),
  );

  app.get(
    '/api/plans/:planId/evaluation.xlsx',
    {
      schema: { tags: ['insights'], summary: '导出分工方案各轮考核汇总（Excel，记入审计日志）', params: z.object({ planId: idParam }), response: fileResponse },
    },
    async (request, reply) => sendFile(reply, await request.services.evaluation.planWorkbook(request.actor, request.params.planId)),
  );
};
