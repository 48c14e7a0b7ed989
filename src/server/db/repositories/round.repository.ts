import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, NoticesTable, RoundRow, RoundTasksTable } from '../schema.ts';
import { batches } from './batch.ts';

export type NoticeRow = Selectable<NoticesTable>;

/** Dispatch rounds, the tasks each covers, the aliases and notice of the round's document. */
export function createRoundRepository(db: Kysely<DB>) {
  return {
    async findRoundByLabel(planId: number, label: string): Promise<RoundRow | undefined> {
      return db.selectFrom('rounds').selectAll().where('plan_id', '=', planId).where('label', '=', label).executeTakeFirst();
    },

    /** A plan's rounds in the order they were created. */
    async listRoundsOfPlan(planId: number): Promise<RoundRow[]> {
      return db.selectFrom('rounds').selectAll().where('plan_id', '=', planId).orderBy('id').execute();
    },

    async insertRound(round: {
      planId: number;
      label: string;
      periodStart: string | null;
      periodEnd: string | null;
      deadline: string | null;
      status: string;
      warnings: string;
      now: string;
    }): Promise<number> {
      const row = await db
        .insertInto('rounds')
        .values({
          plan_id: round.planId,
          label: round.label,
          period_start: round.periodStart,
          period_end: round.periodEnd,
          deadline: round.deadline,
          status: round.status,
          warnings: round.warnings,
          created_at: round.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async insertRoundTasks(rows: readonly Insertable<RoundTasksTable>[]): Promise<void> {
      for (const batch of batches(rows)) await db.insertInto('round_tasks').values(batch).execute();
    },

    /** The tasks a round covers, in plan order, with the warnings its document raised. */
    async listRoundTasks(roundId: number): Promise<{ taskId: number; warnings: string }[]> {
      return db
        .selectFrom('round_tasks')
        .innerJoin('tasks', 'tasks.id', 'round_tasks.task_id')
        .select(['round_tasks.task_id as taskId', 'round_tasks.warnings'])
        .where('round_tasks.round_id', '=', roundId)
        .orderBy('tasks.position')
        .execute();
    },

    async insertRoundUnitAliases(roundId: number, aliases: readonly { alias: string; unitId: number }[]): Promise<void> {
      const rows = aliases.map((entry, index) => ({ round_id: roundId, position: index + 1, alias: entry.alias, unit_id: entry.unitId }));
      for (const batch of batches(rows)) await db.insertInto('round_unit_aliases').values(batch).execute();
    },

    /** The aliases the round's document used, in its order. */
    async listRoundUnitAliases(roundId: number): Promise<{ alias: string; unitName: string }[]> {
      return db
        .selectFrom('round_unit_aliases')
        .innerJoin('units', 'units.id', 'round_unit_aliases.unit_id')
        .select(['round_unit_aliases.alias', 'units.name as unitName'])
        .where('round_unit_aliases.round_id', '=', roundId)
        .orderBy('round_unit_aliases.position')
        .execute();
    },

    async insertNotice(notice: Insertable<NoticesTable>): Promise<number> {
      const row = await db.insertInto('notices').values(notice).returning('id').executeTakeFirstOrThrow();
      return row.id;
    },

    async findNoticeOfRound(roundId: number): Promise<NoticeRow | undefined> {
      return db.selectFrom('notices').selectAll().where('round_id', '=', roundId).executeTakeFirst();
    },
  };
}

export type RoundRepository = ReturnType<typeof createRoundRepository>;
