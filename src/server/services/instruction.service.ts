import type { AuditAction } from '../../domain/audit-vocabulary.ts';
import type { Actor } from '../../domain/actor.ts';
import type { InstructionFeedbackView, InstructionWithFeedbackView } from '../../domain/api/instruction-view.ts';
import type { InstructionView } from '../../domain/api/plan-view.ts';
import { invalid, notFound } from '../../domain/errors.ts';
import { InstructionLimits } from '../../domain/limits.ts';
import { taskLabel } from '../../domain/notification-kinds.ts';
import { stripControlCharacters } from '../../domain/text.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { deliverIn, shortTitle, type DeliveryDeps } from '../delivery/deliver.ts';
import { audit } from './audit-writer.ts';
import { assertCanAnswerInstruction } from '../policies/instruction.policy.ts';
import { assertCanReadPlans, assertCanWriteInstruction } from '../policies/plan.policy.ts';
import { assertCanReadUnit } from '../policies/round.policy.ts';
import { presentFeedback, presentInstructionsWithFeedback } from '../presenters/instruction.presenter.ts';
import { presentInstruction } from '../presenters/plan.presenter.ts';

export type InstructionInput = { text: string; roundId?: number | null | undefined };
export type FeedbackInput = { text: string };

/** Through the one audit writer (decision 037). */
async function appendAudit(repositories: Repositories, actor: Actor, at: string, action: AuditAction, taskId: number, detail: Record<string, unknown>) {
  await audit(repositories, actor, at, { action, objectType: 'task', objectId: taskId, result: 'ok', detail });
}

/**
 * Leaders' instructions (批示) on tasks: a leader writes one, optionally about one round of
 * the task's plan; every business role reads them on the task page, and each responsible unit
 * of the task is told and sees it on its to-do list beside the task. A unit answers with its
 * 落实反馈, and the leader is told. Neither an instruction nor its feedback is ever edited or
 * deleted: what was written stays as written.
 */
export function createInstructionService(deps: { database: Database; now?: () => Date; delivery?: DeliveryDeps }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  async function createInstruction(actor: Actor, taskId: number, input: InstructionInput): Promise<InstructionView> {
    const leader = assertCanWriteInstruction(actor);
    const text = cleanText(input.text, 'text', InstructionLimits.text.max, '批示');
    const roundId = input.roundId ?? null;
    return inTransaction(database, async (repositories) => {
      const task = await repositories.planViews.findTaskPlace(taskId);
      if (!task) throw notFound('task_not_found', `任务 ${taskId} 不存在`, { taskId });
      const rounds = await repositories.planViews.listRoundsOfPlans([task.planId]);
      if (roundId !== null && !rounds.some((round) => round.id === roundId))
        throw invalid('instruction_round_invalid', `调度轮次 ${roundId} 不属于该任务所在的分工方案`, { field: 'roundId', roundId, taskId });
      const at = now();
      const row = await repositories.instructions.insertInstruction({ taskId, roundId, authorUserId: leader.userId, authorName: leader.name, text, now: at });
      // Each responsible unit is told; the link goes to the round named, else the task's latest open round.
      const units = await repositories.instructions.listUnitsOfTask(taskId);
      const linkRound = roundId ?? (await repositories.instructions.findLatestOpenRoundOfTask(taskId)) ?? null;
      const message = `${leader.name}对${taskLabel(task.text)}作出批示，请查看并反馈落实情况。`;
      for (const unit of units)
        await repositories.roundWork.insertNotification({
          unitId: unit.unitId,
          userId: null,
          roundId: linkRound,
          taskId,
          kind: 'instruction',
          message,
          now: at,
        });
      const event = { kind: 'instruction' as const, taskId, taskTitle: shortTitle(task.text), leaderName: leader.name, text };
      await deliverIn(
        repositories,
        deps.delivery ?? {},
        { occasion: `instruction:${row.id}`, roundId: linkRound, to: units.map((unit) => ({ recipient: { unitId: unit.unitId }, event })) },
        new Date(at),
      );
      await appendAudit(repositories, actor, at, 'instruction.create', taskId, {
        instructionId: row.id,
        roundId,
        planId: task.planId,
        characters: [...text].length,
        notifiedUnits: units.map((unit) => unit.unitId),
      });
      return presentInstruction(row);
    });
  }

  /** A task's instructions with the units' feedback, oldest first. */
  async function listInstructions(actor: Actor, taskId: number): Promise<InstructionWithFeedbackView[]> {
    assertCanReadPlans(actor);
    return inReadTransaction(database, async (repositories) => {
      if (!(await repositories.planViews.findTaskPlace(taskId))) throw notFound('task_not_found', `任务 ${taskId} 不存在`, { taskId });
      const instructions = await repositories.instructions.listInstructionsOfTask(taskId);
      return presentInstructionsWithFeedback(instructions, await repositories.instructions.listFeedbackOf(instructions.map((row) => row.id)));
    });
  }

  /** The instructions on a unit's tasks of a round, with feedback: shown on its to-do list beside each task. */
  async function listForUnit(actor: Actor, roundId: number, unitId: number): Promise<InstructionWithFeedbackView[]> {
    assertCanReadUnit(actor, unitId, '查看批示');
    return inReadTransaction(database, async (repositories) => {
      if (!(await repositories.rounds.findRound(roundId))) throw notFound('round_not_found', `调度轮次 ${roundId} 不存在`, { roundId });
      const taskIds = await repositories.instructions.listTaskIdsOfUnitInRound(roundId, unitId);
      const instructions = await repositories.instructions.listInstructionsOfTasks(taskIds);
      return presentInstructionsWithFeedback(instructions, await repositories.instructions.listFeedbackOf(instructions.map((row) => row.id)));
    });
  }

  /** A unit of the task answers an instruction with its 落实反馈; audited, and the leader who wrote it is told. */
  async function addFeedback(actor: Actor, instructionId: number, input: FeedbackInput): Promise<InstructionFeedbackView> {
    const text = cleanText(input.text, 'text', InstructionLimits.feedback.max, '落实反馈');
    return inTransaction(database, async (repositories) => {
      const instruction = await repositories.instructions.findInstruction(instructionId);
      if (!instruction) throw notFound('instruction_not_found', '该批示不存在', { instructionId });
      const units = await repositories.instructions.listUnitsOfTask(instruction.task_id);
      const writer = assertCanAnswerInstruction(
        actor,
        units.map((unit) => unit.unitId),
      );
      const task = (await repositories.planViews.findTaskPlace(instruction.task_id))!;
      const at = now();
      const row = await repositories.instructions.insertFeedback({
        instructionId,
        unitId: writer.unitId,
        authorUserId: writer.userId,
        authorName: writer.name,
        text,
        now: at,
      });
      if (instruction.author_user_id !== null)
        await repositories.roundWork.insertNotification({
          unitId: null,
          userId: instruction.author_user_id,
          roundId: instruction.round_id,
          taskId: instruction.task_id,
          kind: 'instruction_feedback',
          message: `${row.unit_name}对${taskLabel(task.text)}的批示反馈了落实情况（${writer.name}）。`,
          now: at,
        });
      await appendAudit(repositories, actor, at, 'instruction.feedback', instruction.task_id, {
        instructionId,
        feedbackId: row.id,
        unitId: writer.unitId,
        characters: [...text].length,
      });
      return presentFeedback(row);
    });
  }

  return { createInstruction, listInstructions, listForUnit, addFeedback };
}

export type InstructionService = ReturnType<typeof createInstructionService>;

/** Control characters from a Word paste go; the text must not be empty or over the limit (422). */
function cleanText(raw: string, field: string, max: number, what: '批示' | '落实反馈'): string {
  const text = stripControlCharacters(raw).trim();
  const code = what === '批示' ? 'instruction' : 'instruction_feedback';
  if (text === '') throw invalid(`${code}_empty`, `${what}内容不能为空`, { field });
  if (text.length > max) throw invalid(`${code}_too_long`, `${what}不能超过 ${max} 个字符`, { field, max });
  return text;
}
