import { z } from 'zod';
import { NameLimits, ProgressLimits, TaskLimits, UNIT_ROLES } from './limits.ts';

/**
 * The interchange format `diaodu.plan/1` (docs/formats.md): what `import --dry-run --json`
 * prints, what `export --format json` writes, and what `import FILE.json` reads back.
 * Field order here is the order in the JSON, so that an export can be compared byte for byte.
 */
export const PLAN_FORMAT = 'diaodu.plan/1';

// Takes the limit object of `limits.ts` (`NameLimits.unit`), not a bare number.
const name = (limit: { readonly max: number }) => z.string().min(1).max(limit.max);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const unitAssignmentSchema = z.object({
  name: name(NameLimits.unit),
  role: z.enum(UNIT_ROLES),
});

export const progressEntrySchema = z.object({
  /** The unit that wrote it; null where the document does not say (never guessed). */
  unit: name(NameLimits.unit).nullable(),
  text: z.string().min(1).max(ProgressLimits.text.max),
  /**
   * The name the document wrote in the entry's bracket when it is not the unit's own (`总队` for
   * 监察总队); absent otherwise. Exports print it, so a document says what the unit wrote.
   */
  attribution: name(NameLimits.unit).optional(),
});

export const taskSchema = z.object({
  text: z.string().min(1).max(TaskLimits.text.max),
  leadDepartment: name(NameLimits.department).nullable(),
  leaders: z.array(name(NameLimits.leader)),
  /** Each unit once: a unit named twice would be asked twice for one answer (the table reader merges them, plan editing refuses them). */
  units: z.array(unitAssignmentSchema).superRefine((units, context) => {
    units.forEach((unit, index) => {
      if (units.findIndex((other) => other.name === unit.name) < index)
        context.addIssue({ code: 'custom', path: [index, 'name'], message: `同一任务中单位“${unit.name}”出现了两次` });
    });
  }),
  /** The task's due date as the table writes it (完成时限 / 时间节点: `2018年6月底前`, `长期坚持`); absent when it has none. */
  due: z.string().min(1).max(TaskLimits.due.max).optional(),
  progress: z.array(progressEntrySchema),
  warnings: z.array(z.string()),
});

export const sectionSchema = z.object({
  number: z.number().int().min(0),
  title: z.string().max(NameLimits.title.max),
  tasks: z.array(taskSchema),
});

export const chapterSchema = z.object({
  number: z.number().int().min(0),
  title: z.string().max(NameLimits.title.max),
  sections: z.array(sectionSchema),
});

export const noticeSchema = z.object({
  issuingOffice: z.string().nullable(),
  docNumber: z.string().nullable(),
  title: z.string().nullable(),
  recipients: z.string().nullable(),
  body: z.array(z.string()),
  attachment: z.string().nullable(),
  issuer: z.string().nullable(),
  date: isoDate.nullable(),
  contact: z.object({ unit: z.string().nullable(), name: z.string().nullable(), phone: z.string().nullable() }),
  cc: z.array(z.string()),
  printed: z.object({ by: z.string().nullable(), date: isoDate.nullable() }),
});

export const planDocumentSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  notice: noticeSchema.nullable(),
  plan: z.object({ title: z.string().min(1).max(NameLimits.title.max), docNumber: z.string().nullable() }),
  round: z.object({ label: z.string().min(1).max(64), periodStart: isoDate.nullable(), periodEnd: isoDate.nullable() }),
  /** Short names the document uses in attributions, e.g. `总队` → `监察总队`. */
  unitAliases: z.record(z.string(), z.string()),
  chapters: z.array(chapterSchema),
  /** Warnings about the document as a whole (notice, table layout), not about one task. */
  warnings: z.array(z.string()),
});

export type ProgressEntry = z.infer<typeof progressEntrySchema>;
export type PlanTask = z.infer<typeof taskSchema>;
export type PlanSection = z.infer<typeof sectionSchema>;
export type PlanChapter = z.infer<typeof chapterSchema>;
export type Notice = z.infer<typeof noticeSchema>;
export type PlanDocument = z.infer<typeof planDocumentSchema>;

/** Every task of a document in plan order, with its chapter and section. */
export function* tasksOf(document: PlanDocument): Generator<{ chapter: PlanChapter; section: PlanSection; task: PlanTask }> {
  for (const chapter of document.chapters) for (const section of chapter.sections) for (const task of section.tasks) yield { chapter, section, task };
}

/** `2017年第二季度` → 2017-04-01 … 2017-06-30; also 上半年, 全年, N月. Null when the label says no period. */
export function periodOfRoundLabel(label: string): { start: string; end: string } | null {
  const year = /(\d{4})\s*年/.exec(label)?.[1];
  if (!year) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  const monthEnd = (month: number) => new Date(Date.UTC(Number(year), month, 0)).getUTCDate();
  const span = (from: number, to: number) => ({ start: `${year}-${pad(from)}-01`, end: `${year}-${pad(to)}-${pad(monthEnd(to))}` });
  const quarter = /第\s*([一二三四1-4])\s*季度/.exec(label)?.[1];
  if (quarter) {
    const q = '一二三四'.indexOf(quarter) + 1 || Number(quarter);
    return span(q * 3 - 2, q * 3);
  }
  if (/上半年/.test(label)) return span(1, 6);
  if (/下半年/.test(label)) return span(7, 12);
  const month = /(\d{1,2})\s*月/.exec(label)?.[1];
  if (month && Number(month) >= 1 && Number(month) <= 12) return span(Number(month), Number(month));
  if (/全年|年度/.test(label)) return span(1, 12);
  return null;
}
