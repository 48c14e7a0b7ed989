/**
 * Domain errors carry a stable code and details; they know nothing of HTTP or exit codes.
 * `http/errors.ts` and the CLI each map them once.
 */
/**
 * `rate_limited`: too many attempts; `details.retryAfterSeconds` says when to try again.
 * `unavailable`: something the server needs is missing or busy (LibreOffice not installed, a
 * conversion that ran out of time): try later or ask the administrator.
 * `failed`: the server could not do it (an outside program failed), not the caller's fault.
 */
export type DomainErrorKind = 'not_found' | 'forbidden' | 'invalid' | 'conflict' | 'rate_limited' | 'unavailable' | 'failed';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('not_found', code, message, details);
export const forbidden = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('forbidden', code, message, details);
export const invalid = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('invalid', code, message, details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('conflict', code, message, details);

export const rateLimited = (code: string, message: string, details: Record<string, unknown> & { retryAfterSeconds: number }) =>
  new DomainError('rate_limited', code, message, details);

export const unavailable = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('unavailable', code, message, details);
export const failed = (code: string, message: string, details?: Record<string, unknown>) => new DomainError('failed', code, message, details);

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
