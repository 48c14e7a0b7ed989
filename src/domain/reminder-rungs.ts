/**
 * The rungs of a round's reminder ladder as the office writes them (decision 035): `before:7d`
 * (09:00, 7 days before the deadline's day), `due_day:09:00`, `overdue_daily:09:00`. The server's
 * scheduler reads them with `parseRung` (src/server/delivery/outbox.ts); this is the same grammar,
 * for the messages and labels people see, shared by the API and the web form.
 */
export const ReminderLimits = {
  /** Rungs on one round's ladder. */
  rungs: 10,
  /** The longest `before:Nd`. */
  daysBefore: 60,
  /** The stored text of one rung. */
  rungText: 40,
} as const;

const BEFORE = /^before:(\d+)d$/;
const TIMED = /^(due_day|overdue_daily):(.*)$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Why `text` is not a rung the scheduler reads, in Chinese; null when it is one. */
export function rungProblem(text: string): string | null {
  const before = BEFORE.exec(text);
  if (before) {
    const days = Number(before[1]);
    return days >= 1 && days <= ReminderLimits.daysBefore && before[1]!.length <= 2 ? null : `提前天数应为 1–${ReminderLimits.daysBefore}`;
  }
  const timed = TIMED.exec(text);
  if (timed) return TIME.test(timed[2]!) ? null : '时刻应为 00:00–23:59，如 09:00';
  return '应为 before:7d（截止前 7 天）、due_day:09:00（截止当天）或 overdue_daily:09:00（逾期后每天）';
}

/** The one way a valid rung is stored (`before:07d` → `before:7d`), so two spellings of one step are seen as the same. */
export function canonicalRung(text: string): string {
  const before = BEFORE.exec(text);
  return before && rungProblem(text) === null ? `before:${Number(before[1])}d` : text;
}

/** 截止前 7 天 09:00 / 截止当天 09:00 / 逾期后每天 09:00; the text itself for anything else. */
export function rungLabel(text: string): string {
  if (rungProblem(text) !== null) return text;
  const before = BEFORE.exec(text);
  if (before) return `截止前 ${Number(before[1])} 天 09:00`;
  const [, kind, time] = TIMED.exec(text)!;
  return kind === 'due_day' ? `截止当天 ${time}` : `逾期后每天 ${time}`;
}

/** The rung the form's fields name: 截止前 N 天, 截止当天 HH:MM, 逾期后每天 HH:MM. */
export function rungOf(kind: 'before' | 'due_day' | 'overdue_daily', value: string): string {
  return kind === 'before' ? `before:${value.trim()}d` : `${kind}:${value.trim()}`;
}

/** Where a rung falls, for listing a ladder in time order: days before (negative), the day, after. */
export function rungOrder(text: string): number {
  const before = BEFORE.exec(text);
  if (before) return -Number(before[1]) * 1440;
  const timed = TIMED.exec(text);
  const time = timed && TIME.exec(timed[2]!);
  if (!timed || !time) return Number.MAX_SAFE_INTEGER;
  const minutes = Number(time[1]) * 60 + Number(time[2]);
  return timed[1] === 'due_day' ? minutes : 1440 + minutes;
}
