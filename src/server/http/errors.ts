import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { UserActor } from '../../domain/actor.ts';
import type { ErrorView } from '../../domain/api/session.ts';
import { isDomainError, type DomainErrorKind } from '../../domain/errors.ts';
import type { Services } from '../services/index.ts';
import { BodyEncodingError } from './json-body.ts';

/**
 * The one place where errors become HTTP answers, all in the `ErrorView` envelope. Services
 * throw domain errors with stable codes (they know nothing of HTTP: the CLI calls them too);
 * the request's own problems (no session, no CSRF token, a body that fails its schema) are
 * decided here too, so the status codes live in this file only.
 */

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 422,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  failed: 500,
};

/** Raised by the auth hook: answered 401 here. */
export class AuthRequiredError extends Error {
  readonly code = 'unauthenticated';
  constructor() {
    super('请先登录，或登录已过期');
  }
}

/** Raised by the auth hook when a write lacks the session's CSRF token: answered 403 and audited. */
export class CsrfError extends Error {
  readonly code = 'csrf_failed';
  constructor() {
    super('请求缺少有效的 x-csrf-token，请刷新页面后重试');
  }
}

/**
 * A multipart upload with a text field its route does not read (upload.ts): answered like an
 * unknown field of a JSON body, 400 naming it, nothing read further.
 */
export class UnknownUploadFieldError extends Error {
  readonly code = 'validation_failed';
  constructor(readonly field: string) {
    super(`请求含有本接口不接受的字段：body.${field}（可能拼写有误），未保存`);
  }
}

export type ErrorReply = { status: number; body: ErrorView };

const envelope = (status: number, code: string, message: string, details?: Record<string, unknown>): ErrorReply => ({
  status,
  body: { error: details === undefined ? { code, message } : { code, message, details } },
});

/** Fastify's own 4xx errors (bad JSON, too large, wrong content type …), by status. */
const FRAMEWORK_ERRORS: Record<number, { code: string; message: string }> = {
  400: { code: 'bad_request', message: '请求格式不正确' },
  404: { code: 'not_found', message: '请求的资源不存在' },
  405: { code: 'method_not_allowed', message: '不支持该请求方法' },
  406: { code: 'not_acceptable', message: '无法提供所需格式' },
  411: { code: 'length_required', message: '请求缺少长度' },
  413: { code: 'payload_too_large', message: '提交的内容过大' },
  415: { code: 'unsupported_media_type', message: '不支持的内容类型，请以 JSON 提交' },
  429: { code: 'rate_limited', message: '请求过于频繁，请稍后再试' },
};

/** SQLite's SQLITE_FULL and PostgreSQL's disk_full (53100): the write was rolled back, nothing half-written. */
function isStorageFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === '53100';
}

/** Maps any thrown error to its status and envelope; unknown errors are 500 with no internals. */
export function toErrorReply(error: unknown, requestId: string): ErrorReply {
  if (error instanceof AuthRequiredError || error instanceof CsrfError)
    return envelope(error instanceof AuthRequiredError ? 401 : 403, error.code, error.message);
  if (error instanceof UnknownUploadFieldError)
    return envelope(400, error.code, error.message, { issues: [{ field: `body.${error.field}`, message: '本接口不接受此字段（可能拼写有误）' }] });
  if (error instanceof BodyEncodingError) return envelope(400, error.code, error.message, Object.keys(error.details).length > 0 ? error.details : undefined);
  if (isDomainError(error))
    return envelope(STATUS_OF_KIND[error.kind], error.code, error.message, Object.keys(error.details).length > 0 ? error.details : undefined);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as FastifyError).validationContext ?? 'body';
    const pathOf = (instancePath: string) => [where, ...instancePath.split('/').filter(Boolean)];
    // A field the route does not know is named by itself (`body.stauts`), not by the object holding it.
    const unknownFields = error.validation.flatMap((issue) =>
      issue.keyword === 'unrecognized_keys'
        ? (((issue.params as { keys?: unknown }).keys as string[] | undefined) ?? []).map((key) => [...pathOf(issue.instancePath), key].join('.'))
        : [],
    );
    const issues = [
      ...error.validation
        .filter((issue) => issue.keyword !== 'unrecognized_keys')
        .map((issue) => ({ field: pathOf(issue.instancePath).join('.'), message: issue.message ?? '格式不正确' })),
      ...unknownFields.map((field) => ({ field, message: '本接口不接受此字段（可能拼写有误）' })),
    ];
    const fields = [...new Set(issues.map((issue) => issue.field))].join('、');
    // A well-formed body whose text (or list) is over a field's limit is 422 (docs/promises.md: the request
    // was understood, the content is refused), so the client keeps the text and says how long it
    // may be. A number out of range (a version of 1e308) is a malformed request: 400.
    const overLength = (issue: (typeof error.validation)[number]) =>
      issue.keyword === 'too_big' && ['string', 'array'].includes(String((issue.params as { origin?: unknown }).origin));
    if (where === 'body' && error.validation.every(overLength)) {
      const limits = error.validation.map((issue) => ({
        field: pathOf(issue.instancePath).join('.'),
        max: (issue.params as { maximum?: unknown }).maximum ?? null,
      }));
      return envelope(422, 'field_too_long', `内容超过长度上限：${fields}，请删减后再保存，您的文字仍在页面上`, { issues, limits });
    }
    if (unknownFields.length === issues.length)
      return envelope(400, 'validation_failed', `请求含有本接口不接受的字段：${fields}（可能拼写有误）${where === 'body' ? '，未保存' : ''}`, { issues });
    const described = [...new Set(issues.map((issue) => `${issue.field}（${issue.message}）`))].join('；');
    return envelope(400, 'validation_failed', `请求参数不正确：${described}`, { issues });
  }
  if (isStorageFull(error)) return envelope(507, 'storage_full', '服务器存储空间已满，本次内容未保存（您的文字仍在页面上），请联系系统管理员', { requestId });
  const status = (error as FastifyError | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const known = FRAMEWORK_ERRORS[status] ?? FRAMEWORK_ERRORS[400]!;
    return envelope(status, known.code, known.message);
  }
  return envelope(500, 'internal_error', '服务器内部错误，请稍后重试', { requestId });
}

/** The app's error handler: maps, logs what is ours to fix, and audits refusals. */
export function createErrorHandler(home: Services) {
  return async function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const { status, body } = toErrorReply(error, request.id);
    // A throttled client is told when to try again (RFC 9110 Retry-After, in seconds).
    if (status === 429 && typeof body.error.details?.retryAfterSeconds === 'number') reply.header('retry-after', String(body.error.details.retryAfterSeconds));
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    // Into the store of the request's organisation: a refusal is that organisation's to audit.
    if (status === 403) await auditDenied((request.services as Services | null) ?? home, request, body);
    return reply.code(status).send(body);
  };
}

/** Not-found answers under /api, in the same envelope. */
export function notFoundReply(): ErrorReply {
  return envelope(404, 'not_found', '请求的资源不存在');
}

async function auditDenied(services: Services, request: FastifyRequest, body: ErrorView): Promise<void> {
  const actor = (request.actor as UserActor | null) ?? null;
  try {
    await services.auth.recordDenied(actor, {
      action: `${request.method} ${request.routeOptions.url ?? request.url}`,
      code: body.error.code,
      target: request.url.split('?')[0] ?? request.url,
      detail: body.error.details ?? {},
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
    });
  } catch (auditError) {
    // The refusal stands either way; a failed audit write is ours to see in the log.
    request.log.error({ err: auditError }, 'could not audit a denied request');
  }
}
