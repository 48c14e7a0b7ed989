import type { AuditAction } from '../../domain/audit-vocabulary.ts';
import type { Actor } from '../../domain/actor.ts';
import { clientIpOf } from '../../domain/actor.ts';
import type { InstructionView } from '../../domain/api/plan-view.ts';
import { invalid, notFound } from '../../domain/errors.ts';
import { InstructionLimits } from '../../domain/limits.ts';
import { stripControlCharacters } from '../../domain/text.ts';
import type { Database } from '../db/database.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { assertCanReadPlans, assertCanWriteInstruction } from '../policies/plan.policy.ts';
import { presentInstruction } from '../presenters/plan.presenter.ts';

export type InstructionInput = { text: string; roundId?: number | null | undefined };

const AUDIT_ACTION: AuditAction = 'instruction.create';

/**
 * Leaders' instructions (批示) on tasks: a leader writes one, optionally about one round of
 * the task's plan; every business role reads them on the task page. An instruction is never
 * edited or deleted: what a leader wrote stays as written.
 */
export function createInstructionService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  async function createInstruction(actor: Actor, taskId: number, input: InstructionInput): Promise<InstructionView> {
    const leader = assertCanWriteInstruction(actor);
    const text = cleanInstructionText(input.text);
    const roundId = input.roundId ?? null;
    return inTransaction(database, async (repositories) => {
      const task = await repositories.planViews.findTaskPlace(taskId);
      if (!task) throw notFound('task_not_found', `任务 ${taskId} 不存在`, { taskId });
      if (roundId !== null) {
        const rounds = await repositories.planViews.listRoundsOfPlans([task.planId]);
        if (!rounds.some((round) => round.id === roundId))
          throw invalid('instruction_round_invalid', `调度轮次 ${roundId} 不属于该任务所在的分工方案 (the round is not of this task's plan)`, {
            field: 'roundId',
            roundId,
            taskId,
          });
      }
      const at = now();
      const row = await repositories.instructions.insertInstruction({ taskId, roundId, authorUserId: leader.userId, authorName: leader.name, text, now: at });
      await repositories.audit.appendAuditEvent({
        at,
        actor_kind: actor.kind,
        actor_name: actor.name,
        user_id: actor.userId,
        ip: clientIpOf(actor),
        action: AUDIT_ACTION,
        object_type: 'task',
        object_id: String(taskId),
        result: 'ok',
        detail: JSON.stringify({ instructionId: row.id, roundId, planId: task.planId, characters: [...text].length }),
      });
      return presentInstruction(row);
    });
  }

  /** A task's instructions, oldest first. */
  async function listInstructions(actor: Actor, taskId: number): Promise<InstructionView[]> {
    assertCanReadPlans(actor);
    return inReadTransaction(database, async (repositories) => {
      if (!(await repositories.planViews.findTaskPlace(taskId))) throw notFound('task_not_found', `任务 ${taskId} 不存在`, { taskId });
      return (await repositories.instructions.listInstructionsOfTask(taskId)).map(presentInstruction);
    });
  }

  return { createInstruction, listInstructions };
}

export type InstructionService = ReturnType<typeof createInstructionService>;

/** Control characters from a Word paste go; the text must not be empty or over the limit (422). */
function cleanInstructionText(raw: string): string {
  const text = stripControlCharacters(raw).trim();
  if (text === '') throw invalid('instruction_empty', '批示内容不能为空', { field: 'text' });
  if (text.length > InstructionLimits.text.max)
    throw invalid('instruction_too_long', `批示不能超过 ${InstructionLimits.text.max} 个字符`, {
      field: 'text',
      max: InstructionLimits.text.max,
    });
  return text;
}
