import type { IndicatorActual, IndicatorTarget } from '../insights/types.ts';

/** PUT /api/tasks/:taskId/indicators/:key answers with the decision as stored (issue 15). */
export interface IndicatorDecisionView {
  taskId: number;
  /** The task's lineage (020): the decision holds for every version of the task. */
  taskLineage: number;
  key: string;
  state: 'confirmed' | 'rejected';
  /** The office's name and target; null: as proposed. */
  name: string | null;
  target: IndicatorTarget | null;
  decidedBy: string;
  decidedAt: string;
}

/** PUT /api/rounds/:roundId/tasks/:taskId/indicators/:key/actual answers with the decision as stored. */
export interface ActualDecisionView {
  roundId: number;
  taskId: number;
  taskLineage: number;
  key: string;
  unitId: number | null;
  state: 'confirmed' | 'rejected';
  /** The office's corrected actual; null: as proposed. */
  actual: IndicatorActual | null;
  decidedBy: string;
  decidedAt: string;
}
