import type { Actor, UserActor } from '../../domain/actor.ts';
import { denied, requireUser } from './policy.ts';

/** A leader's own home page (我分管的): only a signed-in leader, for themself. */
export function assertIsLeader(actor: Actor): UserActor {
  const user = requireUser(actor, '查看分管任务');
  if (user.role !== 'leader') throw denied('forbidden_role', '只有领导可以查看“我分管的”', { role: user.role });
  return user;
}
