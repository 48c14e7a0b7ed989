import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';

/** A unit asked for a task in a round: listed on it, or answering it for a collective unit (012). */
export type AskedPair = { roundId: number; taskId: number; unitId: number; unitName: string; collective: number };
/** What the evaluation and the dashboard read of an answer: not its text, only whether it has one. */
export type AnswerFact = { roundId: number; taskId: number; unitId: number | null; status: string | null; hasText: number };
export type SubmissionFact = { id: number; roundId: number; unitId: number; state: string; submittedLate: number; deadline: string | null };
export type TaskFact = { taskId: number; lineage: number; chapterNumber: number; chapterTitle: string; position: number };

/**
 * The reads behind 考核 and the leaders' dashboard (issue 15), each over many rounds at once so a
 * plan of ten rounds costs a handful of queries, not ten times each.
 */
export function createEvaluationRepository(db: Kysely<DB>) {
  return {
    async listAskedPairs(roundIds: readonly number[]): Promise<AskedPair[]> {
      if (roundIds.length === 0) return [];
      const ids = [...roundIds];
      const [listed, members] = await Promise.all([
        db
          .selectFrom('round_tasks')
          .innerJoin('task_units', 'task_units.task_id', 'round_tasks.task_id')
          .innerJoin('units', 'units.id', 'task_units.unit_id')
          .select(['round_tasks.round_id as roundId', 'round_tasks.task_id as taskId', 'units.id as unitId', 'units.name as unitName', 'units.collective'])
          .where('round_tasks.round_id', 'in', ids)
          .execute(),
        db
          .selectFrom('round_task_units')
          .innerJoin('units', 'units.id', 'round_task_units.unit_id')
          .select([
            'round_task_units.round_id as roundId',
            'round_task_units.task_id as taskId',
            'units.id as unitId',
            'units.name as unitName',
            'units.collective',
          ])
          .where('round_task_units.round_id', 'in', ids)
          .execute(),
      ]);
      return [...listed, ...members].map((row) => ({ ...row, collective: Number(row.collective) }));
    },

    async listAnswerFacts(roundIds: readonly number[]): Promise<AnswerFact[]> {
      if (roundIds.length === 0) return [];
      const rows = await db
        .selectFrom('progress_entries')
        .select([
          'round_id as roundId',
          'task_id as taskId',
          'unit_id as unitId',
          'status',
          sql<number>`case when length(trim(text)) > 0 then 1 else 0 end`.as('hasText'),
        ])
        .where('round_id', 'in', [...roundIds])
        .execute();
      return rows.map((row) => ({ ...row, hasText: Number(row.hasText) }));
    },

    async listSubmissionFacts(roundIds: readonly number[]): Promise<SubmissionFact[]> {
      if (roundIds.length === 0) return [];
      return db
        .selectFrom('unit_submissions')
        .select(['id', 'round_id as roundId', 'unit_id as unitId', 'state', 'submitted_late as submittedLate', 'deadline'])
        .where('round_id', 'in', [...roundIds])
        .execute();
    },

    /**
     * How many times each submission was returned: its audited moves into 'returned' (the
     * office's return and reopen, and a review that returned some answers), read from the audit
     * log, the one record of every move (submission.service.ts writes `to` into each row's detail).
     */
    async countReturns(submissionIds: readonly number[]): Promise<Map<number, number>> {
      const counts = new Map<number, number>();
      if (submissionIds.length === 0) return counts;
      const rows = await db
        .selectFrom('audit_events')
        .select(['object_id', 'detail'])
        .where('object_type', '=', 'unit_submission')
        .where('object_id', 'in', submissionIds.map(String))
        .where('action', 'like', 'submission.%')
        .where('detail', 'like', '%"to":"returned"%')
        .execute();
      for (const row of rows) {
        const detail = JSON.parse(row.detail) as { from?: string; to?: string };
        if (detail.to !== 'returned' || detail.from === 'returned') continue;
        const id = Number(row.object_id);
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return counts;
    },

    /** Each task's chapter and lineage, for tasks of the rounds. */
    async listTaskFacts(roundIds: readonly number[]): Promise<TaskFact[]> {
      if (roundIds.length === 0) return [];
      const rows = await db
        .selectFrom('tasks')
        .innerJoin('sections', 'sections.id', 'tasks.section_id')
        .innerJoin('chapters', 'chapters.id', 'sections.chapter_id')
        .select(['tasks.id as taskId', 'tasks.lineage', 'chapters.number as chapterNumber', 'chapters.title as chapterTitle', 'tasks.position'])
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('round_tasks')
              .select('round_tasks.task_id')
              .whereRef('round_tasks.task_id', '=', 'tasks.id')
              .where('round_tasks.round_id', 'in', [...roundIds]),
          ),
        )
        .execute();
      return rows.map((row) => ({ ...row, lineage: row.lineage ?? row.taskId }));
    },

    /** The leaders of the rounds' tasks, in the order the plan names them. */
    async listTaskLeaders(roundIds: readonly number[]): Promise<{ taskId: number; name: string }[]> {
      if (roundIds.length === 0) return [];
      return db
        .selectFrom('task_leaders')
        .innerJoin('leaders', 'leaders.id', 'task_leaders.leader_id')
        .select(['task_leaders.task_id as taskId', 'leaders.name'])
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('round_tasks')
              .select('round_tasks.task_id')
              .whereRef('round_tasks.task_id', '=', 'task_leaders.task_id')
              .where('round_tasks.round_id', 'in', [...roundIds]),
          ),
        )
        .orderBy('task_leaders.task_id')
        .orderBy('task_leaders.position')
        .execute();
    },
  };
}

export type EvaluationRepository = ReturnType<typeof createEvaluationRepository>;
