import type { Actor } from '../../domain/actor.ts';
import type { ExplanationView } from '../../domain/api/insight-view.ts';
import { conflict, invalid, notFound } from '../../domain/errors.ts';
import type { FindingKind } from '../../domain/insights/types.ts';
import { ExplanationLimits } from '../../domain/limits.ts';
import { taskLabel } from '../../domain/notification-kinds.ts';
import { stripControlCharacters } from '../../domain/text.ts';
import type { Database } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { ExplanationRecord } from '../db/repositories/explanation.repository.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import {
  assertCanReadRoundExplanations,
  assertCanReadUnitExplanations,
  assertCanReplyExplanation,
  assertCanRequestExplanation,
} from '../policies/explanation.policy.ts';
import { presentExplanation } from '../presenters/explanation.presenter.ts';
import { audit, requireRound } from './round.service.ts';
import { groupBy } from '../../domain/group-by.ts';

export type ExplanationRequestInput = { taskId: number; unitId: number; kind: FindingKind; message: string };
export type ExplanationReplyInput = { reply: string };

/** What each finding kind is called in a message to the unit. */
export const EXPLANATION_KIND_WORDS: Record<FindingKind, string> = {
  arithmetic: '数据核算不一致',
  indicator: '指标进度滞后',
  stale: '与上轮填报基本相同',
  duplicate: '与其他任务填报雷同',
  no_new_facts: '填报缺少具体进展',
  silent_unit: '未报送推进情况',
};

/**
 * 请说明 (issue 15): "a red verdict asks the unit for an explanation". The office asks a unit of a
 * task (listed on it, or answering it for a collective unit) about one kind of finding in a round;
 * the unit is told and replies; the office is told of the reply. One open request per round, task,
 * unit and kind; the reply may be edited while the round is open. Every change is audited.
 */
export function createExplanationService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  return {
    async request(actor: Actor, roundId: number, input: ExplanationRequestInput): Promise<ExplanationView> {
      const office = assertCanRequestExplanation(actor);
      const message = cleanText(input.message, 'message', ExplanationLimits.message.max, '说明要求');
      try {
        return await inTransaction(database, async (repositories) => {
          const round = await requireRound(repositories, roundId);
          if (round.status === 'void') throw conflict('round_void', `调度轮次“${round.label}”已作废`, { roundId });
          const key = { roundId, taskId: input.taskId, unitId: input.unitId, kind: input.kind };
          const unit = await repositories.explanations.findUnit(input.unitId);
          // 各处(室), 直属单位 …: nobody logs in for a collective name, so nobody could reply.
          if (unit && unit.collective === 1)
            throw invalid('explanation_unit_collective', `“${unit.name}”是集体名称，没有人可以代其说明，请选择具体单位`, { field: 'unitId', ...key });
          if (!(await repositories.explanations.isAsked(roundId, input.taskId, input.unitId)))
            throw invalid('explanation_unit_not_asked', '该单位在本轮调度中不负责这项任务，不能要求其说明', { field: 'unitId', ...key });
          if (await repositories.explanations.findOpen(key)) throw alreadyOpen(key);
          const at = now();
          const id = await repositories.explanations.insert({ ...key, message, requestedBy: office.name, requestedByUserId: office.userId, now: at });
          const row = (await repositories.explanations.find(id))!;
          await repositories.roundWork.insertNotification({
            unitId: input.unitId,
            userId: null,
            roundId,
            taskId: input.taskId,
            kind: 'explanation_requested',
            message: `办公室请你单位就“${round.label}”${taskLabel(row.task_text)}${EXPLANATION_KIND_WORDS[input.kind]}作出说明：${message}`,
            now: at,
          });
          await audit(repositories, actor, at, {
            action: 'explanation.request',
            objectType: 'explanation',
            objectId: id,
            detail: { ...key, characters: [...message].length },
          });
          return present(repositories, row);
        });
      } catch (error) {
        // Two clicks at once: the index holds one open request; the second is told so.
        if (isUniqueViolation(error)) throw alreadyOpen({ roundId, taskId: input.taskId, unitId: input.unitId, kind: input.kind });
        throw error;
      }
    },

    /** The unit replies; again edits the reply while the round is open. */
    async reply(actor: Actor, explanationId: number, input: ExplanationReplyInput): Promise<ExplanationView> {
      const text = cleanText(input.reply, 'reply', ExplanationLimits.reply.max, '说明');
      return inTransaction(database, async (repositories) => {
        const row = await repositories.explanations.find(explanationId);
        if (!row) throw notFound('explanation_not_found', '该说明要求不存在', { explanationId });
        const writer = assertCanReplyExplanation(actor, row.unit_id);
        const edited = row.reply !== null;
        if (edited && row.round_status !== 'open')
          throw conflict('explanation_round_closed', `调度轮次“${row.round_label}”已结束，已作出的说明不能再修改`, { explanationId, roundId: row.round_id });
        const at = now();
        await repositories.explanations.setReply(explanationId, { text, by: writer.name, byUserId: writer.userId, now: at });
        await repositories.roundWork.insertNotification({
          unitId: row.unit_id,
          userId: null,
          roundId: row.round_id,
          taskId: row.task_id,
          kind: 'explanation_replied',
          message: `${row.unit_name}${edited ? '修改了' : '已'}就“${row.round_label}”${taskLabel(row.task_text)}作出说明（${writer.name}）。`,
          now: at,
        });
        await audit(repositories, actor, at, {
          action: 'explanation.reply',
          objectType: 'explanation',
          objectId: explanationId,
          detail: { roundId: row.round_id, taskId: row.task_id, unitId: row.unit_id, kind: row.kind, edited, characters: [...text].length },
        });
        return present(repositories, (await repositories.explanations.find(explanationId))!);
      });
    },

    /** A unit's requests, newest first: what its to-do list shows. */
    async listForUnit(actor: Actor, unitId: number): Promise<ExplanationView[]> {
      assertCanReadUnitExplanations(actor, unitId);
      return inReadTransaction(database, async (repositories) => {
        if (!(await repositories.explanations.unitExists(unitId))) throw notFound('unit_not_found', `单位 ${unitId} 不存在`, { unitId });
        return presentAll(repositories, await repositories.explanations.listOfUnit(unitId, ExplanationLimits.list.max));
      });
    },

    /** Every request of a round, answered or not, by task in plan order. */
    async listForRound(actor: Actor, roundId: number): Promise<ExplanationView[]> {
      assertCanReadRoundExplanations(actor);
      return inReadTransaction(database, async (repositories) => {
        await requireRound(repositories, roundId);
        return explanationsIn(repositories, roundId);
      });
    },
  };
}

export type ExplanationService = ReturnType<typeof createExplanationService>;

/** A round's requests inside the caller's transaction, after its policy check. */
export async function explanationsIn(repositories: Repositories, roundId: number): Promise<ExplanationView[]> {
  return presentAll(repositories, await repositories.explanations.listOfRound(roundId));
}

/** The open ones (no reply yet): RoundInsightsView.explanations. */
export async function openExplanationsIn(repositories: Repositories, roundId: number): Promise<ExplanationView[]> {
  return (await explanationsIn(repositories, roundId)).filter((view) => view.reply === null);
}

async function present(repositories: Repositories, row: ExplanationRecord): Promise<ExplanationView> {
  return (await presentAll(repositories, [row]))[0]!;
}

/** Views of rows from any rounds: each task's place among its round's tasks of its section. */
async function presentAll(repositories: Repositories, rows: readonly ExplanationRecord[]): Promise<ExplanationView[]> {
  const byRound = groupBy(
    rows,
    (row) => row.round_id,
    (row) => row.section_id,
  );
  const indexes = new Map<number, Map<number, number>>();
  for (const [roundId, sections] of byRound) indexes.set(roundId, await repositories.explanations.sectionIndexes(roundId, sections));
  return rows.map((row) => presentExplanation(row, indexes.get(row.round_id)?.get(row.task_id)));
}

function alreadyOpen(key: { roundId: number; taskId: number; unitId: number; kind: FindingKind }) {
  return conflict('explanation_open', '已要求该单位就这一情况作出说明，尚未答复，不能重复要求', key);
}

/** Control characters from a Word paste go; the text must not be empty or over the limit (422). */
function cleanText(raw: string, field: string, max: number, what: string): string {
  const text = stripControlCharacters(raw).trim();
  if (text === '') throw invalid(`${field === 'reply' ? 'explanation_reply' : 'explanation_message'}_empty`, `${what}不能为空`, { field });
  if ([...text].length > max)
    throw invalid(`${field === 'reply' ? 'explanation_reply' : 'explanation_message'}_too_long`, `${what}不能超过 ${max} 个字`, { field, max });
  return text;
}
