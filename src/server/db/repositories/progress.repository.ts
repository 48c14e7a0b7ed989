import type { Insertable, Kysely } from 'kysely';
import type { DB, ProgressEntriesTable } from '../schema.ts';
import { batches } from './batch.ts';

export type StoredProgressEntry = {
  id: number;
  taskId: number;
  unit: string | null;
  position: number;
  text: string;
  status: string | null;
  /** Why 滞后/暂缓. */
  reason: string | null;
  /** 011: null | returned | approved | accepted. */
  reviewState: string | null;
  /** 015: the name written in the entry's bracket when it is not the unit's own. */
  attribution: string | null;
};

/** What units wrote in each round. */
export function createProgressRepository(db: Kysely<DB>) {
  return {
    async insertProgressEntries(entries: readonly Insertable<ProgressEntriesTable>[]): Promise<void> {
      for (const batch of batches(entries)) await db.insertInto('progress_entries').values(batch).execute();
    },

    /** A round's entries in plan order, then in the order they were written in each task. */
    async listProgressOfRound(roundId: number): Promise<StoredProgressEntry[]> {
      return db
        .selectFrom('progress_entries')
        .innerJoin('tasks', 'tasks.id', 'progress_entries.task_id')
        .leftJoin('units', 'units.id', 'progress_entries.unit_id')
        .select([
          'progress_entries.id',
          'progress_entries.task_id as taskId',
          'units.name as unit',
          'progress_entries.position',
          'progress_entries.text',
          'progress_entries.status',
          'progress_entries.reason',
          'progress_entries.review_state as reviewState',
          'progress_entries.attribution',
        ])
        .where('progress_entries.round_id', '=', roundId)
        .orderBy('tasks.position')
        .orderBy('progress_entries.position')
        .execute();
    },

    async countProgressOfRound(roundId: number): Promise<number> {
      const row = await db
        .selectFrom('progress_entries')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
        .where('round_id', '=', roundId)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
  };
}

export type ProgressRepository = ReturnType<typeof createProgressRepository>;
