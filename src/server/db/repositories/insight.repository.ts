import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { ActualDecisionRow, IndicatorDecisionRow } from '../schema-insights.ts';

/** A task of a round, with where it sits in the plan (its index in the section is counted by the caller). */
export type InsightTaskRecord = {
  id: number;
  lineage: number;
  position: number;
  text: string;
  chapterNumber: number;
  chapterTitle: string;
  sectionId: number;
  sectionNumber: number;
};

export type InsightTaskUnitRecord = { taskId: number; unitId: number; name: string; role: 'lead' | 'co'; collective: number };
export type InsightAnswerRecord = {
  taskId: number;
  lineage: number;
  unitId: number | null;
  unitName: string | null;
  text: string;
  copiedUnchanged: number | null;
};

/** A task found for a decision: its lineage, and the plan it belongs to. */
export type DecisionTaskRecord = { id: number; lineage: number; planId: number; text: string };

/**
 * The reads behind the insight pass (issue 15) and the office's decisions on its proposals. Every
 * read of a round is one statement over the round's tasks (joins, never lists of ids), so a round
 * of 10,000 tasks costs the same handful of queries as the seed's 111.
 */
export function createInsightRepository(db: Kysely<DB>) {
  /** The lineages of a round's tasks, as a sub-select. */
  const lineagesOfRound = (roundId: number) =>
    db
      .selectFrom('round_tasks')
      .innerJoin('tasks', 'tasks.id', 'round_tasks.task_id')
      .select(sql<number>`coalesce(tasks.lineage, tasks.id)`.as('lineage'))
      .where('round_tasks.round_id', '=', roundId);

  return {
    /** Every round (not voided) with its plan's title: the CLI finds a round by label among them. */
    async listRoundsWithPlans(): Promise<{ id: number; label: string; planId: number; planTitle: string }[]> {
      return db
        .selectFrom('rounds')
        .innerJoin('plans', 'plans.id', 'rounds.plan_id')
        .select(['rounds.id', 'rounds.label', 'plans.id as planId', 'plans.title as planTitle'])
        .where('rounds.status', '<>', 'void')
        .orderBy('rounds.plan_id')
        .orderBy('rounds.id')
        .execute();
    },

    /** The round's tasks in plan order, with their chapter and section. */
    async listTasksOfRound(roundId: number): Promise<InsightTaskRecord[]> {
      return db
        .selectFrom('round_tasks')
        .innerJoin('tasks', 'tasks.id', 'round_tasks.task_id')
        .innerJoin('sections', 'sections.id', 'tasks.section_id')
        .innerJoin('chapters', 'chapters.id', 'sections.chapter_id')
        .select([
          'tasks.id',
          sql<number>`coalesce(tasks.lineage, tasks.id)`.as('lineage'),
          'tasks.position',
          'tasks.text',
          'chapters.number as chapterNumber',
          'chapters.title as chapterTitle',
          'sections.id as sectionId',
          'sections.number as sectionNumber',
        ])
        .where('round_tasks.round_id', '=', roundId)
        .orderBy('tasks.position')
        .execute();
    },

    /** The units each of the round's tasks names, in the plan's order, with the collective flag (012). */
    async listUnitsOfRound(roundId: number): Promise<InsightTaskUnitRecord[]> {
      return db
        .selectFrom('round_tasks')
        .innerJoin('task_units', 'task_units.task_id', 'round_tasks.task_id')
        .innerJoin('units', 'units.id', 'task_units.unit_id')
        .select(['task_units.task_id as taskId', 'units.id as unitId', 'units.name', 'task_units.role', 'units.collective'])
        .where('round_tasks.round_id', '=', roundId)
        .orderBy('task_units.task_id')
        .orderBy('task_units.position')
        .execute();
    },

    async listLeadersOfRound(roundId: number): Promise<{ taskId: number; name: string }[]> {
      return db
        .selectFrom('round_tasks')
        .innerJoin('task_leaders', 'task_leaders.task_id', 'round_tasks.task_id')
        .innerJoin('leaders', 'leaders.id', 'task_leaders.leader_id')
        .select(['task_leaders.task_id as taskId', 'leaders.name'])
        .where('round_tasks.round_id', '=', roundId)
        .orderBy('task_leaders.task_id')
        .orderBy('task_leaders.position')
        .execute();
    },

    /**
     * The answers with text written in a round, each with its task's lineage (020), so the caller
     * matches last round's answers to this round's versions of the tasks (a join on lineage here
     * made SQLite walk every answer per task: 200 ms a round of 1,000 tasks, against 5 ms this way).
     */
    async listAnswersOfRound(roundId: number): Promise<InsightAnswerRecord[]> {
      const rows = await db
        .selectFrom('progress_entries')
        .innerJoin('tasks', 'tasks.id', 'progress_entries.task_id')
        .leftJoin('units', 'units.id', 'progress_entries.unit_id')
        .select([
          'progress_entries.task_id as taskId',
          sql<number>`coalesce(tasks.lineage, tasks.id)`.as('lineage'),
          'progress_entries.unit_id as unitId',
          'units.name as unitName',
          'progress_entries.text',
          'progress_entries.copied_unchanged as copiedUnchanged',
        ])
        .where('progress_entries.round_id', '=', roundId)
        .orderBy('progress_entries.task_id')
        .orderBy('progress_entries.position')
        .execute();
      return rows.filter((row) => row.text.trim() !== '');
    },

    /** Live rounds: who was asked to answer which task — the units the task names, and members answering for a collective unit (012). */
    async listAskedPairs(roundId: number): Promise<{ taskId: number; unitId: number }[]> {
      return db
        .selectFrom('round_tasks')
        .innerJoin('task_units', 'task_units.task_id', 'round_tasks.task_id')
        .select(['task_units.task_id as taskId', 'task_units.unit_id as unitId'])
        .where('round_tasks.round_id', '=', roundId)
        .union(db.selectFrom('round_task_units').select(['task_id as taskId', 'unit_id as unitId']).where('round_id', '=', roundId))
        .execute();
    },

    /** The office's decisions on the indicators of the round's tasks. */
    async listIndicatorDecisionsOfRound(roundId: number): Promise<IndicatorDecisionRow[]> {
      return db.selectFrom('indicator_decisions').selectAll().where('task_lineage', 'in', lineagesOfRound(roundId)).orderBy('id').execute();
    },

    async listActualDecisionsOfRound(roundId: number): Promise<ActualDecisionRow[]> {
      return db.selectFrom('actual_decisions').selectAll().where('round_id', '=', roundId).orderBy('id').execute();
    },

    async findTask(taskId: number): Promise<DecisionTaskRecord | undefined> {
      return db
        .selectFrom('tasks')
        .select(['id', sql<number>`coalesce(lineage, id)`.as('lineage'), 'plan_id as planId', 'text'])
        .where('id', '=', taskId)
        .executeTakeFirst();
    },

    /** The texts of the tasks before this one in its section (current and earlier versions alike, in plan order): where its context year is written. */
    async listEarlierTextsOfSection(taskId: number): Promise<string[]> {
      const rows = await db
        .selectFrom('tasks as task')
        .innerJoin('tasks as earlier', 'earlier.section_id', 'task.section_id')
        .select('earlier.text')
        .where('task.id', '=', taskId)
        .whereRef('earlier.position', '<', 'task.position')
        .where('earlier.retired_at', 'is', null)
        .orderBy('earlier.position')
        .execute();
      return rows.map((row) => row.text);
    },

    async isTaskOfRound(roundId: number, taskId: number): Promise<boolean> {
      const row = await db.selectFrom('round_tasks').select('task_id').where('round_id', '=', roundId).where('task_id', '=', taskId).executeTakeFirst();
      return row !== undefined;
    },

    async findIndicatorDecision(lineage: number, key: string): Promise<IndicatorDecisionRow | undefined> {
      return db.selectFrom('indicator_decisions').selectAll().where('task_lineage', '=', lineage).where('key', '=', key).executeTakeFirst();
    },

    /** Writes the decision on (lineage, key), replacing any earlier one. */
    async saveIndicatorDecision(decision: Omit<IndicatorDecisionRow, 'id'>): Promise<void> {
      const { task_lineage, key, ...change } = decision;
      const updated = await db
        .updateTable('indicator_decisions')
        .set(change)
        .where('task_lineage', '=', task_lineage)
        .where('key', '=', key)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) await db.insertInto('indicator_decisions').values(decision).execute();
    },

    async findActualDecision(roundId: number, lineage: number, key: string, unitId: number | null): Promise<ActualDecisionRow | undefined> {
      return db
        .selectFrom('actual_decisions')
        .selectAll()
        .where('round_id', '=', roundId)
        .where('task_lineage', '=', lineage)
        .where('key', '=', key)
        .where('unit_id', unitId === null ? 'is' : '=', unitId)
        .executeTakeFirst();
    },

    /** Writes the decision on (round, lineage, key, unit), replacing any earlier one; a NULL unit is one unit like any other. */
    async saveActualDecision(decision: Omit<ActualDecisionRow, 'id'>): Promise<void> {
      const { round_id, task_lineage, key, unit_id, ...change } = decision;
      const updated = await db
        .updateTable('actual_decisions')
        .set(change)
        .where('round_id', '=', round_id)
        .where('task_lineage', '=', task_lineage)
        .where('key', '=', key)
        .where('unit_id', unit_id === null ? 'is' : '=', unit_id)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) await db.insertInto('actual_decisions').values(decision).execute();
    },

    /** The unit's name, or undefined when there is no such unit. */
    /** Whether the round holds an answer with text to the task from the unit (null: one the imported document names nobody for). */
    async hasAnswer(roundId: number, taskId: number, unitId: number | null): Promise<boolean> {
      const row = await db
        .selectFrom('progress_entries')
        .select('id')
        .where('round_id', '=', roundId)
        .where('task_id', '=', taskId)
        .where('unit_id', unitId === null ? 'is' : '=', unitId)
        .where(sql<boolean>`length(trim(text)) > 0`)
        .executeTakeFirst();
      return row !== undefined;
    },

    async findUnitName(unitId: number): Promise<string | undefined> {
      return (await db.selectFrom('units').select('name').where('id', '=', unitId).executeTakeFirst())?.name;
    },
  };
}

export type InsightRepository = ReturnType<typeof createInsightRepository>;
