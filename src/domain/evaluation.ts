/**
 * 考核 (issue 15): how one unit did in one round, as one number for the heat map and the
 * plan's 汇总 sheet, and the status light of an answer. Pure, so the server, the Excel writer and
 * the web app say the same (docs/decisions/034).
 */

/** What the score reads of a unit's round (UnitEvaluationRow). */
export interface ScoreInput {
  /** Tasks asked of the unit, and those it answered with text. */
  tasks: number;
  answered: number;
  /** Its stale answers (repeated from the last round) and answers without any new fact. */
  stale: number;
  noNewFacts: number;
  /** Submitted after its deadline (or not at all once it passed): false; null when it does not apply. */
  onTime: boolean | null;
  /**
   * False while its answers may still come: the round is open, the unit has not submitted (or
   * has its answers back) and its deadline is ahead (notDue). Then there is no score yet.
   */
  due: boolean;
}

/**
 * Where a unit's score stands: scored; not due (未到截止: an open round still waits for it before
 * its deadline — a 0 would read as a failure while it has merely not submitted yet); not asked.
 */
export type ScoreState = 'scored' | 'not_due' | 'not_asked';

/** The words for a score not given yet, on the 考核 page, in its Excel sheets and on the heat map's tooltip. */
export const NOT_DUE_LABEL = '未到截止';

/** Not due: the round is open, the unit's answers are not in, and its deadline has not passed (onTime null then). */
export function notDue(roundStatus: string, onTime: boolean | null): boolean {
  return roundStatus === 'open' && onTime === null;
}

export function scoreState(input: Pick<ScoreInput, 'tasks' | 'due'>): ScoreState {
  return input.tasks <= 0 ? 'not_asked' : input.due ? 'scored' : 'not_due';
}

/** Points off for a late (or missing after the deadline) submission. */
export const LATE_PENALTY = 10;
/** An answer without new facts counts half an answer; a stale one counts none. */
export const NO_NEW_FACTS_WEIGHT = 0.5;

/**
 * 0–100, null when the unit was asked nothing or it is not due yet (scoreState):
 *
 *   100 × (answered − stale − ½ × noNewFacts) / tasks − 10 if late, kept within 0–100, rounded.
 *
 * A task it was silent on is a task not answered, so silence costs through `answered`; an answer
 * both stale and without facts costs once (as stale: `noNewFacts` counts only answers that are
 * not stale, which the caller ensures). Returns and arithmetic slips are shown beside the score,
 * not in it: a return is the office's doing as much as the unit's, and a slip is one figure.
 */
export function evaluationScore(input: ScoreInput): number | null {
  if (scoreState(input) !== 'scored') return null;
  const credited = input.answered - input.stale - NO_NEW_FACTS_WEIGHT * input.noNewFacts;
  const raw = (100 * credited) / input.tasks - (input.onTime === false ? LATE_PENALTY : 0);
  return Math.round(Math.min(100, Math.max(0, raw)));
}

export type StatusLight = 'green' | 'yellow' | 'red' | 'none';

/**
 * The light of an answer's 进展状态: green 按期推进/已完成, yellow 未启动, red 滞后/暂缓, none
 * when no status was given. Takes the stored words (on_track …) and the document's Chinese alike.
 */
export function statusLight(status: string | null | undefined): StatusLight {
  switch ((status ?? '').trim()) {
    case 'on_track':
    case 'completed':
    case '按期推进':
    case '已完成':
      return 'green';
    case 'not_started':
    case '未启动':
      return 'yellow';
    case 'delayed':
    case 'suspended':
    case '滞后':
    case '暂缓':
      return 'red';
    default:
      return 'none';
  }
}
