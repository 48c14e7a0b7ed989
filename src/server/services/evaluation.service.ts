import type { Actor } from '../../domain/actor.ts';
import type { RoundEvaluationView, UnitEvaluationRow } from '../../domain/api/insight-view.ts';
import { evaluationScore, notDue, scoreState } from '../../domain/evaluation.ts';
import { notFound } from '../../domain/errors.ts';
import type { Finding } from '../../domain/insights/types.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { AnswerFact, AskedPair, SubmissionFact } from '../db/repositories/evaluation.repository.ts';
import type { RoundRecord } from '../db/repositories/round.repository.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { assertCanReadBoard } from '../policies/round.policy.ts';
import { findingsStamp, type FindingsSource } from './findings-source.ts';
import { inRoundOrder } from './insight.service.ts';
import { sanitizeFileBaseName } from './compile-round.service.ts';
import { audit, deadlineTime, requireRound } from './round.service.ts';
import { groupBy } from '../../domain/group-by.ts';

/** States in which a unit's answers have left it (on time here; answered on the dashboard's completion charts). */
export const SUBMITTED_STATES: ReadonlySet<string> = new Set(['submitted', 'approved', 'accepted']);

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type EvaluationFile = { fileName: string; contentType: string; bytes: Uint8Array };

/**
 * 考核 (issue 15): per unit per round — on time, tasks answered, returned, stale, without new
 * facts, silent, arithmetic slips, confirmed indicators behind, requests for an explanation — and a
 * score (src/domain/evaluation.ts, decision 034). The office and leaders read it and download it
 * as Excel (one round, or the whole plan with a 汇总 sheet); each download is audited.
 */
export function createEvaluationService(deps: { database: Database; findings: FindingsSource; now?: () => Date; timeZone?: string }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))();

  async function roundEvaluationIn(repositories: Repositories, roundId: number, stamp: string | null): Promise<RoundEvaluationView> {
    const round = await requireRound(repositories, roundId);
    const findings = await deps.findings(repositories, roundId, stamp);
    const rows = await evaluateRounds(repositories, [round], new Map([[roundId, findings]]), now());
    return { roundId, roundLabel: round.label, rows: rows.get(roundId) ?? [] };
  }

  async function auditExport(actor: Actor, objectType: 'round' | 'plan', objectId: number, fileName: string) {
    const at = now().toISOString();
    await inTransaction(database, (repositories) =>
      audit(repositories, actor, at, { action: 'evaluation.export', objectType, objectId, detail: { fileName } }),
    );
  }

  return {
    async roundEvaluation(actor: Actor, roundId: number): Promise<RoundEvaluationView> {
      assertCanReadBoard(actor, '查看考核情况');
      const stamp = await findingsStamp(database);
      return inReadTransaction(database, (repositories) => roundEvaluationIn(repositories, roundId, stamp));
    },

    async roundWorkbook(actor: Actor, roundId: number): Promise<EvaluationFile> {
      assertCanReadBoard(actor, '导出考核表');
      const stamp = await findingsStamp(database);
      const view = await inReadTransaction(database, (repositories) => roundEvaluationIn(repositories, roundId, stamp));
      const { renderRoundEvaluationXlsx } = await loadEvaluationXlsx();
      const bytes = await renderRoundEvaluationXlsx(view);
      const fileName = `${sanitizeFileBaseName(`${view.roundLabel}考核情况`)}.xlsx`;
      await auditExport(actor, 'round', roundId, fileName);
      return { fileName, contentType: XLSX_CONTENT_TYPE, bytes };
    },

    /** The plan's rounds (void ones left out), oldest first: a 汇总 sheet of scores, and one sheet per round. */
    async planWorkbook(actor: Actor, planId: number): Promise<EvaluationFile> {
      assertCanReadBoard(actor, '导出考核表');
      const stamp = await findingsStamp(database);
      const { title, views } = await inReadTransaction(database, async (repositories) => {
        const plan = await repositories.plans.findPlanById(planId);
        if (!plan) throw notFound('plan_not_found', `分工方案 ${planId} 不存在`, { planId });
        const rounds = inRoundOrder((await repositories.rounds.listRoundsOfPlan(planId)).filter((round) => round.status !== 'void'));
        const findings = new Map<number, Finding[]>();
        for (const round of rounds) findings.set(round.id, await deps.findings(repositories, round.id, stamp));
        const rows = await evaluateRounds(repositories, rounds, findings, now());
        return { title: plan.title, views: rounds.map((round) => ({ roundId: round.id, roundLabel: round.label, rows: rows.get(round.id) ?? [] })) };
      });
      const { renderPlanEvaluationXlsx } = await loadEvaluationXlsx();
      const bytes = await renderPlanEvaluationXlsx(title, views);
      const fileName = `${sanitizeFileBaseName(`${[...title].slice(0, 60).join('')}考核汇总`)}.xlsx`;
      await auditExport(actor, 'plan', planId, fileName);
      return { fileName, contentType: XLSX_CONTENT_TYPE, bytes };
    },
  };
}

export type EvaluationService = ReturnType<typeof createEvaluationService>;

/** What the evaluation reads of some rounds, loaded once for all of them (the dashboard reads completion from it too). */
export type RoundFacts = {
  pairs: AskedPair[];
  answers: AnswerFact[];
  submissions: SubmissionFact[];
  returns: Map<number, number>;
  explanations: { roundId: number; unitId: number; n: number }[];
};

/** A handful of queries over all the rounds at once. */
export async function loadRoundFacts(repositories: Repositories, roundIds: readonly number[]): Promise<RoundFacts> {
  const [pairs, answers, submissions, explanations] = await Promise.all([
    repositories.evaluation.listAskedPairs(roundIds),
    repositories.evaluation.listAnswerFacts(roundIds),
    repositories.evaluation.listSubmissionFacts(roundIds),
    repositories.explanations.countByRoundAndUnit(roundIds),
  ]);
  const returns = await repositories.evaluation.countReturns(submissions.map((submission) => submission.id));
  return { pairs, answers, submissions, returns, explanations };
}

/** `items` by round id, in one pass. */
export function byRound<T extends { roundId: number }>(items: readonly T[]): Map<number, T[]> {
  return groupBy(items, (item) => item.roundId);
}

/**
 * Every unit's evaluation in each of `rounds`, from the facts loaded for them and the rounds'
 * findings (computed once per round by the caller). `taskIds`: only these tasks (a leader's own,
 * on the dashboard); every task when omitted.
 */
export function evaluateLoaded(
  facts: RoundFacts,
  rounds: readonly RoundRecord[],
  findings: ReadonlyMap<number, readonly Finding[]>,
  at: Date,
  taskIds?: ReadonlySet<number>,
): Map<number, UnitEvaluationRow[]> {
  const pairs = byRound(facts.pairs);
  const answers = byRound(facts.answers);
  const submissions = byRound(facts.submissions);
  const explanations = byRound(facts.explanations);
  const result = new Map<number, UnitEvaluationRow[]>();
  for (const round of rounds)
    result.set(
      round.id,
      evaluateRound({
        round,
        pairs: pairs.get(round.id) ?? [],
        answers: answers.get(round.id) ?? [],
        submissions: submissions.get(round.id) ?? [],
        returns: facts.returns,
        explanations: new Map((explanations.get(round.id) ?? []).map((row) => [row.unitId, row.n])),
        findings: findings.get(round.id) ?? [],
        at,
        taskIds,
      }),
    );
  return result;
}

export async function evaluateRounds(
  repositories: Repositories,
  rounds: readonly RoundRecord[],
  findings: ReadonlyMap<number, readonly Finding[]>,
  at: Date,
  taskIds?: ReadonlySet<number>,
): Promise<Map<number, UnitEvaluationRow[]>> {
  return evaluateLoaded(
    await loadRoundFacts(
      repositories,
      rounds.map((round) => round.id),
    ),
    rounds,
    findings,
    at,
    taskIds,
  );
}

type RoundInput = {
  round: RoundRecord;
  pairs: readonly AskedPair[];
  answers: readonly AnswerFact[];
  submissions: readonly SubmissionFact[];
  returns: ReadonlyMap<number, number>;
  explanations: ReadonlyMap<number, number>;
  findings: readonly Finding[];
  at: Date;
  taskIds: ReadonlySet<number> | undefined;
};

/**
 * One round. Units are those asked (collective names left out: nobody answers for them). In an
 * imported round a task whose answer names no unit at all (the document printed no attribution)
 * counts as answered by each of its units: the document does not say who wrote it, and guessing
 * one would be worse; where some answers are attributed, only those units answered.
 */
export function answeredTasksOf(round: { status: string }, pairs: readonly AskedPair[], answers: readonly AnswerFact[]): Set<string> {
  const answered = new Set<string>();
  for (const answer of answers) if (answer.hasText === 1 && answer.unitId !== null) answered.add(`${answer.taskId}:${answer.unitId}`);
  const unattributedOnly = unattributedOnlyTasks(round, answers);
  for (const pair of pairs) if (unattributedOnly.has(pair.taskId)) answered.add(`${pair.taskId}:${pair.unitId}`);
  return answered;
}

/**
 * The tasks of an imported round whose only answer names no unit: that answer stands for each
 * unit of the task — in what was answered, and so in what its findings (stale, no new facts …)
 * say of the answer. Empty for a live round, where an answer always has its unit.
 */
function unattributedOnlyTasks(round: { status: string }, answers: readonly AnswerFact[]): Set<number> {
  const unattributed = new Set<number>();
  if (round.status !== 'imported') return unattributed;
  const attributed = new Set<number>();
  for (const answer of answers) {
    if (answer.hasText !== 1) continue;
    if (answer.unitId === null) unattributed.add(answer.taskId);
    else attributed.add(answer.taskId);
  }
  for (const taskId of attributed) unattributed.delete(taskId);
  return unattributed;
}

/** On time: submitted before its deadline; false once late or still out after it; null while it may still be (or in an imported round). */
export function onTimeOf(round: RoundRecord, submission: SubmissionFact | undefined, at: Date): boolean | null {
  if (round.status === 'imported') return null;
  if (submission && SUBMITTED_STATES.has(submission.state)) return Number(submission.submittedLate) !== 1;
  if (round.status === 'closed') return false;
  const deadline = submission?.deadline ?? round.deadline;
  if (deadline !== null && at.getTime() > deadlineTime(deadline)) return false;
  return null;
}

function evaluateRound(input: RoundInput): UnitEvaluationRow[] {
  const { round, taskIds } = input;
  const pairs = input.pairs.filter((pair) => pair.collective !== 1 && (!taskIds || taskIds.has(pair.taskId)));
  const answered = answeredTasksOf(round, pairs, input.answers);
  const submissions = new Map(input.submissions.map((submission) => [submission.unitId, submission]));
  const units = new Map<number, { name: string; tasks: Set<number> }>();
  for (const pair of pairs) {
    const unit = units.get(pair.unitId) ?? { name: pair.unitName, tasks: new Set<number>() };
    unit.tasks.add(pair.taskId);
    units.set(pair.unitId, unit);
  }
  // An unattributed imported answer's findings are those of every unit it stands for (answeredTasksOf).
  const unattributedOnly = unattributedOnlyTasks(round, input.answers);
  const standsFor = groupBy(
    pairs.filter((pair) => unattributedOnly.has(pair.taskId)),
    (pair) => pair.taskId,
    (pair) => pair.unitId,
  );
  const findingsOf = groupBy(
    input.findings
      .filter((finding) => !taskIds || taskIds.has(finding.taskId))
      .flatMap((finding) => (finding.unitId !== null ? [finding.unitId] : (standsFor.get(finding.taskId) ?? [])).map((unitId) => ({ unitId, finding }))),
    (entry) => entry.unitId,
    (entry) => entry.finding,
  );
  return [...units.entries()]
    .map(([unitId, unit]): UnitEvaluationRow => {
      const own = findingsOf.get(unitId) ?? [];
      const staleTasks = new Set(own.filter((finding) => finding.kind === 'stale').map((finding) => finding.taskId));
      const hollow = own.filter((finding) => finding.kind === 'no_new_facts');
      const submission = submissions.get(unitId);
      const onTime = onTimeOf(round, submission, input.at);
      const row = {
        unitId,
        unitName: unit.name,
        onTime,
        tasks: unit.tasks.size,
        answered: [...unit.tasks].filter((taskId) => answered.has(`${taskId}:${unitId}`)).length,
        returned: submission ? (input.returns.get(submission.id) ?? 0) : 0,
        stale: staleTasks.size,
        noNewFacts: hollow.length,
        silent: own.filter((finding) => finding.kind === 'silent_unit').length,
        arithmeticErrors: own.filter((finding) => finding.kind === 'arithmetic' && !finding.ok).length,
        indicatorsBehind: own.filter((finding) => finding.kind === 'indicator' && finding.status === 'confirmed' && finding.verdict === 'behind').length,
        explanations: input.explanations.get(unitId) ?? 0,
      };
      const due = !notDue(round.status, onTime);
      const score = evaluationScore({ ...row, due, noNewFacts: hollow.filter((finding) => !staleTasks.has(finding.taskId)).length });
      return { ...row, score, scoreState: scoreState({ tasks: row.tasks, due }) };
    })
    .sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN'));
}

/** The workbook writer (exceljs, docx's date helpers) loads at the first download, not at the server's start (decision 039). */
const loadEvaluationXlsx = () => import('../documents/writers/evaluation-xlsx.ts');
