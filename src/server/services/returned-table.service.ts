import { actorLabel, type Actor } from '../../domain/actor.ts';
import type { ExpectedVersions, ReturnedChange } from '../../domain/api/returned-table-view.ts';
import type { SubmissionState } from '../../domain/api/round-view.ts';
import { conflict, invalid, notFound } from '../../domain/errors.ts';
import { AnswerLimits } from '../../domain/limits.ts';
import type { PlanDocument } from '../../domain/plan-document.ts';
import { squeezeCjkSpaces } from '../../domain/text.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { AnswerRecord, SubmissionRecord } from '../db/repositories/round-work.repository.ts';
import type { RoundRecord } from '../db/repositories/round.repository.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { readPlanDocument, type ReadPlanDocumentResult } from '../documents/read-plan-document.ts';
import { changeOf, clip, fileRows, matchRows, sameTitle, taskKey, unitTextOf, type RoundTask, type UnmatchedRow } from '../documents/returned-table-match.ts';
import { assertCanWriteUnit } from '../policies/round.policy.ts';
import { answerLock, EDITABLE } from './answer.service.ts';
import type { PlanFile } from './plan-file.service.ts';
import { loadPlanSnapshot } from './plan-snapshot.ts';
import { audit, requireRound } from './round.service.ts';

/**
 * A returned table (回传表): the round's progress table, filled in offline by a unit in Word or
 * Excel and uploaded again. Each row is matched to a task of the round, the unit's own text is
 * taken from its progress cell, and the result is compared with the unit's stored answers.
 * `preview` stores nothing; `apply` writes the changed and new texts as drafts in one
 * transaction, under the same rules as a save in the editor (decision 015). Nothing is ever
 * submitted or deleted here: the reporter reviews the drafts and submits as usual.
 */

export type ReturnedTableItemResult = {
  taskId: number;
  number: number;
  chapterNumber: number;
  sectionNumber: number;
  taskText: string;
  role: 'lead' | 'co';
  change: ReturnedChange;
  before: string;
  after: string;
  version: number;
  row: number;
  matchedBy: 'text' | 'position';
  notes: string[];
};

export type ReturnedTableResult = {
  mode: 'preview' | 'apply';
  fileName: string;
  read: ReadPlanDocumentResult;
  round: { id: number; label: string };
  unit: { id: number; name: string };
  submission: { state: SubmissionState; editable: boolean };
  rows: number;
  items: ReturnedTableItemResult[];
  unmatched: UnmatchedRow[];
  ignored: number;
  missing: { taskId: number; number: number; textHead: string }[];
  notes: string[];
  /** apply: answers written; null for a preview. */
  written: number | null;
};

export function createReturnedTableService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))();

  return {
    /** Reads the file and compares it with the stored answers; stores nothing. */
    async preview(actor: Actor, roundId: number, unitId: number, file: PlanFile): Promise<ReturnedTableResult> {
      assertCanWriteUnit(actor, unitId, '导入回传表');
      const read = readPlanDocument(file.bytes, file.fileName);
      return inReadTransaction(database, async (repositories) => {
        const state = await loadState(repositories, roundId, unitId);
        return { ...compare(state, read, file.fileName), mode: 'preview' as const, written: null };
      });
    },

    /**
     * Writes every changed and new text as the unit's draft, in one transaction: only while the
     * round is open and the unit's answers are editable, and only if no answer moved since the
     * preview (`expectedVersions`: task id → the version the preview showed). Anything refused
     * leaves every answer as it was.
     */
    async apply(actor: Actor, roundId: number, unitId: number, file: PlanFile, options: { expectedVersions: ExpectedVersions }): Promise<ReturnedTableResult> {
      const writer = assertCanWriteUnit(actor, unitId, '导入回传表');
      const read = readPlanDocument(file.bytes, file.fileName);
      const at = now().toISOString();
      return inTransaction(database, async (repositories) => {
        const state = await loadState(repositories, roundId, unitId);
        const result = compare(state, read, file.fileName);
        const { round, submission } = state;
        if (round.status !== 'open') throw conflict('round_not_open', `调度轮次“${round.label}”已结束或不接受填报，回传表未导入`, { roundId });
        if (!EDITABLE.includes(submission.state as SubmissionState))
          throw conflict(
            'submission_not_editable',
            `${submission.unit_name}在“${round.label}”的填报已${submission.state === 'accepted' ? '通过' : '提交'}，回传表未导入；如需修改请联系办公室退回`,
            { state: submission.state },
          );

        const writes = result.items.filter((item) => item.change === 'changed' || item.change === 'new');
        const stale = writes.filter((item) => options.expectedVersions[item.taskId] !== item.version);
        if (stale.length > 0) throw staleItems(stale, options.expectedVersions);
        // Review per answer (issue 12): a returned unit may change only the answers that came back.
        const locked = writes.filter((item) => answerLock(submission, state.answers.get(item.taskId)) !== null);
        if (locked.length > 0)
          throw conflict('answer_locked', `回传表中有 ${locked.length} 项已被采纳或未被退回，不能修改，回传表未导入；请只修改被退回的项`, {
            taskIds: locked.map((item) => item.taskId),
          });

        for (const item of writes) {
          const stored = state.answers.get(item.taskId);
          // The stored status and reason stay: the table carries only text.
          // A 沿用上轮 answer stays marked copied; its text was unchanged from last round's, so now it differs.
          const copiedFromRoundId = stored?.copied_from_round_id ?? null;
          const change = {
            text: item.after,
            status: stored?.status ?? null,
            reason: stored?.reason ?? null,
            updatedBy: actorLabel(writer),
            now: at,
            copiedFromRoundId,
            copiedUnchanged: copiedFromRoundId === null ? null : 0,
          };
          if (stored) {
            if (!(await repositories.roundWork.updateAnswer(stored, change))) throw staleItems([item], options.expectedVersions);
          } else {
            await repositories.roundWork.insertAnswer({ roundId, taskId: item.taskId, unitId, ...change });
          }
          await audit(repositories, actor, at, {
            action: 'answer.save',
            objectType: 'answer',
            objectId: `${roundId}/${item.taskId}/${unitId}`,
            detail: { version: item.version + 1, status: change.status, length: item.after.length, source: 'returned_table', fileName: file.fileName },
          });
        }
        // Compare-and-set on the submission even when its state stays: a submit that raced this
        // import (it sets the state the same way) then fails one side, so answers never change
        // under a submission that was sent.
        if (writes.length > 0) {
          const state = submission.state === 'not_started' ? 'draft' : submission.state;
          if ((await repositories.roundWork.transitionSubmission(submission.id, submission.version, { state, updated_at: at })) === 0)
            throw conflict('submission_not_editable', `${submission.unit_name}的填报状态刚被更改（可能已提交），回传表未导入；请刷新后再试`, {
              state: submission.state,
            });
        }

        const count = (change: ReturnedChange) => result.items.filter((item) => item.change === change).length;
        await audit(repositories, actor, at, {
          action: 'answers.import_returned',
          objectType: 'submission',
          objectId: `${roundId}/${unitId}`,
          detail: {
            fileName: file.fileName,
            format: read.format,
            contentHash: read.contentHash,
            written: writes.length,
            changed: count('changed'),
            new: count('new'),
            unchanged: count('unchanged'),
            cleared: count('cleared'),
            unmatched: result.unmatched.length,
            ignored: result.ignored,
            missing: result.missing.length,
          },
        });
        const submissionAfter = writes.length > 0 && submission.state === 'not_started' ? ({ state: 'draft', editable: true } as const) : result.submission;
        return { ...result, submission: submissionAfter, mode: 'apply' as const, written: writes.length };
      });
    },
  };
}

export type ReturnedTableService = ReturnType<typeof createReturnedTableService>;

/* ------------------------------------------------------------------ what is stored */

type State = {
  round: RoundRecord;
  submission: SubmissionRecord;
  planTitle: string;
  /** Every task of the round in plan order, with its place in its section among the round's tasks. */
  roundTasks: RoundTask[];
  /** The unit's tasks of the round, in to-do order. */
  unitTasks: { taskId: number; role: 'lead' | 'co'; number: number }[];
  /** The unit's stored answers by task. */
  answers: Map<number, AnswerRecord>;
};

async function loadState(repositories: Repositories, roundId: number, unitId: number): Promise<State> {
  const round = await requireRound(repositories, roundId);
  const submission = await repositories.roundWork.findSubmission(roundId, unitId);
  if (!submission) throw notFound('unit_not_in_round', `该单位在本轮调度中没有任务`, { roundId, unitId });
  const plan = await repositories.plans.findPlanById(round.plan_id);
  if (!plan) throw notFound('plan_not_found', `调度轮次 ${roundId} 的分工方案不存在`, { roundId });
  const [snapshot, roundTaskRows, unitTaskRows] = await Promise.all([
    loadPlanSnapshot(repositories, plan),
    repositories.rounds.listRoundTasks(roundId),
    repositories.roundWork.listUnitTasksOfRound(roundId, unitId),
  ]);
  const inRound = new Set(roundTaskRows.map((row) => row.taskId));
  const roundTasks: RoundTask[] = [];
  for (const chapter of snapshot.chapters)
    for (const section of chapter.sections) {
      let place = 0;
      for (const slot of section.tasks)
        if (inRound.has(slot.id))
          roundTasks.push({
            id: slot.id,
            text: slot.task.text,
            key: taskKey(slot.task.text),
            chapterNumber: chapter.number,
            sectionNumber: section.number,
            place: ++place,
          });
    }
  const unitTasks = unitTaskRows.map((row, index) => ({ taskId: row.taskId, role: row.role, number: index + 1 }));
  const stored = await repositories.roundWork.listAnswersOfTasks(
    roundId,
    unitTasks.map((task) => task.taskId),
  );
  const answers = new Map(stored.filter((answer) => answer.unit_id === unitId).map((answer) => [answer.task_id, answer]));
  return { round, submission, planTitle: plan.title, roundTasks, unitTasks, answers };
}

/* ------------------------------------------------------------------ comparing */

function compare(state: State, read: ReadPlanDocumentResult, fileName: string): Omit<ReturnedTableResult, 'mode' | 'written'> {
  const { round, submission } = state;
  const { document } = read;
  const notes: string[] = [];
  checkRound(document, round, fileName, notes);
  if (!sameTitle(document.plan.title, state.planTitle) && document.plan.title !== '未命名分工方案')
    notes.push(`表格标题中的分工方案《${clip(document.plan.title)}》与本轮的《${clip(state.planTitle)}》不同，请确认是否为本轮的调度表；任务按文字逐项对应`);
  const editable = round.status === 'open' && EDITABLE.includes(submission.state as SubmissionState);
  if (round.status !== 'open') notes.push(`调度轮次“${round.label}”已结束或不接受填报，只能预览，不能导入`);
  else if (!editable) notes.push(`本单位的填报已${submission.state === 'accepted' ? '通过' : '提交'}，只能预览；如需修改请联系办公室退回`);

  const rows = fileRows(document);
  const { matches, unmatched } = matchRows(rows, state.roundTasks);
  const unitTaskOf = new Map(state.unitTasks.map((task) => [task.taskId, task]));
  const roundTaskOf = new Map(state.roundTasks.map((task) => [task.id, task]));
  const unitName = submission.unit_name;
  let ignored = 0;
  const items: ReturnedTableItemResult[] = [];
  for (const { row, taskId, matchedBy } of matches) {
    const unitTask = unitTaskOf.get(taskId);
    if (!unitTask) {
      ignored++;
      continue;
    }
    const task = roundTaskOf.get(taskId)!;
    const { text: after, notes: itemNotes } = unitTextOf(row.progress, unitName, unitTask.role);
    if (matchedBy === 'position') itemNotes.unshift(`表中任务文字与本轮不完全相同（表中为“${clip(row.text)}”），按第${row.row}行所在的章、节和位置对应`);
    if (after.length > AnswerLimits.text.max)
      throw invalid(
        'returned_table_answer_too_long',
        `${fileName}：第${unitTask.number}项任务“${clip(task.text)}”的推进情况有 ${after.length} 字，超过 ${AnswerLimits.text.max} 字的上限，请删减后再导入`,
        { file: fileName, taskId, number: unitTask.number, row: row.row, length: after.length, max: AnswerLimits.text.max },
      );
    const stored = state.answers.get(taskId);
    const before = stored?.text ?? '';
    items.push({
      taskId,
      number: unitTask.number,
      chapterNumber: task.chapterNumber,
      sectionNumber: task.sectionNumber,
      taskText: task.text,
      role: unitTask.role,
      change: changeOf(before, after),
      before,
      after,
      version: stored?.version ?? 0,
      row: row.row,
      matchedBy,
      notes: itemNotes,
    });
  }
  items.sort((a, b) => a.number - b.number);
  const found = new Set(items.map((item) => item.taskId));
  const missing = state.unitTasks
    .filter((task) => !found.has(task.taskId))
    .map((task) => ({ taskId: task.taskId, number: task.number, textHead: clip(roundTaskOf.get(task.taskId)?.text ?? '') }));
  if (items.length === 0 && state.unitTasks.length > 0) notes.push(`表中没有找到本单位（${unitName}）在本轮的任务`);

  return {
    fileName,
    read,
    round: { id: round.id, label: round.label },
    unit: { id: submission.unit_id, name: unitName },
    submission: { state: submission.state as SubmissionState, editable },
    rows: rows.length,
    items,
    unmatched,
    ignored,
    missing,
    notes,
  };
}

/** A table of another round is refused: its answers belong to that round, not to this one. */
function checkRound(document: PlanDocument, round: RoundRecord, fileName: string, notes: string[]): void {
  const label = document.round.label;
  if (label === '未命名轮次') {
    notes.push(`表格标题中没有写调度轮次，按“${round.label}”对照`);
    return;
  }
  if (squeezeCjkSpaces(label).normalize('NFKC') !== squeezeCjkSpaces(round.label).normalize('NFKC'))
    throw invalid('returned_table_wrong_round', `${fileName}：这是“${label}”的调度表，不是本轮“${round.label}”的，未导入；请上传本轮下发的调度表`, {
      file: fileName,
      fileRound: label,
      round: round.label,
    });
}

function staleItems(items: readonly ReturnedTableItemResult[], expected: ExpectedVersions) {
  const tasks = items.map((item) => ({
    taskId: item.taskId,
    number: item.number,
    textHead: clip(item.taskText),
    expectedVersion: expected[item.taskId] ?? null,
    storedVersion: item.version,
  }));
  return conflict(
    'returned_table_stale',
    `预览之后，${tasks.map((t) => `第${t.number}项`).join('、')}的推进情况已被修改（可能在填报页面或另一个窗口中），回传表未导入；请重新预览后再导入`,
    { tasks },
  );
}
