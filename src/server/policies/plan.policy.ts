import type { Actor, UserActor } from '../../domain/actor.ts';
import type { AnswerVisibility } from '../db/repositories/search.repository.ts';
import { assertBusinessRole, assertRole, requireUser, unitScope } from './policy.ts';

/**
 * Who may read plans, search them, and write instructions (批示).
 *
 * The plan is not secret inside the department: every business role reads it, reporters
 * too; the three admin roles (三员) read no business data at all. Answers of a round that is
 * still open are the units' work in progress: a reporter or unit head reads its own unit's,
 * and, on the tasks its unit leads, its co-units' (as on its to-do list); the office and
 * leaders read all. Closed and imported rounds are the circulated table: everyone reads them.
 * The system actor (CLI) reads like the office and writes no instructions: a leader must.
 */

/** Read plans, the plan tree, task pages, instructions and search. */
export function assertCanReadPlans(actor: Actor): void {
  assertBusinessRole(actor);
}

/** Whose answers in open rounds the actor reads (after `assertCanReadPlans`). */
export function answerVisibilityOf(actor: Actor): AnswerVisibility {
  const scope = unitScope(actor, 'read');
  if (scope.kind === 'all') return { kind: 'all' };
  return { kind: 'unit', unitId: scope.kind === 'unit' ? scope.unitId : null };
}

/** Write an instruction on a task: a signed-in department leader, nobody else (not the office, not the CLI). */
export function assertCanWriteInstruction(actor: Actor): UserActor {
  const user = requireUser(actor, '写批示');
  assertRole(user, 'leader');
  return user;
}

/** Import a plan file (seed text, JSON, .docx, .xlsx), or read one as a dry run: the office, and the CLI's operator. */
export function assertCanImportPlans(actor: Actor): void {
  assertRole(actor, 'office');
}

/** Create, edit, copy and archive plans (issue 14): the office only. */
export function assertCanEditPlans(actor: Actor, action: string): void {
  requireUser(actor, action);
  assertRole(actor, 'office');
}
