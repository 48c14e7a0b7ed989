import type { ReturnedChange } from '../../domain/api/returned-table-view.ts';
import { NO_ANSWER_TEXT, withoutExportMarks } from '../../domain/compiled-table.ts';
import { groupBy } from '../../domain/group-by.ts';
import type { PlanDocument, ProgressEntry } from '../../domain/plan-document.ts';
import { normaliseName, stripControlCharacters, stripHtmlTags } from '../../domain/text.ts';
import { cleanMultilineCell } from './plan-table.reader.ts';

/**
 * The matching of a returned table (回传表, returned-table.service.ts), pure: the file's rows to the
 * round's tasks, a unit's own text in a progress cell, and how it differs from the stored answer.
 * No I/O: the service loads the round and the answers, and writes.
 */

/** How many characters of a task's text name it in messages and lists. */
const HEAD = 30;
/** A row whose task text was edited is matched by its place only if this much of its text (bigram Dice) is still the task's. */
const POSITION_SIMILARITY = 0.5;

/** A task of the round in plan order, with its place in its section among the round's tasks. */
export type RoundTask = { id: number; text: string; key: string; chapterNumber: number; sectionNumber: number; place: number };

/** A task row of the file, numbered from 1 in the file's order. */
export type FileRow = { row: number; chapterNumber: number; sectionNumber: number; place: number; text: string; key: string; progress: ProgressEntry[] };

export type RowMatch = { row: FileRow; taskId: number; matchedBy: 'text' | 'position' };
export type UnmatchedRow = { row: number; chapterNumber: number; sectionNumber: number; textHead: string; reason: string };

export function fileRows(document: PlanDocument): FileRow[] {
  const rows: FileRow[] = [];
  for (const chapter of document.chapters)
    for (const section of chapter.sections)
      section.tasks.forEach((task, index) =>
        rows.push({
          row: rows.length + 1,
          chapterNumber: chapter.number,
          sectionNumber: section.number,
          place: index + 1,
          text: task.text,
          key: taskKey(task.text),
          progress: task.progress,
        }),
      );
  return rows;
}

export function sameTitle(a: string, b: string): boolean {
  const key = (text: string) => taskKey(text).replace(/^《|》$/g, '');
  return key(a) === key(b);
}

/**
 * Each file row to at most one task of the round: first by its task text (spaces, width and
 * control characters aside), then by its chapter, section and place if that task's text is
 * still similar. A row that matches nothing, or a task already taken, is reported, never guessed.
 */
export function matchRows(rows: readonly FileRow[], tasks: readonly RoundTask[]): { matches: RowMatch[]; unmatched: UnmatchedRow[] } {
  const byKey = groupBy(tasks, (task) => task.key);
  const byPlace = new Map(tasks.map((task) => [`${task.chapterNumber}/${task.sectionNumber}/${task.place}`, task]));
  const taken = new Map<number, number>();
  const matched = new Map<number, { taskId: number; matchedBy: 'text' | 'position' }>();

  for (const row of rows) {
    const candidates = (byKey.get(row.key) ?? []).filter((task) => !taken.has(task.id));
    // The same text twice in a plan: the one in the row's own chapter and section first.
    const task = candidates.find((t) => t.chapterNumber === row.chapterNumber && t.sectionNumber === row.sectionNumber) ?? candidates[0];
    if (!task) continue;
    taken.set(task.id, row.row);
    matched.set(row.row, { taskId: task.id, matchedBy: 'text' });
  }
  for (const row of rows) {
    if (matched.has(row.row) || byKey.has(row.key)) continue;
    const task = byPlace.get(`${row.chapterNumber}/${row.sectionNumber}/${row.place}`);
    if (!task || taken.has(task.id) || similarity(row.key, task.key) < POSITION_SIMILARITY) continue;
    taken.set(task.id, row.row);
    matched.set(row.row, { taskId: task.id, matchedBy: 'position' });
  }

  const matches: RowMatch[] = [];
  const unmatched: UnmatchedRow[] = [];
  for (const row of rows) {
    const match = matched.get(row.row);
    if (match) {
      matches.push({ row, ...match });
      continue;
    }
    const twin = (byKey.get(row.key) ?? []).map((task) => taken.get(task.id)).find((r) => r !== undefined);
    unmatched.push({
      row: row.row,
      chapterNumber: row.chapterNumber,
      sectionNumber: row.sectionNumber,
      textHead: clip(row.text),
      reason: twin !== undefined ? `与表中第${twin}行是同一项任务，重复的一行未导入` : '本轮没有这项任务（任务文字和位置都对不上），未导入',
    });
  }
  return { matches, unmatched };
}

/**
 * The unit's own text in a progress cell: the entries attributed to it (`…（环评处）`). Text with
 * no attribution is the lead unit's, as in the seed document and the to-do list's "last round";
 * a co-unit never takes it. Entries of other units are left alone (they import their own files).
 */
export function unitTextOf(progress: readonly ProgressEntry[], unitName: string, role: 'lead' | 'co'): { text: string; notes: string[] } {
  const notes: string[] = [];
  const unit = normaliseName(unitName);
  const own = progress.filter((entry) => entry.unit !== null && normaliseName(entry.unit) === unit);
  const unattributed = progress.filter((entry) => entry.unit === null);
  const others = [...new Set(progress.filter((entry) => entry.unit !== null && normaliseName(entry.unit) !== unit).map((entry) => entry.unit!))];
  const parts = own.map((entry) => withoutExportMarks(entry.text));
  if (unattributed.length > 0) {
    if (role === 'lead') {
      parts.push(...unattributed.map((entry) => withoutExportMarks(entry.text)));
      notes.push(
        own.length > 0 || others.length > 0 ? '单元格中未署名的文字按牵头单位的填报归入本单位' : '单元格中的文字没有署名，本单位是牵头单位，整段归入本单位',
      );
    } else {
      notes.push(`单元格中有未署名的文字，本单位是配合单位，未归入；如是本单位所写，请在文字末尾注明“（${unitName}）”`);
    }
  }
  if (others.length > 0) notes.push(`单元格中${others.join('、')}署名的文字不属于本单位，未导入`);
  const text = parts
    .join('\n')
    .split('\n')
    // Our own table's "no answer" mark left in a cell the unit typed into is not the unit's text.
    .filter((line) => line.trim() !== NO_ANSWER_TEXT)
    .join('\n')
    .trim();
  return { text: stripControlCharacters(text), notes };
}

/**
 * Compared as the readers read cells: line by line, whitespace runs as one space, empty lines
 * dropped; so a stored answer that comes back through Word or Excel unchanged is `unchanged`.
 */
export function changeOf(before: string, after: string): ReturnedChange {
  const a = cleanMultilineCell(stripControlCharacters(before).replace(/\r\n?/g, '\n'));
  const b = cleanMultilineCell(after);
  if (a === b) return 'unchanged';
  if (b === '') return 'cleared';
  if (a === '') return 'new';
  return 'changed';
}

/** A task text as a matching key: no tags, control characters or whitespace; full-width folded (NFKC). */
export function taskKey(text: string): string {
  return stripHtmlTags(stripControlCharacters(text)).normalize('NFKC').replace(/\s+/g, '');
}

/** Dice coefficient over character bigrams: 1 for the same text, near 0 for unrelated ones. */
export function similarity(a: string, b: string): number {
  const bigrams = (text: string) => {
    const counts = new Map<string, number>();
    for (let i = 0; i + 1 < text.length; i++) counts.set(text.slice(i, i + 2), (counts.get(text.slice(i, i + 2)) ?? 0) + 1);
    return counts;
  };
  const x = bigrams(a);
  const y = bigrams(b);
  let shared = 0;
  for (const [gram, count] of x) shared += Math.min(count, y.get(gram) ?? 0);
  const total = Math.max(a.length - 1, 0) + Math.max(b.length - 1, 0);
  return total === 0 ? Number(a === b) : (2 * shared) / total;
}

/** A text's head for messages: whitespace runs as one space, at most HEAD characters. */
export function clip(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > HEAD ? `${chars.slice(0, HEAD).join('')}…` : chars.join('');
}
