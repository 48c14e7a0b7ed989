import type { Kysely, Selectable } from 'kysely';
import type { DB, ImportsTable } from '../schema.ts';

export type ImportRow = Selectable<ImportsTable>;

/** One row per import that stored something: which file, which plan and round it became. */
export function createImportRepository(db: Kysely<DB>) {
  return {
    async insertImport(entry: { contentHash: string; sourceName: string; planId: number; roundId: number; status: string; now: string }): Promise<number> {
      const row = await db
        .insertInto('imports')
        .values({
          content_hash: entry.contentHash,
          source_name: entry.sourceName,
          plan_id: entry.planId,
          round_id: entry.roundId,
          status: entry.status,
          created_at: entry.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async listImportsOfPlan(planId: number): Promise<ImportRow[]> {
      return db.selectFrom('imports').selectAll().where('plan_id', '=', planId).orderBy('id').execute();
    },
  };
}

export type ImportRepository = ReturnType<typeof createImportRepository>;
