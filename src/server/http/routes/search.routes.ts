import { z } from 'zod';
import { SearchLimits } from '../../../domain/limits.ts';
import { errorResponses, errorViewSchema } from '../schemas.ts';
import type { RouteModule } from '../types.ts';
import { searchHitView, searchQuery } from './plan-view.schemas.ts';

/** Chinese full-text search over task and progress text. */
export const searchRoutes: RouteModule = (app) => {
  app.get(
    '/api/search',
    {
      schema: {
        tags: ['plans'],
        summary: '全文搜索任务内容与推进情况',
        description: `按方案顺序返回，任务内容在前、推进情况按调度轮次由近到远；最多 ${SearchLimits.hits.max} 条。q 为空时返回 422。`,
        querystring: searchQuery,
        response: { 200: z.array(searchHitView), ...errorResponses, 404: errorViewSchema, 422: errorViewSchema },
      },
    },
    async (request) => request.services.search.search(request.actor, request.query),
  );
};
