/** Who acts in a use case. Services take it first, so permission and audit have one place. */
export type Actor =
  | { kind: 'system'; name: string; userId: null }
  | { kind: 'user'; name: string; userId: number; roles: readonly string[]; unitId: number | null };

/** The actor of CLI commands and start-up jobs run by the machine's operator. */
export const systemActor = (name = 'cli'): Actor => ({ kind: 'system', name, userId: null });
