import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';
import type { ExplanationRequestRow } from '../schema-explanations.ts';

/** A request with what its view names: the round's label, the task's text and place, the unit's name. */
export type ExplanationRecord = ExplanationRequestRow & {
  round_label: string;
  round_status: string;
  task_text: string;
  task_position: number;
  section_id: number;
  chapter_number: number;
  section_number: number;
  unit_name: string;
};

/** 请说明 (migration 022): the office's requests for an explanation, and the units' replies. */
export function createExplanationRepository(db: Kysely<DB>) {
  const withNames = () =>
    db
      .selectFrom('explanation_requests')
      .innerJoin('rounds', 'rounds.id', 'explanation_requests.round_id')
      .innerJoin('tasks', 'tasks.id', 'explanation_requests.task_id')
      .innerJoin('sections', 'sections.id', 'tasks.section_id')
      .innerJoin('chapters', 'chapters.id', 'sections.chapter_id')
      .innerJoin('units', 'units.id', 'explanation_requests.unit_id')
      .selectAll('explanation_requests')
      .select([
        'rounds.label as round_label',
        'rounds.status as round_status',
        'tasks.text as task_text',
        'tasks.position as task_position',
        'tasks.section_id as section_id',
        'chapters.number as chapter_number',
        'sections.number as section_number',
        'units.name as unit_name',
      ]);

  return {
    async insert(request: {
      roundId: number;
      taskId: number;
      unitId: number;
      kind: string;
      message: string;
      requestedBy: string;
      requestedByUserId: number | null;
      now: string;
    }): Promise<number> {
      const row = await db
        .insertInto('explanation_requests')
        .values({
          round_id: request.roundId,
          task_id: request.taskId,
          unit_id: request.unitId,
          kind: request.kind,
          message: request.message,
          requested_by: request.requestedBy,
          requested_by_user_id: request.requestedByUserId,
          requested_at: request.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async find(id: number): Promise<ExplanationRecord | undefined> {
      return withNames().where('explanation_requests.id', '=', id).executeTakeFirst();
    },

    /** The open (not yet replied) request of this round, task, unit and kind, if any. */
    async findOpen(key: { roundId: number; taskId: number; unitId: number; kind: string }): Promise<{ id: number } | undefined> {
      return db
        .selectFrom('explanation_requests')
        .select('id')
        .where('round_id', '=', key.roundId)
        .where('task_id', '=', key.taskId)
        .where('unit_id', '=', key.unitId)
        .where('kind', '=', key.kind)
        .where('reply', 'is', null)
        .executeTakeFirst();
    },

    async setReply(id: number, reply: { text: string; by: string; byUserId: number | null; now: string }): Promise<void> {
      await db
        .updateTable('explanation_requests')
        .set({ reply: reply.text, replied_by: reply.by, replied_by_user_id: reply.byUserId, replied_at: reply.now })
        .where('id', '=', id)
        .execute();
    },

    /** A round's requests, by task in plan order, then as asked. */
    async listOfRound(roundId: number): Promise<ExplanationRecord[]> {
      return withNames().where('explanation_requests.round_id', '=', roundId).orderBy('tasks.position').orderBy('explanation_requests.id').execute();
    },

    /** A unit's requests, newest first (at most `limit`). */
    async listOfUnit(unitId: number, limit: number): Promise<ExplanationRecord[]> {
      return withNames().where('explanation_requests.unit_id', '=', unitId).orderBy('explanation_requests.id', 'desc').limit(limit).execute();
    },

    /** Per round and unit, how many requests it got (for the evaluation), over `roundIds`. */
    async countByRoundAndUnit(roundIds: readonly number[]): Promise<{ roundId: number; unitId: number; n: number }[]> {
      if (roundIds.length === 0) return [];
      const rows = await db
        .selectFrom('explanation_requests')
        .select(['round_id as roundId', 'unit_id as unitId', (eb) => eb.fn.countAll<number>().as('n')])
        .where('round_id', 'in', [...roundIds])
        .groupBy(['round_id', 'unit_id'])
        .execute();
      return rows.map((row) => ({ ...row, n: Number(row.n) }));
    },

    /**
     * The 1-based place of each task among the round's tasks of its section, in plan order (the
     * place the insights print: 一.(一).3 is the third task of 一.(一)).
     */
    async sectionIndexes(roundId: number, sectionIds: readonly number[]): Promise<Map<number, number>> {
      if (sectionIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('round_tasks')
        .innerJoin('tasks', 'tasks.id', 'round_tasks.task_id')
        .select(['tasks.id', 'tasks.section_id'])
        .where('round_tasks.round_id', '=', roundId)
        .where('tasks.section_id', 'in', [...new Set(sectionIds)])
        .orderBy('tasks.position')
        .execute();
      const seen = new Map<number, number>();
      const indexes = new Map<number, number>();
      for (const row of rows) {
        const index = (seen.get(row.section_id) ?? 0) + 1;
        seen.set(row.section_id, index);
        indexes.set(row.id, index);
      }
      return indexes;
    },

    async unitExists(unitId: number): Promise<boolean> {
      return (await db.selectFrom('units').select('id').where('id', '=', unitId).executeTakeFirst()) !== undefined;
    },

    async findUnit(unitId: number): Promise<{ name: string; collective: number } | undefined> {
      const row = await db.selectFrom('units').select(['name', 'collective']).where('id', '=', unitId).executeTakeFirst();
      return row && { name: row.name, collective: Number(row.collective) };
    },

    /** Whether the unit is asked for the task in the round: listed on it, or answering it for a collective unit. */
    async isAsked(roundId: number, taskId: number, unitId: number): Promise<boolean> {
      const listed = await db
        .selectFrom('round_tasks')
        .innerJoin('task_units', 'task_units.task_id', 'round_tasks.task_id')
        .select('round_tasks.task_id')
        .where('round_tasks.round_id', '=', roundId)
        .where('round_tasks.task_id', '=', taskId)
        .where('task_units.unit_id', '=', unitId)
        .executeTakeFirst();
      if (listed) return true;
      const member = await db
        .selectFrom('round_task_units')
        .select('task_id')
        .where('round_id', '=', roundId)
        .where('task_id', '=', taskId)
        .where('unit_id', '=', unitId)
        .executeTakeFirst();
      return member !== undefined;
    },
  };
}

export type ExplanationRepository = ReturnType<typeof createExplanationRepository>;
