import type { Kysely } from 'kysely';
import type { DB } from '../schema.ts';

/** SQL of the notices (通报) stored with rounds. */
export function createNoticeRepository(db: Kysely<DB>) {
  return {
    /** Every stored document number with its round, for suggesting the next one and refusing duplicates. */
    async listDocNumbers(): Promise<{ roundId: number; roundLabel: string; docNumber: string }[]> {
      const rows = await db
        .selectFrom('notices')
        .innerJoin('rounds', 'rounds.id', 'notices.round_id')
        .select(['notices.round_id as roundId', 'rounds.label as roundLabel', 'notices.doc_number as docNumber'])
        .where('notices.doc_number', 'is not', null)
        .orderBy('notices.round_id')
        .execute();
      return rows.map((row) => ({ roundId: row.roundId, roundLabel: row.roundLabel, docNumber: row.docNumber! }));
    },
  };
}
