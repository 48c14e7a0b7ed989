import { z } from 'zod';
import { ROLES } from '../../domain/api/roles.ts';
import type { ErrorView, SessionView } from '../../domain/api/session.ts';
import { isCalendarDate, parseTypedDate } from '../../domain/dates.ts';

/**
 * Zod schemas shared by routes: they validate requests, shape answers (unknown fields are
 * dropped, so a row never leaks through) and become the OpenAPI document. Each one is checked
 * against its view type in src/domain/api, so the contract with the web app has one source.
 */

/**
 * A positive integer id in the path or query, e.g. `/api/rounds/:roundId`: only the canonical
 * decimal form (`10`, never `010`, `+10`, ` 10`, `0xa`, `1e1` or `10.0`, which Number() would
 * all read as 10) and within the safe integer range, so one id has one spelling.
 */
export const idParam = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, '应为正整数编号，只写十进制数字，不带前导零、符号或空格')
  .transform(Number)
  .pipe(z.number().int('编号超出范围'));

/** A whole number in a query string (`?page=2`), in the canonical decimal form, from `min` to `max`. */
export const queryInteger = (min: number, max: number) =>
  z
    .string()
    .regex(/^(0|[1-9]\d{0,15})$/, '应为整数，只写十进制数字，不带前导零、符号或空格')
    .transform(Number)
    .pipe(z.number().int().min(min, `不能小于 ${min}`).max(max, `不能大于 ${max}`));

/** The forms a date may be typed in, for messages and the OpenAPI document. */
const DATE_FORMS = '2017-10-16、2017/10/16 或 2017年10月16日';

/**
 * A calendar day as people type it (`2017-10-16`, `2017/10/16`, `2017年10月16日`, full-width
 * digits too) → `YYYY-MM-DD`; a day that does not exist (`2017-02-30`, `2017-13-45`,
 * `0000-00-00`) is refused, never rolled over into another month. Every route with a date uses it.
 */
export const calendarDateSchema = z
  .string()
  .max(32, '日期过长')
  .transform((value, context) => {
    const day = parseTypedDate(value);
    if (day !== null) return day;
    context.addIssue({ code: 'custom', message: `“${value}”不是有效日期，应为 ${DATE_FORMS}`, input: value });
    return z.NEVER;
  })
  .meta({ description: `日期，可写作 ${DATE_FORMS}；保存为 YYYY-MM-DD`, examples: ['2017-10-16'] });

/** A form's optional date: blank (or null) is no date; anything else must be a real day (`calendarDateSchema`). */
export const optionalDateSchema = z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? null : value), calendarDateSchema.nullable());

/** An ISO 8601 instant with its offset, whose calendar day exists (`2017-10-16T17:00:00+08:00`). */
const isoInstant = z.iso.datetime({ offset: true });
const isInstant = (value: string) => isoInstant.safeParse(value).success && isCalendarDate(value.slice(0, 10));

export const dateTimeSchema = z
  .string()
  .max(40, '时间过长')
  .refine(isInstant, { error: (issue) => `“${String(issue.input)}”不是有效时间，应为 ISO 8601 时间，如 2017-10-16T17:00:00+08:00` })
  .meta({ description: 'ISO 8601 时间（带时区），如 2017-10-16T17:00:00+08:00', examples: ['2017-10-16T17:00:00+08:00'] });

/**
 * A deadline: a calendar day as typed (→ `YYYY-MM-DD`, the end of that day in the department's
 * time zone) or an ISO 8601 instant; impossible days refused in either form.
 */
export const deadlineSchema = z
  .string()
  .max(40, '截止时间过长')
  .transform((value, context) => {
    const day = parseTypedDate(value);
    if (day !== null) return day;
    if (isInstant(value)) return value;
    context.addIssue({ code: 'custom', message: `“${value}”不是有效日期或时间，应为 ${DATE_FORMS}，或 ISO 8601 时间`, input: value });
    return z.NEVER;
  })
  .meta({ description: `截止日期（${DATE_FORMS}，指当天结束）或 ISO 8601 时间`, examples: ['2017-10-16', '2017-10-16T17:00:00+08:00'] });

/** A version number the client edited from: a safe non-negative integer; missing = stale (null). */
export const versionSchema = z.number().int('版本号应为不超过 9007199254740991 的非负整数').min(0, '版本号应为不超过 9007199254740991 的非负整数');

export const errorViewSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
}) satisfies z.ZodType<ErrorView>;

/** The error answers every authenticated route may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorViewSchema.describe('请求格式或参数不正确'),
  401: errorViewSchema.describe('未登录或会话已过期'),
  403: errorViewSchema.describe('无权执行，或缺少 x-csrf-token'),
} as const;

export const sessionViewSchema = z.object({
  user: z.object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    unit: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    mustChangePassword: z.boolean(),
    totpEnabled: z.boolean(),
  }),
  restriction: z.enum(['password_change', 'totp_enrolment']).nullable(),
  csrfToken: z.string(),
  expiresAt: z.string(),
  organisation: z.object({ code: z.string(), name: z.string() }),
}) satisfies z.ZodType<SessionView>;
