import { z } from 'zod';
import type { LeaderPortfolioView } from '../../../domain/api/leader-view.ts';
import { PROGRESS_STATUSES } from '../../../domain/limits.ts';
import { errorResponses } from '../schemas.ts';
import type { RouteModule } from '../types.ts';

const status = z.enum(PROGRESS_STATUSES).nullable();
const roundRef = z.object({ id: z.number().int(), planId: z.number().int(), label: z.string(), status: z.string(), deadline: z.string().nullable() });

const portfolioView = z.object({
  leader: z.string(),
  round: roundRef.nullable(),
  previousRound: roundRef.nullable(),
  tasks: z.array(
    z.object({
      taskId: z.number().int(),
      position: z.number().int(),
      place: z.object({ chapter: z.number().int(), section: z.number().int(), index: z.number().int() }).nullable(),
      text: z.string(),
      status,
      previousStatus: status,
      lagging: z.boolean(),
      units: z.array(
        z.object({
          unitId: z.number().int(),
          unitName: z.string(),
          role: z.enum(['lead', 'co']),
          state: z.string().nullable(),
          status,
          previousStatus: status,
          late: z.boolean(),
          pending: z.boolean(),
        }),
      ),
    }),
  ),
}) satisfies z.ZodType<LeaderPortfolioView>;

/** A leader's home page, 我分管的. */
export const leaderRoutes: RouteModule = (app) => {
  app.get(
    '/api/leaders/me/portfolio',
    { schema: { tags: ['leaders'], summary: '我分管的：本人任牵头领导的任务（滞后优先）', response: { 200: portfolioView, ...errorResponses } } },
    async (request) => request.services.leaders.portfolio(request.actor),
  );
};
