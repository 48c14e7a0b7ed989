/**
 * Dates as people type and read them, for the browser and the server alike.
 *
 * Office staff type `2017-10-16`, `2017/10/16`, `2017.10.16` or `2017年10月16日` (often with
 * full-width digits from a Chinese input method); all of them mean the same calendar day, and an
 * impossible day (`2017-02-30`, `2017-13-45`, `0000-00-00`) is refused rather than rolled over
 * into another month. Times are shown in the department's time zone in the form a notice uses:
 * `2017年10月16日 17:00`.
 */

/** The time zone used when none is configured: the department's wall clock. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The earliest and latest years a plan, round or notice date may name. */
export const DATE_YEAR_RANGE = { min: 1949, max: 2999 } as const;

const FULL_WIDTH_DIGIT = /[\uff10-\uff19]/g;

/** Full-width digits and separators to ASCII, surrounding blanks (also U+3000) removed. */
function halfWidth(input: string): string {
  return input
    .replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\uff0d\u2010-\u2015\u2212]/g, '-')
    .replace(/\uff0f/g, '/')
    .replace(/[\uff0e\u3002]/g, '.')
    .replace(/\uff1a/g, ':')
    .replace(/[\s\u3000]+/g, ' ')
    .trim();
}

const TYPED_DATE = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/,
  /^(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];

/** True when year-month-day names a day that exists (2017-02-29 does not; 2016-02-29 does). */
export function isRealDay(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < DATE_YEAR_RANGE.min || year > DATE_YEAR_RANGE.max || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/**
 * A date as typed → `YYYY-MM-DD`, or null when it is not one of the accepted forms or names a
 * day that does not exist.
 */
export function parseTypedDate(input: string): string | null {
  const text = halfWidth(input);
  for (const form of TYPED_DATE) {
    const match = form.exec(text);
    if (!match) continue;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (!isRealDay(year, month, day)) return null;
    return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  return null;
}

/** True for a canonical `YYYY-MM-DD` that names a real day. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match !== null && isRealDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** One formatter per time zone: building one costs about ten times what formatting with it does. */
const WALL_CLOCKS = new Map<string, Intl.DateTimeFormat>();

/** The parts of an instant on the wall clock of `timeZone`. */
function wallClock(instant: Date, timeZone: string) {
  let format = WALL_CLOCKS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    WALL_CLOCKS.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

function toInstant(value: string | Date): Date | null {
  const instant = value instanceof Date ? value : new Date(value);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/**
 * `2017年10月16日 17:00` in `timeZone`. A bare `YYYY-MM-DD` is a calendar day, shown without a
 * time; anything unreadable is returned as it came.
 */
export function formatDateTimeZh(value: string | Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  if (typeof value === 'string' && isCalendarDate(value)) return formatDateZh(value, timeZone);
  const instant = toInstant(value);
  if (!instant) return String(value);
  const t = wallClock(instant, timeZone);
  return `${t.year}年${t.month}月${t.day}日 ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

/** `2017年10月16日`: a calendar day as written, or an instant's day in `timeZone`. */
export function formatDateZh(value: string | Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  if (typeof value === 'string') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (match) return `${Number(match[1])}年${Number(match[2])}月${Number(match[3])}日`;
  }
  const instant = toInstant(value);
  if (!instant) return String(value);
  const t = wallClock(instant, timeZone);
  return `${t.year}年${t.month}月${t.day}日`;
}

/** An instant as a form's date and time fields read it in `timeZone`: `{ date: '2017-10-16', time: '17:00' }`. */
export function dateAndTimeIn(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): { date: string; time: string } {
  const t = wallClock(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: `${t.year}-${pad(t.month)}-${pad(t.day)}`, time: `${pad(t.hour)}:${pad(t.minute)}` };
}

/**
 * The offset of `timeZone` from UTC at `instant`, as `+08:00`: what a day's end in the department
 * needs to become an instant (`2017-10-16T23:59:59+08:00`).
 */
export function utcOffsetOf(timeZone: string, instant: Date = new Date()): string {
  const t = wallClock(instant, timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  const minutes = Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** True when `timeZone` is an IANA name this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
