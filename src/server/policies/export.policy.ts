import type { Actor } from '../../domain/actor.ts';
import { assertRole } from './policy.ts';

/**
 * Export a round's notice and table (Word, Excel, PDF, JSON): the office and the leaders, who
 * read the whole round, and the CLI's operator. Units export nothing: the table carries every
 * unit's answers. The three admin roles handle no business data (三员分立).
 */
export function assertCanExportRounds(actor: Actor): void {
  assertRole(actor, 'office', 'leader');
}
