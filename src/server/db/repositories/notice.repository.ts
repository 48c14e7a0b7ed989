import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Notice } from '../../../domain/plan-document.ts';
import type { DB, NoticesTable } from '../schema.ts';

export type StoredNotice = Selectable<NoticesTable>;
/** Every column a save writes (the round, version and timestamps are the repository's to set). */
export type NoticeColumns = Omit<Insertable<NoticesTable>, 'id' | 'round_id' | 'version' | 'updated_at' | 'updated_by'>;

/** A notice as the columns of its row: the one mapping the editor's saves and the importer write. */
export function noticeColumns(notice: Notice): NoticeColumns {
  return {
    issuing_office: notice.issuingOffice,
    doc_number: notice.docNumber,
    title: notice.title,
    recipients: notice.recipients,
    body: JSON.stringify(notice.body),
    attachment: notice.attachment,
    issuer: notice.issuer,
    date: notice.date,
    contact_unit: notice.contact.unit,
    contact_name: notice.contact.name,
    contact_phone: notice.contact.phone,
    cc: JSON.stringify(notice.cc),
    printed_by: notice.printed.by,
    printed_date: notice.printed.date,
  };
}

/** A stored row as the interchange `Notice`: the one mapping the editor and the compiled round read. */
export function noticeOfRow(row: StoredNotice): Notice {
  return {
    issuingOffice: row.issuing_office,
    docNumber: row.doc_number,
    title: row.title,
    recipients: row.recipients,
    body: storedStringArray(row.body, 'notices.body'),
    attachment: row.attachment,
    issuer: row.issuer,
    date: row.date,
    contact: { unit: row.contact_unit, name: row.contact_name, phone: row.contact_phone },
    cc: storedStringArray(row.cc, 'notices.cc'),
    printed: { by: row.printed_by, date: row.printed_date },
  };
}

/** JSON columns are written only by this code; anything else there is corruption, not input. */
export function storedStringArray(text: string, column: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new Error(`stored ${column} is not a JSON array of strings`);
  return value;
}

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

    /** A round's first notice, version 1: saved in the editor (`saved`), or read from an imported document (null). */
    async insertNotice(roundId: number, columns: NoticeColumns, saved: { by: string; at: string } | null): Promise<void> {
      await db
        .insertInto('notices')
        .values({ ...columns, round_id: roundId, version: 1, updated_at: saved?.at ?? null, updated_by: saved?.by ?? null })
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
