import { setDraftScope } from '../lib/drafts.ts';

/**
 * Before each test that keeps local drafts: none left by an earlier test, and the department's
 * scope, as after a login there. A `beforeEach` of a `describe`, not of a whole file: the web
 * test files share a process and its DOM (scripts/run-tests.mjs), and a file's top-level hook
 * would run before its batch-mates' tests too.
 */
export function startWithNoDrafts(): void {
  window.localStorage.clear();
  setDraftScope('dept');
}
