import type { SubmissionState } from './round-view.ts';

/**
 * 报送情况统计 of a round (issue 12): how the units answered — on time, late (逾期), not at all —
 * and what the office accepted. Collective units (各处(室) …) are never counted: nobody submits
 * for them. A round imported from a document has no in-app submissions (`inApp` false, no units,
 * every count 0): its statistics are not invented. GET /api/rounds/:roundId/statistics; the
 * Excel export's sheet 报送情况.
 */
export interface RoundStatisticsView {
  roundId: number;
  roundLabel: string;
  /** The round's own deadline (a unit's extension is on its row). */
  deadline: string | null;
  /** false: the round came from a document, nobody submitted in the app. */
  inApp: boolean;
  totals: RoundStatisticsTotals;
  /** One row per (non-collective) unit of the round, by name. */
  units: UnitStatisticsRow[];
}

export interface RoundStatisticsTotals {
  /** Units of the round (collective units excluded). */
  units: number;
  /** Submitted (with the unit head or the office, or accepted) before the unit's deadline. */
  onTime: number;
  /** Submitted after the unit's deadline (逾期). */
  late: number;
  /** Not submitted: untouched, drafts, and answers returned to the unit. */
  notSubmitted: number;
  /** Of those not submitted: returned by the head or the office and not yet resubmitted. */
  returned: number;
  /** Accepted (采纳) by the office. */
  accepted: number;
  /** Tasks of the round with at least one answer that has text (any unit, draft or submitted). */
  tasksAnswered: number;
  /** Tasks of the round. */
  tasks: number;
}

export interface UnitStatisticsRow {
  unitId: number;
  unitName: string;
  state: SubmissionState;
  /** The unit's answers are with the head or the office, or accepted. */
  submitted: boolean;
  /** When it last submitted (null: never). */
  submittedAt: string | null;
  /** The last submit came after the unit's deadline. */
  late: boolean;
  /** The unit's own deadline when the office extended it; null: the round's. */
  extendedDeadline: string | null;
  accepted: boolean;
  /** The unit's tasks in the round, and how many of them it has written an answer to. */
  tasks: number;
  answered: number;
}
