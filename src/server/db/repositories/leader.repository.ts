import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';

export type PortfolioTaskRecord = { id: number; position: number; text: string; plan_id: number };

/** What a leader's home page (我分管的) reads: the tasks they lead, and the round to show them in. */
export function createLeaderRepository(db: Kysely<DB>) {
  return {
    /** The plans' leader rows written with this name (a leader account is matched by its display name). */
    async findLeaderIdsByName(name: string): Promise<number[]> {
      const rows = await db.selectFrom('leaders').select('id').where('name', '=', name).execute();
      return rows.map((row) => row.id);
    },

    /** Every task where one of `leaderIds` is a 牵头领导. */
    async listTaskIdsOfLeaders(leaderIds: readonly number[]): Promise<number[]> {
      if (leaderIds.length === 0) return [];
      const rows = await db
        .selectFrom('task_leaders')
        .select('task_id')
        .distinct()
        .where('leader_id', 'in', [...leaderIds])
        .execute();
      return rows.map((row) => row.task_id);
    },

    /** The newest open round covering any of the tasks, else the newest round covering any. */
    async findPortfolioRoundId(taskIds: readonly number[]): Promise<number | undefined> {
      if (taskIds.length === 0) return undefined;
      const base = db
        .selectFrom('rounds')
        .select('rounds.id')
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('round_tasks')
              .select('round_tasks.task_id')
              .whereRef('round_tasks.round_id', '=', 'rounds.id')
              .where('round_tasks.task_id', 'in', [...taskIds]),
          ),
        )
        .where('rounds.status', '<>', 'void')
        .orderBy('rounds.id', 'desc')
        .limit(1);
      const open = await base.where('rounds.status', '=', 'open').executeTakeFirst();
      return (open ?? (await base.executeTakeFirst()))?.id;
    },

    /** Those of `taskIds` the round covers (all of them when `roundId` is null), in plan order. */
    async listTasks(roundId: number | null, taskIds: readonly number[]): Promise<PortfolioTaskRecord[]> {
      if (taskIds.length === 0) return [];
      let query = db
        .selectFrom('tasks')
        .select(['tasks.id', 'tasks.position', 'tasks.text', 'tasks.plan_id'])
        .where('tasks.id', 'in', [...taskIds]);
      if (roundId !== null)
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('round_tasks')
              .select('round_tasks.task_id')
              .whereRef('round_tasks.task_id', '=', 'tasks.id')
              .where('round_tasks.round_id', '=', roundId),
          ),
        );
      return query.orderBy('tasks.plan_id').orderBy('tasks.position').execute();
    },

    /** The responsible units of the tasks, lead first. */
    async listUnitsOfTasks(taskIds: readonly number[]): Promise<{ taskId: number; unitId: number; unitName: string; role: 'lead' | 'co' }[]> {
      if (taskIds.length === 0) return [];
      return db
        .selectFrom('task_units')
        .innerJoin('units', 'units.id', 'task_units.unit_id')
        .select(['task_units.task_id as taskId', 'task_units.unit_id as unitId', 'units.name as unitName', 'task_units.role'])
        .where('task_units.task_id', 'in', [...taskIds])
        .orderBy('task_units.task_id')
        .orderBy('task_units.position')
        .execute();
    },
  };
}

export type LeaderRepository = ReturnType<typeof createLeaderRepository>;
