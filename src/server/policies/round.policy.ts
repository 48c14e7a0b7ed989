import type { Actor, UserActor } from '../../domain/actor.ts';
import { conflict, forbidden } from '../../domain/errors.ts';

/**
 * Who may do what in a round. Checked on the object (the unit), not only on the role:
 * a reporter reads and writes only its own unit's answers.
 */
const denied = (action: string): never => {
  throw forbidden('forbidden', `无权执行此操作：${action}`, { action });
};

function user(actor: Actor, action: string): UserActor {
  if (actor.kind !== 'user') return denied(action);
  return actor;
}

/** Open, close, re-time a round; accept, return, reopen answers; send reminders. */
export function assertCanManageRounds(actor: Actor, action: string): UserActor {
  const u = user(actor, action);
  if (u.role !== 'office') denied(action);
  return u;
}

/** Read one unit's to-do list and answers. */
export function assertCanReadUnit(actor: Actor, unitId: number, action: string): UserActor {
  const u = user(actor, action);
  if (u.role === 'office' || u.role === 'leader') return u;
  if ((u.role === 'reporter' || u.role === 'unit_head') && u.unitId === unitId) return u;
  return denied(action);
}

/** Write and submit one unit's answers: its reporters and its head. */
export function assertCanWriteUnit(actor: Actor, unitId: number, action: string): UserActor {
  const u = user(actor, action);
  if ((u.role === 'reporter' || u.role === 'unit_head') && u.unitId === unitId) return u;
  return denied(action);
}

/**
 * Read and write the answers of a collective unit (各处(室), 直属单位 …) in a round: the office
 * only, and only when no member unit answers it in that round (the mapping fixed at opening).
 * `unit` and `members` are read by the service; a unit that is not collective is denied like any
 * other unit's answers, a mapped one is refused naming the member units that answer it.
 */
export function assertCanAnswerForCollective(
  actor: Actor,
  unit: { id: number; name: string; collective: number } | undefined,
  members: readonly { name: string }[],
  action: string,
): UserActor {
  const u = user(actor, action);
  if (u.role !== 'office' || !unit || Number(unit.collective) !== 1) return denied(action);
  if (members.length > 0)
    throw conflict('collective_answered_by_members', `“${unit.name}”在本轮由${members.map((m) => m.name).join('、')}作为配合单位填报，办公室不代为填写`, {
      unitId: unit.id,
      members: members.map((m) => m.name),
    });
  return u;
}

/** The office, which writes the answers of collective units it answers itself (the unit is checked in the transaction). */
export function isOffice(actor: Actor): actor is UserActor {
  return actor.kind === 'user' && actor.role === 'office';
}

/** Approve the unit's answers before they go to the office: its head only. */
export function assertCanApproveUnit(actor: Actor, unitId: number, action: string): UserActor {
  const u = user(actor, action);
  if (u.role === 'unit_head' && u.unitId === unitId) return u;
  return denied(action);
}

/** Read rounds and the chasing board: the office and leaders. Units read their own to-do lists instead. */
export function assertCanReadRounds(actor: Actor, action: string): UserActor {
  const u = user(actor, action);
  if (u.role === 'office' || u.role === 'leader' || u.role === 'reporter' || u.role === 'unit_head') return u;
  return denied(action);
}

export function assertCanReadBoard(actor: Actor, action: string): UserActor {
  const u = user(actor, action);
  if (u.role === 'office' || u.role === 'leader') return u;
  return denied(action);
}
