import type { Actor, UserActor } from '../../domain/actor.ts';
import { ADMIN_ROLES, ROLE_LABELS } from '../../domain/api/roles.ts';
import { forbidden } from '../../domain/errors.ts';
import type { AnswerVisibility } from '../db/repositories/search.repository.ts';

/**
 * Who may read plans, search them, and write instructions (批示).
 *
 * The plan is not secret inside the department: every business role reads it, reporters
 * too; the three admin roles (三员) read no business data at all. Answers of a round that is
 * still open are the units' work in progress: a reporter or unit head reads its own unit's,
 * and, on the tasks its unit leads, its co-units' (as on its to-do list); the office and
 * leaders read all. Closed and imported rounds are the circulated table: everyone reads them.
 * The system actor (CLI) reads like the office and writes no instructions: a leader must.
 *
 * Error codes are policy.ts's: `forbidden_role`, `forbidden_user_required`.
 */

/** Read plans, the plan tree, task pages, instructions and search. */
export function assertCanReadPlans(actor: Actor): void {
  if (actor.kind === 'user' && ADMIN_ROLES.includes(actor.role))
    throw forbidden('forbidden_role', '管理员账号不能查看或填报业务数据 (admin accounts do not handle business data)', { role: actor.role });
}

/** Whose answers in open rounds the actor reads (after `assertCanReadPlans`). */
export function answerVisibilityOf(actor: Actor): AnswerVisibility {
  if (actor.kind === 'system' || actor.role === 'office' || actor.role === 'leader') return { kind: 'all' };
  return { kind: 'unit', unitId: actor.role === 'reporter' || actor.role === 'unit_head' ? actor.unitId : null };
}

/** Write an instruction on a task: a signed-in department leader, nobody else (not the office, not the CLI). */
export function assertCanWriteInstruction(actor: Actor): UserActor {
  if (actor.kind !== 'user')
    throw forbidden('forbidden_user_required', '写批示须由登录用户执行 (a signed-in user must do this)', { action: 'instruction.create' });
  if (actor.role !== 'leader')
    throw forbidden('forbidden_role', `无权执行此操作：需要${ROLE_LABELS.leader}角色 (not allowed for your role)`, { role: actor.role, required: ['leader'] });
  return actor;
}
