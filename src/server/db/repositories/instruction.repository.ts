import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { InstructionRow } from '../schema-search.ts';

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
  };
}

export type InstructionRepository = ReturnType<typeof createInstructionRepository>;
