import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, NoticesTable } from '../schema.ts';

export type StoredNotice = Selectable<NoticesTable>;
/** Every column a save writes (the round, version and timestamps are the repository's to set). */
export type NoticeColumns = Omit<Insertable<NoticesTable>, 'id' | 'round_id' | 'version' | 'updated_at' | 'updated_by'>;

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

    async findNoticeOfRound(roundId: number): Promise<StoredNotice | undefined> {
      return db.selectFrom('notices').selectAll().where('round_id', '=', roundId).executeTakeFirst();
    },

    /** The first save of a round's notice: version 1. */
    async insertNotice(roundId: number, columns: NoticeColumns, by: string, at: string): Promise<void> {
      await db
        .insertInto('notices')
        .values({ ...columns, round_id: roundId, version: 1, updated_at: at, updated_by: by })
        .execute();
    },

    /** Saves over `version` only: 0 rows when someone else saved since (the caller answers 409). */
    async updateNoticeAtVersion(roundId: number, version: number, columns: NoticeColumns, by: string, at: string): Promise<number> {
      const result = await db
        .updateTable('notices')
        .set({ ...columns, version: version + 1, updated_at: at, updated_by: by })
        .where('round_id', '=', roundId)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
