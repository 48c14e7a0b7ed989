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
    task: { id: number; text: string; chapterNumber: number; sectionNumber: number; leaders: string[]; role: 'lead' | 'co' };
    answer: AnswerView;
    /** This unit's text in the previous round of the plan, shown beside the box. */
    previousText: string | null;
    /** Evidence files (佐证材料) on this unit's answer, oldest first. */
    attachments: AttachmentView[];
    /** For the lead unit: what the co-units wrote this round. */
    coUnitAnswers: { unitName: string; text: string; status: ProgressStatus | null; state: SubmissionState }[];
  }[];
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
}

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
