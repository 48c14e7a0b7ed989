import type { Selectable } from 'kysely';

/** Table types of migration `026_export_jobs` (issue 17: export jobs any server can answer). */
export interface ExportTables {
  export_jobs: ExportJobsTable;
  rate_limit_hits: RateLimitHitsTable;
}

/** The request rate limiter's counter of one key (PostgreSQL: shared by every server). */
export interface RateLimitHitsTable {
  key: string;
  hits: number;
  /** ISO instant the window ends: the next hit after it starts a new window at 1. */
  window_ends_at: string;
}

export interface ExportJobsTable {
  /** A random UUID: ids are not guessable, and another user's id is "not found". */
  id: string;
  /** `user:<id>` or `system:<name>`. */
  owner: string;
  round_id: number;
  /** ExportFormat. */
  format: string;
  file_name: string;
  /** The table options asked for and used (JSON), null for json and the cover sheet. */
  options: string | null;
  /** queued | running | done | failed */
  state: string;
  error_kind: string | null;
  error_code: string | null;
  error_message: string | null;
  /** JSON. */
  error_details: string | null;
  /** The file, once done. */
  content: Uint8Array | null;
  bytes: number | null;
  claimed_by: string | null;
  claimed_until: string | null;
  created_at: string;
  finished_at: string | null;
}

export type ExportJobRow = Selectable<ExportJobsTable>;
