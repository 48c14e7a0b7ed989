import type { Actor } from '../../domain/actor.ts';
import type { AnswerState, PlanSummaryView, PlanTreeView, TaskDetailView } from '../../domain/api/plan-view.ts';
import { notFound } from '../../domain/errors.ts';
import type { TaskPlace } from '../../domain/insights/types.ts';
import { PROGRESS_STATUSES, type ProgressStatus } from '../../domain/limits.ts';
import { normaliseName } from '../../domain/text.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { RoundSummaryRecord, ViewAnswerRecord, ViewTaskRecord, ViewTaskUnitRecord } from '../db/repositories/plan-view.repository.ts';
import type { AnswerVisibility } from '../db/repositories/search.repository.ts';
import { inReadTransaction } from '../db/transaction.ts';
import { answerVisibilityOf, assertCanReadPlans } from '../policies/plan.policy.ts';
import { presentInstruction, presentPlanSummary, presentRoundRef, presentTaskRow, type AnswerRowView } from '../presenters/plan.presenter.ts';
import { parseSearchQuery } from './search.service.ts';
import { groupBy } from '../../domain/group-by.ts';

/** Filters of the plan tree; every one given must hold (AND). */
export type PlanTreeFilters = {
  /** Default: the plan's latest round. */
  roundId?: number | undefined;
  /** The plan as it stands (020), with no round's answers: what a new round would cover. */
  current?: boolean | undefined;
  /** Tasks this unit is responsible for (lead or co-unit). */
  unitId?: number | undefined;
  /** A lead leader's name (spaces inside are ignored, as the importer stores names). */
  leader?: string | undefined;
  /** A provincial lead department's name. */
  department?: string | undefined;
  /** Tasks with an answer of this status in the round. */
  status?: ProgressStatus | undefined;
  /** Tasks where some responsible unit has written nothing in the round. */
  unanswered?: boolean | undefined;
  /** Search text: tasks whose text, or whose progress in the round, holds every term. */
  q?: string | undefined;
};

/** Submission states that are answer states as they are (`not_started` with text is a draft). */
const SUBMISSION_ANSWER_STATES: ReadonlySet<string> = new Set(['draft', 'submitted', 'approved', 'returned', 'accepted']);

/**
 * The plan as people read it: the list of plans, the tree of chapters, sections and tasks with
 * one round's answers (filtered), and a task's page with every round side by side and the
 * leaders' instructions. Read-only, each answer from one consistent snapshot.
 */
export function createPlanViewService(deps: { database: Database }) {
  const { database } = deps;

  async function listPlans(actor: Actor, options: { archived?: boolean } = {}): Promise<PlanSummaryView[]> {
    assertCanReadPlans(actor);
    return inReadTransaction(database, async (repositories) => {
      const plans = await repositories.planViews.listPlanSummaries(options);
      const rounds = await repositories.planViews.listRoundsOfPlans(plans.map((plan) => plan.id));
      return plans.map((plan) =>
        presentPlanSummary(
          plan,
          rounds.filter((round) => round.planId === plan.id),
        ),
      );
    });
  }

  async function planTree(actor: Actor, planId: number, filters: PlanTreeFilters = {}): Promise<PlanTreeView> {
    assertCanReadPlans(actor);
    const visibility = answerVisibilityOf(actor);
    const terms = filters.q !== undefined && filters.q.trim() !== '' ? parseSearchQuery(filters.q) : null;
    return inReadTransaction(database, async (repositories) => {
      const { planViews } = repositories;
      const plan = await planViews.findPlanSummary(planId);
      if (!plan) throw planNotFound(planId);
      const rounds = await planViews.listRoundsOfPlans([planId]);
      const round = filters.current ? null : selectRound(rounds, filters.roundId);
      const scope = { planId };
      const [chapters, sections, tasks0, leaders, units] = [
        await planViews.listChaptersOfPlan(planId),
        await planViews.listSectionsOfPlan(planId),
        await planViews.listTasks(scope),
        await planViews.listTaskLeaders(scope),
        await planViews.listTaskUnits(scope),
      ];
      const allTasks = tasks0;
      const roundIds = round ? [round.id] : [];
      const roundTasks = await planViews.listRoundTasks(scope, roundIds);
      const work = new RoundWork(await planViews.listAnswers(scope, roundIds), roundTasks, await planViews.listSubmissionStates(roundIds));
      const tasks = versionsOf(allTasks, new Set(roundTasks.map((row) => row.taskId)), round);
      // 第 N 项 counts the tasks this view shows (020: stored places also hold other versions).
      const numberOf = new Map(tasks.map((task, index) => [task.id, index + 1]));
      const leadersOf = groupBy(leaders, (leader) => leader.taskId);
      const unitsOf = groupBy(units, (unit) => unit.taskId);
      const searchMatches = terms ? await taskIdsMatching(repositories, terms, planId, round, visibility) : null;

      const wantedLeader = filters.leader === undefined ? undefined : normaliseName(filters.leader);
      const wantedDepartment = filters.department === undefined ? undefined : normaliseName(filters.department);
      const shown: { sectionId: number; row: ReturnType<typeof presentTaskRow> }[] = [];
      for (const task of tasks) {
        const taskLeaders = (leadersOf.get(task.id) ?? []).map((leader) => leader.name);
        const taskUnits = unitsOf.get(task.id) ?? [];
        const answers = round ? work.answers(round, task, taskUnits, visibility) : [];
        if (filters.unitId !== undefined && !taskUnits.some((unit) => unit.unitId === filters.unitId)) continue;
        if (wantedLeader !== undefined && !taskLeaders.includes(wantedLeader)) continue;
        if (wantedDepartment !== undefined && task.leadDepartment !== wantedDepartment) continue;
        if (filters.status !== undefined && !answers.some((answer) => answer.status === filters.status)) continue;
        if (filters.unanswered && !(round && work.isUnanswered(round, task, taskUnits, visibility))) continue;
        if (searchMatches && !searchMatches.has(task.id)) continue;
        const row = presentTaskRow(
          { ...task, position: numberOf.get(task.id)! },
          { leaders: taskLeaders, units: taskUnits, answers, warnings: round ? work.warnings(round.id, task.id) : [] },
        );
        shown.push({ sectionId: task.sectionId, row });
      }
      const rows = groupBy(
        shown,
        (entry) => entry.sectionId,
        (entry) => entry.row,
      );
      const matched = shown.length;

      // Without filters every chapter and section shows; with filters only those holding a match.
      const filtering = hasFilters(filters);
      const tree = chapters.map((chapter) => ({
        id: chapter.id,
        number: chapter.number,
        title: chapter.title,
        sections: sections
          .filter((section) => section.chapterId === chapter.id)
          .map((section) => ({ id: section.id, number: section.number, title: section.title, tasks: rows.get(section.id) ?? [] }))
          .filter((section) => !filtering || section.tasks.length > 0),
      }));
      return {
        plan: { id: plan.id, title: plan.title, docNumber: plan.docNumber },
        round: round ? presentRoundRef(round) : null,
        chapters: filtering ? tree.filter((chapter) => chapter.sections.length > 0) : tree,
        matched,
        total: tasks.length,
      };
    });
  }

  async function taskDetail(actor: Actor, taskId: number): Promise<TaskDetailView> {
    assertCanReadPlans(actor);
    const visibility = answerVisibilityOf(actor);
    return inReadTransaction(database, async (repositories) => {
      const { planViews } = repositories;
      const task = await planViews.findTaskPlace(taskId);
      if (!task) throw notFound('task_not_found', `任务 ${taskId} 不存在`, { taskId });
      const rounds = await planViews.listRoundsOfPlans([task.planId]);
      const roundIds = rounds.map((round) => round.id);
      const leaders = (await planViews.listTaskLeaders({ taskId })).map((leader) => leader.name);
      // Every version of the task (020): each round shows the version it covered, with that version's units.
      const lineage = { lineage: task.lineage ?? task.id };
      const versions = new Map((await planViews.listTasks(lineage)).map((version) => [version.id, version]));
      const unitsOf = groupBy(await planViews.listTaskUnits(lineage), (unit) => unit.taskId);
      const roundTasks = await planViews.listRoundTasks(lineage, roundIds);
      const work = new RoundWork(await planViews.listAnswers(lineage, roundIds), roundTasks, await planViews.listSubmissionStates(roundIds));
      // 批示 on any version of the task in this plan (020), in the order written.
      const sameTask = [...versions.values()].filter((version) => version.planId === task.planId).map((version) => version.id);
      const instructions = (await repositories.instructions.listInstructionsOfTasks(sameTask)).sort((a, b) => a.id - b.id);
      const units = unitsOf.get(task.id) ?? [];
      const answersIn = (round: RoundSummaryRecord) => {
        const covered = roundTasks.find((row) => row.roundId === round.id && versions.get(row.taskId)?.planId === task.planId);
        const version = covered ? versions.get(covered.taskId) : undefined;
        return version ? work.answers(round, version, unitsOf.get(version.id) ?? [], visibility) : [];
      };

      const latest = rounds.at(-1);
      // Its number in the latest round's tree (or in the plan as it stands): the place the tree shows it at.
      const latestCovered = new Set(latest ? (await planViews.listRoundTasks({ planId: task.planId }, [latest.id])).map((row) => row.taskId) : []);
      const planTasks = await planViews.listTasks({ planId: task.planId });
      const numberIn = (shown: ViewTaskRecord[]) => shown.findIndex((candidate) => candidate.id === task.id) + 1;
      // A task added after the latest round is not in its tree: then its place in the plan as it stands.
      const number = numberIn(versionsOf(planTasks, latestCovered, latest ?? null)) || numberIn(versionsOf(planTasks, new Set(), null)) || task.position;
      const row = presentTaskRow(
        { ...task, position: number },
        {
          leaders,
          units,
          answers: latest ? answersIn(latest) : [],
          warnings: latest ? work.warnings(latest.id, task.id) : [],
        },
      );
      return {
        task: {
          ...row,
          chapter: { number: task.chapterNumber, title: task.chapterTitle },
          section: { number: task.sectionNumber, title: task.sectionTitle },
        },
        rounds: rounds.map((round) => ({ ...presentRoundRef(round), answers: answersIn(round) })),
        instructions: instructions.map(presentInstruction),
      };
    });
  }

  return { listPlans, planTree, taskDetail };
}

export type PlanViewService = ReturnType<typeof createPlanViewService>;

/**
 * Each task's place as the plan view prints it (二.(二).4): chapter and section numbers and the
 * task's 1-based index among the tasks its section shows in the round's tree (versionsOf), or in
 * the plan as it stands without a round. 我分管的 and the phone page cite a task so.
 */
export async function taskPlacesInPlan(repositories: Repositories, planId: number, roundId: number | null): Promise<Map<number, TaskPlace>> {
  const { planViews } = repositories;
  const round = roundId === null ? null : selectRound(await planViews.listRoundsOfPlans([planId]), roundId);
  const scope = { planId };
  const [chapters, sections, all, roundTasks] = [
    await planViews.listChaptersOfPlan(planId),
    await planViews.listSectionsOfPlan(planId),
    await planViews.listTasks(scope),
    await planViews.listRoundTasks(scope, round ? [round.id] : []),
  ];
  const chapterNumber = new Map(chapters.map((chapter) => [chapter.id, chapter.number]));
  const sectionOf = new Map(sections.map((section) => [section.id, { section: section.number, chapter: chapterNumber.get(section.chapterId)! }]));
  const counted = new Map<number, number>();
  const places = new Map<number, TaskPlace>();
  for (const task of versionsOf(all, new Set(roundTasks.map((row) => row.taskId)), round)) {
    const section = sectionOf.get(task.sectionId);
    if (!section) continue;
    const index = (counted.get(task.sectionId) ?? 0) + 1;
    counted.set(task.sectionId, index);
    places.set(task.id, { ...section, index });
  }
  return places;
}

function planNotFound(planId: number) {
  return notFound('plan_not_found', `分工方案 ${planId} 不存在`, { planId });
}

/**
 * The tasks a round's tree shows (020): the version of each task the round covers; for a task it
 * does not cover, the current version — unless it was withdrawn, or its lineage began after the
 * round took its tasks (a task added since belongs to later rounds, and would shift the round's
 * 第 N 项 and total). Without a round: the plan as it stands. The insight findings place a round's
 * tasks among the same tasks (insight.service `tasksWithPlaces`).
 */
export function versionsOf<T extends Pick<ViewTaskRecord, 'id' | 'lineage' | 'retiredAt' | 'createdAt'>>(
  tasks: readonly T[],
  covered: ReadonlySet<number>,
  round: Pick<RoundSummaryRecord, 'openedAt'> | null,
): T[] {
  const lineageOf = (task: T) => task.lineage ?? task.id;
  const coveredLineages = new Set(tasks.filter((task) => covered.has(task.id)).map(lineageOf));
  // When each lineage began: its earliest row here (a copied plan's rows all predate its rounds).
  const began = new Map<number, number>();
  for (const task of tasks) {
    const at = Date.parse(task.createdAt);
    const lineage = lineageOf(task);
    const earliest = began.get(lineage);
    if (earliest === undefined || at < earliest) began.set(lineage, at);
  }
  const openedAt = round ? Date.parse(round.openedAt) : Infinity;
  return tasks.filter(
    (task) => covered.has(task.id) || (task.retiredAt === null && !coveredLineages.has(lineageOf(task)) && began.get(lineageOf(task))! <= openedAt),
  );
}

function selectRound(rounds: readonly RoundSummaryRecord[], roundId: number | undefined): RoundSummaryRecord | null {
  if (roundId === undefined) return rounds.at(-1) ?? null;
  const round = rounds.find((candidate) => candidate.id === roundId);
  if (!round) throw notFound('round_not_found', `该分工方案没有调度轮次 ${roundId}`, { roundId });
  return round;
}

function hasFilters(filters: PlanTreeFilters): boolean {
  return (
    filters.unitId !== undefined ||
    filters.leader !== undefined ||
    filters.department !== undefined ||
    filters.status !== undefined ||
    filters.unanswered === true ||
    (filters.q !== undefined && filters.q.trim() !== '')
  );
}

/** Tasks whose own text, or whose progress in the round (as far as the actor may read it), holds every term. */
async function taskIdsMatching(
  repositories: Repositories,
  terms: readonly string[],
  planId: number,
  round: RoundSummaryRecord | null,
  visibility: AnswerVisibility,
): Promise<Set<number>> {
  const ids = new Set((await repositories.search.searchTaskText({ terms, planId })).map((hit) => hit.taskId));
  if (round) for (const hit of await repositories.search.searchProgressText({ terms, planId, roundId: round.id, visibility })) ids.add(hit.taskId);
  return ids;
}

/**
 * What units wrote in some rounds, and how each answer stands.
 *
 * Imported rounds give their entries as the document had them (state `imported`), including
 * text that names no unit. Rounds run in the app give one answer per responsible unit, lead
 * unit first: its text and status, and its submission's state, or `empty` where it has
 * written nothing; entries of units no longer responsible follow.
 */
class RoundWork {
  readonly #answers: Map<string, ViewAnswerRecord[]>;
  readonly #covered = new Map<string, string>();
  readonly #submissions = new Map<string, string>();

  constructor(
    answers: readonly ViewAnswerRecord[],
    roundTasks: readonly { roundId: number; taskId: number; warnings: string }[],
    submissions: readonly { roundId: number; unitId: number; state: string }[],
  ) {
    this.#answers = groupBy(answers, (answer) => `${answer.roundId}:${answer.taskId}`);
    for (const row of roundTasks) this.#covered.set(`${row.roundId}:${row.taskId}`, row.warnings);
    for (const row of submissions) this.#submissions.set(`${row.roundId}:${row.unitId}`, row.state);
  }

  /** The warnings the round's document raised about the task. */
  warnings(roundId: number, taskId: number): string[] {
    return parseStringArray(this.#covered.get(`${roundId}:${taskId}`));
  }

  /** The task's answers in the round that the actor may read; none where the round does not cover the task. */
  answers(round: RoundSummaryRecord, task: ViewTaskRecord, units: readonly ViewTaskUnitRecord[], visibility: AnswerVisibility): AnswerRowView[] {
    if (!this.#covered.has(`${round.id}:${task.id}`)) return [];
    const entries = this.#answers.get(`${round.id}:${task.id}`) ?? [];
    const readable = readableUnits(round, units, visibility);
    if (round.status === 'imported')
      return entries
        .filter((entry) => readable(entry.unitId))
        .map((entry) => ({ unitId: entry.unitId, unitName: entry.unitName, status: asStatus(entry.status), text: entry.text, state: 'imported' as const }));

    const rows: AnswerRowView[] = [];
    const assigned = new Set(units.map((unit) => unit.unitId));
    for (const unit of units) {
      if (!readable(unit.unitId)) continue;
      const entry = entries.find((candidate) => candidate.unitId === unit.unitId);
      rows.push(this.#appAnswer(round.id, unit.unitId, unit.unitName, entry));
    }
    for (const entry of entries)
      if ((entry.unitId === null || !assigned.has(entry.unitId)) && readable(entry.unitId))
        rows.push(this.#appAnswer(round.id, entry.unitId, entry.unitName, entry));
    return rows;
  }

  /**
   * Whether some responsible unit the actor may read has no text in the round. Text naming
   * no unit (imported documents) counts only for a task with a single responsible unit:
   * nobody else can have written it; with several units it is not guessed whose it is.
   */
  isUnanswered(round: RoundSummaryRecord, task: ViewTaskRecord, units: readonly ViewTaskUnitRecord[], visibility: AnswerVisibility): boolean {
    if (!this.#covered.has(`${round.id}:${task.id}`)) return false;
    const entries = (this.#answers.get(`${round.id}:${task.id}`) ?? []).filter((entry) => entry.text.trim() !== '');
    const answered = new Set(entries.map((entry) => entry.unitId));
    const [onlyUnit] = units;
    if (units.length === 1 && onlyUnit && answered.has(null)) answered.add(onlyUnit.unitId);
    const readable = readableUnits(round, units, visibility);
    return units.some((unit) => readable(unit.unitId) && !answered.has(unit.unitId));
  }

  #appAnswer(roundId: number, unitId: number | null, unitName: string | null, entry: ViewAnswerRecord | undefined): AnswerRowView {
    const text = entry?.text ?? '';
    return { unitId, unitName, status: asStatus(entry?.status ?? null), text, state: this.#state(roundId, unitId, text) };
  }

  #state(roundId: number, unitId: number | null, text: string): AnswerState {
    if (text.trim() === '') return 'empty';
    const submission = unitId === null ? undefined : this.#submissions.get(`${roundId}:${unitId}`);
    return submission !== undefined && SUBMISSION_ANSWER_STATES.has(submission) ? (submission as AnswerState) : 'draft';
  }
}

/**
 * Which units' answers in this round the actor reads: all of a closed or imported round; of
 * an open one, its own unit's, and every unit's on a task its unit leads.
 */
function readableUnits(round: RoundSummaryRecord, units: readonly ViewTaskUnitRecord[], visibility: AnswerVisibility): (unitId: number | null) => boolean {
  if (visibility.kind === 'all' || round.status !== 'open') return () => true;
  const own = visibility.unitId;
  if (own === null) return () => false;
  const leads = units.some((unit) => unit.unitId === own && unit.role === 'lead');
  return (unitId) => leads || unitId === own;
}

/** A stored status the API knows, else none (an unknown value is never passed on). */
function asStatus(status: string | null): ProgressStatus | null {
  return (PROGRESS_STATUSES as readonly string[]).includes(status ?? '') ? (status as ProgressStatus) : null;
}

function parseStringArray(json: string | undefined): string[] {
  if (json === undefined) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}
