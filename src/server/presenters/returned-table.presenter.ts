import { diffChars } from 'diff';
import type { DiffSegment, ReturnedTableView } from '../../domain/api/returned-table-view.ts';
import type { ReturnedTableResult } from '../services/returned-table.service.ts';

/**
 * How many characters added and removed a diff may find before the whole text shows as replaced: a
 * text mostly rewritten reads better as old and new than as a confetti of runs, and the diff of two
 * long unrelated texts stops early (two unrelated texts of 20,000 characters: 42 ms). A bound on the
 * work, not on the time: it was 50 ms of the clock, and on a loaded machine a pause in the middle
 * of a two-word edit showed the whole answer as replaced; the same file now always gets the same marks.
 */
export const DIFF_MAX_EDIT_LENGTH = 500;

/** The API's view of a returned table's comparison: counts, and per task before/after with the changed characters marked. */
export function presentReturnedTable(result: ReturnedTableResult): ReturnedTableView {
  const count = (change: string) => result.items.filter((item) => item.change === change).length;
  return {
    mode: result.mode,
    fileName: result.fileName,
    format: result.read.format,
    contentHash: result.read.contentHash,
    round: result.round,
    unit: result.unit,
    submission: result.submission,
    counts: {
      rows: result.rows,
      unchanged: count('unchanged'),
      changed: count('changed'),
      new: count('new'),
      cleared: count('cleared'),
      unmatched: result.unmatched.length,
      ignored: result.ignored,
      missing: result.missing.length,
    },
    items: result.items.map((item) => ({
      taskId: item.taskId,
      number: item.number,
      chapterNumber: item.chapterNumber,
      sectionNumber: item.sectionNumber,
      taskText: item.taskText,
      role: item.role,
      change: item.change,
      before: item.before,
      after: item.after,
      segments: item.change === 'unchanged' ? [] : segmentsOf(item.before, item.after),
      version: item.version,
      row: item.row,
      matchedBy: item.matchedBy,
      notes: item.notes,
    })),
    unmatched: result.unmatched,
    missing: result.missing,
    notes: result.notes,
    warnings: result.read.warnings,
    written: result.written,
  };
}

/** Character runs kept, removed and added: Chinese has no spaces between words, so characters are the unit. */
export function segmentsOf(before: string, after: string): DiffSegment[] {
  const changes = diffChars(before, after, { maxEditLength: DIFF_MAX_EDIT_LENGTH });
  if (!changes) return [...(before ? [{ kind: 'removed' as const, text: before }] : []), ...(after ? [{ kind: 'added' as const, text: after }] : [])];
  return changes.map((change) => ({ kind: change.added ? 'added' : change.removed ? 'removed' : 'same', text: change.value }));
}
