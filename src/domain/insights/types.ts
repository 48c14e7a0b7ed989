/**
 * Insight (issue 15): what the units' prose hides. These are the engine's input and output; the
 * engine (src/domain/insights/*) is pure — it reads text and numbers, never the database — so the
 * service, the CLI and the benchmark feed it the same shapes.
 */

/** A task's place as the plan prints it: chapter and section numbers, 1-based index within its section in plan order. */
export interface TaskPlace {
  chapter: number;
  section: number;
  index: number;
}

export interface InsightTaskUnit {
  unitId: number;
  name: string;
  role: 'lead' | 'co';
  /** 各处(室), 直属单位 …: nobody answers for a collective name, so it is never silent. */
  collective: boolean;
}

export interface InsightTask {
  id: number;
  /** The id every version of the task shares (decision 029): matches a task across rounds. */
  lineage: number;
  place: TaskPlace;
  text: string;
  /**
   * The year a target without its own year is due by: the nearest 到 20XX 年 written earlier in the
   * same section (一.(一).1 "到 2020 年…" sets it for 一.(一).2–4), else null.
   */
  contextYear: number | null;
  units: InsightTaskUnit[];
  leaders: string[];
}

export interface InsightAnswer {
  taskId: number;
  /** null: an imported answer nobody is named for (the document printed no attribution). */
  unitId: number | null;
  unitName: string | null;
  text: string;
  /** 沿用上轮 and not edited since (013's copied_unchanged). */
  copiedUnchanged: boolean;
}

export interface InsightRound {
  id: number;
  label: string;
  /** ISO dates (yyyy-mm-dd) of the period the round reports on, when known. */
  periodStart: string | null;
  periodEnd: string | null;
  /** true when the round came from a document (answers carry attributions, nobody submitted in the app). */
  imported: boolean;
  /** Answers with text: live rounds pass every unit's saved answer; empty ones are left out. */
  answers: InsightAnswer[];
  /** Live rounds: the (taskId, unitId) pairs whose unit was asked. Imported rounds: empty. */
  asked: { taskId: number; unitId: number }[];
}

export type FindingKind = 'arithmetic' | 'indicator' | 'stale' | 'duplicate' | 'no_new_facts' | 'silent_unit';

interface FindingBase {
  kind: FindingKind;
  task: TaskPlace;
  taskId: number;
  /** The unit the answer is from (its name), null for an unattributed imported answer. */
  unit: string | null;
  unitId: number | null;
}

export type ArithmeticRelation = 'sum' | 'ratio' | 'count';

/** A stated relation recomputed: a total and its parts, a share of a whole, a count and its list. */
export interface ArithmeticFinding extends FindingBase {
  kind: 'arithmetic';
  relation: ArithmeticRelation;
  /** An exact substring of the answer. */
  quote: string;
  /** As written ("72.4%", "774"). */
  stated: string;
  /** Recomputed, at one digit more than stated for a share ("72.41%"), as an integer for a sum or count. */
  computed: string;
  /** Equal at the stated precision (rounding is not an error). */
  ok: boolean;
}

export type IndicatorDirection = 'up' | 'down';
export type IndicatorBound = 'at_least' | 'at_most' | 'exactly';
/** level: the value itself; vs_base_year: change against a base year; year_on_year: 同比; cumulative: 累计. */
export type ActualBasis = 'level' | 'vs_base_year' | 'year_on_year' | 'cumulative';
export type IndicatorVerdict = 'on_track' | 'behind' | 'basis_differs' | 'no_actual';

export interface IndicatorTarget {
  value: number;
  /** "%", "个", "万吨" … as written; "%" for 百分点 targets too. */
  unit: string;
  direction: IndicatorDirection;
  bound: IndicatorBound;
  /** 比 2015 年下降 20%: the target is a change against this year; null when it is a level. */
  baseYear: number | null;
  /** The level in the base year, when the text gives it. */
  baseValue: number | null;
  byYear: number | null;
  /** What the target measures over: 年均 → 'year'; null when the text does not say. */
  period: 'year' | null;
}

export interface IndicatorActual {
  value: number;
  unit: string;
  basis: ActualBasis;
  /** Months the figure covers when the answer says so (1-6 月 → 6); null: not stated. */
  months: number | null;
  baseYear: number | null;
  /** An exact substring of the answer. */
  quote: string;
}

/** A proposed (or office-confirmed) indicator of a task, and how this round's answer measures against it. */
export interface IndicatorFinding extends FindingBase {
  kind: 'indicator';
  /** Stable within the task: the service keys the office's decisions on (task lineage, key). */
  key: string;
  name: string;
  target: IndicatorTarget;
  /** An exact substring of the task text. */
  targetQuote: string;
  actual: IndicatorActual | null;
  /** The value the trajectory expects at the end of the round's period (linear from base to target); null when unknown. */
  expected: number | null;
  verdict: IndicatorVerdict;
  /** proposed: read from the text, not yet confirmed by the office; nothing counts until confirmed. */
  status: 'proposed' | 'confirmed';
  /**
   * The actual's own standing: null when there is no actual; proposed: read from the answer;
   * confirmed: the office confirmed it or entered it (an ActualDecision).
   */
  actualStatus: 'proposed' | 'confirmed' | null;
}

export interface StaleFinding extends FindingBase {
  kind: 'stale';
  /** 0–1, 1 when the texts are the same once punctuation, spacing and dates are ignored. */
  similarity: number;
  /** The previous round's label. */
  against: string;
  /** 沿用上轮 and never edited. */
  copiedUnchanged: boolean;
}

export interface DuplicateFinding extends FindingBase {
  kind: 'duplicate';
  other: TaskPlace;
  otherTaskId: number;
  otherUnit: string | null;
  similarity: number;
}

/** An answer without any number, date, document number or named project. */
export interface NoNewFactsFinding extends FindingBase {
  kind: 'no_new_facts';
  quote: string;
}

/** A listed (non-collective) unit of the task that said nothing this round. */
export interface SilentUnitFinding extends FindingBase {
  kind: 'silent_unit';
}

export type Finding = ArithmeticFinding | IndicatorFinding | StaleFinding | DuplicateFinding | NoNewFactsFinding | SilentUnitFinding;

/** The office's decision on a proposed indicator (stored by the service, applied by the engine). */
export interface IndicatorDecision {
  taskLineage: number;
  key: string;
  /** rejected: not an indicator; the engine drops it. */
  state: 'confirmed' | 'rejected';
  /** The office's corrected target (replaces the proposal's); null: as proposed. */
  target: IndicatorTarget | null;
  name: string | null;
}

/** The office's decision on a proposed actual (per round, task lineage, indicator key, unit). */
export interface ActualDecision {
  roundId: number;
  taskLineage: number;
  key: string;
  unitId: number | null;
  /** rejected: the quoted figure is not this indicator's actual. */
  state: 'confirmed' | 'rejected';
  actual: IndicatorActual | null;
}

export interface AnalyseRoundInput {
  round: InsightRound;
  previous: InsightRound | null;
  tasks: InsightTask[];
  indicatorDecisions: IndicatorDecision[];
  actualDecisions: ActualDecision[];
}
