import { z } from 'zod';
import type { ReminderLadderView } from '../../../domain/api/round-view.ts';
import { ReminderLimits } from '../../../domain/reminder-rungs.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import type { RouteModule } from '../types.ts';

const ladderView = z.object({
  roundId: z.number().int(),
  rungs: z.array(z.object({ rung: z.string(), label: z.string(), allowQuietHours: z.boolean(), allowWeekends: z.boolean() })),
  setBy: z.string().nullable(),
  setAt: z.string().nullable(),
  pending: z.number().int(),
  nextDueAt: z.string().nullable(),
}) satisfies z.ZodType<ReminderLadderView>;

/** The whole ladder. The count and each rung's grammar are checked by the service, which names the rung and its place. */
const ladderBody = z.object({
  rungs: z
    .array(
      z.object({
        rung: z.string().max(ReminderLimits.rungText).describe('before:7d（截止前 7 天 09:00）、due_day:09:00（截止当天）或 overdue_daily:09:00（逾期后每天）'),
        allowQuietHours: z.boolean().optional().describe('允许在 22:00–08:00 发送（默认否：推迟到早上 08:00）'),
        allowWeekends: z.boolean().optional().describe('允许在周末发送（默认否：推迟到周一）'),
      }),
    )
    .max(1_000),
});

const roundParams = z.object({ roundId: idParam });
const responses = { ...errorResponses, 404: errorViewSchema, 409: errorViewSchema, 422: errorViewSchema } as const;

/** 催办提醒 (issue 16): the office reads and replaces a round's reminder ladder. */
export const reminderLadderRoutes: RouteModule = (app) => {
  app.get(
    '/api/rounds/:roundId/reminder-ladder',
    {
      schema: {
        tags: ['rounds'],
        summary: '催办提醒：本轮的自动提醒设置、待发数量和下一次时间',
        params: roundParams,
        response: { 200: ladderView, ...responses },
      },
    },
    async (request) => request.services.reminderLadders.get(request.actor, request.params.roundId),
  );

  app.put(
    '/api/rounds/:roundId/reminder-ladder',
    {
      schema: {
        tags: ['rounds'],
        summary: '设置催办提醒（整体替换；空列表为停止自动提醒）',
        params: roundParams,
        body: ladderBody,
        response: { 200: ladderView, ...responses },
      },
    },
    async (request) => request.services.reminderLadders.set(request.actor, request.params.roundId, request.body),
  );
};
