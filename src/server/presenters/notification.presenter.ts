import type { NotificationView } from '../../domain/api/notification-view.ts';
import type { NotificationRecord } from '../db/repositories/notification.repository.ts';

export function presentNotification(row: NotificationRecord): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    message: row.message,
    roundId: row.round_id,
    taskId: row.task_id,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}
