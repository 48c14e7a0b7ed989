/**
 * The export jobs of a round (POST /api/rounds/:roundId/exports, GET /api/exports/:jobId and its
 * file): what the print page sends and polls. Decision 012.
 */

/**
 * `docx`: the notice with its table (GB/T 9704); `table-docx`: the table alone, for a notice
 * written elsewhere; `xlsx`: the table with a 通报 sheet; `pdf`: the notice and table as
 * LibreOffice lays out the .docx; `json`: the round as `diaodu.plan/1`; `cover-docx` / `cover-pdf`:
 * the notice's 发文稿纸 (sign-off cover sheet, decision 025).
 */
export const EXPORT_FORMATS = ['docx', 'table-docx', 'xlsx', 'pdf', 'json', 'cover-docx', 'cover-pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ExportJobStatus = (typeof EXPORT_JOB_STATUSES)[number];

export type ExportJobView = {
  jobId: string;
  roundId: number;
  format: ExportFormat;
  /** The name the file is handed out under. */
  fileName: string;
  status: ExportJobStatus;
  /** When failed: what went wrong, to show as it is (Chinese, then English). */
  error?: string;
  /** When failed: the stable code (`pdf_unavailable`, `export_timeout`, `export_worker_crashed` …). */
  errorCode?: string;
  /** When done: the file's size. */
  bytes?: number;
  createdAt: string;
  finishedAt: string | null;
  /** When the job and its file are forgotten (set once it has finished). */
  expiresAt: string | null;
};
