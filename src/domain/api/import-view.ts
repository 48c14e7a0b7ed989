import { z } from 'zod';

/** POST /api/imports: what was read from the uploaded file, and (unless a dry run) what was stored. */
export const importViewSchema = z.object({
  dryRun: z.boolean(),
  /** What the file turned out to be, by its content. */
  format: z.enum(['json', 'text', 'docx', 'xlsx']),
  /** The uploaded file's name as shown in messages (cleaned; never used to store anything). */
  fileName: z.string(),
  contentHash: z.string(),
  summary: z.object({
    planTitle: z.string(),
    planDocNumber: z.string().nullable(),
    roundLabel: z.string(),
    chapters: z.number().int(),
    sections: z.number().int(),
    tasks: z.number().int(),
    progressEntries: z.number().int(),
    warnings: z.number().int(),
  }),
  /** Every warning of the reading, in document order, each naming where. */
  warnings: z.array(z.string()),
  outcome: z
    .object({
      status: z.enum(['created', 'round_added', 'unchanged']),
      planId: z.number().int(),
      roundId: z.number().int(),
      message: z.string(),
    })
    .nullable(),
});

export type ImportView = z.infer<typeof importViewSchema>;
