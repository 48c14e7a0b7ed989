import type { InstructionView, PlanSummaryView, RoundStatus, TaskRowView, UnitRefView } from '../../domain/api/plan-view.ts';
import type { PlanSummaryRecord, RoundSummaryRecord, ViewTaskRecord, ViewTaskUnitRecord } from '../db/repositories/plan-view.repository.ts';
import type { InstructionRow } from '../db/schema-search.ts';

export type AnswerRowView = TaskRowView['answers'][number];

/** The API's view of a plan in the plan list. */
export function presentPlanSummary(plan: PlanSummaryRecord, rounds: readonly RoundSummaryRecord[]): PlanSummaryView {
  return {
    id: plan.id,
    title: plan.title,
    docNumber: plan.docNumber,
    tasks: plan.tasks,
    rounds: rounds.map(presentRoundRef),
    archivedAt: plan.archivedAt,
  };
}

export function presentRoundRef(round: RoundSummaryRecord): { id: number; label: string; status: RoundStatus } {
  return { id: round.id, label: round.label, status: round.status as RoundStatus };
}

export function presentUnitRef(unit: ViewTaskUnitRecord): UnitRefView {
  return { id: unit.unitId, name: unit.unitName, role: unit.role };
}

/** One task row: its assignments, the selected round's answers, and that round's warnings about it. */
export function presentTaskRow(
  task: ViewTaskRecord,
  related: { leaders: readonly string[]; units: readonly ViewTaskUnitRecord[]; answers: readonly AnswerRowView[]; warnings: readonly string[] },
): TaskRowView {
  return {
    id: task.id,
    position: task.position,
    text: task.text,
    leadDepartment: task.leadDepartment,
    due: task.due,
    leaders: [...related.leaders],
    units: related.units.map(presentUnitRef),
    answers: [...related.answers],
    warnings: [...related.warnings],
    // Withdrawn, not merely replaced by a newer version.
    retired: task.retiredAt !== null && task.replacedBy === null,
  };
}

export function presentInstruction(row: InstructionRow): InstructionView {
  return {
    id: row.id,
    taskId: row.task_id,
    roundId: row.round_id,
    author: row.author_name,
    text: row.text,
    createdAt: row.created_at,
  };
}
