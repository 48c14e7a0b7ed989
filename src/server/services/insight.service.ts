import type { Actor } from '../../domain/actor.ts';
import type { ActualDecisionView, IndicatorDecisionView } from '../../domain/api/insight-decision-view.ts';
import type { ActualDecisionInput, IndicatorDecisionInput, RoundInsightsView } from '../../domain/api/insight-view.ts';
import { invalid, notFound } from '../../domain/errors.ts';
import type {
  ActualDecision,
  AnalyseRoundInput,
  Finding,
  IndicatorActual,
  IndicatorDecision,
  IndicatorFinding,
  IndicatorTarget,
  InsightRound,
  InsightTask,
} from '../../domain/insights/types.ts';
import { InsightLimits } from '../../domain/limits.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { InsightTaskRecord } from '../db/repositories/insight.repository.ts';
import type { RoundRecord } from '../db/repositories/round.repository.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { assertCanManageRounds, assertCanReadBoard } from '../policies/round.policy.ts';
import { presentActualDecision, presentIndicatorDecision, presentRoundInsights } from '../presenters/insight.presenter.ts';
import { analyseRound, sectionContextYears } from '../../domain/insights/index.ts';
import { findingsStamp, StampedCache } from './findings-source.ts';
import { openExplanationsIn } from './explanation.service.ts';
import { versionsOf } from './plan-view.service.ts';
import { audit } from './round.service.ts';
import { groupBy } from '../../domain/group-by.ts';

/** A round as the insight pass needs it. */
export type InsightRoundRecord = {
  id: number;
  planId: number;
  label: string;
  status: string;
  periodStart: string | null;
  periodEnd: string | null;
  createdAt: string;
  /** When the round took its tasks: opened (run in the app) or, else, stored (imported), as the plan tree reads it. */
  openedAt: string;
};

function insightRoundOf(row: RoundRecord): InsightRoundRecord {
  return {
    id: row.id,
    planId: row.plan_id,
    label: row.label,
    status: row.status,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    createdAt: row.created_at,
    openedAt: row.opened_at ?? row.created_at,
  };
}

/** A round's findings with what the view adds to them: where each task sits and who leads it. */
export type RoundFindings = {
  round: InsightRoundRecord;
  previous: InsightRoundRecord | null;
  tasks: InsightTask[];
  /** The chapter title of each task, by task id. */
  chapterTitles: Map<number, string>;
  findings: Finding[];
};

/**
 * Insight (issue 15): what the units' prose hides, computed on read from the stored text by the
 * engine (src/domain/insights), with the office's decisions on its proposals applied (decision 033).
 * The office and leaders read a round's findings; the office confirms, corrects or rejects a
 * proposed indicator (per task lineage) and a proposed actual (per round and unit), audited.
 */
export function createInsightService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  // Any write anywhere (an answer saved, a decision) makes a kept view stale, on both engines
  // (findingsStamp). Few rounds are read at once (the open one, the last closed one): 100,000
  // findings, about three rounds of 10,000 tasks (≈10 MB each).
  const views = new StampedCache<number, RoundInsightsView>(100_000, (view) => view.findings.length);

  return {
    async roundInsights(actor: Actor, roundId: number): Promise<RoundInsightsView> {
      assertCanReadBoard(actor, '查看调度分析');
      // Taken before the transaction (inside one SQLite gives none).
      const stamp = await findingsStamp(database);
      return views.get(roundId, stamp, () =>
        inReadTransaction(database, async (repositories) =>
          presentRoundInsights(await findingsIn(repositories, roundId), await openExplanationsIn(repositories, roundId)),
        ),
      );
    },

    /**
     * The CLI's pass (`diaodu insights --round LABEL`): the round found by its label (and plan when
     * several plans have one so named), for the machine's operator or the office and leaders.
     */
    async roundInsightsByLabel(actor: Actor, options: { label: string; planId?: number | undefined }): Promise<RoundFindings> {
      if (actor.kind === 'user') assertCanReadBoard(actor, '查看调度分析');
      return inReadTransaction(database, async (repositories) => findingsIn(repositories, await roundIdByLabel(repositories, options)));
    },

    async decideIndicator(actor: Actor, taskId: number, key: string, input: IndicatorDecisionInput): Promise<IndicatorDecisionView> {
      const office = assertCanManageRounds(actor, '确认指标');
      const decision = checkedIndicatorDecision(input);
      return inTransaction(database, async (repositories) => {
        const task = await requireTask(repositories, taskId);
        await requireIndicator(repositories, task, key);
        const at = now();
        const row = {
          task_lineage: task.lineage,
          key,
          state: decision.state,
          name: decision.name,
          target: decision.target === null ? null : JSON.stringify(decision.target),
          decided_by: office.name,
          decided_at: at,
        };
        const before = await repositories.insights.findIndicatorDecision(task.lineage, key);
        await repositories.insights.saveIndicatorDecision(row);
        await audit(repositories, actor, at, {
          action: 'indicator.decide',
          objectType: 'task',
          objectId: task.id,
          detail: {
            lineage: task.lineage,
            key,
            state: decision.state,
            name: decision.name,
            target: decision.target,
            before: before ? { state: before.state, name: before.name, target: before.target } : null,
          },
        });
        return presentIndicatorDecision(task.id, { ...row, id: 0 });
      });
    },

    async decideActual(actor: Actor, roundId: number, taskId: number, key: string, input: ActualDecisionInput): Promise<ActualDecisionView> {
      const office = assertCanManageRounds(actor, '确认指标实际值');
      const decision = checkedActualDecision(input);
      return inTransaction(database, async (repositories) => {
        const round = await repositories.rounds.findRound(roundId);
        if (!round || round.status === 'void') throw notFound('round_not_found', `调度轮次 ${roundId} 不存在`, { roundId });
        const task = await requireTask(repositories, taskId);
        if (!(await repositories.insights.isTaskOfRound(roundId, taskId)))
          throw notFound('task_not_in_round', `任务 ${taskId} 不在调度“${round.label}”中`, { roundId, taskId });
        await requireIndicator(repositories, task, key);
        const unitName = decision.unitId === null ? null : await repositories.insights.findUnitName(decision.unitId);
        if (unitName === undefined) throw notFound('unit_not_found', `单位 ${decision.unitId} 不存在`, { field: 'unitId', unitId: decision.unitId });
        // Rejecting or confirming the figure read from an answer that is not there would never
        // apply; an actual the office enters itself may stand for a unit that reported none.
        if ((decision.state === 'rejected' || decision.actual === null) && !(await repositories.insights.hasAnswer(roundId, taskId, decision.unitId)))
          throw notFound(
            'answer_not_found',
            `调度“${round.label}”中${unitName === null ? '没有未署名的答复' : `${unitName}没有答复`}这项任务，没有可确认或否定的实际值；可填写实际值后确认`,
            {
              field: 'unitId',
              roundId,
              taskId,
              unitId: decision.unitId,
            },
          );
        const at = now();
        const row = {
          round_id: roundId,
          task_lineage: task.lineage,
          key,
          unit_id: decision.unitId,
          state: decision.state,
          actual: decision.actual === null ? null : JSON.stringify(decision.actual),
          decided_by: office.name,
          decided_at: at,
        };
        const before = await repositories.insights.findActualDecision(roundId, task.lineage, key, decision.unitId);
        await repositories.insights.saveActualDecision(row);
        await audit(repositories, actor, at, {
          action: 'indicator.actual',
          objectType: 'round',
          objectId: roundId,
          detail: {
            taskId,
            lineage: task.lineage,
            key,
            unitId: decision.unitId,
            state: decision.state,
            actual: decision.actual,
            before: before ? { state: before.state, actual: before.actual } : null,
          },
        });
        return presentActualDecision(taskId, { ...row, id: 0 });
      });
    },
  };
}

export type InsightService = ReturnType<typeof createInsightService>;

/**
 * A round's findings inside the caller's read transaction, after its own policy check (the
 * dashboards and the evaluation read them too): the engine's input loaded, then analysed.
 */
export async function findingsIn(repositories: Repositories, roundId: number): Promise<RoundFindings> {
  const loaded = await loadInsightInput(repositories, roundId);
  return { ...loaded, findings: analyseRound(loaded.input) };
}

/** Everything the engine reads about one round, in a dozen statements whatever the round's size. */
export async function loadInsightInput(repositories: Repositories, roundId: number): Promise<Omit<RoundFindings, 'findings'> & { input: AnalyseRoundInput }> {
  const { insights } = repositories;
  const row = await repositories.rounds.findRound(roundId);
  if (!row || row.status === 'void') throw notFound('round_not_found', `调度轮次 ${roundId} 不存在`, { roundId });
  const round = insightRoundOf(row);
  const previous = previousRoundOf(
    round,
    (await repositories.rounds.listRoundsOfPlan(round.planId)).filter((other) => other.status !== 'void').map(insightRoundOf),
  );
  const [taskRows, planTasks, unitRows, leaderRows, answers, asked, previousAnswers, indicatorRows, actualRows] = await Promise.all([
    insights.listTasksOfRound(roundId),
    repositories.planViews.listTasks({ planId: round.planId }),
    insights.listUnitsOfRound(roundId),
    insights.listLeadersOfRound(roundId),
    insights.listAnswersOfRound(roundId),
    // Who can be silent (decision 033): in an open round nobody yet — a unit cannot submit with a
    // task unanswered, so one that said nothing may still answer until the round closes (after its
    // deadline too: lateness is the evaluation's on-time column, not silence).
    round.status === 'open' ? Promise.resolve([]) : insights.listAskedPairs(roundId),
    previous ? insights.listAnswersOfRound(previous.id) : Promise.resolve([]),
    insights.listIndicatorDecisionsOfRound(roundId),
    insights.listActualDecisionsOfRound(roundId),
  ]);

  const unitsOf = groupBy(
    unitRows,
    (row) => row.taskId,
    (row): InsightTask['units'][number] => ({ unitId: row.unitId, name: row.name, role: row.role, collective: Number(row.collective) === 1 }),
  );
  const leadersOf = groupBy(
    leaderRows,
    (row) => row.taskId,
    (row) => row.name,
  );
  // Numbered among the plan's tasks as this round's plan tree shows them, not among the round's own (it may ask only some).
  const covered = new Set(taskRows.map((row) => row.id));
  const tasks = tasksWithPlaces(taskRows, unitsOf, leadersOf, versionsOf(planTasks, covered, round));
  const chapterTitles = new Map(taskRows.map((row) => [row.id, row.chapterTitle]));
  // Last round's answers under this round's task ids, matched by lineage (020); answers to tasks not in this round left out.
  const taskOfLineage = new Map(taskRows.map((row) => [row.lineage, row.id]));
  const matchedPrevious = previousAnswers.flatMap((row) => {
    const taskId = taskOfLineage.get(row.lineage);
    return taskId === undefined ? [] : [{ ...row, taskId }];
  });

  const asRound = (record: InsightRoundRecord, rows: typeof answers, imported: boolean, pairs: { taskId: number; unitId: number }[]): InsightRound => ({
    id: record.id,
    label: record.label,
    periodStart: record.periodStart,
    periodEnd: record.periodEnd,
    imported,
    answers: rows.map((row) => ({
      taskId: row.taskId,
      unitId: row.unitId,
      unitName: row.unitName,
      text: row.text,
      copiedUnchanged: Number(row.copiedUnchanged) === 1,
    })),
    asked: imported ? [] : pairs,
  });

  // Imported or live: the round's status, as the plan tree, the dashboards and the evaluation read it.
  const input: AnalyseRoundInput = {
    round: asRound(round, answers, isImported(round), asked),
    // Last round's answers come under this round's task ids (matched by lineage); who was asked then is not needed.
    previous: previous ? asRound(previous, matchedPrevious, isImported(previous), []) : null,
    tasks,
    indicatorDecisions: indicatorRows.map((row): IndicatorDecision => ({
      taskLineage: row.task_lineage,
      key: row.key,
      state: row.state as IndicatorDecision['state'],
      target: row.target === null ? null : (JSON.parse(row.target) as IndicatorTarget),
      name: row.name,
    })),
    actualDecisions: actualRows.map((row): ActualDecision => ({
      roundId: row.round_id,
      taskLineage: row.task_lineage,
      key: row.key,
      unitId: row.unit_id,
      state: row.state as ActualDecision['state'],
      actual: row.actual === null ? null : (JSON.parse(row.actual) as IndicatorActual),
    })),
  };
  return { round, previous, tasks, chapterTitles, input };
}

/** A round read from a document (its answers carry attributions), not run in the app. */
const isImported = (round: { status: string }) => round.status === 'imported';

/**
 * The round this one follows: the latest of the plan's other rounds (voided ones left out) before
 * it — by period when both have one, else by creation — so an imported earlier quarter stored after
 * a later one still comes first.
 */
export function previousRoundOf<R extends { id: number; periodEnd: string | null }>(round: R, rounds: readonly R[]): R | null {
  const before = roundBefore;
  let previous: R | null = null;
  for (const candidate of rounds) {
    if (candidate.id === round.id || !before(candidate, round)) continue;
    if (previous === null || before(previous, candidate)) previous = candidate;
  }
  return previous;
}

/** Whether round `a` comes before `b`: by period end when both have one, else by creation (id). */
export function roundBefore(a: { id: number; periodEnd: string | null }, b: { id: number; periodEnd: string | null }): boolean {
  return a.periodEnd !== null && b.periodEnd !== null && a.periodEnd !== b.periodEnd ? a.periodEnd < b.periodEnd : a.id < b.id;
}

/**
 * A plan's rounds oldest first, as the previous round is found (an earlier quarter imported after
 * a later one still comes first): the dashboard's heat map and series, the 考核 workbook's sheets.
 */
export function inRoundOrder<R extends { id: number; period_end: string | null }>(rounds: readonly R[]): R[] {
  const key = (round: R) => ({ id: round.id, periodEnd: round.period_end });
  return [...rounds].sort((a, b) => (roundBefore(key(a), key(b)) ? -1 : roundBefore(key(b), key(a)) ? 1 : 0));
}

/**
 * Each task's place (chapter, section, 1-based index within its section in plan order) and its
 * context year (the engine's `sectionContextYears`: the nearest 到 20XX 年 in an earlier task of the
 * section), counted among `shown`: the plan's tasks as the round's plan tree shows them (plan-view
 * `versionsOf`), so a round that asks only some tasks still numbers them as the plan does. `shown`
 * holds every row (its plan order); without it, the rows are the whole plan.
 */
export function tasksWithPlaces(
  rows: readonly InsightTaskRecord[],
  unitsOf: ReadonlyMap<number, InsightTask['units']>,
  leadersOf: ReadonlyMap<number, string[]>,
  shown: readonly { id: number; sectionId: number; text: string }[] = rows,
): InsightTask[] {
  const sections = groupBy(shown, (row) => row.sectionId);
  const placed = new Map<number, { index: number; contextYear: number | null }>();
  for (const section of sections.values()) {
    const years = sectionContextYears(section.map((row) => row.text));
    section.forEach((row, at) => placed.set(row.id, { index: at + 1, contextYear: years[at] ?? null }));
  }
  return rows.map((row) => ({
    id: row.id,
    lineage: row.lineage,
    place: { chapter: row.chapterNumber, section: row.sectionNumber, index: placed.get(row.id)!.index },
    text: row.text,
    contextYear: placed.get(row.id)!.contextYear,
    units: unitsOf.get(row.id) ?? [],
    leaders: leadersOf.get(row.id) ?? [],
  }));
}

/** The round a CLI label names: refused with the choices when several plans have one, or none. */
async function roundIdByLabel(repositories: Repositories, options: { label: string; planId?: number | undefined }): Promise<number> {
  const label = options.label.trim();
  const rounds = await repositories.insights.listRoundsWithPlans();
  const inPlan = options.planId === undefined ? rounds : rounds.filter((round) => round.planId === options.planId);
  if (options.planId !== undefined && inPlan.length === 0)
    throw notFound('plan_not_found', `没有编号为 ${options.planId} 的分工方案，或该方案还没有调度`, { planId: options.planId });
  const matching = inPlan.filter((round) => round.label === label);
  if (matching.length === 1) return matching[0]!.id;
  if (matching.length > 1)
    throw invalid(
      'plan_ambiguous',
      `多个分工方案都有调度“${label}”，请用 --plan 指定方案编号：${matching.map((round) => `${round.planId}《${round.planTitle}》`).join('、')}`,
      {
        plans: matching.map((round) => ({ id: round.planId, title: round.planTitle })),
      },
    );
  const known = [...new Set(inPlan.map((round) => round.label))];
  throw notFound('round_not_found', `没有调度“${label}”，已有：${known.length ? known.map((known) => `“${known}”`).join('、') : '（无）'}`, {
    roundLabel: label,
    available: known,
  });
}

async function requireTask(repositories: Repositories, taskId: number) {
  const task = await repositories.insights.findTask(taskId);
  if (!task) throw notFound('task_not_found', `任务 ${taskId} 不存在`, { taskId });
  return task;
}

/**
 * The indicator `key` as the engine proposes it from the task's text (a decision names one the
 * engine read; it does not invent indicators), refused naming the task's keys when there is none.
 */
async function requireIndicator(repositories: Repositories, task: { id: number; lineage: number; text: string }, key: string): Promise<IndicatorFinding> {
  const earlier = await repositories.insights.listEarlierTextsOfSection(task.id);
  const [place] = tasksWithPlaces(
    [
      ...earlier.map((text, at) => ({ id: -1 - at, lineage: -1 - at, position: at, text, chapterNumber: 0, chapterTitle: '', sectionId: 0, sectionNumber: 0 })),
      { id: task.id, lineage: task.lineage, position: earlier.length, text: task.text, chapterNumber: 0, chapterTitle: '', sectionId: 0, sectionNumber: 0 },
    ],
    new Map(),
    new Map(),
  ).slice(-1);
  const round: InsightRound = { id: 0, label: '', periodStart: null, periodEnd: null, imported: true, answers: [], asked: [] };
  const proposed = analyseRound({ round, previous: null, tasks: [place!], indicatorDecisions: [], actualDecisions: [] }).filter(
    (finding): finding is IndicatorFinding => finding.kind === 'indicator' && finding.taskId === task.id,
  );
  const found = proposed.find((finding) => finding.key === key);
  if (found) return found;
  const keys = proposed.map((finding) => `“${finding.key}”（${finding.name}）`);
  throw notFound('indicator_not_found', `任务 ${task.id} 中没有指标“${key}”${keys.length ? `，可选：${keys.join('、')}` : '，该任务的文字中没有读出指标'}`, {
    taskId: task.id,
    key,
    keys: proposed.map((finding) => finding.key),
  });
}

const isYear = (value: unknown) =>
  value === null || (Number.isInteger(value) && (value as number) >= InsightLimits.year.min && (value as number) <= InsightLimits.year.max);
const bad = (field: string, message: string, value?: unknown): never => {
  throw invalid('insight_decision_invalid', message, { field, value });
};

/** A decision on an indicator, every field checked (the API's schema checks shapes; the CLI and tests call the service directly). */
export function checkedIndicatorDecision(input: IndicatorDecisionInput): {
  state: 'confirmed' | 'rejected';
  name: string | null;
  target: IndicatorTarget | null;
} {
  if (input.state !== 'confirmed' && input.state !== 'rejected') bad('state', '决定应为“确认”或“不是指标”', input.state);
  const name = input.name === undefined || input.name === null ? null : input.name.trim();
  if (name !== null && (name === '' || [...name].length > InsightLimits.name.max)) bad('name', `指标名称应为 1 至 ${InsightLimits.name.max} 个字`, input.name);
  if (input.state === 'rejected') return { state: 'rejected', name: null, target: null };
  return { state: input.state, name, target: input.target === undefined || input.target === null ? null : checkedTarget(input.target) };
}

export function checkedTarget(target: IndicatorTarget): IndicatorTarget {
  const percent = target.unit === '%';
  if (typeof target.value !== 'number' || !Number.isFinite(target.value)) bad('target.value', '目标值应为数字', target.value);
  if (target.value < 0) bad('target.value', '目标值不能为负数', target.value);
  if (percent && target.value > 100) bad('target.value', '百分比目标值不能超过 100', target.value);
  if (typeof target.unit !== 'string' || target.unit.trim() === '' || [...target.unit].length > InsightLimits.unit.max)
    bad('target.unit', `计量单位应为 1 至 ${InsightLimits.unit.max} 个字`, target.unit);
  if (target.direction !== 'up' && target.direction !== 'down') bad('target.direction', '方向应为上升或下降', target.direction);
  if (!['at_least', 'at_most', 'exactly'].includes(target.bound)) bad('target.bound', '界限应为以上、以下或等于', target.bound);
  if (!isYear(target.baseYear)) bad('target.baseYear', `基准年份应为 ${InsightLimits.year.min} 至 ${InsightLimits.year.max} 年`, target.baseYear);
  if (!isYear(target.byYear)) bad('target.byYear', `目标年份应为 ${InsightLimits.year.min} 至 ${InsightLimits.year.max} 年`, target.byYear);
  if (target.baseYear !== null && target.byYear !== null && target.byYear < target.baseYear)
    bad('target.byYear', `目标年份（${target.byYear}年）不能早于基准年份（${target.baseYear}年）`, target.byYear);
  if (target.baseValue !== null) {
    if (typeof target.baseValue !== 'number' || !Number.isFinite(target.baseValue) || target.baseValue < 0)
      bad('target.baseValue', '基准值应为不小于 0 的数字', target.baseValue);
    if (percent && target.baseValue > 100) bad('target.baseValue', '百分比基准值不能超过 100', target.baseValue);
  }
  if (target.period !== null && target.period !== 'year') bad('target.period', '统计期应为全年或不填', target.period);
  return {
    value: target.value,
    unit: target.unit.trim(),
    direction: target.direction,
    bound: target.bound,
    baseYear: target.baseYear,
    baseValue: target.baseValue,
    byYear: target.byYear,
    period: target.period,
  };
}

export function checkedActualDecision(input: ActualDecisionInput): { unitId: number | null; state: 'confirmed' | 'rejected'; actual: IndicatorActual | null } {
  if (input.state !== 'confirmed' && input.state !== 'rejected') bad('state', '决定应为“确认”或“不是该指标的实际值”', input.state);
  if (input.unitId !== null && !(Number.isSafeInteger(input.unitId) && input.unitId > 0))
    bad('unitId', '单位编号应为正整数；未署名的答复不填单位', input.unitId);
  if (input.state === 'rejected' || input.actual === undefined || input.actual === null) return { unitId: input.unitId, state: input.state, actual: null };
  const actual = input.actual;
  if (typeof actual.value !== 'number' || !Number.isFinite(actual.value)) bad('actual.value', '实际值应为数字', actual.value);
  if (actual.unit === '%' && actual.basis === 'level' && (actual.value < 0 || actual.value > 100))
    bad('actual.value', '百分比实际值应在 0 至 100 之间', actual.value);
  if (typeof actual.unit !== 'string' || actual.unit.trim() === '' || [...actual.unit].length > InsightLimits.unit.max)
    bad('actual.unit', `计量单位应为 1 至 ${InsightLimits.unit.max} 个字`, actual.unit);
  if (!['level', 'vs_base_year', 'year_on_year', 'cumulative'].includes(actual.basis))
    bad('actual.basis', '比较口径应为当期水平、与基准年比、同比或累计', actual.basis);
  if (actual.months !== null && !(Number.isInteger(actual.months) && actual.months >= 1 && actual.months <= 12))
    bad('actual.months', '月数应为 1 至 12', actual.months);
  if (!isYear(actual.baseYear)) bad('actual.baseYear', `基准年份应为 ${InsightLimits.year.min} 至 ${InsightLimits.year.max} 年`, actual.baseYear);
  if (typeof actual.quote !== 'string' || [...actual.quote].length > InsightLimits.quote.max)
    bad('actual.quote', `引文不能超过 ${InsightLimits.quote.max} 个字`, undefined);
  return {
    unitId: input.unitId,
    state: input.state,
    actual: { value: actual.value, unit: actual.unit.trim(), basis: actual.basis, months: actual.months, baseYear: actual.baseYear, quote: actual.quote },
  };
}
