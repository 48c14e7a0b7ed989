import { actorLabel, type Actor } from '../../domain/actor.ts';
import type { AnswerConflictDetails, AnswerView, CollectiveAnswersView, SubmissionState, TodoView } from '../../domain/api/round-view.ts';
import { conflict, invalid, isDomainError, notFound } from '../../domain/errors.ts';
import { AnswerLimits, PROGRESS_STATUSES, type ProgressStatus } from '../../domain/limits.ts';
import { stripControlCharacters } from '../../domain/text.ts';
import type { NotedWrite } from '../db/commit-log.ts';
import type { Database } from '../db/database.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { earlierTextOf, type AnswerRecord } from '../db/repositories/round-work.repository.ts';
import { inGroupTransaction, inReadTransaction } from '../db/transaction.ts';
import { assertCanAnswerForCollective, assertCanReadUnit, assertCanWriteUnit, isOffice } from '../policies/round.policy.ts';
import { presentAttachment } from '../presenters/attachment.presenter.ts';
import { presentAnswer, presentReview, presentRound, presentSubmission } from '../presenters/round.presenter.ts';
import { ReadCache } from './read-cache.ts';
import { audit, requireRound } from './round.service.ts';
import { displayNameOf } from './people.ts';
import { groupBy } from '../../domain/group-by.ts';

export interface AnswerInput {
  text: string;
  status: ProgressStatus | null;
  reason: string | null;
  /** The version the user's text is based on: 0 for a first answer. Missing = stale. */
  version: number | null;
  /**
   * 沿用上轮: the text was started from last round's (the to-do's `previousText`). Recorded once,
   * with the round it came from; every later save records whether the text is still exactly that.
   */
  copiedFromPrevious?: boolean | undefined;
}

/** To-do lists kept between writes: a round's units, several rounds over (about 20 KiB each). */
const TODO_LISTS_KEPT = 1_000;

/** States in which the unit may still change its answers (the returned-table import checks them too). */
export const EDITABLE: readonly SubmissionState[] = ['not_started', 'draft', 'returned'];

/**
 * Review per answer: in a returned unit only the answers that came back open again. Says why this
 * stored answer stays closed ('accepted', or 'not_returned'), or null when it may change. The save,
 * the returned table and evidence files all ask here.
 */
export function answerLock(submission: { state: string } | undefined, stored: { review_state: string | null } | undefined): 'accepted' | 'not_returned' | null {
  if (submission?.state !== 'returned' || !stored || stored.review_state === 'returned') return null;
  return stored.review_state === 'accepted' ? 'accepted' : 'not_returned';
}

/**
 * A unit's answers in a round: its to-do list (with last round's text beside each box) and
 * saving drafts as the reporter types. Every save names the version it started from; a save
 * from a stale or missing version is refused with 409 carrying both texts, so nothing typed
 * is ever silently overwritten or lost.
 */
export function createAnswerService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))();
  // Lists do not depend on who reads them (the policy decides who may) nor on the clock.
  // A draft save is applied to its unit's kept list and leaves other units' lists as they were,
  // unless they lead the task (decision 046).
  const todoLists = new ReadCache<string, TodoView>(database, TODO_LISTS_KEPT, { carry: carryTodoList });

  function readTodo(roundId: number, unitId: number): Promise<TodoView> {
    return inReadTransaction(database, async (repositories) => {
      const round = await requireRound(repositories, roundId);
      const submission = await repositories.roundWork.findSubmission(roundId, unitId);
      if (!submission) throw notFound('unit_not_in_round', `该单位在本轮调度中没有任务`, { roundId, unitId });
      const tasks = await repositories.roundWork.listUnitTasksOfRound(roundId, unitId);
      const previousId = await repositories.rounds.findPreviousRoundId(round);
      const [answers, previousAnswers, leaders, units, attachments] = await Promise.all([
        repositories.roundWork.listAnswersOnUnitTasks(roundId, unitId),
        previousId === undefined ? Promise.resolve([]) : repositories.roundWork.listEarlierTextsOnUnitTasks(previousId, roundId, unitId),
        repositories.roundWork.listLeadersOnUnitTasks(roundId, unitId),
        // Co-units are shown only on tasks the unit leads.
        repositories.roundWork.listUnitsOfLedTasks(roundId, unitId),
        repositories.attachments.listOfUnitInRound(roundId, unitId),
      ]);
      const attachmentsOf = groupBy(attachments, (a) => a.task_id);
      const stateOf = new Map(units.map((u) => [u.unitId, (u.state ?? 'not_started') as SubmissionState]));
      const answerOf = new Map(answers.map((a) => [`${a.task_id}/${a.unit_id}`, a]));
      const leadersOf = groupBy(leaders, (l) => l.taskId);
      const unitsOf = groupBy(units, (u) => u.taskId);
      const previousOf = groupBy(previousAnswers, (a) => a.task_id);
      const coUnitPlaces = new Map<string, (readonly [number, number])[]>();
      const items = tasks.map((task, at) => {
        const own = answerOf.get(`${task.taskId}/${unitId}`);
        const before = previousOf.get(task.taskId) ?? [];
        // Last round's text: the unit's own; for the lead unit, text the document did not attribute.
        const previousText = earlierTextOf(before, unitId, task.role);
        const coUnitAnswers =
          task.role === 'lead'
            ? (unitsOf.get(task.taskId) ?? [])
                .filter((u) => u.unitId !== unitId)
                .map((u, place) => {
                  const key = `${task.taskId}/${u.unitId}`;
                  const answer = answerOf.get(key);
                  coUnitPlaces.set(key, [...(coUnitPlaces.get(key) ?? []), [at, place]]);
                  return {
                    unitName: u.unitName,
                    text: answer?.text ?? '',
                    status: (answer?.status as ProgressStatus | null | undefined) ?? null,
                    state: stateOf.get(u.unitId) ?? 'not_started',
                  };
                })
            : [];
        return {
          task: todoTaskOf(task, leadersOf),
          answer: presentAnswer(task.taskId, unitId, own),
          previousText,
          attachments: (attachmentsOf.get(task.taskId) ?? []).map(presentAttachment),
          coUnitAnswers,
          review: presentReview(own),
        };
      });
      const list: TodoView = {
        round: presentRound(round, await repositories.rounds.countTasksOfRound(roundId)),
        unit: { id: unitId, name: submission.unit_name },
        submission: presentSubmission(submission),
        items,
      };
      coUnitPlacesOf.set(list, coUnitPlaces);
      return list;
    });
  }

  /**
   * What the office writes for a collective unit it answers itself: the unit's tasks in the round
   * with the office's answers and last round's text; no submission, no review, no attachments.
   */
  function readCollective(actor: Actor, roundId: number, unitId: number): Promise<CollectiveAnswersView> {
    return inReadTransaction(database, async (repositories) => {
      const round = await requireRound(repositories, roundId);
      const unit = await repositories.roundWork.findUnit(unitId);
      assertCanAnswerForCollective(actor, unit, await repositories.roundWork.listMembersAnsweringFor(roundId, unitId), '填写集体单位的推进情况');
      const tasks = await repositories.roundWork.listUnitTasksOfRound(roundId, unitId);
      if (tasks.length === 0) throw notFound('unit_not_in_round', '该单位在本轮调度中没有任务', { roundId, unitId });
      const previousId = await repositories.rounds.findPreviousRoundId(round);
      const [answers, previousAnswers, leaders] = await Promise.all([
        repositories.roundWork.listAnswersOnUnitTasks(roundId, unitId),
        previousId === undefined ? Promise.resolve([]) : repositories.roundWork.listEarlierTextsOnUnitTasks(previousId, roundId, unitId),
        repositories.roundWork.listLeadersOnUnitTasks(roundId, unitId),
      ]);
      const own = new Map(answers.filter((a) => a.unit_id === unitId).map((a) => [a.task_id, a]));
      const leadersOf = groupBy(leaders, (l) => l.taskId);
      const previousOf = groupBy(previousAnswers, (a) => a.task_id);
      return {
        round: presentRound(round, await repositories.rounds.countTasksOfRound(roundId)),
        unit: { id: unitId, name: unit!.name },
        items: tasks.map((task) => ({
          task: todoTaskOf(task, leadersOf),
          answer: presentAnswer(task.taskId, unitId, own.get(task.taskId)),
          previousText: earlierTextOf(previousOf.get(task.taskId) ?? [], unitId, task.role),
          attachments: [],
          coUnitAnswers: [],
          review: presentReview(undefined),
        })),
      };
    });
  }

  return {
    /** The unit's to-do list; the same frozen object for every read until anything is written. */
    async todo(actor: Actor, roundId: number, unitId: number): Promise<TodoView> {
      assertCanReadUnit(actor, unitId, '查看填报任务');
      return todoLists.get(`${roundId}/${unitId}`, () => readTodo(roundId, unitId));
    },

    /** How the kept to-do lists answered so far (hits, of which carried across commits; misses): for benchmarks and tests. */
    todoListStats: () => todoLists.stats(),

    /** A collective unit the office answers itself (各处(室) …): its tasks and the office's answers. */
    async collectiveAnswers(actor: Actor, roundId: number, unitId: number): Promise<CollectiveAnswersView> {
      return readCollective(actor, roundId, unitId);
    },

    async saveAnswer(actor: Actor, roundId: number, taskId: number, unitId: number, input: AnswerInput): Promise<AnswerView> {
      // The office writes only for a collective unit it answers itself (checked on the unit below).
      const writer = isOffice(actor) ? actor : assertCanWriteUnit(actor, unitId, '填报推进情况');
      const forCollective = writer.role === 'office';
      const text = stripControlCharacters(input.text).replace(/\r\n?/g, '\n');
      const reason = input.reason === null ? null : stripControlCharacters(input.reason).trim() || null;
      if (text.length > AnswerLimits.text.max)
        throw invalid('answer_too_long', `推进情况不能超过 ${AnswerLimits.text.max} 字（现为 ${text.length} 字）`, {
          field: 'text',
          max: AnswerLimits.text.max,
        });
      if (reason !== null && reason.length > AnswerLimits.reason.max)
        throw invalid('reason_too_long', `原因不能超过 ${AnswerLimits.reason.max} 字`, { field: 'reason', max: AnswerLimits.reason.max });
      if (input.status !== null && !PROGRESS_STATUSES.includes(input.status))
        throw invalid('status_invalid', `未知状态 ${String(input.status)}`, { field: 'status' });
      const yours = { text, status: input.status, reason, version: input.version };
      const at = now().toISOString();

      try {
        // Drafts arrive many at once near a deadline: concurrent saves share one commit (each
        // in its own savepoint, each answered only after the commit; db/transaction.ts).
        return await inGroupTransaction(database, async (repositories, note) => {
          const context = await repositories.roundWork.findSaveContext(roundId, taskId, unitId);
          if (!context) throw notFound('round_not_found', `调度轮次 ${roundId} 不存在`, { roundId });
          const { round, submission, answer: stored } = context;
          if (forCollective)
            assertCanAnswerForCollective(
              actor,
              await repositories.roundWork.findUnit(unitId),
              await repositories.roundWork.listMembersAnsweringFor(roundId, unitId),
              '填报推进情况',
            );
          if (round.status !== 'open') throw conflict('round_not_open', `调度轮次“${round.label}”已结束或不接受填报，您的文字未保存，请复制留存`, { yours });
          // A collective unit has no submission: the office's answer is neither submitted nor reviewed.
          if (!context.assigned || (!submission && !forCollective))
            throw conflict('task_not_assigned', '该任务已不在本单位本轮的填报范围内（可能已被调整），您的文字未保存，请复制留存', { yours });
          if (submission && !EDITABLE.includes(submission.state as SubmissionState))
            throw conflict('answers_locked', `本单位的填报已${submission.state === 'accepted' ? '通过' : '提交'}，如需修改请联系办公室退回`, {
              yours,
              state: submission.state,
            });

          // A returned unit edits only the answers that came back; accepted (or head-approved) ones stay as they are.
          const lock = answerLock(submission, stored);
          if (lock)
            throw conflict('answer_locked', lock === 'accepted' ? '该项已被采纳，不能修改' : '该项未被退回，不能修改；只能修改被退回的项', {
              yours,
              reviewState: stored!.review_state,
            });
          const storedVersion = stored?.version ?? 0;
          if (input.version === null || input.version !== storedVersion) throw staleAnswer(taskId, unitId, stored, yours);

          const copy = await copyOf(repositories, { roundId, planId: round.plan_id, taskId, unitId }, stored, input.copiedFromPrevious === true, text);
          const change = { text, status: input.status, reason, updatedBy: actorLabel(writer), now: at, ...copy };
          const saved = stored
            ? await repositories.roundWork.updateAnswer(stored, change)
            : await repositories.roundWork.insertAnswer({ roundId, taskId, unitId, ...change });
          if (!saved) throw staleAnswer(taskId, unitId, await repositories.roundWork.findAnswer(roundId, taskId, unitId), yours);
          const written: NotedWrite[] = [{ table: 'progress_entries', roundId, taskId, unitId, answer: saved }];
          if (submission?.state === 'not_started') {
            await repositories.roundWork.transitionSubmission(submission.id, submission.version, { state: 'draft', updated_at: at });
            written.push({ table: 'unit_submissions', roundId, unitId });
          }
          await audit(repositories, actor, at, {
            action: 'answer.save',
            objectType: 'answer',
            objectId: `${roundId}/${taskId}/${unitId}`,
            detail: {
              version: storedVersion + 1,
              status: input.status,
              length: text.length,
              ...(forCollective ? { collective: true } : {}),
              ...(copy.copiedFromRoundId === null ? {} : { copiedFromRoundId: copy.copiedFromRoundId, copiedUnchanged: copy.copiedUnchanged === 1 }),
            },
          });
          // Every row written above that a to-do list shows (the audit row is never kept).
          note(written);
          return presentAnswer(taskId, unitId, saved);
        });
      } catch (error) {
        // Two first saves raced to insert the same answer: the loser is stale like any other.
        const refusal = isUniqueViolation(error)
          ? staleAnswer(taskId, unitId, await inReadTransaction(database, (repositories) => repositories.roundWork.findAnswer(roundId, taskId, unitId)), yours)
          : error;
        // The person who saved the other version is named as people know them (张敏), not by login.
        if (isDomainError(refusal) && refusal.code === 'answer_stale') {
          const stored = (refusal.details as unknown as AnswerConflictDetails).stored;
          if (stored.updatedBy) stored.updatedBy = await inReadTransaction(database, (repositories) => displayNameOf(repositories, stored.updatedBy!));
        }
        throw refusal;
      }
    },
  };
}

/**
 * 沿用上轮 on a save: an answer already copied stays copied from the same round; a save that says
 * it starts from last round's text records that round (refused when there is none to copy). Only
 * copied answers read last round's text again, to record whether the saved text is still exactly
 * it: every other save costs nothing more.
 */
async function copyOf(
  repositories: Repositories,
  place: { roundId: number; planId: number; taskId: number; unitId: number },
  stored: AnswerRecord | undefined,
  copying: boolean,
  text: string,
): Promise<{ copiedFromRoundId: number | null; copiedUnchanged: number | null }> {
  let from = stored?.copied_from_round_id ?? null;
  if (from === null && copying) {
    const previousId = await repositories.rounds.findPreviousRoundId({ id: place.roundId, plan_id: place.planId });
    if (previousId === undefined) throw invalid('nothing_to_copy', '上一轮没有可沿用的推进情况', { field: 'copiedFromPrevious' });
    from = previousId;
  }
  if (from === null) return { copiedFromRoundId: null, copiedUnchanged: null };
  const earlier = await repositories.roundWork.findEarlierTextOfTask(from, place.taskId, place.unitId);
  if (earlier === null && stored?.copied_from_round_id == null) throw invalid('nothing_to_copy', '上一轮没有可沿用的推进情况', { field: 'copiedFromPrevious' });
  const same = earlier !== null && stripControlCharacters(earlier).replace(/\r\n?/g, '\n').trim() === text.trim();
  return { copiedFromRoundId: from, copiedUnchanged: same ? 1 : 0 };
}

/**
 * A kept to-do list after a write (ReadCache's `carry`): the list itself where the write does not
 * show; the list with the new answer where it is its own unit's, or a co-unit's on a task the
 * list's unit leads (at deadline hour co-units save all the time, and each save used to send the
 * lead units to the database again); null (read again) otherwise. A
 * list shows its own unit's answers and submission, and on the tasks its unit leads, every
 * co-unit's answer and submission state; a list of another round may show this round's text as
 * last round's. Anything doubtful reads again.
 */
function carryTodoList(write: NotedWrite, list: TodoView): TodoView | null {
  // A submission's state shows on the lists of the units leading its tasks: not worth finding which.
  if (list.round.id !== write.roundId || write.table !== 'progress_entries') return null;
  const places = coUnitPlacesOf.get(list);
  if (!places) return null;
  let carried: TodoView;
  if (list.unit.id === write.unitId) {
    // Every item of the task: a plan may name a unit on a task twice (a diaodu.plan/1 file did).
    if (!list.items.some((item) => item.task.id === write.taskId)) return null;
    const answer = presentAnswer(write.taskId, write.unitId, write.answer);
    const review = presentReview(write.answer);
    carried = { ...list, items: list.items.map((item) => (item.task.id === write.taskId ? { ...item, answer, review } : item)) };
  } else {
    // A co-unit's answer shows on the lists of the units leading the task, in every place the unit
    // is named there; any other list shows nothing of it.
    const at = places.get(`${write.taskId}/${write.unitId}`);
    if (!at) return ledTasksOf(list).has(write.taskId) ? null : list;
    const items = list.items.slice();
    const status = (write.answer.status as ProgressStatus | null) ?? null;
    for (const [item, place] of at) {
      const coUnitAnswers = items[item]!.coUnitAnswers.slice();
      coUnitAnswers[place] = { ...coUnitAnswers[place]!, text: write.answer.text, status };
      items[item] = { ...items[item]!, coUnitAnswers };
    }
    carried = { ...list, items };
  }
  // The items keep their places, so the carried list's co-unit answers stand where they stood.
  coUnitPlacesOf.set(carried, places);
  return carried;
}

/** Where each co-unit answer stands on a lead unit's list: `taskId/unitId` → each [item, place among its co-units]. */
type CoUnitPlaces = ReadonlyMap<string, readonly (readonly [number, number])[]>;

/** Filled by the read and carried with each list; a list without it (none should be) is read again. */
const coUnitPlacesOf = new WeakMap<TodoView, CoUnitPlaces>();

const ledTasks = new WeakMap<TodoView, ReadonlySet<number>>();

function ledTasksOf(list: TodoView): ReadonlySet<number> {
  let led = ledTasks.get(list);
  if (!led) {
    led = new Set(list.items.filter((item) => item.task.role === 'lead').map((item) => item.task.id));
    ledTasks.set(list, led);
  }
  return led;
}

/** A task as the to-do and the collective answers page list it: its place, its leaders, the unit's role on it. */
function todoTaskOf(
  task: { taskId: number; text: string; due?: string | null; chapterNumber: number; sectionNumber: number; role: TodoView['items'][number]['task']['role'] },
  leadersOf: ReadonlyMap<number, readonly { name: string }[]>,
): TodoView['items'][number]['task'] {
  return {
    id: task.taskId,
    text: task.text,
    due: task.due ?? null,
    chapterNumber: task.chapterNumber,
    sectionNumber: task.sectionNumber,
    leaders: (leadersOf.get(task.taskId) ?? []).map((l) => l.name),
    role: task.role,
  };
}

function staleAnswer(taskId: number, unitId: number, stored: Parameters<typeof presentAnswer>[2], yours: AnswerConflictDetails['yours']) {
  const details: AnswerConflictDetails = { stored: presentAnswer(taskId, unitId, stored), yours };
  return conflict(
    'answer_stale',
    yours.version === null
      ? '保存请求缺少版本号，未保存；请对照服务器上的版本后重新保存'
      : '该条推进情况已被他人修改，您的文字未覆盖对方的修改；请对照两个版本合并后再保存',
    details as unknown as Record<string, unknown>,
  );
}

export type AnswerService = ReturnType<typeof createAnswerService>;
