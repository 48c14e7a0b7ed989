import type { Actor } from '../../domain/actor.ts';
import type { NotificationView, UnreadCountView } from '../../domain/api/notification-view.ts';
import { notFound } from '../../domain/errors.ts';
import type { Database } from '../db/database.ts';
import type { NotificationReader } from '../db/repositories/notification.repository.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { presentNotification } from '../presenters/notification.presenter.ts';
import { requireUser } from '../policies/policy.ts';

/**
 * The signed-in user's notifications, read state kept per user on the server (every device
 * agrees). Who sees a row follows from its kind (src/domain/notification-kinds.ts); a row the
 * user does not see answers 404, as if it did not exist.
 *
 * Marking read is not audited: it changes only what the user's own bell shows, no business
 * data, and would fill the audit log with a row per glance.
 */
export function createNotificationService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  const readerOf = (actor: Actor, action: string): NotificationReader => {
    const user = requireUser(actor, action);
    return { userId: user.userId, role: user.role, unitId: user.unitId };
  };

  return {
    /** The newest 50, newest first. The system actor has none. */
    async list(actor: Actor): Promise<NotificationView[]> {
      if (actor.kind !== 'user') return [];
      const reader = readerOf(actor, '查看通知');
      return inReadTransaction(database, async (repositories) => (await repositories.notifications.listFor(reader)).map(presentNotification));
    },

    async unread(actor: Actor): Promise<UnreadCountView> {
      if (actor.kind !== 'user') return { unread: 0 };
      const reader = readerOf(actor, '查看通知');
      return inReadTransaction(database, async (repositories) => ({ unread: await repositories.notifications.countUnread(reader) }));
    },

    /** Marks one read for this user only; again is harmless (the first time stays). */
    async markRead(actor: Actor, notificationId: number): Promise<UnreadCountView> {
      const reader = readerOf(actor, '标记通知已读');
      const at = now();
      return inTransaction(database, async (repositories) => {
        if (!(await repositories.notifications.isVisibleTo(reader, notificationId)))
          throw notFound('notification_not_found', '该通知不存在', { notificationId });
        await repositories.notifications.markRead(reader, notificationId, at);
        return { unread: await repositories.notifications.countUnread(reader) };
      });
    },

    async markAllRead(actor: Actor): Promise<UnreadCountView> {
      const reader = readerOf(actor, '标记通知已读');
      const at = now();
      return inTransaction(database, async (repositories) => {
        await repositories.notifications.markAllRead(reader, at);
        return { unread: await repositories.notifications.countUnread(reader) };
      });
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
