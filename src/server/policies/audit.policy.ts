import type { Actor } from '../../domain/actor.ts';
import { assertRole } from './policy.ts';

/**
 * 三员分立: only the audit admin reads and exports the audit log (and the machine's operator
 * through the CLI). The system and security admins, whose work the log records, may not.
 */
export function assertCanReadAudit(actor: Actor): void {
  assertRole(actor, 'audit_admin');
}
