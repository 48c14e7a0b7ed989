import type { Kysely, Updateable } from 'kysely';
import type { DB } from '../schema.ts';
import type { NoticeSignoffEventRow, NoticeSignoffRow, NoticeSignoffsTable } from '../schema-signoff.ts';

export type SignoffChanges = Omit<Updateable<NoticeSignoffsTable>, 'round_id' | 'version' | 'updated_at'>;

/** SQL of a notice's sign-off (拟稿 → 核稿 → 签发, migration 016). */
export function createNoticeSignoffRepository(db: Kysely<DB>) {
  return {
    async find(roundId: number): Promise<NoticeSignoffRow | undefined> {
      return db.selectFrom('notice_signoffs').selectAll().where('round_id', '=', roundId).executeTakeFirst();
    },

    /** The first submission of a round's notice: version 1. */
    async insert(roundId: number, changes: SignoffChanges & { state: string }, at: string): Promise<void> {
      await db
        .insertInto('notice_signoffs')
        .values({ ...changes, round_id: roundId, version: 1, updated_at: at })
        .execute();
    },

    /** A transition over `version` only: 0 rows when someone else moved it since (the caller answers 409). */
    async updateAtVersion(roundId: number, version: number, changes: SignoffChanges, at: string): Promise<number> {
      const result = await db
        .updateTable('notice_signoffs')
        .set({ ...changes, version: version + 1, updated_at: at })
        .where('round_id', '=', roundId)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async appendEvent(event: Omit<NoticeSignoffEventRow, 'id'>): Promise<void> {
      await db.insertInto('notice_signoff_events').values(event).execute();
    },

    async listEvents(roundId: number): Promise<NoticeSignoffEventRow[]> {
      return db.selectFrom('notice_signoff_events').selectAll().where('round_id', '=', roundId).orderBy('id').execute();
    },

    /** Active accounts of a role, for choosing the reviewer (office) and the signer (leader). */
    async listActiveAccounts(role: string): Promise<{ id: number; displayName: string; username: string }[]> {
      const rows = await db
        .selectFrom('users')
        .select(['id', 'display_name', 'username'])
        .where('role', '=', role)
        .where('disabled', '=', 0)
        .orderBy('id')
        .execute();
      return rows.map((row) => ({ id: row.id, displayName: row.display_name || row.username, username: row.username }));
    },
  };
}
