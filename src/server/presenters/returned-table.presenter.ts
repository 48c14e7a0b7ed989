import { diffChars } from 'diff';
import type { DiffSegment, ReturnedTableView } from '../../domain/api/returned-table-view.ts';
import type { ReturnedTableResult } from '../services/returned-table.service.ts';

/** A diff of two long, unrelated texts is not worth more than this; past it the whole text shows as replaced. */
const DIFF_TIMEOUT_MS = 50;

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
  const changes = diffChars(before, after, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) return [...(before ? [{ kind: 'removed' as const, text: before }] : []), ...(after ? [{ kind: 'added' as const, text: after }] : [])];
  return changes.map((change) => ({ kind: change.added ? 'added' : change.removed ? 'removed' : 'same', text: change.value }));
}
