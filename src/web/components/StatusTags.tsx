import { Tag } from 'antd';
import type { AnswerState, RoundStatus } from '../../domain/api/plan-view.ts';
import type { AnswerReviewState, AnswerView, SubmissionHolder, SubmissionState, SubmissionView } from '../../domain/api/round-view.ts';
import { ANSWER_REVIEW_LABELS, PROGRESS_STATUS_LABELS, SUBMISSION_HOLDER_LABELS, type ProgressStatus } from '../../domain/limits.ts';
import { formatDateTime } from '../lib/format.ts';
import { inUnitWord, useWords } from '../lib/organisation.ts';
import { ANSWER_STATE_LABELS, PROGRESS_STATUS_COLORS, ROUND_STATUS_LABELS, SUBMISSION_STATE_COLORS, SUBMISSION_STATE_LABELS } from '../lib/labels.ts';

export function ProgressStatusTag({ status }: { status: ProgressStatus | null }) {
  if (!status) return null;
  return <Tag color={PROGRESS_STATUS_COLORS[status]}>{PROGRESS_STATUS_LABELS[status]}</Tag>;
}

/**
 * A unit's state. Given the whole submission, an 'approved' one that no head approved (a unit
 * without a head account, sent straight on; or the office approving in the head's place) says
 * so instead of 处室已审核, and its note explains on hover.
 */
export function SubmissionStateTag({ state, submission }: { state: SubmissionState; submission?: Pick<SubmissionView, 'state' | 'note'> }) {
  const words = useWords();
  if (submission && submission.state === 'approved' && submission.note)
    return (
      <Tag color={SUBMISSION_STATE_COLORS.approved} title={submission.note}>
        已报送办公室
      </Tag>
    );
  return <Tag color={SUBMISSION_STATE_COLORS[state]}>{inUnitWord(SUBMISSION_STATE_LABELS[state], words)}</Tag>;
}

export function AnswerStateTag({ state }: { state: AnswerState }) {
  const words = useWords();
  const color = state === 'empty' ? 'default' : state === 'imported' ? 'purple' : SUBMISSION_STATE_COLORS[state === 'draft' ? 'draft' : state];
  return <Tag color={color}>{inUnitWord(ANSWER_STATE_LABELS[state], words)}</Tag>;
}

export function RoundStatusTag({ status }: { status: RoundStatus }) {
  const color = status === 'open' ? 'green' : status === 'closed' ? 'default' : status === 'void' ? 'red' : 'purple';
  return <Tag color={color}>{ROUND_STATUS_LABELS[status]}</Tag>;
}

/** 牵头 / 配合 beside a unit's name. */
export function UnitRoleTag({ role }: { role: 'lead' | 'co' }) {
  return role === 'lead' ? <Tag color="volcano">牵头</Tag> : <Tag>配合</Tag>;
}

const HOLDER_COLORS: Record<SubmissionHolder, string> = { reporter: 'default', head: 'gold', office: 'blue', done: 'green' };

/** Who holds a unit's submission now (填报单位 / 处室负责人 / 办公室 / 已办结); the note says why on hover. */
export function SubmissionHolderTag({ submission }: { submission: Pick<SubmissionView, 'holder' | 'note'> }) {
  const words = useWords();
  return (
    <Tag color={HOLDER_COLORS[submission.holder]} title={submission.note ?? undefined}>
      {inUnitWord(SUBMISSION_HOLDER_LABELS[submission.holder], words)}
    </Tag>
  );
}

const ANSWER_REVIEW_COLORS: Record<AnswerReviewState, string> = { returned: 'error', approved: 'cyan', accepted: 'success' };

/** One answer's review (已退回 / 处室已审核 / 已采纳), the same on the reporter's and the reviewer's page. */
export function AnswerReviewTag({ state }: { state: AnswerReviewState }) {
  const words = useWords();
  return <Tag color={ANSWER_REVIEW_COLORS[state]}>{inUnitWord(ANSWER_REVIEW_LABELS[state], words)}</Tag>;
}

/** 逾期 with the submit's time, or nothing. */
export function LateTag({ submission }: { submission: Pick<SubmissionView, 'late' | 'submittedAt'> }) {
  if (!submission.late || !submission.submittedAt) return null;
  return <Tag color="red">逾期 · {formatDateTime(submission.submittedAt)} 提交</Tag>;
}

/** 沿用上轮 on an answer started from last round's text; says whether it is still word for word the same. */
export function CopiedFromPreviousTag({ answer }: { answer: Pick<AnswerView, 'copiedFromRoundId' | 'copiedUnchanged'> }) {
  if (answer.copiedFromRoundId === null) return null;
  return answer.copiedUnchanged ? (
    <Tag color="orange" title="本轮推进情况由上轮内容沿用而来，且与上轮一字未改">
      沿用上轮·未修改
    </Tag>
  ) : (
    <Tag color="blue" title="本轮推进情况由上轮内容沿用而来，之后已修改">
      沿用上轮·已修改
    </Tag>
  );
}
