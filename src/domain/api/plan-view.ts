import type { ProgressStatus } from '../limits.ts';

/** GET /api/plans */
export interface PlanSummaryView {
  id: number;
  title: string;
  docNumber: string | null;
  tasks: number;
  rounds: { id: number; label: string; status: RoundStatus }[];
  /** 归档 (020): when the plan was archived; null while in use. */
  archivedAt: string | null;
}

/** `void`: 作废, opened by mistake and voided before any unit saved anything. */
export type RoundStatus = 'imported' | 'open' | 'closed' | 'void';

export interface UnitRefView {
  id: number;
  name: string;
  role: 'lead' | 'co';
}

/** One task in the plan tree; `answer` summarises the selected round. */
export interface TaskRowView {
  id: number;
  position: number;
  text: string;
  leadDepartment: string | null;
  /** 完成时限 as the plan writes it (`2018年6月底前`, `长期坚持`); null when the plan gives none. */
  due: string | null;
  leaders: string[];
  units: UnitRefView[];
  /** In the selected round: per unit, its answer state; absent units have not written. */
  answers: { unitId: number | null; unitName: string | null; status: ProgressStatus | null; text: string; state: AnswerState }[];
  warnings: string[];
  /** 已撤销 (020): withdrawn from future rounds; shown struck in the rounds that had it. */
  retired: boolean;
}

/** An answer's place in the round workflow. */
export type AnswerState = 'empty' | 'draft' | 'submitted' | 'approved' | 'returned' | 'accepted' | 'imported';

/** GET /api/plans/:planId/tree?roundId=&unitId=&leader=&department=&status=&unanswered=1&q= */
export interface PlanTreeView {
  plan: { id: number; title: string; docNumber: string | null };
  round: { id: number; label: string; status: RoundStatus } | null;
  chapters: {
    id: number;
    number: number;
    title: string;
    sections: { id: number; number: number; title: string; tasks: TaskRowView[] }[];
  }[];
  /** Tasks matching the filters / all tasks. */
  matched: number;
  total: number;
}

/** GET /api/tasks/:taskId */
export interface TaskDetailView {
  task: TaskRowView & { chapter: { number: number; title: string }; section: { number: number; title: string } };
  /** Every round of the plan, oldest first, with each unit's answer. */
  rounds: { id: number; label: string; status: RoundStatus; answers: TaskRowView['answers'] }[];
  instructions: InstructionView[];
}

/** A leader's instruction (批示) on a task. */
export interface InstructionView {
  id: number;
  taskId: number;
  roundId: number | null;
  author: string;
  text: string;
  createdAt: string;
}

/** GET /api/search?q=&planId= */
export interface SearchHitView {
  taskId: number;
  planId: number;
  roundLabel: string | null;
  field: 'task' | 'progress';
  unitName: string | null;
  /** Text around the match; the match itself between \u0001 and \u0002 for highlighting. */
  snippet: string;
}
