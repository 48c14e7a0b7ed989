import { z } from 'zod';
import { EXPORT_FORMATS, EXPORT_JOB_STATUSES, type ExportJobView } from '../../../domain/api/export-view.ts';

/** The export job as the print page polls it (src/domain/api/export-view.ts). */
export const exportJobView = z.object({
  jobId: z.string(),
  roundId: z.number().int(),
  format: z.enum(EXPORT_FORMATS),
  fileName: z.string(),
  status: z.enum(EXPORT_JOB_STATUSES),
  error: z.string().optional(),
  errorCode: z.string().optional(),
  bytes: z.number().int().optional(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
}) satisfies z.ZodType<ExportJobView>;

export const exportStartBody = z.object({
  format: z.enum(EXPORT_FORMATS).describe('docx 通报与调度表；table-docx 仅调度表；xlsx 调度表与通报工作表；pdf；json 即 diaodu.plan/1'),
});

/** Job ids are random UUIDs; anything else is refused before a lookup. */
export const exportJobParams = z.object({ jobId: z.uuid() });
