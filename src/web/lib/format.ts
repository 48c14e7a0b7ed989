import dayjs from 'dayjs';
import { toChineseNumeral } from '../../domain/chinese-numerals.ts';
import { DEFAULT_TIME_ZONE, formatDateTimeZh, formatDateZh } from '../../domain/dates.ts';

let departmentTimeZone: string = DEFAULT_TIME_ZONE;

/** The department's clock (the organisation profile's time zone, else the server's): set once the profile is read. */
export function setDepartmentTimeZone(timeZone: string): void {
  departmentTimeZone = timeZone;
}

/** The time zone every date on the pages is shown in, and typed dates are read in. */
export function departmentZone(): string {
  return departmentTimeZone;
}

/** 一、 as the document numbers its chapters. */
export function chapterLabel(number: number): string {
  return `${safeNumeral(number)}、`;
}

/** (一) as the document numbers its sections. */
export function sectionLabel(number: number): string {
  return `(${safeNumeral(number)})`;
}

function safeNumeral(number: number): string {
  try {
    return toChineseNumeral(number);
  } catch {
    return String(number);
  }
}

/**
 * A day as people read it: `2017年10月16日` (a stored `YYYY-MM-DD` as written; an instant on the
 * department's clock, domain/dates.ts). Every page shows dates through this and formatDateTime.
 */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  return formatDateZh(value, departmentTimeZone);
}

/** A moment as people read it: `2017年10月16日 17:00` in the department's time zone (a bare day without a time). */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  return formatDateTimeZh(value, departmentTimeZone);
}

export function formatTime(value: Date | string): string {
  return dayjs(value).format('HH:mm:ss');
}

/** A fresh key for one logical submit: retries and double clicks reuse it. */
export function newIdempotencyKey(): string {
  // randomUUID exists only in secure contexts; an intranet server on plain http has getRandomValues.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
