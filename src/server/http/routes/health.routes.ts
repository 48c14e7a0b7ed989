import { z } from 'zod';
import type { RouteModule } from '../types.ts';

const healthSchema = z.object({ status: z.literal('ok'), time: z.string() });

/** GET /api/health: liveness for load balancers and `npm start` scripts; public. */
export const healthRoutes: RouteModule = (app) => {
  app.get(
    '/api/health',
    { config: { public: true }, schema: { tags: ['system'], summary: '健康检查', security: [], response: { 200: healthSchema } } },
    async () => ({ status: 'ok' as const, time: new Date().toISOString() }),
  );
};
