import type { SearchHitView } from '../../domain/api/plan-view.ts';

/** Marks around a match in a snippet (plan-view.ts): the web app turns them into highlights. */
export const MATCH_START = '\u0001';
export const MATCH_END = '\u0002';

/** How much text a snippet keeps before and after the first match (UTF-16 units; CJK is one each). */
const BEFORE = 24;
const AFTER = 56;
/** Text no longer than this is shown whole. */
const WHOLE = BEFORE + AFTER + 20;

export type SearchHit = {
  taskId: number;
  planId: number;
  field: 'task' | 'progress';
  roundLabel: string | null;
  unitName: string | null;
  text: string;
};

export function presentSearchHit(hit: SearchHit, terms: readonly string[]): SearchHitView {
  return {
    taskId: hit.taskId,
    planId: hit.planId,
    roundLabel: hit.roundLabel,
    field: hit.field,
    unitName: hit.unitName,
    snippet: snippet(hit.text, terms),
  };
}

/**
 * The text around the first match, every occurrence of every term in it between
 * MATCH_START and MATCH_END, with `…` where text was cut. Marks already in the text are
 * dropped first, so a snippet's marks are always ours.
 */
export function snippet(text: string, terms: readonly string[]): string {
  const clean = text.replaceAll(MATCH_START, '').replaceAll(MATCH_END, '');
  const pattern = termPattern(terms);
  if (!pattern) return cut(clean, 0, WHOLE);
  const first = pattern.exec(clean);
  pattern.lastIndex = 0;
  let start = 0;
  let end = clean.length;
  if (clean.length > WHOLE) {
    const at = first?.index ?? 0;
    const length = first?.[0].length ?? 0;
    start = Math.max(0, at - BEFORE);
    end = Math.min(clean.length, at + length + AFTER);
  }
  return cut(clean, start, end, (window) => window.replace(pattern, (match) => `${MATCH_START}${match}${MATCH_END}`));
}

/** `text[start, end)` without splitting a surrogate pair, with `…` at each cut end. */
function cut(text: string, start: number, end: number, mark: (window: string) => string = (window) => window): string {
  let from = start;
  let to = Math.min(end, text.length);
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from -= 1;
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to += 1;
  return `${from > 0 ? '…' : ''}${mark(text.slice(from, to))}${to < text.length ? '…' : ''}`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** One case-insensitive pattern for all terms, longest first so a longer term wins an overlap. */
function termPattern(terms: readonly string[]): RegExp | null {
  const usable = [...new Set(terms)].filter((term) => term.length > 0).sort((a, b) => b.length - a.length);
  if (usable.length === 0) return null;
  return new RegExp(usable.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'giu');
}
