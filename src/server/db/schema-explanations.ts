import type { Generated, Selectable } from 'kysely';

/** Table types of migration `022_explanation_requests` (issue 15: 请说明). */
export interface ExplanationTables {
  explanation_requests: ExplanationRequestsTable;
}

/** The office asks a unit to explain a finding of a round; the unit replies (null until then: open). */
export interface ExplanationRequestsTable {
  id: Generated<number>;
  round_id: number;
  task_id: number;
  unit_id: number;
  /** The finding's kind (src/domain/insights/types.ts FindingKind). */
  kind: string;
  message: string;
  /** The office person's display name. */
  requested_by: string;
  requested_by_user_id: number | null;
  requested_at: string;
  reply: string | null;
  replied_by: string | null;
  replied_by_user_id: number | null;
  replied_at: string | null;
}

export type ExplanationRequestRow = Selectable<ExplanationRequestsTable>;
