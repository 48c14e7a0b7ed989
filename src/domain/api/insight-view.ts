import type { ScoreState } from '../evaluation.ts';
import type { Finding, FindingKind, IndicatorActual, IndicatorTarget, IndicatorVerdict, TaskPlace } from '../insights/types.ts';

/**
 * GET /api/rounds/:roundId/insights — and, with the API-only fields left out, what
 * `npx diaodu insights --round LABEL --json` prints (format diaodu.insights/1, issue 15).
 */
export interface RoundInsightsView {
  format: 'diaodu.insights/1';
  round: string;
  previousRound: string | null;
  roundId: number;
  planId: number;
  /** Per kind, how many findings; arithmetic counts only the relations that do not hold. */
  counts: Record<FindingKind, number>;
  /** Arithmetic relations recomputed, and how many held. */
  arithmetic: { checked: number; confirmed: number };
  findings: FindingView[];
  /** Open requests for an explanation in this round. */
  explanations: ExplanationView[];
}

/** A finding as the API gives it: the engine's, plus where the task sits (for filters by chapter and leader). */
export type FindingView = Finding & { chapterTitle: string; leaders: string[] };

/**
 * 请说明: the office asks a unit to explain a red verdict (indicator behind, stale, no new facts …).
 * POST /api/rounds/:roundId/explanations {taskId, unitId, kind, message}; the unit answers with
 * PUT /api/explanations/:id {reply}; GET /api/units/:unitId/explanations lists a unit's open ones.
 */
export interface ExplanationView {
  id: number;
  roundId: number;
  roundLabel: string;
  taskId: number;
  task: TaskPlace;
  taskText: string;
  unitId: number;
  unitName: string;
  kind: FindingKind;
  message: string;
  requestedBy: string;
  requestedAt: string;
  reply: string | null;
  repliedBy: string | null;
  repliedAt: string | null;
}

/**
 * The office confirms, corrects or rejects a proposed indicator:
 * PUT /api/tasks/:taskId/indicators/:key {state, name?, target?}; and a proposed actual:
 * PUT /api/rounds/:roundId/tasks/:taskId/indicators/:key/actual {unitId, state, actual?}.
 */
export interface IndicatorDecisionInput {
  state: 'confirmed' | 'rejected';
  name?: string | null;
  target?: IndicatorTarget | null;
}

export interface ActualDecisionInput {
  unitId: number | null;
  state: 'confirmed' | 'rejected';
  actual?: IndicatorActual | null;
}

/** 考核: per unit per round. GET /api/rounds/:roundId/evaluation; ?format=xlsx downloads the Excel file. */
export interface RoundEvaluationView {
  roundId: number;
  roundLabel: string;
  rows: UnitEvaluationRow[];
}

export interface UnitEvaluationRow {
  unitId: number;
  unitName: string;
  /** Submitted before its deadline; null for an imported round (nobody submitted in the app). */
  onTime: boolean | null;
  /** Tasks asked of the unit, and those it answered with text. */
  tasks: number;
  answered: number;
  /** Times its answers were returned this round. */
  returned: number;
  /** Its stale answers, answers without new facts, and tasks it was silent on. */
  stale: number;
  noNewFacts: number;
  silent: number;
  /** Arithmetic relations in its answers that do not hold. */
  arithmeticErrors: number;
  /** Its confirmed indicators behind their path. */
  indicatorsBehind: number;
  /** Requests for an explanation it got this round (请说明). */
  explanations: number;
  /** 0–100 (src/domain/evaluation.ts evaluationScore, decision 034); null when it was asked nothing or is not due yet. */
  score: number | null;
  /** not_due (未到截止): an open round still waits for it before its deadline, so no score yet. */
  scoreState: ScoreState;
}

/**
 * GET /api/plans/:planId/dashboard[?roundId=] — what a leader reads at a glance (office and leaders;
 * a leader sees the whole plan with his own tasks marked). The round is the latest open one, else
 * the latest.
 */
export interface PlanDashboardView {
  planId: number;
  planTitle: string;
  round: { id: number; label: string; status: string; deadline: string | null } | null;
  /** The plan's rounds, oldest first (void rounds left out). */
  rounds: { id: number; label: string; status: string }[];
  completion: {
    byUnit: DashboardGroup[];
    byLeader: DashboardGroup[];
    byChapter: DashboardGroup[];
  };
  /** Unit × round: oldest round first; one cell per unit and round it was asked in. */
  heatMap: { units: string[]; rounds: string[]; cells: HeatMapCell[] };
  indicators: IndicatorSeriesView[];
  /** Counts of this round's findings by kind (arithmetic: the failed ones). */
  findings: Record<FindingKind, number>;
}

/** One bar of the completion charts: the answers of a unit, leader or chapter in the round, by light. */
export interface DashboardGroup {
  name: string;
  /** Answers asked for (task × unit). */
  total: number;
  /** Of those, answered and submitted (or imported). */
  answered: number;
  /** By status light: green 按期推进/已完成, yellow 未启动, red 滞后/暂缓, none: no status given. */
  green: number;
  yellow: number;
  red: number;
  none: number;
}

export interface HeatMapCell {
  unit: string;
  round: string;
  /** 0–100: the evaluation's score; null when not asked or not due yet (scoreState). */
  score: number | null;
  scoreState: ScoreState;
  onTime: boolean | null;
  stale: number;
  silent: number;
}

/** A confirmed indicator over the plan's rounds, with the path from base to target. */
export interface IndicatorSeriesView {
  taskId: number;
  task: TaskPlace;
  key: string;
  name: string;
  target: IndicatorTarget;
  /** The trajectory: (year, value) points, base to target (linear unless set otherwise). */
  path: { year: number; value: number }[];
  actuals: { round: string; periodEnd: string | null; value: number | null; basis: IndicatorActual['basis'] | null; verdict: IndicatorVerdict }[];
}
