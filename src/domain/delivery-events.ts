/**
 * What an outbox row was sent for (issue 16), as stored in `outbox.event` and shown beside each unit on
 * the board. The names are stored: `urge` is the office's one-click 催办, `reminder` a step of the
 * deadline ladder.
 */
export const OUTBOX_EVENTS = ['round_opened', 'reminder', 'urge', 'returned', 'accepted', 'approval_wanted', 'instruction', 'notice_issued'] as const;

export type OutboxEvent = (typeof OUTBOX_EVENTS)[number];
