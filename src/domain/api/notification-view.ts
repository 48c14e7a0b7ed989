/** GET /api/notifications: one message for the signed-in user, newest first. */
export interface NotificationView {
  id: number;
  kind: string;
  message: string;
  roundId: number | null;
  /** The task the message is about (a 批示, a 落实反馈), when there is one. */
  taskId: number | null;
  createdAt: string;
  /** When this user read it; null while unread. Per user: another account's reading does not count. */
  readAt: string | null;
}

/** GET /api/notifications/unread and the answer of every mark-read action. */
export interface UnreadCountView {
  unread: number;
}
