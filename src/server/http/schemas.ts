import { z } from 'zod';
import { ROLES } from '../../domain/api/roles.ts';
import type { ErrorView, SessionView } from '../../domain/api/session.ts';

/**
 * Zod schemas shared by routes: they validate requests, shape answers (unknown fields are
 * dropped, so a row never leaks through) and become the OpenAPI document. Each one is checked
 * against its view type in src/domain/api, so the contract with the web app has one source.
 */

/** A positive integer id in the path, e.g. `/api/rounds/:roundId`. */
export const idParam = z.coerce.number().int().positive();

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
}) satisfies z.ZodType<SessionView>;
