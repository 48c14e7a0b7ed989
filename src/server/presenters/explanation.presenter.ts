import type { ExplanationView } from '../../domain/api/insight-view.ts';
import type { FindingKind } from '../../domain/insights/types.ts';
import type { ExplanationRecord } from '../db/repositories/explanation.repository.ts';

/**
 * A request for an explanation as the API gives it. `index` is the task's 1-based place among the
 * round's tasks of its section (explanation.repository.ts sectionIndexes); the task's position in
 * the plan stands in when the round no longer lists it.
 */
export function presentExplanation(row: ExplanationRecord, index: number | undefined): ExplanationView {
  return {
    id: row.id,
    roundId: row.round_id,
    roundLabel: row.round_label,
    taskId: row.task_id,
    task: { chapter: row.chapter_number, section: row.section_number, index: index ?? row.task_position },
    taskText: row.task_text,
    unitId: row.unit_id,
    unitName: row.unit_name,
    kind: row.kind as FindingKind,
    message: row.message,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    reply: row.reply,
    repliedBy: row.replied_by,
    repliedAt: row.replied_at,
  };
}
