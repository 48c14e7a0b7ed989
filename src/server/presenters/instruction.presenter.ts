import type { InstructionFeedbackView, InstructionWithFeedbackView } from '../../domain/api/instruction-view.ts';
import type { InstructionFeedbackRecord } from '../db/repositories/instruction.repository.ts';
import type { InstructionRow } from '../db/schema-search.ts';
import { presentInstruction } from './plan.presenter.ts';

export function presentFeedback(row: InstructionFeedbackRecord): InstructionFeedbackView {
  return {
    id: row.id,
    instructionId: row.instruction_id,
    unitId: row.unit_id,
    unitName: row.unit_name,
    author: row.author_name,
    text: row.text,
    createdAt: row.created_at,
  };
}

/** Instructions with their feedback, each list in the order written. */
export function presentInstructionsWithFeedback(instructions: InstructionRow[], feedback: InstructionFeedbackRecord[]): InstructionWithFeedbackView[] {
  return instructions.map((row) => ({
    ...presentInstruction(row),
    feedback: feedback.filter((item) => item.instruction_id === row.id).map(presentFeedback),
  }));
}
