import type { Generated } from 'kysely';

/** Table types of migration `013_answer_copies_and_attachments` (its progress_entries columns are in schema.ts). */
export interface AttachmentTables {
  answer_attachments: AnswerAttachmentsTable;
}

/** An evidence file (佐证材料) on one unit's answer to one task in a round; the bytes live here. */
export interface AnswerAttachmentsTable {
  id: Generated<number>;
  round_id: number;
  task_id: number;
  unit_id: number;
  /** As uploaded, cleaned of path parts and control characters: display only, never a path. */
  file_name: string;
  /** pdf | png | jpeg | docx | xlsx, sniffed from the content. */
  kind: string;
  content_type: string;
  size_bytes: number;
  /** SHA-256 of `content`, hex. */
  sha256: string;
  content: Uint8Array;
  uploaded_at: string;
  uploaded_by_user_id: number | null;
  uploaded_by_name: string;
}
