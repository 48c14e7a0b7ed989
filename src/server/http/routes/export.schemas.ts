import { z } from 'zod';
import { EXPORT_FORMATS, EXPORT_JOB_STATUSES, type ExportJobView } from '../../../domain/api/export-view.ts';
import {
  EXPORT_VERSION_LABELS,
  EXPORT_VERSIONS,
  STATUS_MARK_LABELS,
  STATUS_MARK_PLACEMENTS,
  UNANSWERED_DISPLAY_LABELS,
  UNANSWERED_DISPLAYS,
} from '../../../domain/export-options.ts';

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

/** One option of the table (decision 024): refused with a message that names it and its values. */
function tableOption<T extends string>(values: readonly [T, ...T[]], labels: Record<T, string>, name: string) {
  const listed = values.map((value) => `${value}（${labels[value]}）`).join('、');
  return z
    .enum(values, { error: `${name}应为以下之一：${listed}` })
    .optional()
    .describe(`${name}：${listed}`);
}

/** What the office chooses per export and in the print view; every one optional, defaults in export-options.ts. */
export const tableOptionsShape = {
  version: tableOption(EXPORT_VERSIONS, EXPORT_VERSION_LABELS, '文稿'),
  unanswered: tableOption(UNANSWERED_DISPLAYS, UNANSWERED_DISPLAY_LABELS, '无人报送的任务'),
  statusMarks: tableOption(STATUS_MARK_PLACEMENTS, STATUS_MARK_LABELS, '滞后与暂缓的标注'),
};

export const exportStartBody = z.object({
  format: z.enum(EXPORT_FORMATS).describe('docx 通报与调度表；table-docx 仅调度表；xlsx 调度表与通报工作表；pdf；json 即 diaodu.plan/1'),
  ...tableOptionsShape,
});

/** Job ids are random UUIDs; anything else is refused before a lookup. */
export const exportJobParams = z.object({ jobId: z.uuid() });
