import type { Generated, Selectable } from 'kysely';

/**
 * Table types of migration `004_search` (see schema.ts for the conventions). The search
 * indexes themselves are not tables kysely sees: SQLite's FTS5 tables (`tasks_fts`,
 * `progress_entries_fts`) are queried with raw SQL in `search.repository.ts` only, and
 * PostgreSQL's are trigram indexes on `tasks.text` and `progress_entries.text`.
 */
export interface SearchTables {
  instructions: InstructionsTable;
  instruction_feedback: InstructionFeedbackTable;
}

/** A leader's instruction (批示) on a task, optionally about one round. Written once, never edited. */
export interface InstructionsTable {
  id: Generated<number>;
  task_id: number;
  round_id: number | null;
  author_user_id: number | null;
  /** The author's display name when written, kept even if the account is renamed. */
  author_name: string;
  text: string;
  created_at: string;
}

export type InstructionRow = Selectable<InstructionsTable>;

/** A unit's 落实反馈 on an instruction (014). Written once, never edited; several per unit allowed. */
export interface InstructionFeedbackTable {
  id: Generated<number>;
  instruction_id: number;
  unit_id: number;
  author_user_id: number | null;
  /** The writer's display name when written. */
  author_name: string;
  text: string;
  created_at: string;
}

export type InstructionFeedbackRow = Selectable<InstructionFeedbackTable>;
