import type { Generated, Selectable } from 'kysely';

/** Table types of migration `021_insight_decisions` (issue 15; docs/decisions/033). */
export interface InsightTables {
  indicator_decisions: IndicatorDecisionsTable;
  actual_decisions: ActualDecisionsTable;
}

/** The office's decision on a task's proposed indicator: one row per task lineage and indicator key. */
export interface IndicatorDecisionsTable {
  id: Generated<number>;
  /** The task's lineage (020): the decision holds for every version of the task. */
  task_lineage: number;
  /** The engine's key of the indicator within the task. */
  key: string;
  /** confirmed | rejected */
  state: string;
  /** The office's name for it; null: as proposed. */
  name: string | null;
  /** JSON IndicatorTarget: the office's corrected target; null: as proposed. */
  target: string | null;
  /** Display name of who decided. */
  decided_by: string;
  decided_at: string;
}

/** The office's decision on a proposed actual: one row per round, task lineage, key and unit (NULL included). */
export interface ActualDecisionsTable {
  id: Generated<number>;
  round_id: number;
  task_lineage: number;
  key: string;
  /** null: an imported answer the document named nobody for. */
  unit_id: number | null;
  /** confirmed | rejected */
  state: string;
  /** JSON IndicatorActual: the office's corrected actual; null: as proposed. */
  actual: string | null;
  decided_by: string;
  decided_at: string;
}

export type IndicatorDecisionRow = Selectable<IndicatorDecisionsTable>;
export type ActualDecisionRow = Selectable<ActualDecisionsTable>;
