import type { Kysely, Selectable } from 'kysely';
import { preparedQuery } from '../prepared.ts';
import type { DB } from '../schema.ts';
import type { AnswerAttachmentsTable } from '../schema-attachments.ts';

/** An evidence file's row without its bytes (lists never read the content). */
export type AttachmentRecord = Omit<Selectable<AnswerAttachmentsTable>, 'content'>;

const LISTED = [
  'id',
  'round_id',
  'task_id',
  'unit_id',
  'file_name',
  'kind',
  'content_type',
  'size_bytes',
  'sha256',
  'uploaded_at',
  'uploaded_by_user_id',
  'uploaded_by_name',
] as const satisfies readonly (keyof AttachmentRecord)[];

// Part of every to-do read (db/prepared.ts): the unit's files in the round, without their bytes.
const ofUnitInRound = preparedQuery((db, args: { roundId: number; unitId: number }) =>
  db.selectFrom('answer_attachments').select(LISTED).where('round_id', '=', args.roundId).where('unit_id', '=', args.unitId).orderBy('task_id').orderBy('id'),
);

/** SQL of evidence files (佐证材料): the bytes are read only by `findContent`. */
export function createAttachmentRepository(db: Kysely<DB>) {
  const normalise = (row: AttachmentRecord): AttachmentRecord => ({ ...row, size_bytes: Number(row.size_bytes) });
  return {
    /** The unit's files on all its answers in the round, by task, oldest first. */
    async listOfUnitInRound(roundId: number, unitId: number): Promise<AttachmentRecord[]> {
      return (await ofUnitInRound.execute(db, { roundId, unitId })).rows.map(normalise);
    },

    async listOfAnswer(roundId: number, taskId: number, unitId: number): Promise<AttachmentRecord[]> {
      const rows = await db
        .selectFrom('answer_attachments')
        .select(LISTED)
        .where('round_id', '=', roundId)
        .where('task_id', '=', taskId)
        .where('unit_id', '=', unitId)
        .orderBy('id')
        .execute();
      return rows.map(normalise);
    },

    async find(id: number): Promise<AttachmentRecord | undefined> {
      const row = await db.selectFrom('answer_attachments').select(LISTED).where('id', '=', id).executeTakeFirst();
      return row && normalise(row);
    },

    async findContent(id: number): Promise<Uint8Array | undefined> {
      const row = await db.selectFrom('answer_attachments').select('content').where('id', '=', id).executeTakeFirst();
      return row?.content;
    },

    async insert(attachment: Omit<Selectable<AnswerAttachmentsTable>, 'id'>): Promise<AttachmentRecord> {
      const row = await db.insertInto('answer_attachments').values(attachment).returning(LISTED).executeTakeFirstOrThrow();
      return normalise(row);
    },

    /** True when the row was there and is now gone. */
    async delete(id: number): Promise<boolean> {
      const result = await db.deleteFrom('answer_attachments').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}
