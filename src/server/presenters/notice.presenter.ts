import type { DocNumberSuggestion, NoticeView } from '../../domain/api/notice-view.ts';
import type { Notice } from '../../domain/plan-document.ts';
import type { StoredNotice } from '../db/repositories/notice.repository.ts';

/** The notice of a stored row, in the interchange shape (`Notice`). */
export function noticeOfRow(row: StoredNotice): Notice {
  return {
    issuingOffice: row.issuing_office,
    docNumber: row.doc_number,
    title: row.title,
    recipients: row.recipients,
    body: stringArray(row.body),
    attachment: row.attachment,
    issuer: row.issuer,
    date: row.date,
    contact: { unit: row.contact_unit, name: row.contact_name, phone: row.contact_phone },
    cc: stringArray(row.cc),
    printed: { by: row.printed_by, date: row.printed_date },
  };
}

type Context = {
  round: { id: number; label: string };
  suggestedDocNumber: DocNumberSuggestion;
  placeholders: Record<string, string | null>;
};

/** A stored notice, or the default one (version 0) when the round has none yet. */
export function presentNotice(row: StoredNotice | undefined, fallback: Notice, context: Context): NoticeView {
  return {
    roundId: context.round.id,
    roundLabel: context.round.label,
    stored: row !== undefined,
    version: row ? Number(row.version) : 0,
    updatedAt: row?.updated_at ?? null,
    updatedBy: row?.updated_by ?? null,
    notice: row ? noticeOfRow(row) : fallback,
    suggestedDocNumber: context.suggestedDocNumber,
    placeholders: context.placeholders,
  };
}

/** JSON columns are written only by this code; anything else there is corruption, not input. */
function stringArray(text: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw new Error(`notices: a JSON column holds ${text.slice(0, 80)}, not an array of strings`);
  return value as string[];
}
