import type { Generated, Selectable } from 'kysely';

/** Table types of migration `016_notice_signoff` (docs/decisions/025). */
export interface SignoffTables {
  notice_signoffs: NoticeSignoffsTable;
  notice_signoff_events: NoticeSignoffEventsTable;
}

/** Where a round's notice is in 拟稿 → 核稿 → 签发: one row per round, from its first submission. */
export interface NoticeSignoffsTable {
  round_id: number;
  /** drafting | reviewing | signing | signed */
  state: string;
  /** +1 on every transition. */
  version: number;
  /** 印数 of the 发文稿纸. */
  copies: number | null;
  drafter_user_id: number | null;
  drafter_name: string | null;
  drafted_at: string | null;
  reviewer_user_id: number | null;
  reviewer_name: string | null;
  reviewed_at: string | null;
  review_opinion: string | null;
  signer_user_id: number | null;
  signer_name: string | null;
  signed_at: string | null;
  sign_opinion: string | null;
  /** SHA-256 (hex) of the notice and compiled table that were signed. */
  fingerprint: string | null;
  updated_at: string;
}

/** One step or return of a notice's sign-off, for the history shown on the notice page. */
export interface NoticeSignoffEventsTable {
  id: Generated<number>;
  round_id: number;
  /** submit | review | sign | return | reopen */
  action: string;
  from_state: string;
  to_state: string;
  actor_user_id: number | null;
  actor_name: string;
  comment: string | null;
  at: string;
}

export type NoticeSignoffRow = Selectable<NoticeSignoffsTable>;
export type NoticeSignoffEventRow = Selectable<NoticeSignoffEventsTable>;
