import type { Actor, UserActor } from '../../domain/actor.ts';
import { forbidden } from '../../domain/errors.ts';

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
