import { z } from 'zod';
import type { AttachmentView } from '../../../domain/api/round-view.ts';

export const attachmentViewSchema = z.object({
  id: z.number().int(),
  roundId: z.number().int(),
  taskId: z.number().int(),
  unitId: z.number().int(),
  fileName: z.string(),
  kind: z.enum(['pdf', 'png', 'jpeg', 'docx', 'xlsx']),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
}) satisfies z.ZodType<AttachmentView>;
