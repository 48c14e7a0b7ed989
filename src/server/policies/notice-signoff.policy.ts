import type { Actor, UserActor } from '../../domain/actor.ts';
import { forbidden } from '../../domain/errors.ts';

/**
 * Who may move a notice through 拟稿 → 核稿 → 签发 (decision 025). By role here; by person (the
 * reviewer and signer named by the previous step, the reviewer never the drafter) in the service.
 */
const denied = (action: string): never => {
  throw forbidden('forbidden', `无权执行此操作：${action}`, { action });
};

function office(actor: Actor, action: string): UserActor {
  if (actor.kind !== 'user' || actor.role !== 'office') return denied(action);
  return actor;
}

/** 送核稿 (拟稿): an office account. */
export const assertCanDraftNotice = (actor: Actor): UserActor => office(actor, '通报送核稿');

/** 核稿: an office account (the one the drafter chose, checked in the service). */
export const assertCanReviewNotice = (actor: Actor): UserActor => office(actor, '通报核稿');

/** 撤回签发 of a signed notice: an office account. */
export const assertCanReopenNotice = (actor: Actor): UserActor => office(actor, '撤回已签发的通报');

/** 签发: a leader (the one the reviewer chose, checked in the service). */
export function assertCanSignNotice(actor: Actor): UserActor {
  if (actor.kind !== 'user' || actor.role !== 'leader') return denied('签发通报');
  return actor;
}

/** 退回: the reviewer (office) or the signer (leader) holding the notice, checked in the service. */
export function assertCanReturnNotice(actor: Actor): UserActor {
  if (actor.kind !== 'user' || (actor.role !== 'office' && actor.role !== 'leader')) return denied('退回通报');
  return actor;
}
