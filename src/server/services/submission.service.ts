import { actorLabel, type Actor } from '../../domain/actor.ts';
import type { SubmissionState, SubmissionView } from '../../domain/api/round-view.ts';
import { conflict, invalid, isDomainError, notFound } from '../../domain/errors.ts';
import { RoundLimits, STATUSES_NEEDING_REASON, SUBMISSION_STATE_LABELS, type ProgressStatus } from '../../domain/limits.ts';
import type { Database } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { SubmissionRecord } from '../db/repositories/round-work.repository.ts';
import type { UnitSubmissionsTable } from '../db/schema-round-work.ts';
import type { Selectable } from 'kysely';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { assertCanApproveUnit, assertCanManageRounds, assertCanWriteUnit } from '../policies/round.policy.ts';
import { presentSubmission } from '../presenters/round.presenter.ts';
import { audit, deadlineTime, requireRound } from './round.service.ts';

type SubmissionChange = Partial<Omit<Selectable<UnitSubmissionsTable>, 'id' | 'round_id' | 'unit_id' | 'version' | 'updated_at'>>;

type Transition = 'submit' | 'approve' | 'accept' | 'return' | 'reopen';

const LABELS: Record<Transition, string> = { submit: '提交', approve: '审核通过', accept: '通过', return: '退回', reopen: '重新打开' };

/**
 * The workflow of a unit's answers in a round:
 * not_started/draft/returned —submit→ submitted —approve (unit head, if the round asks)→ approved
 * —accept (office)→ accepted; the office may return submitted/approved answers with a comment,
 * and reopen accepted ones. Each move is compare-and-set on the submission's version and audited;
 * a submit carrying an Idempotency-Key answers a retry with the first answer, so a double click,
 * two tabs or a retried POST make one submission.
 */
export function createSubmissionService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))();

  async function move(
    actor: Actor,
    roundId: number,
    unitId: number,
    transition: Transition,
    apply: (context: { repositories: Repositories; submission: SubmissionRecord; requiresApproval: boolean; at: string }) => Promise<SubmissionChange>,
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
        const change = await apply({ repositories, submission, requiresApproval: Number(round.requires_approval) === 1, at });
        const moved = await repositories.roundWork.transitionSubmission(submission.id, submission.version, { ...change, updated_at: at });
        if (moved === 0) throw conflict('submission_changed', '该单位的填报状态刚被他人更改，请刷新后再试', { roundId, unitId });
        const view = presentSubmission((await repositories.roundWork.findSubmission(roundId, unitId))!);
        await audit(repositories, actor, at, {
          action: `submission.${transition}`,
          objectType: 'unit_submission',
          objectId: submission.id,
          detail: { roundId, unitId, from: submission.state, to: view.state, ...(change.return_comment ? { comment: change.return_comment } : {}) },
        });
        if (idempotencyKey)
          await repositories.roundWork.insertIdempotentResponse({ key: idempotencyKey, actor: actorKey, scope, statusCode: 200, body: JSON.stringify(view), now: at });
        return view;
      });
    } catch (error) {
      // A concurrent twin won the race: answer what it answered.
      if (idempotencyKey && (isUniqueViolation(error) || (isDomainError(error) && error.code === 'submission_changed') || (isDomainError(error) && error.code === 'submission_state'))) {
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

  return {
    async submit(actor: Actor, roundId: number, unitId: number, idempotencyKey?: string): Promise<SubmissionView> {
      const writer = assertCanWriteUnit(actor, unitId, '提交推进情况');
      return move(
        actor,
        roundId,
        unitId,
        'submit',
        async ({ repositories, submission, at }) => {
          requireState(submission, ['not_started', 'draft', 'returned'], 'submit');
          const round = (await repositories.roundWork.findRound(roundId))!;
          // The server's clock decides; the answers stay as drafts for the office to extend the deadline.
          if (round.deadline && Date.parse(at) > deadlineTime(round.deadline))
            throw conflict('deadline_passed', `已过截止时间 ${round.deadline}，填报已保存为草稿；请联系办公室延长截止时间`, { deadline: round.deadline });
          const tasks = await repositories.roundWork.listUnitTasksOfRound(roundId, unitId);
          const answers = await repositories.roundWork.listAnswersOfTasks(roundId, tasks.map((t) => t.taskId));
          const own = new Map(answers.filter((a) => a.unit_id === unitId).map((a) => [a.task_id, a]));
          const missing = tasks.filter((t) => !own.get(t.taskId)?.text.trim()).map((t) => t.taskId);
          if (missing.length > 0)
            throw invalid('answers_incomplete', `还有 ${missing.length} 项任务未填写推进情况，不能提交`, { taskIds: missing });
          const noReason = tasks
            .filter((t) => {
              const answer = own.get(t.taskId)!;
              return STATUSES_NEEDING_REASON.includes(answer.status as ProgressStatus) && !answer.reason?.trim();
            })
            .map((t) => t.taskId);
          if (noReason.length > 0)
            throw invalid('reason_required', `状态为“滞后”或“暂缓”的 ${noReason.length} 项任务须说明原因`, { taskIds: noReason });
          return { state: 'submitted', submitted_at: at, submitted_by: actorLabel(writer), return_comment: submission.return_comment };
        },
        idempotencyKey,
      );
    },

    async approve(actor: Actor, roundId: number, unitId: number): Promise<SubmissionView> {
      const head = assertCanApproveUnit(actor, unitId, '审核本单位填报');
      return move(actor, roundId, unitId, 'approve', async ({ submission, requiresApproval, at }) => {
        if (!requiresApproval) throw conflict('approval_not_required', '本轮调度不需要处室负责人审核', { roundId });
        requireState(submission, ['submitted'], 'approve');
        return { state: 'approved', approved_at: at, approved_by: actorLabel(head) };
      });
    },

    async accept(actor: Actor, roundId: number, unitId: number): Promise<SubmissionView> {
      const office = assertCanManageRounds(actor, '通过填报');
      return move(actor, roundId, unitId, 'accept', async ({ submission, requiresApproval, at }) => {
        requireState(submission, requiresApproval ? ['approved'] : ['submitted', 'approved'], 'accept');
        return { state: 'accepted', reviewed_at: at, reviewed_by: actorLabel(office), return_comment: null };
      });
    },

    async returnAnswers(actor: Actor, roundId: number, unitId: number, comment: string): Promise<SubmissionView> {
      const office = assertCanManageRounds(actor, '退回填报');
      const text = comment.trim();
      if (!text) throw invalid('comment_required', '退回时请写明退回意见', { field: 'comment' });
      if (text.length > RoundLimits.returnComment.max)
        throw invalid('comment_too_long', `退回意见不能超过 ${RoundLimits.returnComment.max} 字`, { field: 'comment' });
      return move(actor, roundId, unitId, 'return', async ({ repositories, submission, at }) => {
        requireState(submission, ['submitted', 'approved'], 'return');
        await repositories.roundWork.insertNotification({ unitId, userId: null, roundId, kind: 'returned', message: `办公室退回了本单位的填报：${text}`, now: at });
        return { state: 'returned', reviewed_at: at, reviewed_by: actorLabel(office), return_comment: text };
      });
    },

    async reopen(actor: Actor, roundId: number, unitId: number, comment: string | null): Promise<SubmissionView> {
      const office = assertCanManageRounds(actor, '重新打开填报');
      return move(actor, roundId, unitId, 'reopen', async ({ repositories, submission, at }) => {
        requireState(submission, ['accepted'], 'reopen');
        const message = comment?.trim() || '办公室重新打开了本单位的填报，请修改后再次提交';
        await repositories.roundWork.insertNotification({ unitId, userId: null, roundId, kind: 'reopened', message, now: at });
        return { state: 'returned', reviewed_at: at, reviewed_by: actorLabel(office), return_comment: comment?.trim() || null };
      });
    },
  };
}

export type SubmissionService = ReturnType<typeof createSubmissionService>;
