import type { ProgressStatus } from '../limits.ts';
import type { RoundStatus } from './plan-view.ts';

/** GET /api/rounds/:roundId ; POST /api/plans/:planId/rounds answers the same. */
export interface RoundView {
  id: number;
  planId: number;
  label: string;
  periodStart: string | null;
  periodEnd: string | null;
  deadline: string | null;
  status: RoundStatus;
  note: string | null;
  requiresApproval: boolean;
  tasks: number;
  openedAt: string | null;
  closedAt: string | null;
  /** 作废 (status 'void'): when, by whom (a person's name) and why; null otherwise. */
  voidedAt: string | null;
  voidedBy: string | null;
  voidReason: string | null;
}

/** A unit's answer to one task in a round, as the reporter edits it. */
export interface AnswerView {
  taskId: number;
  unitId: number;
  text: string;
  status: ProgressStatus | null;
  /** Required for 滞后 (delayed) and 暂缓 (suspended). */
  reason: string | null;
  /** Send back unchanged with the next save: a stale version gets 409. */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  /** 沿用上轮: the answer was started from this earlier round's text (null: written afresh). */
  copiedFromRoundId: number | null;
  /** For a copied answer: whether the saved text is still exactly last round's (null: not copied). */
  copiedUnchanged: boolean | null;
}

/** GET /api/rounds/:roundId/units/:unitId/todo */
export interface TodoView {
  round: RoundView;
  unit: { id: number; name: string };
  submission: SubmissionView;
  items: {
    /** `due`: 完成时限 as the plan writes it, null when none. */
    task: { id: number; text: string; due: string | null; chapterNumber: number; sectionNumber: number; leaders: string[]; role: 'lead' | 'co' };
    answer: AnswerView;
    /** This unit's text in the previous round of the plan, shown beside the box. */
    previousText: string | null;
    /** Evidence files (佐证材料) on this unit's answer, oldest first. */
    attachments: AttachmentView[];
    /** For the lead unit: what the co-units wrote this round. */
    coUnitAnswers: { unitName: string; text: string; status: ProgressStatus | null; state: SubmissionState }[];
    /** The review of this answer: returned (with why), approved by the unit head, accepted by the office, or none yet. */
    review: AnswerReviewView;
  }[];
}

/**
 * GET /api/rounds/:roundId/collective-units/:unitId/answers — a collective unit (各处(室), 直属单位 …)
 * that no member unit answers in the round: the office writes its answers itself. No submission,
 * no review: what the office saved is in the compiled table at once (decision 020, amendment).
 */
export interface CollectiveAnswersView {
  round: RoundView;
  unit: { id: number; name: string };
  items: TodoView['items'];
}

/** null: not reviewed yet (or resubmitted after a return); the answer may be edited only while returned or never submitted. */
export type AnswerReviewState = 'returned' | 'approved' | 'accepted';

/** The review of one answer. A resubmitted answer keeps the last comment (state null) so the reviewer sees what was asked. */
export interface AnswerReviewView {
  state: AnswerReviewState | null;
  comment: string | null;
  reviewedAt: string | null;
  /** The reviewer's name (张敏). */
  reviewedBy: string | null;
}

/** Who holds a submission now: the unit's reporters, its head, the office, or nobody (accepted). */
export type SubmissionHolder = 'reporter' | 'head' | 'office' | 'done';

/** POST /api/rounds/:roundId/units/:unitId/answers/review — one decision on some of the unit's answers. */
export interface AnswerReviewInput {
  /** accept: the head approves, the office accepts (采纳); return: back to the unit with the comment (required). */
  decision: 'accept' | 'return';
  taskIds: readonly number[];
  comment: string | null;
}

export type SubmissionState = 'not_started' | 'draft' | 'submitted' | 'approved' | 'returned' | 'accepted';

/** A unit's submission of its answers in one round. */
export interface SubmissionView {
  roundId: number;
  unitId: number;
  unitName: string;
  state: SubmissionState;
  submittedAt: string | null;
  approvedAt: string | null;
  reviewedAt: string | null;
  /** The office's comment when it returned the answers. */
  returnComment: string | null;
  version: number;
  /** Who holds the submission now (issue 12): reporter, head, office, or done. */
  holder: SubmissionHolder;
  /** The last submit came after the unit's deadline (submittedAt says when). */
  late: boolean;
  /** Why the submission took its path, for the office (e.g. 本单位无处室负责人账号，已直接报送办公室). */
  note: string | null;
  /** This unit's own deadline when the office extended it; null: the round's. */
  extendedDeadline: string | null;
}

/** GET /api/rounds/:roundId/units-without-head, GET /api/plans/:planId/units-without-head */
export interface UnitWithoutHeadView {
  unitId: number;
  unitName: string;
}

export type TrafficLight = 'green' | 'yellow' | 'red' | 'grey';

/** GET /api/rounds/:roundId/board — who to chase. */
export interface BoardView {
  round: RoundView;
  now: string;
  rows: (SubmissionView & {
    light: TrafficLight;
    phone: string | null;
    tasks: number;
    answered: number;
    lastReminderAt: string | null;
  })[];
  /** Collective names among the round's units (各处(室) …): not chased; who answers each. */
  collectives: CollectiveUnitView[];
}

/** A collective unit (各处(室), 直属单位 …) and the member units that answer for it; none: the office answers it. */
export interface CollectiveUnitView {
  unitId: number;
  unitName: string;
  members: { id: number; name: string }[];
  answeredBy: 'members' | 'office';
}

/** PUT /api/rounds/:roundId/units/:unitId/deadline */
export type UnitDeadlineView = SubmissionView & { effectiveDeadline: string | null };

/** 409 body of a save with a stale or missing version: nothing the user typed is lost. */
export interface AnswerConflictDetails {
  stored: AnswerView;
  yours: { text: string; status: ProgressStatus | null; reason: string | null; version: number | null };
}

export type AttachmentKind = 'pdf' | 'png' | 'jpeg' | 'docx' | 'xlsx';

/** An evidence file (佐证材料) on one unit's answer; its bytes at GET /api/attachments/:id/download. */
export interface AttachmentView {
  id: number;
  roundId: number;
  taskId: number;
  unitId: number;
  /** The name the file was uploaded under (cleaned of path parts and control characters), for display only. */
  fileName: string;
  /** What its content is (sniffed, never taken from the name). */
  kind: AttachmentKind;
  contentType: string;
  sizeBytes: number;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
  uploadedAt: string;
  /** Who uploaded it, by name. */
  uploadedBy: string;
}

/** Issue 16: a message's state beyond the app as the office sees it (`sending` shows as queued). */
export type DeliveryState = 'queued' | 'sent' | 'failed';

/** The last message to a unit on one channel (e-mail, a group robot) in a round. */
export interface DeliveryChannelStateView {
  channel: 'email' | 'wecom' | 'dingtalk' | 'feishu' | 'webhook';
  /** What it was: 催办 (`urge`), a deadline reminder, … */
  event: string;
  state: DeliveryState;
  /** Why it failed, or why it is being tried again; null when none. */
  reason: string | null;
  /** When it was sent, or else when it was queued. */
  at: string;
}

/** GET /api/rounds/:roundId/delivery — per unit with any message, the last state per channel. */
export interface RoundDeliveryView {
  roundId: number;
  units: { unitId: number; unitName: string; channels: DeliveryChannelStateView[] }[];
}

/**
 * One step of a round's reminder ladder (issue 16, decision 035): `before:7d` (09:00 seven days
 * before the deadline's day), `due_day:09:00` (on the day), `overdue_daily:09:00` (every day while
 * overdue). Quiet hours are 22:00–08:00; a step that falls in them (or on a weekend) moves to the
 * next allowed time unless allowed.
 */
export interface ReminderRungView {
  rung: string;
  /** In Chinese: 截止前 7 天 09:00 / 截止当天 09:00 / 逾期后每天 09:00. */
  label: string;
  allowQuietHours: boolean;
  allowWeekends: boolean;
}

/** GET and PUT /api/rounds/:roundId/reminder-ladder (office). */
export interface ReminderLadderView {
  roundId: number;
  rungs: ReminderRungView[];
  /** Who set the ladder last and when; null while the round has none. */
  setBy: string | null;
  setAt: string | null;
  /** Reminders stored as due and not yet sent, and when the next one goes. */
  pending: number;
  nextDueAt: string | null;
}

/** PUT /api/rounds/:roundId/reminder-ladder: the whole ladder (an empty list stops reminders). */
export interface ReminderLadderInput {
  rungs: { rung: string; allowQuietHours?: boolean; allowWeekends?: boolean }[];
}

/** The ladder a round gets when it opens with a deadline, until the office changes it. */
export const DEFAULT_REMINDER_LADDER: readonly string[] = ['before:7d', 'before:3d', 'due_day:09:00', 'overdue_daily:09:00'];
