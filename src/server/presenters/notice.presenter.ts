import type { DocNumberSuggestion, NoticeView } from '../../domain/api/notice-view.ts';
import type { Notice } from '../../domain/plan-document.ts';
import { noticeOfRow, type StoredNotice } from '../db/repositories/notice.repository.ts';

type Context = {
  round: { id: number; label: string };
  suggestedDocNumber: DocNumberSuggestion;
  placeholders: Record<string, string | null>;
  /** Who saved it, by display name (the row keeps the login name). */
  updatedBy: string | null;
  /** The statistics paragraph's figures that differ from the round (checkStatisticsParagraphs). */
  statisticsWarnings: string[];
  /** No organisation profile is set: the default notice is neutral (decision 027). */
  profileMissing: boolean;
};

/** A stored notice, or the default one (version 0) when the round has none yet. */
export function presentNotice(row: StoredNotice | undefined, fallback: Notice, context: Context): NoticeView {
  return {
    roundId: context.round.id,
    roundLabel: context.round.label,
    stored: row !== undefined,
    version: row ? Number(row.version) : 0,
    updatedAt: row?.updated_at ?? null,
    updatedBy: row ? context.updatedBy : null,
    notice: row ? noticeOfRow(row) : fallback,
    suggestedDocNumber: context.suggestedDocNumber,
    placeholders: context.placeholders,
    statisticsWarnings: context.statisticsWarnings,
    profileMissing: context.profileMissing,
  };
}

/** JSON columns are written only by this code; anything else there is corruption, not input. */
