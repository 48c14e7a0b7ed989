import type { Actor, UserActor } from '../../domain/actor.ts';
import { denied, requireUser } from './policy.ts';

/**
 * 请说明 (issue 15): the office asks a unit to explain a finding; the unit's reporters and head
 * reply for it; the office and the unit itself read the unit's requests. Leaders read a round's
 * requests with its insights, and write nothing here.
 */
export function assertCanRequestExplanation(actor: Actor): UserActor {
  const user = requireUser(actor, '要求单位说明');
  if (user.role !== 'office') throw denied('forbidden_role', '只有办公室可以要求单位说明情况', { role: user.role });
  return user;
}

/** A reporter or head of the unit asked: the reply speaks for the unit. */
export function assertCanReplyExplanation(actor: Actor, unitId: number): UserActor {
  const user = requireUser(actor, '作出说明');
  if ((user.role === 'reporter' || user.role === 'unit_head') && user.unitId === unitId) return user;
  throw denied('forbidden_explanation_reply', '只有被要求说明的单位可以作出说明', { role: user.role, unitId });
}

/** A unit's requests: the office, or the unit's own reporters and head. */
export function assertCanReadUnitExplanations(actor: Actor, unitId: number): void {
  if (actor.kind === 'system') return;
  if (actor.role === 'office') return;
  if ((actor.role === 'reporter' || actor.role === 'unit_head') && actor.unitId === unitId) return;
  throw denied('forbidden_unit', '无权查看该单位的说明要求', { role: actor.role, unitId });
}

/** A round's requests: the office and leaders (as they read the round's insights). */
export function assertCanReadRoundExplanations(actor: Actor): void {
  if (actor.kind === 'system') return;
  if (actor.role === 'office' || actor.role === 'leader') return;
  throw denied('forbidden_role', '无权查看本轮的说明要求', { role: actor.role });
}
