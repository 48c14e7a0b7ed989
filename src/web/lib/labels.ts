import type { AnswerState, RoundStatus } from '../../domain/api/plan-view.ts';
import type { SubmissionState, TrafficLight } from '../../domain/api/round-view.ts';
import { SUBMISSION_STATE_LABELS as DOMAIN_SUBMISSION_STATE_LABELS, type ProgressStatus } from '../../domain/limits.ts';

/** Chinese words for the workflow states the API speaks in English codes. */
export const SUBMISSION_STATE_LABELS: Record<SubmissionState, string> = DOMAIN_SUBMISSION_STATE_LABELS;

export const ANSWER_STATE_LABELS: Record<AnswerState, string> = {
  empty: '未填报',
  draft: '草稿',
  submitted: '已提交',
  approved: '处室已审核',
  returned: '已退回',
  accepted: '已采纳',
  imported: '已导入',
};

export const ROUND_STATUS_LABELS: Record<RoundStatus, string> = {
  imported: '历史（导入）',
  open: '进行中',
  closed: '已结束',
  void: '已作废',
};

export const TRAFFIC_LIGHT_LABELS: Record<TrafficLight, string> = {
  green: '绿灯：已报送',
  yellow: '黄灯：临近截止未报送',
  red: '红灯：已逾期未报送',
  grey: '灰灯：未到催办时间',
};

export const PROGRESS_STATUS_COLORS: Record<ProgressStatus, string> = {
  not_started: 'default',
  on_track: 'processing',
  completed: 'success',
  delayed: 'error',
  suspended: 'warning',
};

export const SUBMISSION_STATE_COLORS: Record<SubmissionState, string> = {
  not_started: 'default',
  draft: 'processing',
  submitted: 'blue',
  approved: 'cyan',
  returned: 'error',
  accepted: 'success',
};

export { STATUSES_NEEDING_REASON } from '../../domain/limits.ts';
