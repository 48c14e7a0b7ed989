import { z } from 'zod';
import type { InstructionFeedbackView, InstructionWithFeedbackView } from '../../../domain/api/instruction-view.ts';
import { InstructionLimits } from '../../../domain/limits.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import type { RouteModule } from '../types.ts';
import { instructionView } from './plan-view.schemas.ts';

const feedbackView = z.object({
  id: z.number().int(),
  instructionId: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  author: z.string(),
  text: z.string(),
  createdAt: z.string(),
}) satisfies z.ZodType<InstructionFeedbackView>;

const instructionWithFeedback = instructionView.extend({ feedback: z.array(feedbackView) }) satisfies z.ZodType<InstructionWithFeedbackView>;

const feedbackBody = z.object({
  text: z.string().max(InstructionLimits.feedback.max, `落实反馈不能超过 ${InstructionLimits.feedback.max} 字`),
});

const responses = { ...errorResponses, 404: errorViewSchema, 422: errorViewSchema } as const;

/** Leaders' instructions (批示) with the units' 落实反馈: on the task page and beside a unit's to-do. */
export const instructionRoutes: RouteModule = (app) => {
  app.get(
    '/api/tasks/:taskId/instructions',
    {
      schema: {
        tags: ['plans'],
        summary: '任务的领导批示及各单位落实反馈',
        params: z.object({ taskId: idParam }),
        response: { 200: z.array(instructionWithFeedback), ...responses },
      },
    },
    async (request) => request.services.instructions.listInstructions(request.actor, request.params.taskId),
  );

  app.get(
    '/api/rounds/:roundId/units/:unitId/instructions',
    {
      schema: {
        tags: ['answers'],
        summary: '本单位本轮任务上的领导批示及落实反馈',
        params: z.object({ roundId: idParam, unitId: idParam }),
        response: { 200: z.array(instructionWithFeedback), ...responses },
      },
    },
    async (request) => request.services.instructions.listForUnit(request.actor, request.params.roundId, request.params.unitId),
  );

  app.post(
    '/api/instructions/:instructionId/feedback',
    {
      schema: {
        tags: ['answers'],
        summary: '反馈批示落实情况（仅该任务的责任单位）',
        params: z.object({ instructionId: idParam }),
        body: feedbackBody,
        response: { 201: feedbackView, ...responses },
      },
    },
    async (request, reply) => reply.code(201).send(await request.services.instructions.addFeedback(request.actor, request.params.instructionId, request.body)),
  );
};
