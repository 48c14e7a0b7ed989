import type { Actor } from '../../domain/actor.ts';
import type { DashboardGroup, HeatMapCell, IndicatorSeriesView, PlanDashboardView, UnitEvaluationRow } from '../../domain/api/insight-view.ts';
import { toChineseNumeral } from '../../domain/chinese-numerals.ts';
import { statusLight, type StatusLight } from '../../domain/evaluation.ts';
import { invalid, notFound } from '../../domain/errors.ts';
import { trajectory } from '../../domain/insights/index.ts';
import type { Finding, IndicatorFinding } from '../../domain/insights/types.ts';
import type { Database } from '../db/database.ts';
import type { RoundRecord } from '../db/repositories/round.repository.ts';
import { inReadTransaction } from '../db/transaction.ts';
import { assertCanReadBoard } from '../policies/round.policy.ts';
import { countFindingKinds } from '../presenters/insight.presenter.ts';
import { answeredTasksOf, byRound, evaluateLoaded, loadRoundFacts, SUBMITTED_STATES, type RoundFacts } from './evaluation.service.ts';
import { findingsStamp, type FindingsSource } from './findings-source.ts';
import { inRoundOrder } from './insight.service.ts';
import { groupBy } from '../../domain/group-by.ts';

export type DashboardOptions = { roundId?: number | undefined; scope?: 'all' | 'mine' | undefined };

/** The group name of a task no leader is named for. */
export const NO_LEADER = '未列明领导';

/**
 * The leaders' dashboard (issue 15): completion and status lights of a round by unit, leader and
 * chapter; a unit × round heat map of the evaluation's score over the plan's rounds; confirmed
 * indicators over the rounds with the path from base to target; and this round's finding counts.
 *
 * One read transaction; the facts of every round are loaded together (a handful of queries), and
 * each round's findings are computed once and shared by the heat map, the indicator series and the
 * counts, so a plan of ten rounds runs the engine ten times, never more. `scope: 'mine'` (a leader)
 * keeps only the tasks the leader leads, matched by display name as on 我分管的.
 */
export function createDashboardService(deps: { database: Database; findings: FindingsSource; now?: () => Date }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))();

  return {
    async dashboard(actor: Actor, planId: number, options: DashboardOptions = {}): Promise<PlanDashboardView> {
      const reader = assertCanReadBoard(actor, '查看领导看板');
      const mine = options.scope === 'mine';
      if (mine && reader.role !== 'leader') throw invalid('dashboard_scope_leader_only', '“只看我分管的”只适用于领导账号', { field: 'scope' });
      const at = now();
      // Taken before the transaction (inside one there is none): kept findings serve under it.
      const stamp = await findingsStamp(database);
      return inReadTransaction(database, async (repositories) => {
        const plan = await repositories.plans.findPlanById(planId);
        if (!plan) throw notFound('plan_not_found', `分工方案 ${planId} 不存在`, { planId });
        const rounds = inRoundOrder((await repositories.rounds.listRoundsOfPlan(planId)).filter((round) => round.status !== 'void'));
        const round = chooseRound(rounds, options.roundId, planId);
        const taskIds = mine
          ? new Set(await repositories.leaders.listTaskIdsOfLeaders(await repositories.leaders.findLeaderIdsByName(reader.name.trim())))
          : undefined;

        const ids = rounds.map((r) => r.id);
        const [facts, tasks, leaders] = await Promise.all([
          loadRoundFacts(repositories, ids),
          repositories.evaluation.listTaskFacts(ids),
          round ? repositories.evaluation.listTaskLeaders([round.id]) : [],
        ]);
        // The engine, once per round.
        const findings = new Map<number, Finding[]>();
        for (const r of rounds) findings.set(r.id, await deps.findings(repositories, r.id, stamp));
        const evaluation = evaluateLoaded(facts, rounds, findings, at, taskIds);
        const inScope = (finding: Finding) => !taskIds || taskIds.has(finding.taskId);

        return {
          planId,
          planTitle: plan.title,
          round: round ? { id: round.id, label: round.label, status: round.status, deadline: round.deadline } : null,
          rounds: rounds.map((r) => ({ id: r.id, label: r.label, status: r.status })),
          completion: round ? completionOf(round, facts, tasks, leaders, taskIds) : { byUnit: [], byLeader: [], byChapter: [] },
          heatMap: heatMapOf(rounds, evaluation),
          indicators: indicatorSeries(rounds, findings, tasks, inScope),
          findings: countFindingKinds(round ? (findings.get(round.id) ?? []).filter(inScope) : []),
        };
      });
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;

/** The round asked for (it must be the plan's), else the newest open one, else the newest. */
function chooseRound(rounds: readonly RoundRecord[], roundId: number | undefined, planId: number): RoundRecord | null {
  if (roundId !== undefined) {
    const round = rounds.find((r) => r.id === roundId);
    if (!round) throw notFound('round_not_found', `调度轮次 ${roundId} 不属于该分工方案`, { roundId, planId });
    return round;
  }
  return [...rounds].reverse().find((r) => r.status === 'open') ?? rounds.at(-1) ?? null;
}

function emptyGroup(name: string): DashboardGroup {
  return { name, total: 0, answered: 0, green: 0, yellow: 0, red: 0, none: 0 };
}

/**
 * Completion of the round: one count per (task, unit asked), collective names left out. Answered:
 * the unit's answer has text and has left the unit (submitted, approved or accepted), or the round
 * was imported. Its light comes from the answer's 进展状态; an answer not yet in counts as none.
 */
function completionOf(
  round: RoundRecord,
  facts: RoundFacts,
  tasks: readonly { taskId: number; chapterNumber: number; chapterTitle: string }[],
  leaders: readonly { taskId: number; name: string }[],
  taskIds: ReadonlySet<number> | undefined,
): PlanDashboardView['completion'] {
  const pairs = (byRound(facts.pairs).get(round.id) ?? []).filter((pair) => pair.collective !== 1 && (!taskIds || taskIds.has(pair.taskId)));
  const answers = byRound(facts.answers).get(round.id) ?? [];
  const answered = answeredTasksOf(round, pairs, answers);
  const imported = round.status === 'imported';
  const submitted = new Set((byRound(facts.submissions).get(round.id) ?? []).filter((s) => SUBMITTED_STATES.has(s.state)).map((s) => s.unitId));
  // A unit's own answer's status; an imported task's unattributed answer stands for units with none.
  const status = new Map<string, string | null>();
  const taskStatus = new Map<number, string | null>();
  for (const answer of answers) {
    if (answer.unitId === null) {
      if (!taskStatus.get(answer.taskId)) taskStatus.set(answer.taskId, answer.status);
    } else status.set(`${answer.taskId}:${answer.unitId}`, answer.status);
  }
  const chapterOf = new Map(tasks.map((task) => [task.taskId, task]));
  const leadersOf = groupBy(
    leaders,
    (leader) => leader.taskId,
    (leader) => leader.name,
  );

  const byUnit = new Map<string, DashboardGroup>();
  const byLeader = new Map<string, DashboardGroup>();
  const byChapter = new Map<number, DashboardGroup>();
  const add = (group: DashboardGroup, isAnswered: boolean, light: StatusLight) => {
    group.total += 1;
    if (isAnswered) group.answered += 1;
    group[light] += 1;
  };
  for (const pair of pairs) {
    const key = `${pair.taskId}:${pair.unitId}`;
    const isAnswered = answered.has(key) && (imported || submitted.has(pair.unitId));
    const light = isAnswered ? statusLight(status.has(key) ? status.get(key) : taskStatus.get(pair.taskId)) : 'none';
    const unit = byUnit.get(pair.unitName) ?? emptyGroup(pair.unitName);
    byUnit.set(pair.unitName, unit);
    add(unit, isAnswered, light);
    for (const name of leadersOf.get(pair.taskId) ?? [NO_LEADER]) {
      const group = byLeader.get(name) ?? emptyGroup(name);
      byLeader.set(name, group);
      add(group, isAnswered, light);
    }
    const chapter = chapterOf.get(pair.taskId);
    if (chapter) {
      const group = byChapter.get(chapter.chapterNumber) ?? emptyGroup(`${toChineseNumeral(chapter.chapterNumber)}、${chapter.chapterTitle}`);
      byChapter.set(chapter.chapterNumber, group);
      add(group, isAnswered, light);
    }
  }
  const byName = (a: DashboardGroup, b: DashboardGroup) => a.name.localeCompare(b.name, 'zh-CN');
  return {
    byUnit: [...byUnit.values()].sort(byName),
    byLeader: [...byLeader.values()].sort((a, b) => (a.name === NO_LEADER ? 1 : b.name === NO_LEADER ? -1 : byName(a, b))),
    byChapter: [...byChapter.entries()].sort((a, b) => a[0] - b[0]).map(([, group]) => group),
  };
}

/** Unit × round, oldest round first; a cell per unit and round it was asked in. */
function heatMapOf(rounds: readonly RoundRecord[], evaluation: ReadonlyMap<number, UnitEvaluationRow[]>): PlanDashboardView['heatMap'] {
  const cells: HeatMapCell[] = [];
  const units = new Set<string>();
  for (const round of rounds)
    for (const row of evaluation.get(round.id) ?? []) {
      units.add(row.unitName);
      cells.push({
        unit: row.unitName,
        round: round.label,
        score: row.score,
        scoreState: row.scoreState,
        onTime: row.onTime,
        stale: row.stale,
        silent: row.silent,
      });
    }
  return { units: [...units].sort((a, b) => a.localeCompare(b, 'zh-CN')), rounds: rounds.map((round) => round.label), cells };
}

/**
 * Confirmed indicators over the rounds, matched across rounds by the task's lineage and the
 * indicator's key; the newest round's finding names it and gives its target. One actual per round:
 * the first finding of the round that reports one, else the round's verdict without a value.
 */
function indicatorSeries(
  rounds: readonly RoundRecord[],
  findings: ReadonlyMap<number, readonly Finding[]>,
  tasks: readonly { taskId: number; lineage: number }[],
  inScope: (finding: Finding) => boolean,
): IndicatorSeriesView[] {
  const lineageOf = new Map(tasks.map((task) => [task.taskId, task.lineage]));
  const series = new Map<string, { latest: IndicatorFinding; perRound: Map<number, IndicatorFinding> }>();
  for (const round of rounds)
    for (const finding of findings.get(round.id) ?? []) {
      if (finding.kind !== 'indicator' || finding.status !== 'confirmed' || !inScope(finding)) continue;
      const key = `${lineageOf.get(finding.taskId) ?? finding.taskId}:${finding.key}`;
      const entry = series.get(key) ?? { latest: finding, perRound: new Map<number, IndicatorFinding>() };
      entry.latest = finding;
      const kept = entry.perRound.get(round.id);
      if (!kept || (kept.actual === null && finding.actual !== null)) entry.perRound.set(round.id, finding);
      series.set(key, entry);
    }
  return [...series.values()].map(({ latest, perRound }) => ({
    taskId: latest.taskId,
    task: latest.task,
    key: latest.key,
    name: latest.name,
    target: latest.target,
    path: trajectory(latest.target),
    actuals: rounds
      .filter((round) => perRound.has(round.id))
      .map((round) => {
        const finding = perRound.get(round.id)!;
        return {
          round: round.label,
          periodEnd: round.period_end,
          value: finding.actual?.value ?? null,
          basis: finding.actual?.basis ?? null,
          verdict: finding.verdict,
        };
      }),
  }));
}
