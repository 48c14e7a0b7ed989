import type { Generated, Selectable } from 'kysely';

/** Table types of migration `023_outbox` (issue 16: the outbox and the durable reminder scheduler). */
export interface DeliveryTables {
  outbox: OutboxTable;
  reminder_rungs: ReminderRungsTable;
  reminder_due: ReminderDueTable;
}

/** One message to one recipient (a unit or a person) on one channel. */
export interface OutboxTable {
  id: Generated<number>;
  /** round_opened | reminder | urge | returned | accepted | approval_wanted | instruction | notice_issued */
  event: string;
  round_id: number | null;
  unit_id: number | null;
  user_id: number | null;
  /** ChannelKind (src/server/delivery/channel.ts). */
  channel: string;
  /** The address at enqueue time, opaque text (sealed secrets stay sealed). */
  address: string;
  subject: string;
  body: string;
  link: string | null;
  dedupe_key: string;
  /** queued | sending | sent | failed */
  state: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_by: string | null;
  claimed_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** One rung of a round's reminder ladder: 'before:7d', 'due_day:09:00', 'overdue_daily:09:00'. */
export interface ReminderRungsTable {
  id: Generated<number>;
  round_id: number;
  rung: string;
  /** 1: moved out of 22:00–08:00; 0: sent at any hour. */
  quiet_hours: Generated<number>;
  /** 0: moved off Saturday and Sunday; 1: sent on weekends too. */
  weekends: Generated<number>;
  set_by: string;
  set_at: string;
}

/** One reminder due to one unit: a row, not a timer. */
export interface ReminderDueTable {
  id: Generated<number>;
  round_id: number;
  unit_id: number;
  rung: string;
  /** '1' for a one-time rung; the local day ('2017-10-17') for a daily one. */
  occurrence: string;
  due_at: string;
  /** pending | enqueued | skipped */
  state: string;
  settled_at: string | null;
}

export type OutboxRow = Selectable<OutboxTable>;
export type ReminderRungRow = Selectable<ReminderRungsTable>;
