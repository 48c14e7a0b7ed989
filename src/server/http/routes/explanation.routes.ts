import { z } from 'zod';
import type { ExplanationView } from '../../../domain/api/insight-view.ts';
import { ExplanationLimits } from '../../../domain/limits.ts';
import { FINDING_KINDS } from '../../presenters/insight.presenter.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import type { RouteModule } from '../types.ts';

const taskPlace = z.object({ chapter: z.number().int(), section: z.number().int(), index: z.number().int() });

export const explanationView = z.object({
  id: z.number().int(),
  roundId: z.number().int(),
  roundLabel: z.string(),
  taskId: z.number().int(),
  task: taskPlace,
  taskText: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  kind: z.enum(FINDING_KINDS),
  message: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  reply: z.string().nullable(),
  repliedBy: z.string().nullable(),
  repliedAt: z.string().nullable(),
}) satisfies z.ZodType<ExplanationView>;

const requestBody = z.object({
  taskId: z.number().int().positive(),
  unitId: z.number().int().positive(),
  kind: z.enum(FINDING_KINDS),
  // The service trims and counts characters; this only keeps a huge body out.
  message: z.string().max(ExplanationLimits.message.max * 4, `说明要求不能超过 ${ExplanationLimits.message.max} 个字`),
});

const replyBody = z.object({
  reply: z.string().max(ExplanationLimits.reply.max * 4, `说明不能超过 ${ExplanationLimits.reply.max} 个字`),
});

const responses = { ...errorResponses, 404: errorViewSchema, 409: errorViewSchema, 422: errorViewSchema } as const;

/** 请说明 (issue 15): the office asks a unit to explain a finding of a round; the unit replies. */
export const explanationRoutes: RouteModule = (app) => {
  app.post(
    '/api/rounds/:roundId/explanations',
    {
      schema: {
        tags: ['insights'],
        summary: '要求单位就本轮某项任务的问题作出说明（办公室）',
        params: z.object({ roundId: idParam }),
        body: requestBody,
        response: { 201: explanationView, ...responses },
      },
    },
    async (request, reply) => reply.code(201).send(await request.services.explanations.request(request.actor, request.params.roundId, request.body)),
  );

  app.get(
    '/api/rounds/:roundId/explanations',
    {
      schema: {
        tags: ['insights'],
        summary: '本轮的说明要求及单位的说明（办公室、领导）',
        params: z.object({ roundId: idParam }),
        response: { 200: z.array(explanationView), ...responses },
      },
    },
    async (request) => request.services.explanations.listForRound(request.actor, request.params.roundId),
  );

  app.put(
    '/api/explanations/:explanationId',
    {
      schema: {
        tags: ['insights'],
        summary: '作出说明；本轮结束前可修改（被要求说明的单位）',
        params: z.object({ explanationId: idParam }),
        body: replyBody,
        response: { 200: explanationView, ...responses },
      },
    },
    async (request) => request.services.explanations.reply(request.actor, request.params.explanationId, request.body),
  );

  app.get(
    '/api/units/:unitId/explanations',
    {
      schema: {
        tags: ['insights'],
        summary: '本单位收到的说明要求，最新的在前（本单位、办公室）',
        params: z.object({ unitId: idParam }),
        response: { 200: z.array(explanationView), ...responses },
      },
    },
    async (request) => request.services.explanations.listForUnit(request.actor, request.params.unitId),
  );
};
