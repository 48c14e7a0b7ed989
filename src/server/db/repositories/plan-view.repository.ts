import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';

/** A whole plan, or one task of it: the reads of the plan views come in both sizes. */
export type TaskScope = { planId: number } | { taskId: number } | { lineage: number };

export type PlanSummaryRecord = { id: number; title: string; docNumber: string | null; tasks: number; archivedAt: string | null };
export type RoundSummaryRecord = {
  id: number;
  planId: number;
  label: string;
  status: string;
  /** When the round took its tasks: opened (a round run in the app) or, else, stored (an imported one). */
  openedAt: string;
};
export type ViewTaskRecord = {
  id: number;
  planId: number;
  sectionId: number;
  position: number;
  text: string;
  leadDepartment: string | null;
  /** 020: the id every version shares; when it stopped going into new rounds; its newer version. */
  lineage: number | null;
  retiredAt: string | null;
  replacedBy: number | null;
  due: string | null;
  /** When this row was written (a new version's row is written when the change is made). */
  createdAt: string;
};
/** A ViewTaskRecord's columns (tasks left-joined to departments), for every read that returns one. */
const VIEW_TASK_COLUMNS = [
  'tasks.id',
  'tasks.plan_id as planId',
  'tasks.section_id as sectionId',
  'tasks.position',
  'tasks.text',
  'departments.name as leadDepartment',
  'tasks.lineage',
  'tasks.retired_at as retiredAt',
  'tasks.replaced_by as replacedBy',
  'tasks.due',
  'tasks.created_at as createdAt',
] as const;

export type TaskPlaceRecord = ViewTaskRecord & {
  chapterNumber: number;
  chapterTitle: string;
  sectionNumber: number;
  sectionTitle: string;
};
export type ViewTaskUnitRecord = { taskId: number; unitId: number; unitName: string; role: 'lead' | 'co' };
export type ViewAnswerRecord = {
  id: number;
  roundId: number;
  taskId: number;
  unitId: number | null;
  unitName: string | null;
  position: number;
  text: string;
  status: string | null;
};

/**
 * The reads behind the plan tree and the task page: a plan's structure with names and ids,
 * and what units wrote in chosen rounds. Read-only; written by the import and round services.
 */
export function createPlanViewRepository(db: Kysely<DB>) {
  return {
    /** Every plan with its number of current tasks, oldest first; archived ones (020) only when asked. */
    async listPlanSummaries(options: { archived?: boolean } = {}): Promise<PlanSummaryRecord[]> {
      const rows = await db
        .selectFrom('plans')
        .select((eb) => [
          'plans.id',
          'plans.title',
          'plans.doc_number as docNumber',
          'plans.archived_at as archivedAt',
          eb
            .selectFrom('tasks')
            .select(eb.fn.countAll<number | string | bigint>().as('n'))
            .whereRef('tasks.plan_id', '=', 'plans.id')
            .where('tasks.retired_at', 'is', null)
            .as('tasks'),
        ])
        .$if(!options.archived, (query) => query.where('plans.archived_at', 'is', null))
        .orderBy('plans.id')
        .execute();
      return rows.map((row) => ({ ...row, tasks: Number(row.tasks ?? 0) }));
    },

    async findPlanSummary(planId: number): Promise<Omit<PlanSummaryRecord, 'tasks'> | undefined> {
      return db.selectFrom('plans').select(['id', 'title', 'doc_number as docNumber', 'archived_at as archivedAt']).where('id', '=', planId).executeTakeFirst();
    },

    /** Rounds of these plans in the order they were created (oldest first). */
    async listRoundsOfPlans(planIds: readonly number[]): Promise<RoundSummaryRecord[]> {
      if (planIds.length === 0) return [];
      const rows = await db
        .selectFrom('rounds')
        .select(['id', 'plan_id as planId', 'label', 'status', 'opened_at', 'created_at'])
        .where('plan_id', 'in', [...planIds])
        // A voided round held nothing and is nobody's latest or previous round.
        .where('status', '<>', 'void')
        .orderBy('id')
        .execute();
      return rows.map(({ opened_at, created_at, ...round }) => ({ ...round, openedAt: opened_at ?? created_at }));
    },

    async listChaptersOfPlan(planId: number): Promise<{ id: number; number: number; title: string }[]> {
      return db.selectFrom('chapters').select(['id', 'number', 'title']).where('plan_id', '=', planId).orderBy('position').execute();
    },

    async listSectionsOfPlan(planId: number): Promise<{ id: number; chapterId: number; number: number; title: string }[]> {
      return db
        .selectFrom('sections')
        .innerJoin('chapters', 'chapters.id', 'sections.chapter_id')
        .select(['sections.id', 'sections.chapter_id as chapterId', 'sections.number', 'sections.title'])
        .where('chapters.plan_id', '=', planId)
        .orderBy('chapters.position')
        .orderBy('sections.position')
        .execute();
    },

    /** Tasks in plan order with their lead department's name. */
    async listTasks(scope: TaskScope): Promise<ViewTaskRecord[]> {
      let query = db.selectFrom('tasks').leftJoin('departments', 'departments.id', 'tasks.lead_department_id').select(VIEW_TASK_COLUMNS);
      query =
        'planId' in scope
          ? query.where('tasks.plan_id', '=', scope.planId)
          : 'taskId' in scope
            ? query.where('tasks.id', '=', scope.taskId)
            : query.where('tasks.lineage', '=', scope.lineage);
      return query.orderBy('tasks.position').execute();
    },

    /** One task with the numbers and titles of its chapter and section. */
    async findTaskPlace(taskId: number): Promise<TaskPlaceRecord | undefined> {
      return db
        .selectFrom('tasks')
        .innerJoin('sections', 'sections.id', 'tasks.section_id')
        .innerJoin('chapters', 'chapters.id', 'sections.chapter_id')
        .leftJoin('departments', 'departments.id', 'tasks.lead_department_id')
        .select([
          ...VIEW_TASK_COLUMNS,
          'chapters.number as chapterNumber',
          'chapters.title as chapterTitle',
          'sections.number as sectionNumber',
          'sections.title as sectionTitle',
        ])
        .where('tasks.id', '=', taskId)
        .executeTakeFirst();
    },

    /** Leaders of each task, in the order the plan names them. */
    async listTaskLeaders(scope: TaskScope): Promise<{ taskId: number; name: string }[]> {
      let query = db
        .selectFrom('task_leaders')
        .innerJoin('tasks', 'tasks.id', 'task_leaders.task_id')
        .innerJoin('leaders', 'leaders.id', 'task_leaders.leader_id')
        .select(['task_leaders.task_id as taskId', 'leaders.name']);
      query =
        'planId' in scope
          ? query.where('tasks.plan_id', '=', scope.planId)
          : 'taskId' in scope
            ? query.where('tasks.id', '=', scope.taskId)
            : query.where('tasks.lineage', '=', scope.lineage);
      return query.orderBy('tasks.position').orderBy('task_leaders.position').execute();
    },

    /** Units of each task, lead unit first. */
    async listTaskUnits(scope: TaskScope): Promise<ViewTaskUnitRecord[]> {
      let query = db
        .selectFrom('task_units')
        .innerJoin('tasks', 'tasks.id', 'task_units.task_id')
        .innerJoin('units', 'units.id', 'task_units.unit_id')
        .select(['task_units.task_id as taskId', 'units.id as unitId', 'units.name as unitName', 'task_units.role']);
      query =
        'planId' in scope
          ? query.where('tasks.plan_id', '=', scope.planId)
          : 'taskId' in scope
            ? query.where('tasks.id', '=', scope.taskId)
            : query.where('tasks.lineage', '=', scope.lineage);
      return query.orderBy('tasks.position').orderBy('task_units.position').execute();
    },

    /** What was written in these rounds, per task in the order written. */
    async listAnswers(scope: TaskScope, roundIds: readonly number[]): Promise<ViewAnswerRecord[]> {
      if (roundIds.length === 0) return [];
      let query = db
        .selectFrom('progress_entries')
        .innerJoin('tasks', 'tasks.id', 'progress_entries.task_id')
        .leftJoin('units', 'units.id', 'progress_entries.unit_id')
        .select([
          'progress_entries.id',
          'progress_entries.round_id as roundId',
          'progress_entries.task_id as taskId',
          'progress_entries.unit_id as unitId',
          'units.name as unitName',
          'progress_entries.position',
          'progress_entries.text',
          'progress_entries.status',
        ])
        .where('progress_entries.round_id', 'in', [...roundIds]);
      query =
        'planId' in scope
          ? query.where('tasks.plan_id', '=', scope.planId)
          : 'taskId' in scope
            ? query.where('tasks.id', '=', scope.taskId)
            : query.where('tasks.lineage', '=', scope.lineage);
      return query.orderBy('progress_entries.round_id').orderBy('tasks.position').orderBy('progress_entries.position').execute();
    },

    /** Which tasks each round covers, with the warnings the round's document raised about them (JSON text). */
    async listRoundTasks(scope: TaskScope, roundIds: readonly number[]): Promise<{ roundId: number; taskId: number; warnings: string }[]> {
      if (roundIds.length === 0) return [];
      let query = db
        .selectFrom('round_tasks')
        .innerJoin('tasks', 'tasks.id', 'round_tasks.task_id')
        .select(['round_tasks.round_id as roundId', 'round_tasks.task_id as taskId', 'round_tasks.warnings'])
        .where('round_tasks.round_id', 'in', [...roundIds]);
      query =
        'planId' in scope
          ? query.where('tasks.plan_id', '=', scope.planId)
          : 'taskId' in scope
            ? query.where('tasks.id', '=', scope.taskId)
            : query.where('tasks.lineage', '=', scope.lineage);
      return query.execute();
    },

    /** Where each unit's submission stands in these rounds (rounds run in the app only). */
    async listSubmissionStates(roundIds: readonly number[]): Promise<{ roundId: number; unitId: number; state: string }[]> {
      if (roundIds.length === 0) return [];
      return db
        .selectFrom('unit_submissions')
        .select(['round_id as roundId', 'unit_id as unitId', 'state'])
        .where('round_id', 'in', [...roundIds])
        .execute();
    },
  };
}

export type PlanViewRepository = ReturnType<typeof createPlanViewRepository>;
