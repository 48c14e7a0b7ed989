import type { ProgressEntry } from '../../domain/plan-document.ts';
import { normaliseName } from '../../domain/text.ts';
import type { Vocabulary } from './vocabulary.ts';

/** A bracket that may name the unit which wrote the text before it: `…（环评处）`, `(总队)`. */
const MARK = /[（(]\s*([^（）()]{2,20}?)\s*[）)]/g;

/**
 * Splits merged progress text into one entry per attributing unit, as the office writes it:
 * each unit's text ends with its name in brackets. A bracket counts as an attribution only when
 * it names a unit (or an unambiguous short form of one, `总队` → `监察总队`, which is then
 * recorded as an alias). Text without attribution stays with no unit: never guessed.
 */
export function splitProgress(
  text: string,
  taskUnits: string[],
  vocabulary: Vocabulary,
  aliases: Record<string, string>,
  warn: (message: string) => void,
): ProgressEntry[] {
  const entries: ProgressEntry[] = [];
  let start = 0;
  let pendingEmpty: string[] = [];
  for (const match of text.matchAll(MARK)) {
    const unit = attributedUnit(match[1]!, taskUnits, vocabulary, aliases);
    if (!unit) continue;
    const written = normaliseName(match[1]!);
    const segment = text.slice(start, match.index).trim();
    start = match.index + match[0].length;
    if (segment === '') {
      pendingEmpty.push(unit);
      continue;
    }
    if (pendingEmpty.length > 0) {
      warn(`${vocabulary.words.progress}中“（${pendingEmpty.join('）（')}）”前没有文字，未单独成条`);
      pendingEmpty = [];
    }
    if (!taskUnits.includes(unit)) warn(`${vocabulary.words.progress}署名“${unit}”不在本任务的${vocabulary.words.units}中，按原文归属该单位`);
    entries.push(written === unit ? { unit, text: segment } : { unit, text: segment, attribution: written });
  }
  if (pendingEmpty.length > 0) warn(`${vocabulary.words.progress}中“（${pendingEmpty.join('）（')}）”前没有文字，未单独成条`);
  const rest = text.slice(start).trim();
  if (rest !== '') entries.push({ unit: null, text: rest });
  return mergeSameUnit(entries);
}

function attributedUnit(inner: string, taskUnits: string[], vocabulary: Vocabulary, aliases: Record<string, string>): string | null {
  const name = normaliseName(inner);
  if (taskUnits.includes(name) || vocabulary.isUnit(name)) return name;
  if (aliases[name]) return aliases[name];
  // A short form: the end of exactly one unit's name (总队 → 监察总队), preferring this task's units.
  for (const pool of [taskUnits, vocabulary.unitList()]) {
    const candidates = [...new Set(pool.filter((unit) => unit.length > name.length && unit.endsWith(name)))];
    if (candidates.length === 1) {
      aliases[name] = candidates[0]!;
      return candidates[0]!;
    }
  }
  return null;
}

/**
 * One entry per unit: a unit that wrote two paragraphs (`…（水处）…（水处）`) gets them joined in
 * order. The written name is kept only when both brackets wrote the same one (one bracket is printed).
 */
function mergeSameUnit(entries: ProgressEntry[]): ProgressEntry[] {
  const merged: ProgressEntry[] = [];
  for (const entry of entries) {
    const same = merged.find((e) => e.unit === entry.unit);
    if (!same) merged.push({ ...entry });
    else {
      same.text = `${same.text}\n${entry.text}`;
      if (same.attribution !== entry.attribution) delete same.attribution;
    }
  }
  return merged;
}
