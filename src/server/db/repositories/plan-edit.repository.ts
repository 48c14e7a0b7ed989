import { sql, type Kysely, type Selectable } from 'kysely';
import type { ChaptersTable, DB, PlanRevisionsTable, SectionsTable, TasksTable } from '../schema.ts';
import { batches } from './batch.ts';

export type TaskRow = Selectable<TasksTable>;
export type ChapterRow = Selectable<ChaptersTable>;
export type SectionRow = Selectable<SectionsTable> & { plan_id: number };
export type RevisionRow = Selectable<PlanRevisionsTable>;
export type TaskUnitAssignment = { unitId: number; name: string; role: 'lead' | 'co' };
export type EditableTaskRecord = {
  id: number;
  lineage: number;
  sectionId: number;
  position: number;
  text: string;
  leadDepartment: string | null;
  due: string | null;
  version: number;
  retiredAt: string | null;
};

/**
 * The SQL of plan editing (020): chapters, sections and task versions, their revisions, copy and
 * archive, and the open rounds a unit answers in across plans. A task a round covers is never
 * updated here but replaced (see `insertTaskVersion`); one nobody covers is updated in place.
 */
export function createPlanEditRepository(db: Kysely<DB>) {
  return {
    /**
     * The plan as it stands: every chapter and section (withdrawn ones too), and each task's
     * latest version (withdrawn ones too, never versions replaced by a newer one).
     */
    async listStructure(planId: number) {
      const chapters = await db.selectFrom('chapters').selectAll().where('plan_id', '=', planId).orderBy('position').execute();
      const sections = await db
        .selectFrom('sections')
        .innerJoin('chapters', 'chapters.id', 'sections.chapter_id')
        .selectAll('sections')
        .where('chapters.plan_id', '=', planId)
        .orderBy('chapters.position')
        .orderBy('sections.position')
        .execute();
      const tasks = (
        await db
          .selectFrom('tasks')
          .leftJoin('departments', 'departments.id', 'tasks.lead_department_id')
          .select([
            'tasks.id',
            'tasks.lineage',
            'tasks.section_id as sectionId',
            'tasks.position',
            'tasks.text',
            'departments.name as leadDepartment',
            'tasks.due',
            'tasks.version',
            'tasks.retired_at as retiredAt',
          ])
          .where('tasks.plan_id', '=', planId)
          .where('tasks.replaced_by', 'is', null)
          .orderBy('tasks.position')
          .execute()
      ).map((row): EditableTaskRecord => ({ ...row, lineage: row.lineage ?? row.id }));
      const latest = () => db.selectFrom('tasks').select('tasks.id').where('tasks.plan_id', '=', planId).where('tasks.replaced_by', 'is', null);
      const leaders = await db
        .selectFrom('task_leaders')
        .innerJoin('leaders', 'leaders.id', 'task_leaders.leader_id')
        .select(['task_leaders.task_id as taskId', 'leaders.name'])
        .where('task_leaders.task_id', 'in', latest())
        .orderBy('task_leaders.task_id')
        .orderBy('task_leaders.position')
        .execute();
      const units = await db
        .selectFrom('task_units')
        .innerJoin('units', 'units.id', 'task_units.unit_id')
        .select(['task_units.task_id as taskId', 'units.name', 'task_units.role'])
        .where('task_units.task_id', 'in', latest())
        .orderBy('task_units.task_id')
        .orderBy('task_units.position')
        .execute();
      return { chapters, sections, tasks, leaders, units };
    },

    async findChapter(chapterId: number): Promise<ChapterRow | undefined> {
      return db.selectFrom('chapters').selectAll().where('id', '=', chapterId).executeTakeFirst();
    },

    async findSection(sectionId: number): Promise<SectionRow | undefined> {
      return db
        .selectFrom('sections')
        .innerJoin('chapters', 'chapters.id', 'sections.chapter_id')
        .selectAll('sections')
        .select('chapters.plan_id')
        .where('sections.id', '=', sectionId)
        .executeTakeFirst();
    },

    async findTask(taskId: number): Promise<TaskRow | undefined> {
      return db.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
    },

    /** The next chapter number and place of a plan (numbers run on; withdrawn ones keep theirs). */
    async nextChapterSlot(planId: number): Promise<{ number: number; position: number }> {
      const row = await db
        .selectFrom('chapters')
        .select((eb) => [eb.fn.max('number').as('number'), eb.fn.max('position').as('position')])
        .where('plan_id', '=', planId)
        .executeTakeFirst();
      return { number: Number(row?.number ?? 0) + 1, position: Number(row?.position ?? 0) + 1 };
    },

    async nextSectionSlot(chapterId: number): Promise<{ number: number; position: number }> {
      const row = await db
        .selectFrom('sections')
        .select((eb) => [eb.fn.max('number').as('number'), eb.fn.max('position').as('position')])
        .where('chapter_id', '=', chapterId)
        .executeTakeFirst();
      return { number: Number(row?.number ?? 0) + 1, position: Number(row?.position ?? 0) + 1 };
    },

    async setChapterTitle(chapterId: number, title: string): Promise<void> {
      await db.updateTable('chapters').set({ title }).where('id', '=', chapterId).execute();
    },

    async setSectionTitle(sectionId: number, title: string): Promise<void> {
      await db.updateTable('sections').set({ title }).where('id', '=', sectionId).execute();
    },

    /** Withdraws a chapter and, with it, its sections: nothing can be added or moved under it after. */
    async retireChapter(chapterId: number, at: string): Promise<void> {
      await db.updateTable('chapters').set({ retired_at: at }).where('id', '=', chapterId).execute();
      await db.updateTable('sections').set({ retired_at: at }).where('chapter_id', '=', chapterId).where('retired_at', 'is', null).execute();
    },

    async retireSection(sectionId: number, at: string): Promise<void> {
      await db.updateTable('sections').set({ retired_at: at }).where('id', '=', sectionId).execute();
    },

    /** Current (not retired) tasks under a chapter or a section. */
    async countCurrentTasks(place: { chapterId: number } | { sectionId: number }): Promise<number> {
      let query = db
        .selectFrom('tasks')
        .innerJoin('sections', 'sections.id', 'tasks.section_id')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('tasks.retired_at', 'is', null);
      query = 'chapterId' in place ? query.where('sections.chapter_id', '=', place.chapterId) : query.where('tasks.section_id', '=', place.sectionId);
      return Number((await query.executeTakeFirstOrThrow()).n);
    },

    async countCurrentSections(chapterId: number): Promise<number> {
      const row = await db
        .selectFrom('sections')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('chapter_id', '=', chapterId)
        .where('retired_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** How many rounds (voided ones aside) cover a task under this chapter or section: its title is in their tables and notices. */
    async countRoundsUnder(place: { chapterId: number } | { sectionId: number }): Promise<number> {
      let query = db
        .selectFrom('round_tasks')
        .innerJoin('rounds', 'rounds.id', 'round_tasks.round_id')
        .innerJoin('tasks', 'tasks.id', 'round_tasks.task_id')
        .innerJoin('sections', 'sections.id', 'tasks.section_id')
        .select((eb) => eb.fn.count<number | string>('rounds.id').distinct().as('n'))
        .where('rounds.status', '<>', 'void');
      query = 'chapterId' in place ? query.where('sections.chapter_id', '=', place.chapterId) : query.where('tasks.section_id', '=', place.sectionId);
      return Number((await query.executeTakeFirstOrThrow()).n);
    },

    /** Whether any round (a voided one aside: it held nothing) covers this task row. */
    async isTaskCovered(taskId: number): Promise<boolean> {
      const row = await db
        .selectFrom('round_tasks')
        .innerJoin('rounds', 'rounds.id', 'round_tasks.round_id')
        .select('round_tasks.task_id')
        .where('round_tasks.task_id', '=', taskId)
        .where('rounds.status', '<>', 'void')
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async taskLeaders(taskId: number): Promise<{ leaderId: number; name: string }[]> {
      return db
        .selectFrom('task_leaders')
        .innerJoin('leaders', 'leaders.id', 'task_leaders.leader_id')
        .select(['leaders.id as leaderId', 'leaders.name'])
        .where('task_leaders.task_id', '=', taskId)
        .orderBy('task_leaders.position')
        .execute();
    },

    async taskUnits(taskId: number): Promise<TaskUnitAssignment[]> {
      return db
        .selectFrom('task_units')
        .innerJoin('units', 'units.id', 'task_units.unit_id')
        .select(['units.id as unitId', 'units.name', 'task_units.role'])
        .where('task_units.task_id', '=', taskId)
        .orderBy('task_units.position')
        .execute();
    },

    async departmentName(departmentId: number | null): Promise<string | null> {
      if (departmentId === null) return null;
      return (await db.selectFrom('departments').select('name').where('id', '=', departmentId).executeTakeFirst())?.name ?? null;
    },

    /** Ids of the stored names of one kind; names not stored are absent. */
    async idsByName(table: 'units' | 'leaders' | 'departments', names: readonly string[]): Promise<Map<string, number>> {
      const ids = new Map<string, number>();
      for (const batch of batches([...new Set(names)])) {
        const rows = await db.selectFrom(table).select(['id', 'name']).where('name', 'in', batch).execute();
        for (const row of rows) ids.set(row.name, row.id);
      }
      return ids;
    },

    /** Every name a task can be given, for the editing forms. */
    async listNames(): Promise<{ units: string[]; leaders: string[]; departments: string[] }> {
      const [units, leaders, departments] = await Promise.all([
        db.selectFrom('units').select('name').orderBy('id').execute(),
        db.selectFrom('leaders').select('name').orderBy('id').execute(),
        db.selectFrom('departments').select('name').orderBy('id').execute(),
      ]);
      return { units: units.map((r) => r.name), leaders: leaders.map((r) => r.name), departments: departments.map((r) => r.name) };
    },

    async insertTask(task: {
      planId: number;
      sectionId: number;
      position: number;
      text: string;
      leadDepartmentId: number | null;
      due: string | null;
      version: number;
      lineage: number | null;
      now: string;
    }): Promise<number> {
      const row = await db
        .insertInto('tasks')
        .values({
          plan_id: task.planId,
          section_id: task.sectionId,
          position: task.position,
          text: task.text,
          lead_department_id: task.leadDepartmentId,
          due: task.due,
          version: task.version,
          lineage: task.lineage,
          created_at: task.now,
          updated_at: task.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (task.lineage === null) await db.updateTable('tasks').set({ lineage: row.id }).where('id', '=', row.id).execute();
      return row.id;
    },

    /** An in-place edit of a task no round covers; 0 when its version moved on meanwhile. */
    async updateTask(
      taskId: number,
      expectedVersion: number,
      change: { sectionId: number; text: string; leadDepartmentId: number | null; due: string | null; now: string },
    ): Promise<number> {
      const result = await db
        .updateTable('tasks')
        .set({
          section_id: change.sectionId,
          text: change.text,
          lead_department_id: change.leadDepartmentId,
          due: change.due,
          version: expectedVersion + 1,
          updated_at: change.now,
        })
        .where('id', '=', taskId)
        .where('version', '=', expectedVersion)
        .where('retired_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Retires a task for future rounds (replaced by a new version, or withdrawn); 0 when its version moved on. */
    async retireTask(taskId: number, expectedVersion: number, at: string, replacedBy: number | null): Promise<number> {
      const result = await db
        .updateTable('tasks')
        .set({ retired_at: at, replaced_by: replacedBy, updated_at: at })
        .where('id', '=', taskId)
        .where('version', '=', expectedVersion)
        .where('retired_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async setTaskLeaders(taskId: number, leaderIds: readonly number[]): Promise<void> {
      await db.deleteFrom('task_leaders').where('task_id', '=', taskId).execute();
      if (leaderIds.length > 0)
        await db
          .insertInto('task_leaders')
          .values(leaderIds.map((leaderId, index) => ({ task_id: taskId, leader_id: leaderId, position: index + 1 })))
          .execute();
    },

    async setTaskUnits(taskId: number, units: readonly { unitId: number; role: 'lead' | 'co' }[]): Promise<void> {
      await db.deleteFrom('task_units').where('task_id', '=', taskId).execute();
      if (units.length > 0)
        await db
          .insertInto('task_units')
          .values(units.map((unit, index) => ({ task_id: taskId, unit_id: unit.unitId, role: unit.role, position: index + 1 })))
          .execute();
    },

    /**
     * Renumbers a plan's tasks in reading order (chapter, section, place) after one was added or
     * moved; only the rows whose place changes are written.
     */
    async renumberTasks(planId: number, placeAfter?: { taskId: number; afterPosition: number }): Promise<void> {
      const rows = await db
        .selectFrom('tasks')
        .innerJoin('sections', 'sections.id', 'tasks.section_id')
        .innerJoin('chapters', 'chapters.id', 'sections.chapter_id')
        .select(['tasks.id', 'tasks.position', 'chapters.position as chapterPosition', 'sections.position as sectionPosition'])
        .where('tasks.plan_id', '=', planId)
        .execute();
      const key = (row: (typeof rows)[number]) => (placeAfter && row.id === placeAfter.taskId ? placeAfter.afterPosition + 0.5 : row.position);
      rows.sort((a, b) => a.chapterPosition - b.chapterPosition || a.sectionPosition - b.sectionPosition || key(a) - key(b) || a.id - b.id);
      // (plan_id, position) is unique: the rows that move step aside to negative places first.
      const moving = rows.map((row, index) => ({ id: row.id, from: row.position, to: index + 1 })).filter((row) => row.from !== row.to);
      for (const [index, row] of moving.entries())
        await db
          .updateTable('tasks')
          .set({ position: -(index + 1) })
          .where('id', '=', row.id)
          .execute();
      for (const row of moving) await db.updateTable('tasks').set({ position: row.to }).where('id', '=', row.id).execute();
    },

    /** A free place at the end of a plan, for a row about to be renumbered into its slot. */
    async endPosition(planId: number): Promise<number> {
      const row = await db
        .selectFrom('tasks')
        .select((eb) => eb.fn.max('position').as('p'))
        .where('plan_id', '=', planId)
        .executeTakeFirst();
      return Number(row?.p ?? 0) + 1;
    },

    /** The last place inside a section (0 when it holds no task). */
    async lastPositionInSection(sectionId: number): Promise<number> {
      const row = await db
        .selectFrom('tasks')
        .select((eb) => eb.fn.max('position').as('p'))
        .where('section_id', '=', sectionId)
        .executeTakeFirst();
      return Number(row?.p ?? 0);
    },

    async insertRevision(revision: {
      planId: number;
      objectType: 'plan' | 'chapter' | 'section' | 'task';
      objectId: number;
      lineage: number | null;
      kind: string;
      changes: readonly { field: string; from: unknown; to: unknown }[];
      reason: string;
      authorUserId: number | null;
      authorName: string;
      at: string;
    }): Promise<number> {
      const row = await db
        .insertInto('plan_revisions')
        .values({
          plan_id: revision.planId,
          object_type: revision.objectType,
          object_id: revision.objectId,
          lineage: revision.lineage,
          kind: revision.kind,
          changes: JSON.stringify(revision.changes),
          last_round_id: db
            .selectFrom('rounds')
            .select((eb) => eb.fn.max('id').as('id'))
            .where('plan_id', '=', revision.planId),
          reason: revision.reason,
          author_user_id: revision.authorUserId,
          author_name: revision.authorName,
          at: revision.at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async listRevisionsOfLineage(lineage: number): Promise<RevisionRow[]> {
      return db.selectFrom('plan_revisions').selectAll().where('lineage', '=', lineage).orderBy('id').execute();
    },

    async listRevisionsOfPlan(planId: number): Promise<RevisionRow[]> {
      return db.selectFrom('plan_revisions').selectAll().where('plan_id', '=', planId).orderBy('id').execute();
    },

    /** A plan's rounds (voided ones aside), oldest first: a change applies from the first after its `last_round_id`. */
    async listRoundOpenings(planId: number): Promise<{ id: number; label: string }[]> {
      return db.selectFrom('rounds').select(['id', 'label']).where('plan_id', '=', planId).where('status', '<>', 'void').orderBy('id').execute();
    },

    async countOpenRounds(planId: number): Promise<{ n: number; labels: string[] }> {
      const rows = await db.selectFrom('rounds').select('label').where('plan_id', '=', planId).where('status', '=', 'open').orderBy('id').execute();
      return { n: rows.length, labels: rows.map((r) => r.label) };
    },

    async archivePlan(planId: number, at: string): Promise<number> {
      const result = await db.updateTable('plans').set({ archived_at: at }).where('id', '=', planId).where('archived_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async setCopiedFrom(planId: number, sourcePlanId: number): Promise<void> {
      await db.updateTable('plans').set({ copied_from_plan_id: sourcePlanId }).where('id', '=', planId).execute();
    },

    /**
     * Copies a plan's current chapters, sections and tasks (not withdrawn ones) into another plan,
     * each task keeping its lineage; returns the number of tasks copied.
     */
    async copyStructure(sourcePlanId: number, targetPlanId: number, now: string): Promise<number> {
      const chapters = await db
        .selectFrom('chapters')
        .selectAll()
        .where('plan_id', '=', sourcePlanId)
        .where('retired_at', 'is', null)
        .orderBy('position')
        .execute();
      let tasksCopied = 0;
      let position = 0;
      for (const chapter of chapters) {
        const chapterId = (
          await db
            .insertInto('chapters')
            .values({ plan_id: targetPlanId, number: chapter.number, title: chapter.title, position: chapter.position })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        const sections = await db
          .selectFrom('sections')
          .selectAll()
          .where('chapter_id', '=', chapter.id)
          .where('retired_at', 'is', null)
          .orderBy('position')
          .execute();
        for (const section of sections) {
          const sectionId = (
            await db
              .insertInto('sections')
              .values({ chapter_id: chapterId, number: section.number, title: section.title, position: section.position })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id;
          const tasks = await db
            .selectFrom('tasks')
            .selectAll()
            .where('section_id', '=', section.id)
            .where('retired_at', 'is', null)
            .orderBy('position')
            .execute();
          for (const task of tasks) {
            position += 1;
            const taskId = (
              await db
                .insertInto('tasks')
                .values({
                  plan_id: targetPlanId,
                  section_id: sectionId,
                  position,
                  text: task.text,
                  lead_department_id: task.lead_department_id,
                  due: task.due,
                  version: 1,
                  lineage: task.lineage ?? task.id,
                  created_at: now,
                  updated_at: now,
                })
                .returning('id')
                .executeTakeFirstOrThrow()
            ).id;
            await sql`insert into task_leaders (task_id, leader_id, position) select ${taskId}, leader_id, position from task_leaders where task_id = ${task.id}`.execute(
              db,
            );
            await sql`insert into task_units (task_id, unit_id, position, role) select ${taskId}, unit_id, position, role from task_units where task_id = ${task.id}`.execute(
              db,
            );
            tasksCopied += 1;
          }
        }
      }
      return tasksCopied;
    },

    /**
     * The open rounds of every plan not archived in which this unit has something to answer (a
     * submission: it was given tasks when the round opened), by plan and then round.
     */
    async listOpenRoundsOfUnit(
      unitId: number,
    ): Promise<{ planId: number; planTitle: string; roundId: number; label: string; deadline: string | null; state: string }[]> {
      return db
        .selectFrom('unit_submissions')
        .innerJoin('rounds', 'rounds.id', 'unit_submissions.round_id')
        .innerJoin('plans', 'plans.id', 'rounds.plan_id')
        .select(['plans.id as planId', 'plans.title as planTitle', 'rounds.id as roundId', 'rounds.label', 'rounds.deadline', 'unit_submissions.state'])
        .where('unit_submissions.unit_id', '=', unitId)
        .where('rounds.status', '=', 'open')
        .where('plans.archived_at', 'is', null)
        .orderBy('plans.id')
        .orderBy('rounds.id')
        .execute();
    },
  };
}

export type PlanEditRepository = ReturnType<typeof createPlanEditRepository>;
