import type { Generated } from 'kysely';

/**
 * Table types of migration `003_round_work`: a round run in the app. The columns it adds to
 * `rounds`, `progress_entries` and `units` are declared with those tables in schema.ts.
 */
export interface RoundWorkTables {
  unit_submissions: UnitSubmissionsTable;
  reminders: RemindersTable;
  notifications: NotificationsTable;
  notification_reads: NotificationReadsTable;
  idempotency_keys: IdempotencyKeysTable;
  collective_unit_members: CollectiveUnitMembersTable;
  round_task_units: RoundTaskUnitsTable;
}

/** One row per unit and round: the unit's answers move through the workflow together. */
export interface UnitSubmissionsTable {
  id: Generated<number>;
  round_id: number;
  unit_id: number;
  /** not_started | draft | submitted | approved | returned | accepted */
  state: string;
  submitted_at: string | null;
  submitted_by: string | null;
  approved_at: string | null;
  approved_by: string | null;
  reviewed_at: string | null;
  reviewed_by: string | null;
  return_comment: string | null;
  version: number;
  updated_at: string;
  /** 011: 1 when the last submit came after the unit's deadline (a late submit is accepted and marked). */
  submitted_late: Generated<number>;
  /** 011: the unit's own deadline (an extension); null: the round's. */
  deadline: string | null;
  /** 011: why the submission took its path, shown to the office (e.g. no head account: straight to the office). */
  note: string | null;
}

/** A reminder (催办) the office sent to a unit. */
export interface RemindersTable {
  id: Generated<number>;
  round_id: number;
  unit_id: number;
  message: string;
  sent_by: string;
  sent_at: string;
}

/**
 * In-app messages. Who sees a row follows from its kind (src/domain/notification-kinds.ts):
 * a unit's accounts, only its heads, every office account, or one user (`user_id`).
 */
export interface NotificationsTable {
  id: Generated<number>;
  unit_id: number | null;
  user_id: number | null;
  round_id: number | null;
  kind: string;
  message: string;
  created_at: string;
  /** Unused since 014: read state is per user, in notification_reads. */
  read_at: Generated<string | null>;
  /** The task the message is about (014), for a link; may name a task since replaced. */
  task_id: Generated<number | null>;
}

/** Who has read which notification (014): each account of a unit reads on its own. */
export interface NotificationReadsTable {
  notification_id: number;
  user_id: number;
  read_at: string;
}

/** A retried or double-clicked POST with the same key answers what the first one did. */
export interface IdempotencyKeysTable {
  key: string;
  actor: string;
  scope: string;
  status_code: number;
  body: string;
  created_at: string;
}

/** The member units a collective unit stands for (012); none: the office answers it itself. */
export interface CollectiveUnitMembersTable {
  unit_id: number;
  member_unit_id: number;
  position: number;
}

/**
 * A member unit answering a collective unit's task in one round (012), fixed when the round
 * opened: the member gets the task on its to-do list as a co-unit.
 */
export interface RoundTaskUnitsTable {
  round_id: number;
  task_id: number;
  unit_id: number;
  via_unit_id: number;
  position: number;
}
