import assert from 'node:assert/strict';
import { isDomainError } from '../../src/domain/errors.ts';
import type { PlanDocument } from '../../src/domain/plan-document.ts';

/** Asserts that `run` throws a domain error with this code and a message matching `pattern` (and of this kind, when given). */
export function assertRefused(run: () => unknown, code: string, pattern: RegExp, kind?: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(isDomainError(error), `a domain error, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (kind !== undefined) assert.equal(error.kind, kind, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

/** A document without what the reader says about the file it read (warnings), which differ between files by design. */
// JSON.parse's own `any`, as the tests compare and pick fields of the result freely.
export const withoutWarnings = (document: PlanDocument) =>
  JSON.parse(JSON.stringify(document, (key, value: unknown) => (key === 'warnings' ? undefined : value)));
