import { z } from 'zod';
import type {
  AnswerReviewView,
  AnswerView,
  BoardView,
  CollectiveAnswersView,
  CollectiveUnitView,
  RoundDeliveryView,
  RoundView,
  SubmissionView,
  TodoView,
  UnitDeadlineView,
  UnitWithoutHeadView,
} from '../../../domain/api/round-view.ts';
import { AnswerLimits, PROGRESS_STATUSES, RoundLimits } from '../../../domain/limits.ts';
import { calendarDateSchema, deadlineSchema, errorResponses, errorViewSchema, idParam, versionSchema } from '../schemas.ts';
import { serialiseOnce } from '../serialise-once.ts';
import type { Services } from '../../services/index.ts';
import type { RouteModule } from '../types.ts';
import { attachmentViewSchema } from './attachment.schemas.ts';

/** Dates as people type them (stored `YYYY-MM-DD`, impossible days refused); deadlines also as a full ISO timestamp. */
const isoDate = calendarDateSchema;
const deadline = deadlineSchema;
const roundStatus = z.enum(['imported', 'open', 'closed', 'void']);
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
  voidedAt: z.string().nullable(),
  voidedBy: z.string().nullable(),
  voidReason: z.string().nullable(),
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
  copiedFromRoundId: z.number().int().nullable(),
  copiedUnchanged: z.boolean().nullable(),
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
  holder: z.enum(['reporter', 'head', 'office', 'done']),
  late: z.boolean(),
  note: z.string().nullable(),
  extendedDeadline: z.string().nullable(),
}) satisfies z.ZodType<SubmissionView>;

const answerReviewView = z.object({
  state: z.enum(['returned', 'approved', 'accepted']).nullable(),
  comment: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
}) satisfies z.ZodType<AnswerReviewView>;

const todoView = z.object({
  round: roundView,
  unit: z.object({ id: z.number().int(), name: z.string() }),
  submission: submissionView,
  items: z.array(
    z.object({
      task: z.object({
        id: z.number().int(),
        text: z.string(),
        due: z.string().nullable().describe('完成时限（按方案原文）'),
        chapterNumber: z.number().int(),
        sectionNumber: z.number().int(),
        leaders: z.array(z.string()),
        role: z.enum(['lead', 'co']),
      }),
      answer: answerView,
      previousText: z.string().nullable(),
      attachments: z.array(attachmentViewSchema),
      coUnitAnswers: z.array(z.object({ unitName: z.string(), text: z.string(), status: progressStatus.nullable(), state: submissionState })),
      review: answerReviewView,
    }),
  ),
}) satisfies z.ZodType<TodoView>;
const collectiveAnswersView = z.object({ round: roundView, unit: todoView.shape.unit, items: todoView.shape.items }) satisfies z.ZodType<CollectiveAnswersView>;

/** The service hands out one frozen list per unit until something is written: encode it once. */
const sendTodo = serialiseOnce(todoView, '/api/rounds/:roundId/units/:unitId/todo');

const roundDeliveryView = z.object({
  roundId: z.number().int(),
  units: z.array(
    z.object({
      unitId: z.number().int(),
      unitName: z.string(),
      channels: z.array(
        z.object({
          channel: z.enum(['email', 'wecom', 'dingtalk', 'feishu', 'webhook']),
          event: z.string(),
          state: z.enum(['queued', 'sent', 'failed']),
          reason: z.string().nullable(),
          at: z.string(),
        }),
      ),
    }),
  ),
}) satisfies z.ZodType<RoundDeliveryView>;

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
  collectives: z.array(
    z.object({
      unitId: z.number().int(),
      unitName: z.string(),
      members: z.array(z.object({ id: z.number().int(), name: z.string() })),
      answeredBy: z.enum(['members', 'office']),
    }) satisfies z.ZodType<CollectiveUnitView>,
  ),
}) satisfies z.ZodType<BoardView>;

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
  /** 沿用上轮: the text was started from last round's; recorded once on the answer. */
  copiedFromPrevious: z.boolean().optional(),
});

/** `?taskIds=1,2,3` (absent: every task of the plan). */
const taskIdsQuery = z.object({
  taskIds: z
    .string()
    .regex(/^[1-9]\d{0,9}(,[1-9]\d{0,9})*$/, '任务编号应为以逗号分隔的正整数')
    .max(1_000_000)
    .transform((value) => value.split(',').map(Number))
    .optional(),
});
const unitRef = z.object({ id: z.number().int(), name: z.string() });
const collectiveUnitView = z.object({
  unitId: z.number().int(),
  unitName: z.string(),
  members: z.array(unitRef),
  answeredBy: z.enum(['members', 'office']),
}) satisfies z.ZodType<CollectiveUnitView>;

const roundParams = z.object({ roundId: idParam });
const unitParams = z.object({ roundId: idParam, unitId: idParam });
const answerParams = z.object({ roundId: idParam, taskId: idParam, unitId: idParam });
/** A task id in a body: a positive integer. */
const idNumber = z.number().int().positive();
const conflictResponses = { ...errorResponses, 404: errorViewSchema, 409: errorViewSchema, 422: errorViewSchema } as const;
const idempotencyHeaders = z.object({ 'idempotency-key': z.string().min(8).max(128).optional() });

/**
 * A round run in the app, from opening to acceptance: thin routes over the round, answer and
 * submission request.services. Permission is checked by the services on the unit, not here.
 */
export const roundRoutes: RouteModule = (app) => {
  app.get(
    '/api/plans/:planId/rounds',
    {
      schema: {
        tags: ['rounds'],
        summary: '分工方案的调度轮次（includeVoid=1 时含已作废的）',
        params: z.object({ planId: idParam }),
        querystring: z.object({ includeVoid: z.enum(['0', '1']).optional() }),
        response: { 200: z.array(roundView), ...conflictResponses },
      },
    },
    async (request) => request.services.rounds.listRounds(request.actor, request.params.planId, { includeVoid: request.query.includeVoid === '1' }),
  );

  app.get(
    '/api/plans/:planId/units-without-head',
    {
      schema: {
        tags: ['rounds'],
        summary: '发起调度前：所选任务中没有处室负责人账号的单位',
        params: z.object({ planId: idParam }),
        querystring: taskIdsQuery,
        response: { 200: z.array(unitRef), ...conflictResponses },
      },
    },
    async (request) => request.services.rounds.unitsWithoutHead(request.actor, request.params.planId, request.query.taskIds),
  );

  app.get(
    '/api/plans/:planId/collective-units',
    {
      schema: {
        tags: ['rounds'],
        summary: '所选任务中的集体单位（各处(室)、直属单位等）及其代表的单位',
        params: z.object({ planId: idParam }),
        querystring: taskIdsQuery,
        response: { 200: z.array(collectiveUnitView), ...conflictResponses },
      },
    },
    async (request) => request.services.rounds.collectiveUnits(request.actor, request.params.planId, request.query.taskIds),
  );

  app.put(
    '/api/collective-units/:unitId/members',
    {
      schema: {
        tags: ['rounds'],
        summary: '指定集体单位代表的单位（为空：由办公室自行填写）',
        params: z.object({ unitId: idParam }),
        body: z.object({ memberUnitIds: z.array(z.number().int().positive()).max(1_000) }),
        response: { 200: collectiveUnitView, ...conflictResponses },
      },
    },
    async (request) => request.services.rounds.setCollectiveMembers(request.actor, request.params.unitId, request.body.memberUnitIds),
  );

  app.post(
    '/api/rounds/:roundId/void',
    {
      schema: {
        tags: ['rounds'],
        summary: '作废调度（仅限尚无单位保存内容时）',
        params: roundParams,
        body: z.object({ reason: z.string().trim().min(1, '请填写作废原因').max(RoundLimits.returnComment.max) }),
        response: { 200: roundView, ...conflictResponses },
      },
    },
    async (request) => request.services.rounds.voidRound(request.actor, request.params.roundId, request.body.reason),
  );

  app.put(
    '/api/rounds/:roundId/units/:unitId/deadline',
    {
      schema: {
        tags: ['rounds'],
        summary: '延长单个单位的截止时间（null：恢复本轮统一截止时间）',
        params: unitParams,
        body: z.object({ deadline: deadline.nullable() }),
        response: { 200: submissionView.extend({ effectiveDeadline: z.string().nullable() }) satisfies z.ZodType<UnitDeadlineView>, ...conflictResponses },
      },
    },
    async (request) => request.services.rounds.extendUnitDeadline(request.actor, request.params.roundId, request.params.unitId, request.body.deadline),
  );

  app.post(
    '/api/plans/:planId/rounds',
    {
      schema: {
        tags: ['rounds'],
        summary: '发起调度',
        params: z.object({ planId: idParam }),
        body: openRoundBody,
        response: { 201: roundView, ...conflictResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await request.services.rounds.openRound(request.actor, request.params.planId, request.body)),
  );

  app.get(
    '/api/rounds/:roundId',
    { schema: { tags: ['rounds'], summary: '调度轮次', params: roundParams, response: { 200: roundView, ...conflictResponses } } },
    async (request) => request.services.rounds.getRound(request.actor, request.params.roundId),
  );

  app.patch(
    '/api/rounds/:roundId',
    {
      schema: {
        tags: ['rounds'],
        summary: '修改截止时间',
        params: roundParams,
        body: z.object({ deadline: deadline.nullable() }),
        response: { 200: roundView, ...conflictResponses },
      },
    },
    async (request) => request.services.rounds.setDeadline(request.actor, request.params.roundId, request.body.deadline),
  );

  app.post(
    '/api/rounds/:roundId/close',
    { schema: { tags: ['rounds'], summary: '结束调度', params: roundParams, response: { 200: roundView, ...conflictResponses } } },
    async (request) => request.services.rounds.closeRound(request.actor, request.params.roundId),
  );

  app.get(
    '/api/rounds/:roundId/board',
    { schema: { tags: ['rounds'], summary: '催办看板（亮灯）', params: roundParams, response: { 200: boardView, ...conflictResponses } } },
    async (request) => request.services.rounds.board(request.actor, request.params.roundId),
  );

  app.get(
    '/api/rounds/:roundId/delivery',
    { schema: { tags: ['rounds'], summary: '送达情况（邮件、群机器人）', params: roundParams, response: { 200: roundDeliveryView, ...conflictResponses } } },
    async (request) => request.services.rounds.delivery(request.actor, request.params.roundId),
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
    async (request, reply) =>
      reply.code(201).send(await request.services.rounds.remind(request.actor, request.params.roundId, request.params.unitId, request.body.message)),
  );

  app.get(
    '/api/rounds/:roundId/units/:unitId/todo',
    { schema: { tags: ['answers'], summary: '单位的填报任务', params: unitParams, response: { 200: todoView, ...conflictResponses } } },
    async (request, reply) => sendTodo(reply, await request.services.answers.todo(request.actor, request.params.roundId, request.params.unitId)),
  );

  app.get(
    '/api/rounds/:roundId/collective-units/:unitId/answers',
    {
      schema: {
        tags: ['answers'],
        summary: '办公室自行填写的集体单位推进情况',
        description: '集体单位（各处(室)、直属单位等）在本轮没有代表单位填报时，由办公室自行填写；保存仍用 PUT …/answer。',
        params: unitParams,
        response: { 200: collectiveAnswersView, ...conflictResponses },
      },
    },
    async (request) => request.services.answers.collectiveAnswers(request.actor, request.params.roundId, request.params.unitId),
  );

  app.put(
    '/api/rounds/:roundId/tasks/:taskId/units/:unitId/answer',
    {
      schema: {
        tags: ['answers'],
        summary: '保存推进情况（草稿）',
        params: answerParams,
        body: answerBody,
        response: { 200: answerView, ...conflictResponses },
      },
    },
    async (request) => {
      const { roundId, taskId, unitId } = request.params;
      return request.services.answers.saveAnswer(request.actor, roundId, taskId, unitId, request.body);
    },
  );

  /** Only the actions that use a comment (return, reopen) take one: anywhere else it would be dropped unread. */
  const withComment = z.object({ comment: z.string().max(RoundLimits.returnComment.max).nullable().default(null) }).optional();
  const noFields = z.object({}).optional();
  const transition = (
    path: string,
    summary: string,
    run: (request: {
      services: Services;
      actor: Parameters<Services['submissions']['submit']>[0];
      roundId: number;
      unitId: number;
      key?: string;
      comment: string | null;
    }) => Promise<SubmissionView>,
    body: typeof withComment | typeof noFields = noFields,
  ) =>
    app.post(
      `/api/rounds/:roundId/units/:unitId/${path}`,
      {
        schema: {
          tags: ['answers'],
          summary,
          params: unitParams,
          headers: idempotencyHeaders,
          body,
          response: { 200: submissionView, ...conflictResponses },
        },
      },
      async (request) =>
        run({
          services: request.services,
          actor: request.actor,
          roundId: request.params.roundId,
          unitId: request.params.unitId,
          key: request.headers['idempotency-key'],
          comment: (request.body as { comment?: string | null } | undefined)?.comment ?? null,
        }),
    );

  transition('submit', '提交本单位填报', (r) => r.services.submissions.submit(r.actor, r.roundId, r.unitId, r.key));
  transition('approve', '处室负责人审核通过', (r) => r.services.submissions.approve(r.actor, r.roundId, r.unitId));
  transition('accept', '办公室通过', (r) => r.services.submissions.accept(r.actor, r.roundId, r.unitId));
  transition('return', '办公室退回（须写意见）', (r) => r.services.submissions.returnAnswers(r.actor, r.roundId, r.unitId, r.comment ?? ''), withComment);
  transition('reopen', '重新打开已通过的填报', (r) => r.services.submissions.reopen(r.actor, r.roundId, r.unitId, r.comment), withComment);

  // Review per answer and an approval chain that cannot stall (issue 12).

  app.post(
    '/api/rounds/:roundId/units/:unitId/answers/review',
    {
      schema: {
        tags: ['answers'],
        summary: '逐项审阅：采纳或退回（须写意见）单项填报',
        params: unitParams,
        body: z.object({
          decision: z.enum(['accept', 'return']),
          taskIds: z.array(idNumber).min(1, '请选择要审阅的任务').max(10_000),
          comment: z.string().max(RoundLimits.returnComment.max, `意见不能超过 ${RoundLimits.returnComment.max} 字`).nullable().default(null),
        }),
        response: { 200: submissionView, ...conflictResponses },
      },
    },
    async (request) => request.services.submissions.reviewAnswers(request.actor, request.params.roundId, request.params.unitId, request.body),
  );

  transition('approve-for-head', '办公室代处室负责人审核', (r) => r.services.submissions.approveForHead(r.actor, r.roundId, r.unitId));

  const unitWithoutHeadView = z.object({ unitId: z.number().int(), unitName: z.string() }) satisfies z.ZodType<UnitWithoutHeadView>;

  app.get(
    '/api/rounds/:roundId/units-without-head',
    {
      schema: {
        tags: ['rounds'],
        summary: '本轮无处室负责人账号的单位',
        params: roundParams,
        response: { 200: z.array(unitWithoutHeadView), ...conflictResponses },
      },
    },
    async (request) => request.services.submissions.unitsWithoutHead(request.actor, request.params.roundId),
  );
};
