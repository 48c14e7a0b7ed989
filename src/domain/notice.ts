import { formatDateZh } from './dates.ts';
import { z } from 'zod';
import { NoticeLimits } from './limits.ts';

/**
 * The notice (通报) as the office edits it: the fields' limits, the document number's form, the
 * placeholders a paragraph may use, and the date as the document writes it. Read by the notice
 * service, its API schema and the web form alike.
 */

const text = (limit: { readonly max: number }) => z.string().max(limit.max);

/**
 * What the office sends: every field of `Notice`, each within NoticeLimits. Empty strings are
 * allowed here (the service trims them to null); the document number's form, the dates and the
 * placeholders are checked by the service, which names the field in its error.
 */
export const noticeFieldsSchema = z.object({
  issuingOffice: text(NoticeLimits.issuingOffice).nullable(),
  docNumber: text(NoticeLimits.docNumber).nullable(),
  title: text(NoticeLimits.title).nullable(),
  recipients: text(NoticeLimits.recipients).nullable(),
  body: z.array(text(NoticeLimits.body)).max(NoticeLimits.body.paragraphs),
  attachment: text(NoticeLimits.attachment).nullable(),
  issuer: text(NoticeLimits.issuer).nullable(),
  date: z.string().max(32).nullable(),
  contact: z.object({
    unit: text(NoticeLimits.contactUnit).nullable(),
    name: text(NoticeLimits.contactName).nullable(),
    phone: text(NoticeLimits.contactPhone).nullable(),
  }),
  cc: z.array(text(NoticeLimits.cc)).max(NoticeLimits.cc.count),
  printed: z.object({ by: text(NoticeLimits.printedBy).nullable(), date: z.string().max(32).nullable() }),
});

export type NoticeFields = z.infer<typeof noticeFieldsSchema>;

/** The placeholders a notice's text may carry, and what each one stands for. */
export const NOTICE_PLACEHOLDERS = {
  '{轮次}': '本轮调度的名称，如“2017年第二季度”',
  '{方案文号}': '分工方案的发文字号，如“某环办发〔2016〕144号”',
  '{方案标题}': '分工方案的标题',
} as const;

export type NoticePlaceholder = keyof typeof NOTICE_PLACEHOLDERS;
export type PlaceholderValues = Record<NoticePlaceholder, string | null>;

/** `{…}` with Chinese inside: meant as a placeholder (braces around other text are left alone). */
const PLACEHOLDER = /\{[\u3400-\u9fff]+\}/g;

export type Expansion = { text: string; unknown: string[]; empty: string[] };

/** Replaces the known placeholders; reports unknown ones and those whose value is missing. */
export function expandPlaceholders(value: string, values: PlaceholderValues): Expansion {
  const unknown: string[] = [];
  const empty: string[] = [];
  const text = value.replace(PLACEHOLDER, (token) => {
    if (!(token in values)) {
      unknown.push(token);
      return token;
    }
    const replacement = values[token as NoticePlaceholder];
    if (replacement === null || replacement === '') {
      empty.push(token);
      return token;
    }
    return replacement;
  });
  return { text, unknown, empty };
}

export type DocNumberParts = { prefix: string; year: number; number: number };

/** `某环办发〔2017〕102号`: the year in 〔〕, the number without leading zeros. */
export function formatDocNumber(prefix: string, year: number, number: number): string {
  return `${prefix}〔${year}〕${Math.trunc(number)}号`;
}

/** `某环办发〔2017〕102号` → its parts; null for text in another form. Leading zeros are dropped. */
export function parseDocNumber(text: string): DocNumberParts | null {
  const match = /^(.+?)〔(\d{4})〕0*(\d+)号$/.exec(text.trim());
  if (!match) return null;
  return { prefix: match[1]!, year: Number(match[2]), number: Number(match[3]) };
}

/** Year brackets people type instead of 〔〕 (GB/T 9704 uses the hexagonal ones). */
const YEAR_BRACKETS = /^(.+?)\s*[〔[［(（【〖﹝]\s*(\d{4})\s*[〕\]］)）】〗﹞]\s*(\d+)\s*号$/;

export type DocNumberReading =
  { ok: true; docNumber: string; parts: DocNumberParts; notes: string[] } | { ok: false; reason: 'form' | 'year' | 'number' | 'prefix' };

/**
 * Reads a document number as typed: full-width digits, other brackets around the year and
 * leading zeros are accepted and normalised, each change reported in `notes` (Chinese).
 */
export function readDocNumber(input: string): DocNumberReading {
  const folded = input.trim().replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xff10 + 0x30));
  const match = YEAR_BRACKETS.exec(folded);
  if (!match) return { ok: false, reason: 'form' };
  const prefix = match[1]!.trim();
  const year = Number(match[2]);
  const digits = match[3]!;
  const number = Number(digits);
  if (prefix === '' || prefix.length > NoticeLimits.docPrefix.max) return { ok: false, reason: 'prefix' };
  if (year < 2000 || year > 2100) return { ok: false, reason: 'year' };
  if (!Number.isSafeInteger(number) || number < 1) return { ok: false, reason: 'number' };
  const docNumber = formatDocNumber(prefix, year, number);
  const notes: string[] = [];
  if (/^0\d/.test(digits)) notes.push(`文号序号的前导零已去掉：${digits} → ${number}`);
  if (!folded.includes(`〔${year}〕`)) notes.push(`年份括号已改为六角括号〔〕：${docNumber}`);
  if (folded !== input.trim()) notes.push('全角数字已改为半角');
  return { ok: true, docNumber, parts: { prefix, year, number }, notes };
}

/** Dates live in dates.ts; the notice's names for them stay for its callers. */
export { isCalendarDate } from './dates.ts';

/** `2017-07-31` → `2017年7月31日`, as the notice prints its dates; other text is returned as is. */
export function formatNoticeDate(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDateZh(value) : value;
}
