import type { InstructionView } from './plan-view.ts';

/** A unit's 落实反馈 on a leader's instruction. */
export interface InstructionFeedbackView {
  id: number;
  instructionId: number;
  unitId: number;
  unitName: string;
  author: string;
  text: string;
  createdAt: string;
}

/** An instruction with the units' feedback on it, oldest first. */
export interface InstructionWithFeedbackView extends InstructionView {
  feedback: InstructionFeedbackView[];
}
