import { z } from 'zod';
import type { RoundStatisticsView } from '../../../domain/api/round-statistics-view.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import type { RouteModule } from '../types.ts';

const count = z.number().int();

const unitStatisticsRow = z.object({
  unitId: count,
  unitName: z.string(),
  state: z.enum(['not_started', 'draft', 'submitted', 'approved', 'returned', 'accepted']),
  submitted: z.boolean(),
  submittedAt: z.string().nullable(),
  late: z.boolean(),
  extendedDeadline: z.string().nullable(),
  accepted: z.boolean(),
  tasks: count,
  answered: count,
});

export const roundStatisticsView = z.object({
  roundId: count,
  roundLabel: z.string(),
  deadline: z.string().nullable(),
  inApp: z.boolean(),
  totals: z.object({ units: count, onTime: count, late: count, notSubmitted: count, returned: count, accepted: count, tasksAnswered: count, tasks: count }),
  units: z.array(unitStatisticsRow),
}) satisfies z.ZodType<RoundStatisticsView>;

/** 报送情况统计 of a round (issue 12): what the Excel export's sheet 报送情况 holds, for the print view. */
export const roundStatisticsRoutes: RouteModule = (app) => {
  app.get(
    '/api/rounds/:roundId/statistics',
    {
      schema: {
        tags: ['rounds'],
        summary: '报送情况统计：各单位按时、逾期、未报送与采纳情况',
        description: '办公室和领导可查看。不含集体名称（各处(室)、直属单位等）；导入的历史轮次没有系统内报送记录（inApp 为 false）。',
        params: z.object({ roundId: idParam }),
        response: { 200: roundStatisticsView, ...errorResponses, 404: errorViewSchema },
      },
    },
    async (request) => request.services.roundStatistics.statistics(request.actor, request.params.roundId),
  );
};
