import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.ts';

/** One unit's submission as the statistics read it (collective units left out). */
export type SubmissionStatisticsRecord = {
  unit_id: number;
  unit_name: string;
  state: string;
  submitted_at: string | null;
  submitted_late: number;
  deadline: string | null;
};

/** SQL of 报送情况统计 (issue 12): the submissions of a round and how many of its tasks have an answer. */
export function createRoundStatisticsRepository(db: Kysely<DB>) {
  return {
    /** Every submission of the round whose unit is not collective (各处(室) … are never chased). */
    async listUnitSubmissions(roundId: number): Promise<SubmissionStatisticsRecord[]> {
      const rows = await db
        .selectFrom('unit_submissions')
        .innerJoin('units', 'units.id', 'unit_submissions.unit_id')
        .select([
          'unit_submissions.unit_id',
          'units.name as unit_name',
          'unit_submissions.state',
          'unit_submissions.submitted_at',
          'unit_submissions.submitted_late',
          'unit_submissions.deadline',
        ])
        .where('unit_submissions.round_id', '=', roundId)
        .where('units.collective', '=', 0)
        .orderBy('units.name')
        .execute();
      return rows.map((row) => ({ ...row, submitted_late: Number(row.submitted_late) }));
    },

    /** Whether anyone submits in the round in the app at all (an imported round has no submission rows). */
    async hasSubmissions(roundId: number): Promise<boolean> {
      const row = await db.selectFrom('unit_submissions').select('id').where('round_id', '=', roundId).limit(1).executeTakeFirst();
      return row !== undefined;
    },

    /**
     * 滞后 (delayed) and 暂缓 (suspended) answers of the round that have left their unit: the
     * unit's answers are with its head or the office, or accepted, and this one was not returned.
     * A draft marked 滞后 is the unit's own business until it submits (decision 030).
     */
    async countFlaggedAnswers(roundId: number): Promise<{ delayed: number; suspended: number }> {
      const rows = await db
        .selectFrom('progress_entries')
        .innerJoin('unit_submissions', (join) =>
          join.onRef('unit_submissions.round_id', '=', 'progress_entries.round_id').onRef('unit_submissions.unit_id', '=', 'progress_entries.unit_id'),
        )
        .select(['progress_entries.status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('progress_entries.round_id', '=', roundId)
        .where('progress_entries.status', 'in', ['delayed', 'suspended'])
        .where('unit_submissions.state', 'in', ['submitted', 'approved', 'accepted'])
        .where((eb) => eb.or([eb('progress_entries.review_state', 'is', null), eb('progress_entries.review_state', '!=', 'returned')]))
        .groupBy('progress_entries.status')
        .execute();
      const count = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0);
      return { delayed: count('delayed'), suspended: count('suspended') };
    },

    /** Tasks of the round with at least one answer that has text. */
    async countAnsweredTasks(roundId: number): Promise<number> {
      const row = await db
        .selectFrom('progress_entries')
        .innerJoin('round_tasks', (join) =>
          join.onRef('round_tasks.task_id', '=', 'progress_entries.task_id').onRef('round_tasks.round_id', '=', 'progress_entries.round_id'),
        )
        .select((eb) => eb.fn.count<number>('progress_entries.task_id').distinct().as('n'))
        .where('progress_entries.round_id', '=', roundId)
        .where(sql<boolean>`length(trim(progress_entries.text)) > 0`)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
