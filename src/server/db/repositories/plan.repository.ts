import type { Insertable, Kysely } from 'kysely';
import type { DB, PlanRow, TaskLeadersTable, TaskUnitsTable, TasksTable } from '../schema.ts';
import { batches } from './batch.ts';

export type StoredChapter = { id: number; number: number; title: string; position: number };
export type StoredSection = { id: number; chapterId: number; number: number; title: string; position: number };
export type StoredTask = { id: number; sectionId: number; position: number; text: string; leadDepartment: string | null; due: string | null };
export type StoredTaskLeader = { taskId: number; name: string };
export type StoredTaskUnit = { taskId: number; name: string; role: 'lead' | 'co' };
/**
 * Which rows of a plan (020): `all` — every version and withdrawn part, what a round's document
 * picks its own tasks from; `current` — the plan as it stands (import comparison, a new round).
 */
export type PlanRows = 'all' | 'current';

/** Plans and their fixed structure: chapters, sections, tasks, and who each task belongs to. */
export function createPlanRepository(db: Kysely<DB>) {
  return {
    async findPlanByIdentity(identityKey: string): Promise<PlanRow | undefined> {
      return db.selectFrom('plans').selectAll().where('identity_key', '=', identityKey).executeTakeFirst();
    },

    async findPlanById(planId: number): Promise<PlanRow | undefined> {
      return db.selectFrom('plans').selectAll().where('id', '=', planId).executeTakeFirst();
    },

    async listPlans(): Promise<PlanRow[]> {
      return db.selectFrom('plans').selectAll().orderBy('id').execute();
    },

    async insertPlan(plan: { identityKey: string; title: string; docNumber: string | null; now: string }): Promise<number> {
      const row = await db
        .insertInto('plans')
        .values({ identity_key: plan.identityKey, title: plan.title, doc_number: plan.docNumber, created_at: plan.now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async insertChapter(chapter: { planId: number; number: number; title: string; position: number }): Promise<number> {
      const row = await db
        .insertInto('chapters')
        .values({ plan_id: chapter.planId, number: chapter.number, title: chapter.title, position: chapter.position })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async insertSection(section: { chapterId: number; number: number; title: string; position: number }): Promise<number> {
      const row = await db
        .insertInto('sections')
        .values({ chapter_id: section.chapterId, number: section.number, title: section.title, position: section.position })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    /** Inserts many tasks in a few statements; `taskIdsByPosition` gives their ids back. */
    async insertTasks(tasks: readonly Insertable<TasksTable>[]): Promise<void> {
      for (const batch of batches(tasks)) await db.insertInto('tasks').values(batch).execute();
      // A task's first version is its own lineage (020).
      for (const planId of new Set(tasks.map((task) => task.plan_id)))
        await db
          .updateTable('tasks')
          .set((eb) => ({ lineage: eb.ref('id') }))
          .where('plan_id', '=', planId)
          .where('lineage', 'is', null)
          .execute();
    },

    /** Task ids of a plan keyed by position (ids are not assumed to follow insertion order). */
    async taskIdsByPosition(planId: number): Promise<Map<number, number>> {
      const rows = await db.selectFrom('tasks').select(['id', 'position']).where('plan_id', '=', planId).execute();
      return new Map(rows.map((row) => [row.position, row.id]));
    },

    async insertTaskLeaders(rows: readonly Insertable<TaskLeadersTable>[]): Promise<void> {
      for (const batch of batches(rows)) await db.insertInto('task_leaders').values(batch).execute();
    },

    async insertTaskUnits(rows: readonly Insertable<TaskUnitsTable>[]): Promise<void> {
      for (const batch of batches(rows)) await db.insertInto('task_units').values(batch).execute();
    },

    async listChaptersOfPlan(planId: number, which: PlanRows = 'all'): Promise<StoredChapter[]> {
      return db
        .selectFrom('chapters')
        .select(['id', 'number', 'title', 'position'])
        .where('plan_id', '=', planId)
        .$if(which === 'current', (query) => query.where('retired_at', 'is', null))
        .orderBy('position')
        .execute();
    },

    async listSectionsOfPlan(planId: number, which: PlanRows = 'all'): Promise<StoredSection[]> {
      return db
        .selectFrom('sections')
        .innerJoin('chapters', 'chapters.id', 'sections.chapter_id')
        .select(['sections.id', 'sections.chapter_id as chapterId', 'sections.number', 'sections.title', 'sections.position'])
        .where('chapters.plan_id', '=', planId)
        .$if(which === 'current', (query) => query.where('chapters.retired_at', 'is', null).where('sections.retired_at', 'is', null))
        .orderBy('chapters.position')
        .orderBy('sections.position')
        .execute();
    },

    async listTasksOfPlan(planId: number, which: PlanRows = 'all'): Promise<StoredTask[]> {
      return db
        .selectFrom('tasks')
        .leftJoin('departments', 'departments.id', 'tasks.lead_department_id')
        .select(['tasks.id', 'tasks.section_id as sectionId', 'tasks.position', 'tasks.text', 'departments.name as leadDepartment', 'tasks.due'])
        .where('tasks.plan_id', '=', planId)
        .$if(which === 'current', (query) => query.where('tasks.retired_at', 'is', null))
        .orderBy('tasks.position')
        .execute();
    },

    /** Every task's leaders, in task order and then in the order the plan names them. */
    async listTaskLeadersOfPlan(planId: number, which: PlanRows = 'all'): Promise<StoredTaskLeader[]> {
      return db
        .selectFrom('task_leaders')
        .innerJoin('tasks', 'tasks.id', 'task_leaders.task_id')
        .innerJoin('leaders', 'leaders.id', 'task_leaders.leader_id')
        .select(['task_leaders.task_id as taskId', 'leaders.name'])
        .where('tasks.plan_id', '=', planId)
        .$if(which === 'current', (query) => query.where('tasks.retired_at', 'is', null))
        .orderBy('tasks.position')
        .orderBy('task_leaders.position')
        .execute();
    },

    /** Every task's units, lead unit first, in task order. */
    async listTaskUnitsOfPlan(planId: number, which: PlanRows = 'all'): Promise<StoredTaskUnit[]> {
      return db
        .selectFrom('task_units')
        .innerJoin('tasks', 'tasks.id', 'task_units.task_id')
        .innerJoin('units', 'units.id', 'task_units.unit_id')
        .select(['task_units.task_id as taskId', 'units.name', 'task_units.role'])
        .where('tasks.plan_id', '=', planId)
        .$if(which === 'current', (query) => query.where('tasks.retired_at', 'is', null))
        .orderBy('tasks.position')
        .orderBy('task_units.position')
        .execute();
    },
  };
}

export type PlanRepository = ReturnType<typeof createPlanRepository>;
