import type {
  AnswerReviewState,
  AnswerReviewView,
  AnswerView,
  DeliveryChannelStateView,
  DeliveryState,
  RoundDeliveryView,
  RoundView,
  SubmissionHolder,
  SubmissionState,
  SubmissionView,
} from '../../domain/api/round-view.ts';
import type { RoundStatus } from '../../domain/api/plan-view.ts';
import type { ProgressStatus } from '../../domain/limits.ts';
import type { AnswerRecord, SubmissionRecord } from '../db/repositories/round-work.repository.ts';
import type { RoundRecord } from '../db/repositories/round.repository.ts';

/** The API's view of a round. */
export function presentRound(round: RoundRecord, tasks: number): RoundView {
  return {
    id: round.id,
    planId: round.plan_id,
    label: round.label,
    periodStart: round.period_start,
    periodEnd: round.period_end,
    deadline: round.deadline,
    status: round.status as RoundStatus,
    note: round.note,
    requiresApproval: Number(round.requires_approval) === 1,
    tasks,
    openedAt: round.opened_at,
    closedAt: round.closed_at,
    voidedAt: round.voided_at ?? null,
    voidedBy: round.voided_by ?? null,
    voidReason: round.void_reason ?? null,
  };
}

export function presentSubmission(submission: SubmissionRecord): SubmissionView {
  return {
    roundId: submission.round_id,
    unitId: submission.unit_id,
    unitName: submission.unit_name,
    state: submission.state as SubmissionState,
    submittedAt: submission.submitted_at,
    approvedAt: submission.approved_at,
    reviewedAt: submission.reviewed_at,
    returnComment: submission.return_comment,
    version: submission.version,
    holder: holderOf(submission.state as SubmissionState, Number(submission.round_requires_approval) === 1),
    late: Number(submission.submitted_late) === 1,
    note: submission.note,
    extendedDeadline: submission.deadline ?? null,
  };
}

/**
 * Who holds a submission now. A submitted unit in a round that asks for approval waits for its
 * head: a unit without a head account never rests there (its submit goes straight to 'approved').
 */
export function holderOf(state: SubmissionState, requiresApproval: boolean): SubmissionHolder {
  switch (state) {
    case 'not_started':
    case 'draft':
    case 'returned':
      return 'reporter';
    case 'submitted':
      return requiresApproval ? 'head' : 'office';
    case 'approved':
      return 'office';
    case 'accepted':
      return 'done';
  }
}

/** The review of one answer (none yet for a task the unit has not answered). */
export function presentReview(answer: AnswerRecord | undefined): AnswerReviewView {
  return {
    state: (answer?.review_state as AnswerReviewState | null | undefined) ?? null,
    comment: answer?.review_comment ?? null,
    reviewedAt: answer?.reviewed_at ?? null,
    reviewedBy: answer?.reviewed_by ?? null,
  };
}

/** An answer as the reporter edits it; a task the unit has not answered yet is version 0. */
export function presentAnswer(taskId: number, unitId: number, answer: AnswerRecord | undefined): AnswerView {
  return {
    taskId,
    unitId,
    text: answer?.text ?? '',
    status: (answer?.status as ProgressStatus | null | undefined) ?? null,
    reason: answer?.reason ?? null,
    version: answer?.version ?? 0,
    updatedAt: answer?.updated_at ?? null,
    updatedBy: answer?.updated_by ?? null,
    copiedFromRoundId: answer?.copied_from_round_id ?? null,
    copiedUnchanged: answer?.copied_from_round_id == null ? null : Number(answer.copied_unchanged) === 1,
  };
}

/** The board's delivery column: the outbox's last row per unit and channel, grouped by unit. */
export function presentRoundDelivery(
  roundId: number,
  rows: readonly { unitId: number; channel: string; event: string; state: string; lastError: string | null; sentAt: string | null; createdAt: string }[],
  unitNames: ReadonlyMap<number, string>,
): RoundDeliveryView {
  const units = new Map<number, RoundDeliveryView['units'][number]>();
  for (const row of rows) {
    let unit = units.get(row.unitId);
    if (!unit) units.set(row.unitId, (unit = { unitId: row.unitId, unitName: unitNames.get(row.unitId) ?? '', channels: [] }));
    const state: DeliveryState = row.state === 'sent' ? 'sent' : row.state === 'failed' ? 'failed' : 'queued';
    unit.channels.push({
      channel: row.channel as DeliveryChannelStateView['channel'],
      event: row.event,
      state,
      reason: state === 'sent' ? null : row.lastError,
      at: row.sentAt ?? row.createdAt,
    });
  }
  return { roundId, units: [...units.values()].sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN')) };
}
