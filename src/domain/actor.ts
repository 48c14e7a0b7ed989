import type { Role } from './api/roles.ts';

/** Who acts in a use case. Services take it first, so permission and audit have one place. */
export type Actor = SystemActor | UserActor;

export type SystemActor = { kind: 'system'; name: string; userId: null };

/** A signed-in person. One role per account (三员 must never share one). */
export type UserActor = {
  kind: 'user';
  userId: number;
  username: string;
  /** Display name, as written in audit rows and answers. */
  name: string;
  role: Role;
  /** The unit of a reporter or unit head; null for every other role. */
  unitId: number | null;
  /** Where the request came from, set by the HTTP layer: the audit rows' `ip` column. */
  ip?: string | null;
};

/** The actor of CLI commands and start-up jobs run by the machine's operator. */
export const systemActor = (name = 'cli'): Actor => ({ kind: 'system', name, userId: null });

/** The client address an audit row records for this actor: none outside a request (CLI, jobs). */
export const clientIpOf = (actor: Actor | null): string | null => (actor?.kind === 'user' ? (actor.ip ?? null) : null);

/** How an actor is named in audit rows and `updated_by` columns. */
export const actorLabel = (actor: Actor): string => (actor.kind === 'system' ? `system:${actor.name}` : actor.username);
