import { z } from 'zod';

/**
 * POST /api/rounds/:roundId/units/:unitId/returned-table: a progress table a unit filled in
 * offline (回传表), compared task by task with the unit's stored answers (decision 015).
 */

/** How the file's text for one of the unit's tasks compares with the stored answer. */
export const RETURNED_CHANGES = ['unchanged', 'changed', 'new', 'cleared'] as const;
export type ReturnedChange = (typeof RETURNED_CHANGES)[number];

export const RETURNED_CHANGE_LABELS: Record<ReturnedChange, string> = {
  unchanged: '未变',
  changed: '修改',
  new: '新填',
  cleared: '表中已清空',
};

/** A run of characters of the before/after texts: kept, added in the file, or gone from it. */
export const diffSegmentSchema = z.object({ kind: z.enum(['same', 'added', 'removed']), text: z.string() });

export const returnedTableItemSchema = z.object({
  taskId: z.number().int(),
  /** The task's place in the unit's to-do list (第N项), 1-based. */
  number: z.number().int(),
  chapterNumber: z.number().int(),
  sectionNumber: z.number().int(),
  taskText: z.string(),
  role: z.enum(['lead', 'co']),
  change: z.enum(RETURNED_CHANGES),
  /** The stored answer's text ('' when none). */
  before: z.string(),
  /** The unit's text read from the file ('' when the cell says nothing for this unit). */
  after: z.string(),
  /** Character diff of before → after; empty when unchanged. */
  segments: z.array(diffSegmentSchema),
  /** The stored answer's version now (0: none yet): send it back with apply. */
  version: z.number().int(),
  /** The task's row among the file's task rows, 1-based. */
  row: z.number().int(),
  /** `text`: the task text is the same; `position`: same chapter, section and place, and a similar text. */
  matchedBy: z.enum(['text', 'position']),
  /** How the unit's text was taken from the cell, and what was left out. */
  notes: z.array(z.string()),
});

export const returnedTableViewSchema = z.object({
  mode: z.enum(['preview', 'apply']),
  fileName: z.string(),
  format: z.enum(['json', 'text', 'docx', 'xlsx']),
  contentHash: z.string(),
  round: z.object({ id: z.number().int(), label: z.string() }),
  unit: z.object({ id: z.number().int(), name: z.string() }),
  /** Whether apply may write now: the round is open and the unit's answers are editable. */
  submission: z.object({ state: z.enum(['not_started', 'draft', 'submitted', 'approved', 'returned', 'accepted']), editable: z.boolean() }),
  counts: z.object({
    /** Task rows in the file. */
    rows: z.number().int(),
    unchanged: z.number().int(),
    changed: z.number().int(),
    new: z.number().int(),
    cleared: z.number().int(),
    /** Rows that match no task of the round (listed in `unmatched`). */
    unmatched: z.number().int(),
    /** Rows of tasks of the round that the unit is not on. */
    ignored: z.number().int(),
    /** The unit's tasks of the round that have no row in the file. */
    missing: z.number().int(),
  }),
  /** One per task of the unit found in the file, in to-do order. */
  items: z.array(returnedTableItemSchema),
  unmatched: z.array(
    z.object({ row: z.number().int(), chapterNumber: z.number().int(), sectionNumber: z.number().int(), textHead: z.string(), reason: z.string() }),
  ),
  missing: z.array(z.object({ taskId: z.number().int(), number: z.number().int(), textHead: z.string() })),
  /** About the file as a whole (its title, the submission's state). */
  notes: z.array(z.string()),
  /** The reader's warnings about the file (repairs it made), each naming where. */
  warnings: z.array(z.string()),
  /** apply: how many answers were written as drafts; null for a preview. */
  written: z.number().int().nullable(),
});

export type ReturnedTableItem = z.infer<typeof returnedTableItemSchema>;
export type ReturnedTableView = z.infer<typeof returnedTableViewSchema>;
export type DiffSegment = z.infer<typeof diffSegmentSchema>;

/** apply's `expectedVersions`: each task's answer version as the preview showed it. */
export const expectedVersionsSchema = z.record(z.string().regex(/^\d+$/, '任务编号应为正整数'), z.number().int().min(0));
export type ExpectedVersions = Record<number, number>;
