import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { InstructionFeedbackRow, InstructionRow } from '../schema-search.ts';

export type InstructionFeedbackRecord = InstructionFeedbackRow & { unit_name: string };

/** Leaders' instructions (批示). Written once; there is deliberately no update or delete. */
export function createInstructionRepository(db: Kysely<DB>) {
  return {
    async insertInstruction(instruction: {
      taskId: number;
      roundId: number | null;
      authorUserId: number | null;
      authorName: string;
      text: string;
      now: string;
    }): Promise<InstructionRow> {
      return db
        .insertInto('instructions')
        .values({
          task_id: instruction.taskId,
          round_id: instruction.roundId,
          author_user_id: instruction.authorUserId,
          author_name: instruction.authorName,
          text: instruction.text,
          created_at: instruction.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** A task's instructions in the order they were written. */
    async listInstructionsOfTask(taskId: number): Promise<InstructionRow[]> {
      return db.selectFrom('instructions').selectAll().where('task_id', '=', taskId).orderBy('id').execute();
    },

    async findInstruction(instructionId: number): Promise<InstructionRow | undefined> {
      return db.selectFrom('instructions').selectAll().where('id', '=', instructionId).executeTakeFirst();
    },

    /** The instructions on any of `taskIds`, by task then in the order written. */
    async listInstructionsOfTasks(taskIds: readonly number[]): Promise<InstructionRow[]> {
      if (taskIds.length === 0) return [];
      return db
        .selectFrom('instructions')
        .selectAll()
        .where('task_id', 'in', [...taskIds])
        .orderBy('task_id')
        .orderBy('id')
        .execute();
    },

    /** The responsible units of a task (lead first), to tell them of a 批示 and to check who may answer it. */
    async listUnitsOfTask(taskId: number): Promise<{ unitId: number; unitName: string }[]> {
      return db
        .selectFrom('task_units')
        .innerJoin('units', 'units.id', 'task_units.unit_id')
        .select(['task_units.unit_id as unitId', 'units.name as unitName'])
        .where('task_units.task_id', '=', taskId)
        .orderBy('task_units.position')
        .execute();
    },

    /** The newest open round that covers the task, if any. */
    async findLatestOpenRoundOfTask(taskId: number): Promise<number | undefined> {
      const row = await db
        .selectFrom('round_tasks')
        .innerJoin('rounds', 'rounds.id', 'round_tasks.round_id')
        .select('rounds.id')
        .where('round_tasks.task_id', '=', taskId)
        .where('rounds.status', '=', 'open')
        .orderBy('rounds.id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row?.id;
    },

    /** The tasks of the round a unit is responsible for. */
    async listTaskIdsOfUnitInRound(roundId: number, unitId: number): Promise<number[]> {
      const rows = await db
        .selectFrom('round_tasks')
        .innerJoin('task_units', 'task_units.task_id', 'round_tasks.task_id')
        .select('round_tasks.task_id')
        .where('round_tasks.round_id', '=', roundId)
        .where('task_units.unit_id', '=', unitId)
        .execute();
      return rows.map((row) => row.task_id);
    },

    async insertFeedback(feedback: {
      instructionId: number;
      unitId: number;
      authorUserId: number | null;
      authorName: string;
      text: string;
      now: string;
    }): Promise<InstructionFeedbackRecord> {
      const row = await db
        .insertInto('instruction_feedback')
        .values({
          instruction_id: feedback.instructionId,
          unit_id: feedback.unitId,
          author_user_id: feedback.authorUserId,
          author_name: feedback.authorName,
          text: feedback.text,
          created_at: feedback.now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const unit = await db.selectFrom('units').select('name').where('id', '=', feedback.unitId).executeTakeFirstOrThrow();
      return { ...row, unit_name: unit.name };
    },

    /** The units' feedback on any of `instructionIds`, in the order written. */
    async listFeedbackOf(instructionIds: readonly number[]): Promise<InstructionFeedbackRecord[]> {
      if (instructionIds.length === 0) return [];
      return db
        .selectFrom('instruction_feedback')
        .innerJoin('units', 'units.id', 'instruction_feedback.unit_id')
        .selectAll('instruction_feedback')
        .select('units.name as unit_name')
        .where('instruction_feedback.instruction_id', 'in', [...instructionIds])
        .orderBy('instruction_feedback.id')
        .execute();
    },
  };
}

export type InstructionRepository = ReturnType<typeof createInstructionRepository>;
