/**
 * Who sees a notification, decided by its kind (the contract between everything that writes
 * notifications; docs/decisions/018). A row names a unit, a user, or neither; its kind says which of
 * the people behind it read it.
 *
 * - `unit`: every account of the row's unit (reporters and head);
 * - `unit_heads`: only the unit's head(s) (a submission waiting for approval);
 * - `office`: every office account (the row may name the unit it is about; the unit does not see it);
 * - `user`: the one user the row names (a leader told of a unit's 落实反馈).
 *
 * A row that names a user always reaches that user, whatever its kind. Kinds not listed here
 * (older rows, or a kind added without updating this table) reach the unit's accounts.
 */
export type NotificationAudience = 'unit' | 'unit_heads' | 'office' | 'user';

export const NOTIFICATION_KINDS = {
  round_opened: 'unit',
  reminder: 'unit',
  deadline_reminder: 'unit',
  returned: 'unit',
  answer_returned: 'unit',
  accepted: 'unit',
  reopened: 'unit',
  awaiting_approval: 'unit_heads',
  forwarded_to_office: 'office',
  deadline_extended: 'unit',
  instruction: 'unit',
  instruction_feedback: 'user',
  round_voided: 'unit',
  notice_signoff: 'user',
  explanation_requested: 'unit',
  explanation_replied: 'office',
} as const satisfies Record<string, NotificationAudience>;

/** The kinds only a unit's head(s) see among the rows addressed to the unit. */
export const HEAD_ONLY_KINDS: readonly string[] = Object.entries(NOTIFICATION_KINDS)
  .filter(([, audience]) => audience === 'unit_heads')
  .map(([kind]) => kind);

/** The kinds every office account sees (and no unit account), whether or not the row names a unit. */
export const OFFICE_KINDS: readonly string[] = Object.entries(NOTIFICATION_KINDS)
  .filter(([, audience]) => audience === 'office')
  .map(([kind]) => kind);

/** The screen's short name of each kind (the tag on the notifications page). */
export const NOTIFICATION_KIND_LABELS: Record<string, string> = {
  round_opened: '新调度',
  reminder: '催办',
  deadline_reminder: '截止提醒',
  returned: '退回',
  answer_returned: '退回',
  accepted: '已采纳',
  reopened: '重新打开',
  awaiting_approval: '待审核',
  forwarded_to_office: '直报办公室',
  deadline_extended: '延期',
  instruction: '领导批示',
  instruction_feedback: '落实反馈',
  round_voided: '调度作废',
  notice_signoff: '通报签发',
  explanation_requested: '请说明',
  explanation_replied: '单位说明',
};

/** `任务“…”` with the task's text cut to about 30 characters, as messages name a task. */
export function taskLabel(text: string, max = 30): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return `任务“${chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('')}”`;
}
