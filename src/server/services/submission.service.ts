import { actorLabel, type Actor, type UserActor } from '../../domain/actor.ts';
import type { AnswerReviewInput, SubmissionState, SubmissionView, UnitWithoutHeadView } from '../../domain/api/round-view.ts';
import type { AuditAction } from '../../domain/audit-vocabulary.ts';
import { conflict, invalid, isDomainError, notFound } from '../../domain/errors.ts';
import { RoundLimits, STATUSES_NEEDING_REASON, SUBMISSION_STATE_LABELS, type ProgressStatus } from '../../domain/limits.ts';
import type { Database } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { AnswerRecord, ReviewState, SubmissionRecord } from '../db/repositories/round-work.repository.ts';
import type { RoundRecord } from '../db/repositories/round.repository.ts';
import type { UnitSubmissionsTable } from '../db/schema-round-work.ts';
import type { Selectable } from 'kysely';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { deliverIn, shortTitle, type DeliveryDeps } from '../delivery/deliver.ts';
import { assertCanApproveUnit, assertCanManageRounds, assertCanWriteUnit } from '../policies/round.policy.ts';
import { presentSubmission } from '../presenters/round.presenter.ts';
import { audit, deadlineTime, requireRound } from './round.service.ts';

type SubmissionChange = Partial<Omit<Selectable<UnitSubmissionsTable>, 'id' | 'round_id' | 'unit_id' | 'version' | 'updated_at'>>;

type Transition = 'submit' | 'approve' | 'accept' | 'return' | 'reopen' | 'approve_for_head' | 'review';

const LABELS: Record<Transition, string> = {
  submit: '提交',
  approve: '审核通过',
  accept: '采纳',
  return: '退回',
  reopen: '重新打开',
  approve_for_head: '代处室负责人审核',
  review: '逐项审阅',
};

/** Stored on a submission that went straight to the office, and shown to it. */
export const NO_HEAD_NOTE = '本单位无处室负责人账号，已直接报送办公室';

/** What a move writes besides the submission's new columns. */
type MoveContext = {
  repositories: Repositories;
  round: RoundRecord;
  submission: SubmissionRecord;
  requiresApproval: boolean;
  at: string;
  /** Replace the move's audit action and add to its detail (a per-answer review is audited as such). */
  auditAs: (action: AuditAction, detail: Record<string, unknown>) => void;
};

/** Who reviews: the unit's head (before the office, in a round that asks for approval) or the office. */
type Reviewer = { user: UserActor; level: 'head' | 'office' };

/** A task's text as a message names it: 任务“…” cut to about 30 characters. */
export function taskLabel(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `任务“${flat.length > 30 ? `${flat.slice(0, 30)}…` : flat}”`;
}

/**
 * The workflow of a unit's answers in a round, reviewed answer by answer:
 *
 * not_started/draft/returned —submit→ submitted (waits for the unit head, in a round that asks
 * for approval) —approve→ approved —accept (office)→ accepted.
 *
 * A unit without an active head account never waits for one: its submit goes straight to
 * 'approved' with a note for the office, and the office is told; the office may also approve in
 * the head's place (audited as submission.approve_for_head).
 *
 * Reviewers return or accept single answers (progress_entries.review_state). The unit's state
 * follows once the reviewer has decided every answer it holds: any returned → 'returned' (the
 * unit edits only the returned answers and resubmits them; accepted ones stay accepted and
 * read-only); all accepted → 'accepted'; at the head's step all approved → 'approved'. The
 * whole-unit accept / return / approve decide every answer still open at once.
 *
 * After the unit's deadline (unit_submissions.deadline ?? rounds.deadline) a submit is still
 * taken while the round is open, and marked late. Each move is compare-and-set on the
 * submission's version and audited; a submit carrying an Idempotency-Key answers a retry with the
 * first answer, so a double click, two tabs or a retried POST make one submission.
 */
export function createSubmissionService(deps: { database: Database; now?: () => Date; delivery?: DeliveryDeps }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))();
  const delivery = deps.delivery ?? {};

  async function move(
    actor: Actor,
    roundId: number,
    unitId: number,
    transition: Transition,
    apply: (context: MoveContext) => Promise<SubmissionChange>,
    idempotencyKey?: string,
  ): Promise<SubmissionView> {
    const scope = `${transition}:${roundId}:${unitId}`;
    const actorKey = actorLabel(actor);
    const at = now().toISOString();
    const replay = async () => {
      if (!idempotencyKey) return undefined;
      const stored = await inReadTransaction(database, (r) => r.roundWork.findIdempotentResponse(idempotencyKey, actorKey, scope));
      return stored ? (JSON.parse(stored.body) as SubmissionView) : undefined;
    };
    const earlier = await replay();
    if (earlier) return earlier;
    try {
      return await inTransaction(database, async (repositories) => {
        if (idempotencyKey) {
          const stored = await repositories.roundWork.findIdempotentResponse(idempotencyKey, actorKey, scope);
          if (stored) return JSON.parse(stored.body) as SubmissionView;
        }
        const round = await requireRound(repositories, roundId);
        if (round.status !== 'open')
          throw conflict('round_not_open', `调度轮次“${round.label}”已结束，无法${LABELS[transition]}`, { roundId, status: round.status });
        const submission = await repositories.roundWork.findSubmission(roundId, unitId);
        if (!submission) throw notFound('unit_not_in_round', '该单位在本轮调度中没有任务', { roundId, unitId });
        let auditAction: AuditAction = `submission.${transition}` as AuditAction;
        let auditDetail: Record<string, unknown> = {};
        const change = await apply({
          repositories,
          round,
          submission,
          requiresApproval: Number(round.requires_approval) === 1,
          at,
          auditAs: (action, detail) => {
            auditAction = action;
            auditDetail = detail;
          },
        });
        const moved = await repositories.roundWork.transitionSubmission(submission.id, submission.version, { ...change, updated_at: at });
        if (moved === 0) throw conflict('submission_changed', '该单位的填报状态刚被他人更改，请刷新后再试', { roundId, unitId });
        const view = presentSubmission((await repositories.roundWork.findSubmission(roundId, unitId))!);
        await audit(repositories, actor, at, {
          action: auditAction,
          objectType: 'unit_submission',
          objectId: submission.id,
          detail: {
            roundId,
            unitId,
            from: submission.state,
            to: view.state,
            ...(change.return_comment ? { comment: change.return_comment } : {}),
            ...(view.late && transition === 'submit' ? { late: true } : {}),
            ...auditDetail,
          },
        });
        if (view.state === 'accepted' && submission.state !== 'accepted')
          await repositories.roundWork.insertNotification({
            unitId,
            userId: null,
            roundId,
            kind: 'accepted',
            message: `办公室已采纳${submission.unit_name}在“${round.label}”的填报`,
            now: at,
          });
        if (view.state === 'accepted' && submission.state !== 'accepted')
          await deliverIn(
            repositories,
            delivery,
            {
              occasion: `accepted:${submission.id}:v${submission.version}`,
              roundId,
              to: [{ recipient: { unitId }, event: { kind: 'accepted', roundId, roundLabel: round.label, unitName: submission.unit_name } }],
            },
            new Date(at),
          );
        if (idempotencyKey)
          await repositories.roundWork.insertIdempotentResponse({
            key: idempotencyKey,
            actor: actorKey,
            scope,
            statusCode: 200,
            body: JSON.stringify(view),
            now: at,
          });
        return view;
      });
    } catch (error) {
      // A concurrent twin won the race: answer what it answered.
      if (
        idempotencyKey &&
        (isUniqueViolation(error) ||
          (isDomainError(error) && error.code === 'submission_changed') ||
          (isDomainError(error) && error.code === 'submission_state'))
      ) {
        const twin = await replay();
        if (twin) return twin;
      }
      throw error;
    }
  }

  const requireState = (submission: SubmissionRecord, allowed: readonly SubmissionState[], transition: Transition) => {
    if (!allowed.includes(submission.state as SubmissionState))
      throw conflict(
        'submission_state',
        `当前状态为“${SUBMISSION_STATE_LABELS[submission.state as SubmissionState] ?? submission.state}”，不能${LABELS[transition]}`,
        { state: submission.state, transition },
      );
  };

  /** Answers the reviewer at `level` still has to decide: the head's are unreviewed; the office's also the head-approved. */
  const openAt = (level: Reviewer['level']): (ReviewState | null)[] => (level === 'head' ? [null] : [null, 'approved']);

  /**
   * The unit's state once a reviewer at `level` has written its decisions: unchanged while any
   * answer waits for that reviewer; else returned if any answer is, else approved (head) or
   * accepted (office).
   */
  function settle(answers: readonly AnswerRecord[], level: Reviewer['level'], current: SubmissionState): SubmissionState {
    const open = openAt(level);
    if (answers.some((a) => open.includes((a.review_state as ReviewState | null) ?? null))) return current;
    if (answers.some((a) => a.review_state === 'returned')) return 'returned';
    return level === 'head' ? 'approved' : 'accepted';
  }

  /** Tells the unit which answers came back and why, one notification per answer. */
  async function tellReturned(context: MoveContext, unitId: number, level: Reviewer['level']) {
    const { repositories, round, at } = context;
    const tasks = new Map((await repositories.roundWork.listUnitTasksOfRound(round.id, unitId)).map((t) => [t.taskId, t.text]));
    const who = level === 'head' ? '处室负责人' : '办公室';
    for (const answer of await repositories.roundWork.listOwnAnswers(round.id, unitId))
      if (answer.review_state === 'returned' && answer.review_comment) {
        await repositories.roundWork.insertNotification({
          unitId,
          userId: null,
          roundId: round.id,
          kind: 'answer_returned',
          message: `${who}退回了“${round.label}”${taskLabel(tasks.get(answer.task_id) ?? '')}：${answer.review_comment}`,
          now: at,
        });
        // Beyond the app only what the office returns (a head's return stays inside the unit).
        if (level === 'office')
          await tellReturnedBeyond(context, { taskTitle: shortTitle(tasks.get(answer.task_id) ?? ''), reason: answer.review_comment, taskId: answer.task_id });
      }
  }

  /** The office's return, to the unit's e-mail and robot: one task's answer with its reason, or the whole unit's with the comment. */
  async function tellReturnedBeyond(context: MoveContext, returned: { taskTitle: string | null; reason: string; taskId: number | null }) {
    const { repositories, round, submission, at } = context;
    const event = {
      kind: 'returned' as const,
      roundId: round.id,
      roundLabel: round.label,
      unitName: submission.unit_name,
      taskTitle: returned.taskTitle,
      reason: returned.reason,
    };
    const occasion = `returned:${submission.id}:v${submission.version}${returned.taskId === null ? '' : `:task:${returned.taskId}`}`;
    await deliverIn(repositories, delivery, { occasion, roundId: round.id, to: [{ recipient: { unitId: submission.unit_id }, event }] }, new Date(at));
  }

  function reviewer(actor: Actor, unitId: number): Reviewer {
    if (actor.kind === 'user' && actor.role === 'office') return { user: actor, level: 'office' };
    return { user: assertCanApproveUnit(actor, unitId, '审阅填报'), level: 'head' };
  }

  function checkedComment(comment: string | null | undefined): string {
    const text = (comment ?? '').trim();
    if (!text) throw invalid('comment_required', '退回时请写明退回意见', { field: 'comment' });
    if (text.length > RoundLimits.returnComment.max)
      throw invalid('comment_too_long', `退回意见不能超过 ${RoundLimits.returnComment.max} 字`, { field: 'comment' });
    return text;
  }

  /** The reviewer at `level` holds the unit now, or the move is refused saying who does. */
  function requireHolder(submission: SubmissionRecord, level: Reviewer['level'], requiresApproval: boolean) {
    if (level === 'head') {
      if (!requiresApproval) throw conflict('approval_not_required', '本轮调度不需要处室负责人审核', { roundId: submission.round_id });
      requireState(submission, ['submitted'], 'review');
      return;
    }
    if (submission.state === 'submitted' && requiresApproval)
      throw conflict('awaiting_head', `${submission.unit_name}的填报正等待处室负责人审核；如需代为审核，请使用“代处室负责人审核”`, { state: submission.state });
    requireState(submission, ['submitted', 'approved'], 'review');
  }

  return {
    async submit(actor: Actor, roundId: number, unitId: number, idempotencyKey?: string): Promise<SubmissionView> {
      const writer = assertCanWriteUnit(actor, unitId, '提交推进情况');
      return move(
        actor,
        roundId,
        unitId,
        'submit',
        async ({ repositories, round, submission, requiresApproval, at }) => {
          requireState(submission, ['not_started', 'draft', 'returned'], 'submit');
          const tasks = await repositories.roundWork.listUnitTasksOfRound(roundId, unitId);
          const answers = await repositories.roundWork.listAnswersOfTasks(
            roundId,
            tasks.map((t) => t.taskId),
          );
          const own = new Map(answers.filter((a) => a.unit_id === unitId).map((a) => [a.task_id, a]));
          const missing = tasks.filter((t) => !own.get(t.taskId)?.text.trim()).map((t) => t.taskId);
          if (missing.length > 0) throw invalid('answers_incomplete', `还有 ${missing.length} 项任务未填写推进情况，不能提交`, { taskIds: missing });
          const noReason = tasks
            .filter((t) => {
              const answer = own.get(t.taskId)!;
              return STATUSES_NEEDING_REASON.includes(answer.status as ProgressStatus) && !answer.reason?.trim();
            })
            .map((t) => t.taskId);
          if (noReason.length > 0) throw invalid('reason_required', `状态为“滞后”或“暂缓”的 ${noReason.length} 项任务须说明原因`, { taskIds: noReason });
          // Only the returned answers go back to review; accepted (and head-approved) ones stay so.
          await repositories.roundWork.setAnswerReviews(roundId, unitId, { from: ['returned'], to: null, at: null, by: null });
          // The server's clock decides; after the deadline the submit is taken and marked late.
          const deadline = submission.deadline ?? round.deadline;
          const late = deadline !== null && Date.parse(at) > deadlineTime(deadline);
          const base = { submitted_at: at, submitted_by: actorLabel(writer), return_comment: submission.return_comment, submitted_late: late ? 1 : 0 };
          if (!requiresApproval) return { ...base, state: 'submitted', note: null };
          const stillOpen = [...own.values()].some((a) => a.review_state !== 'approved' && a.review_state !== 'accepted');
          if (!stillOpen) return { ...base, state: 'approved', note: submission.note };
          if (await repositories.roundWork.hasActiveHead(unitId)) {
            await repositories.roundWork.insertNotification({
              unitId,
              userId: null,
              roundId,
              kind: 'awaiting_approval',
              message: `${submission.unit_name}已提交“${round.label}”的填报，等待处室负责人审核`,
              now: at,
            });
            const heads = (await repositories.users.listUsers()).filter((u) => u.role === 'unit_head' && u.unit_id === unitId && Number(u.disabled) === 0);
            const event = { kind: 'awaiting_approval' as const, roundId, roundLabel: round.label, unitName: submission.unit_name, submittedBy: writer.name };
            await deliverIn(
              repositories,
              delivery,
              {
                occasion: `awaiting_approval:${submission.id}:v${submission.version}`,
                roundId,
                to: heads.map((head) => ({ recipient: { userId: head.id }, event })),
              },
              new Date(at),
            );
            return { ...base, state: 'submitted', note: null };
          }
          await repositories.roundWork.insertNotification({
            unitId: null,
            userId: null,
            roundId,
            kind: 'forwarded_to_office',
            message: `${submission.unit_name}无处室负责人账号，“${round.label}”的填报已直接报送办公室`,
            now: at,
          });
          return { ...base, state: 'approved', approved_at: null, approved_by: null, note: NO_HEAD_NOTE };
        },
        idempotencyKey,
      );
    },

    /** The head approves every answer still open (those it returned one by one stay returned). */
    async approve(actor: Actor, roundId: number, unitId: number): Promise<SubmissionView> {
      const head = assertCanApproveUnit(actor, unitId, '审核本单位填报');
      return move(actor, roundId, unitId, 'approve', async (context) => {
        const { repositories, submission, requiresApproval, at } = context;
        requireHolder(submission, 'head', requiresApproval);
        await repositories.roundWork.setAnswerReviews(roundId, unitId, { from: [null], to: 'approved', at, by: head.name });
        const state = settle(await repositories.roundWork.listOwnAnswers(roundId, unitId), 'head', 'submitted');
        if (state === 'returned') await tellReturned(context, unitId, 'head');
        return { state, approved_at: at, approved_by: actorLabel(head) };
      });
    },

    /** The office approves in the head's place a unit waiting for its head (audited as submission.approve_for_head). */
    async approveForHead(actor: Actor, roundId: number, unitId: number): Promise<SubmissionView> {
      const office = assertCanManageRounds(actor, '代处室负责人审核');
      return move(actor, roundId, unitId, 'approve_for_head', async (context) => {
        const { repositories, submission, requiresApproval, at } = context;
        if (!requiresApproval) throw conflict('approval_not_required', '本轮调度不需要处室负责人审核', { roundId });
        requireState(submission, ['submitted'], 'approve_for_head');
        await repositories.roundWork.setAnswerReviews(roundId, unitId, { from: [null], to: 'approved', at, by: office.name });
        const state = settle(await repositories.roundWork.listOwnAnswers(roundId, unitId), 'head', 'submitted');
        if (state === 'returned') await tellReturned(context, unitId, 'head');
        return { state, approved_at: at, approved_by: actorLabel(office), note: `办公室${office.name}代处室负责人审核通过` };
      });
    },

    /** The office accepts every answer still open; the unit is accepted unless it returned some one by one. */
    async accept(actor: Actor, roundId: number, unitId: number): Promise<SubmissionView> {
      const office = assertCanManageRounds(actor, '采纳填报');
      return move(actor, roundId, unitId, 'accept', async (context) => {
        const { repositories, submission, requiresApproval, at } = context;
        requireState(submission, requiresApproval ? ['approved'] : ['submitted', 'approved'], 'accept');
        await repositories.roundWork.setAnswerReviews(roundId, unitId, { from: [null, 'approved'], to: 'accepted', at, by: office.name });
        const state = settle(await repositories.roundWork.listOwnAnswers(roundId, unitId), 'office', submission.state as SubmissionState);
        if (state === 'returned') await tellReturned(context, unitId, 'office');
        return { state, reviewed_at: at, reviewed_by: actorLabel(office), return_comment: state === 'accepted' ? null : submission.return_comment };
      });
    },

    /** The office returns the whole unit with one comment: every answer not yet accepted comes back (those returned one by one keep their own comment). */
    async returnAnswers(actor: Actor, roundId: number, unitId: number, comment: string): Promise<SubmissionView> {
      const office = assertCanManageRounds(actor, '退回填报');
      const text = checkedComment(comment);
      return move(actor, roundId, unitId, 'return', async (context) => {
        const { repositories, round, submission, at } = context;
        requireState(submission, ['submitted', 'approved'], 'return');
        // The unit's comment is shown once, above the answers; answers returned one by one keep their own.
        await repositories.roundWork.setAnswerReviews(roundId, unitId, { from: [null, 'approved'], to: 'returned', comment: null, at, by: office.name });
        await repositories.roundWork.insertNotification({
          unitId,
          userId: null,
          roundId,
          kind: 'returned',
          message: `办公室退回了${submission.unit_name}在“${round.label}”的填报：${text}`,
          now: at,
        });
        await tellReturnedBeyond(context, { taskTitle: null, reason: text, taskId: null });
        return { state: 'returned', reviewed_at: at, reviewed_by: actorLabel(office), return_comment: text };
      });
    },

    async reopen(actor: Actor, roundId: number, unitId: number, comment: string | null): Promise<SubmissionView> {
      const office = assertCanManageRounds(actor, '重新打开填报');
      return move(actor, roundId, unitId, 'reopen', async ({ repositories, submission, at }) => {
        requireState(submission, ['accepted'], 'reopen');
        const message = comment?.trim() || '办公室重新打开了本单位的填报，请修改后再次提交';
        await repositories.roundWork.setAnswerReviews(roundId, unitId, {
          from: [null, 'approved', 'accepted'],
          to: 'returned',
          comment: null,
          at,
          by: office.name,
        });
        await repositories.roundWork.insertNotification({ unitId, userId: null, roundId, kind: 'reopened', message, now: at });
        return { state: 'returned', reviewed_at: at, reviewed_by: actorLabel(office), return_comment: comment?.trim() || null };
      });
    },

    /**
     * One decision on some of a unit's answers: the office (or, in a round that asks for approval,
     * the unit head before it) accepts them or returns them with a comment. The unit's state
     * follows once the reviewer has decided every answer it holds.
     */
    async reviewAnswers(actor: Actor, roundId: number, unitId: number, input: AnswerReviewInput): Promise<SubmissionView> {
      const { user, level } = reviewer(actor, unitId);
      const taskIds = [...new Set(input.taskIds)];
      if (taskIds.length === 0) throw invalid('tasks_required', '请选择要审阅的任务', { field: 'taskIds' });
      const comment = input.decision === 'return' ? checkedComment(input.comment) : input.comment?.trim() || undefined;
      if (comment !== undefined && comment.length > RoundLimits.returnComment.max)
        throw invalid('comment_too_long', `审阅意见不能超过 ${RoundLimits.returnComment.max} 字`, { field: 'comment' });
      return move(actor, roundId, unitId, 'review', async (context) => {
        const { repositories, submission, requiresApproval, at } = context;
        requireHolder(submission, level, requiresApproval);
        const open = openAt(level);
        const answers = new Map((await repositories.roundWork.listOwnAnswers(roundId, unitId)).map((a) => [a.task_id, a]));
        const notOpen = taskIds.filter((id) => {
          const answer = answers.get(id);
          return !answer || !open.includes((answer.review_state as ReviewState | null) ?? null);
        });
        if (notOpen.length > 0)
          throw conflict('answer_not_open', `所选的 ${notOpen.length} 项不在待审阅之列（可能已审阅或不属于该单位），请刷新后再试`, { taskIds: notOpen });
        const to: ReviewState = input.decision === 'return' ? 'returned' : level === 'head' ? 'approved' : 'accepted';
        await repositories.roundWork.setAnswerReviews(roundId, unitId, { taskIds, from: open, to, comment, at, by: user.name });
        const state = settle(await repositories.roundWork.listOwnAnswers(roundId, unitId), level, submission.state as SubmissionState);
        if (state === 'returned') await tellReturned(context, unitId, level);
        const action: AuditAction = input.decision === 'return' ? 'answer.return' : level === 'head' ? 'answer.approve' : 'answer.accept';
        context.auditAs(action, { taskIds, level, ...(comment ? { comment } : {}) });
        if (state === submission.state) return {};
        if (level === 'head') return { state, ...(state === 'approved' ? { approved_at: at, approved_by: actorLabel(user) } : {}) };
        return { state, reviewed_at: at, reviewed_by: actorLabel(user), ...(state === 'accepted' ? { return_comment: null } : {}) };
      });
    },

    /** The units of a round with no active head account: their submits go straight to the office. */
    async unitsWithoutHead(actor: Actor, roundId: number): Promise<UnitWithoutHeadView[]> {
      assertCanManageRounds(actor, '查看无处室负责人的单位');
      return inReadTransaction(database, async (repositories) => {
        await requireRound(repositories, roundId);
        return repositories.roundWork.listUnitsWithoutHeadOfRound(roundId);
      });
    },
  };
}

export type SubmissionService = ReturnType<typeof createSubmissionService>;
