import type { CompiledTable } from '../compiled-table.ts';
import type { Notice } from '../plan-document.ts';

/** GET /api/rounds/:roundId/compiled: the notice and table as the office issues them. */
export type CompiledRoundView = {
  notice: Notice;
  table: CompiledTable;
  fileBaseName: string;
  /** A 征求意见稿 (the draft version was asked for, in a round run in the app). */
  draft: boolean;
  /** An imported round: shown as its document was (未报送 and 未审核 do not apply). */
  imported: boolean;
};

/** The next free document number of a prefix and year (largest stored + 1). */
export type DocNumberSuggestion = { prefix: string; year: number; number: number; docNumber: string };

/**
 * GET /api/rounds/:roundId/notice: the round's notice as stored (`stored`, its `version`), or the
 * default wording (`stored: false`, version 0) until the office first saves it.
 */
export type NoticeView = {
  roundId: number;
  roundLabel: string;
  stored: boolean;
  version: number;
  updatedAt: string | null;
  /** Who saved this version, by display name (张敏); null when it came with an imported document. */
  updatedBy: string | null;
  notice: Notice;
  suggestedDocNumber: DocNumberSuggestion;
  /** What `{轮次}`, `{方案文号}`, `{方案标题}` stand for in this round (expanded when saved). */
  placeholders: Record<string, string | null>;
  /**
   * Figures of the body's statistics paragraph (the one starting 本季度应报送单位) that no longer
   * match the round, each naming the paragraph and figure; empty when they agree or there is none.
   */
  statisticsWarnings: string[];
  /** No organisation profile is set: the default wording is neutral and the page asks the office to have it set. */
  profileMissing: boolean;
};

/** PUT answer: the stored notice, and what the server changed in the text (said, never silent). */
export type NoticeSaveView = NoticeView & { notes: string[] };

/** Details of 409 `version_conflict`: the notice as now stored, and the text that was not saved. */
export type NoticeConflictDetails = { current: NoticeView; yours: Notice };
