import type { Actor, UserActor } from '../../domain/actor.ts';
import { denied, requireUser } from './policy.ts';

/**
 * Who may answer a leader's instruction (批示) with 落实反馈: a reporter or head of one of the
 * task's responsible units, for that unit. Not the office, not leaders, not another unit, not
 * the CLI: the feedback speaks for the unit.
 */
export function assertCanAnswerInstruction(actor: Actor, taskUnitIds: readonly number[]): UserActor & { unitId: number } {
  const user = requireUser(actor, '落实反馈');
  if ((user.role === 'reporter' || user.role === 'unit_head') && user.unitId !== null && taskUnitIds.includes(user.unitId))
    return { ...user, unitId: user.unitId };
  throw denied('forbidden_instruction_feedback', '只有该任务的责任单位可以反馈批示落实情况', { role: user.role, unitId: user.unitId });
}
