import { errorResponses, errorViewSchema } from '../schemas.ts';
import type { RouteModule } from '../types.ts';
import { instructionBody, instructionView, taskDetailView, taskParams } from './plan-view.schemas.ts';

const responses = { ...errorResponses, 404: errorViewSchema, 422: errorViewSchema } as const;

/** One task: its page, and leaders' instructions (批示) on it. */
export const taskRoutes: RouteModule = (app) => {
  app.get(
    '/api/tasks/:taskId',
    {
      schema: {
        tags: ['plans'],
        summary: '任务详情：责任分工、各轮推进情况（由早到晚）、领导批示',
        params: taskParams,
        response: { 200: taskDetailView, ...responses },
      },
    },
    async (request) => request.services.planViews.taskDetail(request.actor, request.params.taskId),
  );

  app.post(
    '/api/tasks/:taskId/instructions',
    {
      schema: {
        tags: ['plans'],
        summary: '写批示（仅领导）',
        params: taskParams,
        body: instructionBody,
        response: { 201: instructionView, ...responses },
      },
    },
    async (request, reply) => reply.code(201).send(await request.services.instructions.createInstruction(request.actor, request.params.taskId, request.body)),
  );
};
