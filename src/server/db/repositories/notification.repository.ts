import type { ExpressionBuilder, Kysely } from 'kysely';
import { HEAD_ONLY_KINDS, OFFICE_KINDS } from '../../../domain/notification-kinds.ts';
import type { DB } from '../schema.ts';

/** Who is reading: the signed-in user's id, role and unit. */
export type NotificationReader = { userId: number; role: string; unitId: number | null };

export type NotificationRecord = {
  id: number;
  kind: string;
  message: string;
  round_id: number | null;
  task_id: number | null;
  created_at: string;
  read_at: string | null;
};

/**
 * The rows a reader sees, by the audience rules of src/domain/notification-kinds.ts: rows
 * naming them; rows of their unit (heads also the head-only kinds); office-wide rows for
 * the office. Kept in one place so the list, the count and mark-read agree.
 */
function visibleTo(reader: NotificationReader) {
  return (eb: ExpressionBuilder<DB, 'notifications'>) => {
    const branches = [eb('notifications.user_id', '=', reader.userId)];
    if (reader.unitId !== null && (reader.role === 'reporter' || reader.role === 'unit_head')) {
      const unitRows = [eb('notifications.user_id', 'is', null), eb('notifications.unit_id', '=', reader.unitId)];
      const hidden = [...OFFICE_KINDS, ...(reader.role === 'unit_head' ? [] : HEAD_ONLY_KINDS)];
      if (hidden.length > 0) unitRows.push(eb('notifications.kind', 'not in', hidden));
      branches.push(eb.and(unitRows));
    }
    // Office-wide rows may name the unit they are about; they are still the office's, not the unit's.
    if (reader.role === 'office' && OFFICE_KINDS.length > 0)
      branches.push(eb.and([eb('notifications.user_id', 'is', null), eb('notifications.kind', 'in', OFFICE_KINDS)]));
    return eb.or(branches);
  };
}

/** Notifications as each user reads them, with their own read state. */
export function createNotificationRepository(db: Kysely<DB>) {
  return {
    /** The reader's newest rows first, each with when this reader read it. */
    async listFor(reader: NotificationReader, limit = 50): Promise<NotificationRecord[]> {
      return db
        .selectFrom('notifications')
        .leftJoin('notification_reads', (join) =>
          join.onRef('notification_reads.notification_id', '=', 'notifications.id').on('notification_reads.user_id', '=', reader.userId),
        )
        .select([
          'notifications.id',
          'notifications.kind',
          'notifications.message',
          'notifications.round_id',
          'notifications.task_id',
          'notifications.created_at',
          'notification_reads.read_at',
        ])
        .where(visibleTo(reader))
        .orderBy('notifications.id', 'desc')
        .limit(limit)
        .execute();
    },

    /** How many of the reader's rows they have not read (all of them, not only the newest 50). */
    async countUnread(reader: NotificationReader): Promise<number> {
      const row = await db
        .selectFrom('notifications')
        .leftJoin('notification_reads', (join) =>
          join.onRef('notification_reads.notification_id', '=', 'notifications.id').on('notification_reads.user_id', '=', reader.userId),
        )
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where(visibleTo(reader))
        .where('notification_reads.notification_id', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Whether the reader may see row `id` (so may mark it read). */
    async isVisibleTo(reader: NotificationReader, id: number): Promise<boolean> {
      const row = await db
        .selectFrom('notifications')
        .select('notifications.id')
        .where('notifications.id', '=', id)
        .where(visibleTo(reader))
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Marks one row read for this reader; a second mark keeps the first time. */
    async markRead(reader: NotificationReader, id: number, now: string): Promise<void> {
      await db
        .insertInto('notification_reads')
        .values({ notification_id: id, user_id: reader.userId, read_at: now })
        .onConflict((oc) => oc.columns(['notification_id', 'user_id']).doNothing())
        .execute();
    },

    /** Marks every row the reader sees and has not read; answers how many it marked. */
    async markAllRead(reader: NotificationReader, now: string): Promise<number> {
      const unread = await db
        .selectFrom('notifications')
        .leftJoin('notification_reads', (join) =>
          join.onRef('notification_reads.notification_id', '=', 'notifications.id').on('notification_reads.user_id', '=', reader.userId),
        )
        .select('notifications.id')
        .where(visibleTo(reader))
        .where('notification_reads.notification_id', 'is', null)
        .execute();
      for (let i = 0; i < unread.length; i += 500) {
        const chunk = unread.slice(i, i + 500);
        await db
          .insertInto('notification_reads')
          .values(chunk.map((row) => ({ notification_id: row.id, user_id: reader.userId, read_at: now })))
          .onConflict((oc) => oc.columns(['notification_id', 'user_id']).doNothing())
          .execute();
      }
      return unread.length;
    },
  };
}

export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
