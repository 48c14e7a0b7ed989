import { z } from 'zod';
import type { AnswerView, BoardView, RoundView, SubmissionView, TodoView } from '../../../domain/api/round-view.ts';
import { AnswerLimits, PROGRESS_STATUSES, RoundLimits } from '../../../domain/limits.ts';
import { calendarDateSchema, deadlineSchema, errorResponses, errorViewSchema, idParam, versionSchema } from '../schemas.ts';
import { serialiseOnce } from '../serialise-once.ts';
import type { RouteModule } from '../types.ts';

/** Dates as people type them (stored `YYYY-MM-DD`, impossible days refused); deadlines also as a full ISO timestamp. */
const isoDate = calendarDateSchema;
const deadline = deadlineSchema;
const roundStatus = z.enum(['imported', 'open', 'closed']);
const progressStatus = z.enum(PROGRESS_STATUSES);
const submissionState = z.enum(['not_started', 'draft', 'submitted', 'approved', 'returned', 'accepted']);

const roundView = z.object({
  id: z.number().int(),
  planId: z.number().int(),
  label: z.string(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  deadline: z.string().nullable(),
  status: roundStatus,
  note: z.string().nullable(),
  requiresApproval: z.boolean(),
  tasks: z.number().int(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
}) satisfies z.ZodType<RoundView>;

const answerView = z.object({
  taskId: z.number().int(),
  unitId: z.number().int(),
  text: z.string(),
  status: progressStatus.nullable(),
  reason: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
}) satisfies z.ZodType<AnswerView>;

const submissionView = z.object({
  roundId: z.number().int(),
  unitId: z.number().int(),
  unitName: z.string(),
  state: submissionState,
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  returnComment: z.string().nullable(),
  version: z.number().int(),
}) satisfies z.ZodType<SubmissionView>;

const todoView = z.object({
  round: roundView,
  unit: z.object({ id: z.number().int(), name: z.string() }),
  submission: submissionView,
  items: z.array(
    z.object({
      task: z.object({
        id: z.number().int(),
        text: z.string(),
        chapterNumber: z.number().int(),
        sectionNumber: z.number().int(),
        leaders: z.array(z.string()),
        role: z.enum(['lead', 'co']),
      }),
      answer: answerView,
      previousText: z.string().nullable(),
      coUnitAnswers: z.array(z.object({ unitName: z.string(), text: z.string(), status: progressStatus.nullable(), state: submissionState })),
    }),
  ),
}) satisfies z.ZodType<TodoView>;
/** The service hands out one frozen list per unit until something is written: encode it once. */
const sendTodo = serialiseOnce(todoView, '/api/rounds/:roundId/units/:unitId/todo');

const boardView = z.object({
  round: roundView,
  now: z.string(),
  rows: z.array(
    submissionView.extend({
      light: z.enum(['green', 'yellow', 'red', 'grey']),
      phone: z.string().nullable(),
      tasks: z.number().int(),
      answered: z.number().int(),
      lastReminderAt: z.string().nullable(),
    }),
  ),
}) satisfies z.ZodType<BoardView>;

const notificationView = z.object({
  id: z.number().int(),
  roundId: z.number().int().nullable(),
  kind: z.string(),
  message: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

const openRoundBody = z.object({
  label: z.string().trim().min(1, '请填写调度轮次名称').max(RoundLimits.label.max),
  periodStart: isoDate.nullable().default(null),
  periodEnd: isoDate.nullable().default(null),
  deadline: deadline.nullable().default(null),
  taskIds: z.array(z.number().int().positive()).max(100_000).optional(),
  note: z.string().max(RoundLimits.note.max).nullable().default(null),
  requiresApproval: z.boolean().default(false),
});

const answerBody = z.object({
  text: z.string().max(AnswerLimits.text.max, `推进情况不能超过 ${AnswerLimits.text.max} 字`),
  status: progressStatus.nullable().default(null),
  reason: z.string().max(AnswerLimits.reason.max).nullable().default(null),
  /** Missing = stale: the server answers 409 with both texts rather than overwrite. */
  version: versionSchema.nullable().default(null),
});

const roundParams = z.object({ roundId: idParam });
const unitParams = z.object({ roundId: idParam, unitId: idParam });
const answerParams = z.object({ roundId: idParam, taskId: idParam, unitId: idParam });
const conflictResponses = { ...errorResponses, 404: errorViewSchema, 409: errorViewSchema, 422: errorViewSchema } as const;
const idempotencyHeaders = z.object({ 'idempotency-key': z.string().min(8).max(128).optional() });

/**
 * A round run in the app, from opening to acceptance: thin routes over the round, answer and
 * submission services. Permission is checked by the services on the unit, not here.
 */
export const roundRoutes: RouteModule = (app, { services }) => {
  app.get(
    '/api/plans/:planId/rounds',
    { schema: { tags: ['rounds'], summary: '分工方案的调度轮次', params: z.object({ planId: idParam }), response: { 200: z.array(roundView), ...conflictResponses } } },
    async (request) => services.rounds.listRounds(request.actor, request.params.planId),
  );

  app.post(
    '/api/plans/:planId/rounds',
    { schema: { tags: ['rounds'], summary: '发起调度', params: z.object({ planId: idParam }), body: openRoundBody, response: { 201: roundView, ...conflictResponses } } },
    async (request, reply) => reply.code(201).send(await services.rounds.openRound(request.actor, request.params.planId, request.body)),
  );

  app.get(
    '/api/rounds/:roundId',
    { schema: { tags: ['rounds'], summary: '调度轮次', params: roundParams, response: { 200: roundView, ...conflictResponses } } },
    async (request) => services.rounds.getRound(request.actor, request.params.roundId),
  );

  app.patch(
    '/api/rounds/:roundId',
    { schema: { tags: ['rounds'], summary: '修改截止时间', params: roundParams, body: z.object({ deadline: deadline.nullable() }), response: { 200: roundView, ...conflictResponses } } },
    async (request) => services.rounds.setDeadline(request.actor, request.params.roundId, request.body.deadline),
  );

  app.post(
    '/api/rounds/:roundId/close',
    { schema: { tags: ['rounds'], summary: '结束调度', params: roundParams, response: { 200: roundView, ...conflictResponses } } },
    async (request) => services.rounds.closeRound(request.actor, request.params.roundId),
  );

  app.get(
    '/api/rounds/:roundId/board',
    { schema: { tags: ['rounds'], summary: '催办看板（亮灯）', params: roundParams, response: { 200: boardView, ...conflictResponses } } },
    async (request) => services.rounds.board(request.actor, request.params.roundId),
  );

  app.post(
    '/api/rounds/:roundId/units/:unitId/reminders',
    {
      schema: {
        tags: ['rounds'],
        summary: '催办',
        params: unitParams,
        body: z.object({ message: z.string().max(RoundLimits.reminder.max).nullable().default(null) }),
        response: { 201: z.object({ reminderId: z.number().int(), sentAt: z.string() }), ...conflictResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await services.rounds.remind(request.actor, request.params.roundId, request.params.unitId, request.body.message)),
  );

  app.get(
    '/api/rounds/:roundId/units/:unitId/todo',
    { schema: { tags: ['answers'], summary: '单位的填报任务', params: unitParams, response: { 200: todoView, ...conflictResponses } } },
    async (request, reply) => sendTodo(reply, await services.answers.todo(request.actor, request.params.roundId, request.params.unitId)),
  );

  app.put(
    '/api/rounds/:roundId/tasks/:taskId/units/:unitId/answer',
    { schema: { tags: ['answers'], summary: '保存推进情况（草稿）', params: answerParams, body: answerBody, response: { 200: answerView, ...conflictResponses } } },
    async (request) => {
      const { roundId, taskId, unitId } = request.params;
      return services.answers.saveAnswer(request.actor, roundId, taskId, unitId, request.body);
    },
  );

  const transition = (path: string, summary: string, run: (request: { actor: Parameters<typeof services.submissions.submit>[0]; roundId: number; unitId: number; key?: string; comment: string | null }) => Promise<SubmissionView>) =>
    app.post(
      `/api/rounds/:roundId/units/:unitId/${path}`,
      {
        schema: {
          tags: ['answers'],
          summary,
          params: unitParams,
          headers: idempotencyHeaders,
          body: z.object({ comment: z.string().max(RoundLimits.returnComment.max).nullable().default(null) }).optional(),
          response: { 200: submissionView, ...conflictResponses },
        },
      },
      async (request) =>
        run({
          actor: request.actor,
          roundId: request.params.roundId,
          unitId: request.params.unitId,
          key: request.headers['idempotency-key'],
          comment: request.body?.comment ?? null,
        }),
    );

  transition('submit', '提交本单位填报', (r) => services.submissions.submit(r.actor, r.roundId, r.unitId, r.key));
  transition('approve', '处室负责人审核通过', (r) => services.submissions.approve(r.actor, r.roundId, r.unitId));
  transition('accept', '办公室通过', (r) => services.submissions.accept(r.actor, r.roundId, r.unitId));
  transition('return', '办公室退回（须写意见）', (r) => services.submissions.returnAnswers(r.actor, r.roundId, r.unitId, r.comment ?? ''));
  transition('reopen', '重新打开已通过的填报', (r) => services.submissions.reopen(r.actor, r.roundId, r.unitId, r.comment));

  app.get(
    '/api/notifications',
    { schema: { tags: ['answers'], summary: '站内提醒', response: { 200: z.array(notificationView), ...errorResponses } } },
    async (request) => services.rounds.notifications(request.actor),
  );
};
