import { z } from 'zod';
import { errorResponses, errorViewSchema } from '../schemas.ts';
import type { RouteModule } from '../types.ts';
import { planParams, planSummaryView, planTreeQuery, planTreeView } from './plan-view.schemas.ts';

const responses = { ...errorResponses, 404: errorViewSchema, 422: errorViewSchema } as const;

/** Plans as people read them: the list, and one plan as a filtered tree. */
export const planRoutes: RouteModule = (app) => {
  app.get(
    '/api/plans',
    {
      schema: {
        tags: ['plans'],
        summary: '分工方案列表',
        querystring: z.object({ archived: z.enum(['1', '0']).optional().describe('1：包括已归档的方案') }),
        response: { 200: z.array(planSummaryView), ...errorResponses },
      },
    },
    async (request) => request.services.planViews.listPlans(request.actor, { archived: request.query.archived === '1' }),
  );

  app.get(
    '/api/plans/:planId/tree',
    {
      schema: {
        tags: ['plans'],
        summary: '分工方案（章、节、任务）及一轮调度的推进情况，可筛选',
        description: '有筛选条件时只返回含有匹配任务的章、节；matched 为匹配的任务数，total 为全部任务数。',
        params: planParams,
        querystring: planTreeQuery,
        response: { 200: planTreeView, ...responses },
      },
    },
    async (request) => request.services.planViews.planTree(request.actor, request.params.planId, request.query),
  );
};
