/**
 * What an outbox row was sent for (issue 16), as stored in `outbox.event` and shown beside each unit on
 * the board. The names are stored: `urge` is the office's one-click 催办, `reminder` a step of the
 * deadline ladder.
 */
export const OUTBOX_EVENTS = ['round_opened', 'reminder', 'urge', 'returned', 'accepted', 'approval_wanted', 'instruction', 'notice_issued'] as const;

export type OutboxEvent = (typeof OUTBOX_EVENTS)[number];

/** Each event's short name on the screen. */
export const OUTBOX_EVENT_LABELS: Record<OutboxEvent, string> = {
  round_opened: '新调度',
  reminder: '截止提醒',
  urge: '催办',
  returned: '退回',
  accepted: '已采纳',
  approval_wanted: '待审核',
  instruction: '领导批示',
  notice_issued: '通报签发',
};
