import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { DB, RoundsTable, RoundTasksTable } from '../schema.ts';
import { preparedQuery } from '../prepared.ts';
import { batches } from './batch.ts';

export type RoundRecord = Selectable<RoundsTable>;

// Built once (db/prepared.ts): a draft save and a to-do read look the round up on every request.

const roundById = preparedQuery((db, args: { roundId: number }) => db.selectFrom('rounds').selectAll().where('id', '=', args.roundId));

/** The round before this one: a voided round (opened by mistake, nothing in it) is not one. */
const previousRoundId = preparedQuery((db, args: { planId: number; roundId: number }) =>
  db
    .selectFrom('rounds')
    .select('id')
    .where('plan_id', '=', args.planId)
    .where('id', '<', args.roundId)
    .where('status', '<>', 'void')
    .orderBy('id', 'desc')
    .limit(sql.lit(1)),
);

const tasksOfRoundCount = preparedQuery((db, args: { roundId: number }) =>
  db
    .selectFrom('round_tasks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('round_id', '=', args.roundId),
);

/**
 * The round aggregate: dispatch rounds (imported with a document or opened in the app), the tasks
 * each covers and the unit aliases of the round's document. The units' work in a round (answers,
 * submissions, reminders) is round-work.repository.ts; its notice is notice.repository.ts.
 */
export function createRoundRepository(db: Kysely<DB>) {
  return {
    async findRound(roundId: number): Promise<RoundRecord | undefined> {
      return (await roundById.execute(db, { roundId })).rows[0];
    },

    async findRoundByLabel(planId: number, label: string): Promise<RoundRecord | undefined> {
      return db.selectFrom('rounds').selectAll().where('plan_id', '=', planId).where('label', '=', label).executeTakeFirst();
    },

    /** A plan's rounds in the order they were created. */
    async listRoundsOfPlan(planId: number): Promise<RoundRecord[]> {
      return db.selectFrom('rounds').selectAll().where('plan_id', '=', planId).orderBy('id').execute();
    },

    /** The id of the round before this one in the same plan (by creation order), if any. */
    async findPreviousRoundId(round: { id: number; plan_id: number }): Promise<number | undefined> {
      const previous = (await previousRoundId.execute(db, { planId: round.plan_id, roundId: round.id })).rows[0]?.id;
      if (previous !== undefined) return previous;
      // A plan copied from last year's (020): its first round follows that plan's last one.
      const source = await db
        .selectFrom('plans')
        .innerJoin('rounds', 'rounds.plan_id', 'plans.copied_from_plan_id')
        .select('rounds.id')
        .where('plans.id', '=', round.plan_id)
        .where('rounds.status', '<>', 'void')
        .orderBy('rounds.id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return source?.id;
    },

    /**
     * A new round: an imported one (status `imported`, the document's warnings) or one the office
     * opens in the app (`opened`: status `open`, its note, approval and who opened it).
     */
    async insertRound(
      round: {
        planId: number;
        label: string;
        periodStart: string | null;
        periodEnd: string | null;
        deadline: string | null;
        now: string;
      } & ({ status: 'imported'; warnings: string } | { status: 'open'; note: string | null; requiresApproval: boolean; openedBy: string }),
    ): Promise<number> {
      const row = await db
        .insertInto('rounds')
        .values({
          plan_id: round.planId,
          label: round.label,
          period_start: round.periodStart,
          period_end: round.periodEnd,
          deadline: round.deadline,
          status: round.status,
          created_at: round.now,
          ...(round.status === 'imported'
            ? { warnings: round.warnings }
            : { warnings: '[]', note: round.note, requires_approval: round.requiresApproval ? 1 : 0, opened_at: round.now, opened_by: round.openedBy }),
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

    async countTasksOfRound(roundId: number): Promise<number> {
      return Number((await tasksOfRoundCount.execute(db, { roundId })).rows[0]!.n);
    },

    async setRoundStatus(roundId: number, status: 'open' | 'closed', now: string): Promise<number> {
      const result = await db
        .updateTable('rounds')
        .set({ status, closed_at: status === 'closed' ? now : null })
        .where('id', '=', roundId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async setRoundDeadline(roundId: number, deadline: string | null): Promise<void> {
      await db.updateTable('rounds').set({ deadline }).where('id', '=', roundId).execute();
    },

    /** 作废 (012): only an open round; returns rows changed. */
    async voidRound(roundId: number, change: { by: string; reason: string; now: string }): Promise<number> {
      const result = await db
        .updateTable('rounds')
        .set({ status: 'void', voided_at: change.now, voided_by: change.by, void_reason: change.reason, closed_at: change.now })
        .where('id', '=', roundId)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
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
  };
}

export type RoundRepository = ReturnType<typeof createRoundRepository>;
