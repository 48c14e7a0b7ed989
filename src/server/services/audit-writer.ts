import { actorLabel, clientIpOf, type Actor } from '../../domain/actor.ts';
import type { AuditAction } from '../../domain/audit-vocabulary.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { NewAuditEvent } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';

/**
 * The one audit writer (docs/decisions/037-one-audit-writer.md). Every service writes its audit
 * rows through `audit` (inside the transaction of the change it describes) or `auditOutside`
 * (a refusal or failure recorded after the work was rolled back), so the actor is recorded one
 * way in every row:
 *
 * - a person: `actor_kind` 'user', `user_id`, `actor_name` and `actor_login` the login name,
 *   `actor_display_name` the display name as it was when they acted;
 * - the machine: `actor_kind` 'system', `actor_name` `system:<job>`, no user, login or display name;
 * - a failed login naming no account: `actor_kind` 'anonymous', `actor_name` the name typed
 *   (truncated), nothing else — it is not an account.
 */
export type AuditEntry = {
  action: AuditAction;
  objectType: string;
  objectId: string | number | null;
  /** 'ok' unless said. */
  result?: string;
  detail?: Record<string, unknown>;
  /** The client's address, when the caller knows it better than the actor does (a login); the actor's otherwise. */
  ip?: string | null;
};

/** No account behind the attempt: the login name as typed at a failed login. */
export type AnonymousActor = { kind: 'anonymous'; typedName: string };

/** The actor's fields of an audit row, the same for every action. */
export function auditActorFields(
  actor: Actor | AnonymousActor,
): Pick<NewAuditEvent, 'actor_kind' | 'actor_name' | 'user_id' | 'actor_login' | 'actor_display_name'> {
  if (actor.kind === 'anonymous') return { actor_kind: 'anonymous', actor_name: actor.typedName, user_id: null, actor_login: null, actor_display_name: null };
  if (actor.kind === 'system') return { actor_kind: 'system', actor_name: actorLabel(actor), user_id: null, actor_login: null, actor_display_name: null };
  return { actor_kind: 'user', actor_name: actor.username, user_id: actor.userId, actor_login: actor.username, actor_display_name: actor.name };
}

/** Writes one audit row in the caller's transaction: if it fails, the change it describes fails with it. */
export async function audit(repositories: Repositories, actor: Actor | AnonymousActor, at: string | Date, entry: AuditEntry): Promise<void> {
  await repositories.audit.appendAuditEvent({
    at: typeof at === 'string' ? at : at.toISOString(),
    ...auditActorFields(actor),
    ip: entry.ip !== undefined ? entry.ip : clientIpOf(actor.kind === 'anonymous' ? null : actor),
    action: entry.action,
    object_type: entry.objectType,
    object_id: entry.objectId === null ? null : String(entry.objectId),
    result: entry.result ?? 'ok',
    detail: JSON.stringify(entry.detail ?? {}),
  });
}

/** Where a lost audit row is reported: console.error unless a caller (a test) says otherwise. */
export type AuditFailureLog = (message: string, context: Record<string, unknown>) => void;

const consoleLog: AuditFailureLog = (message, context) => console.error(message, context);

/**
 * Writes one audit row in a transaction of its own, for what is recorded after the work it is
 * about was refused or rolled back (a refused import, a failed backup). The caller reports its
 * own error, so a failure to write is not thrown: it is logged with the row that was lost, never
 * dropped in silence. Returns whether the row was written.
 */
export async function auditOutside(
  database: Database,
  actor: Actor | AnonymousActor,
  at: string | Date,
  entry: AuditEntry,
  log: AuditFailureLog = consoleLog,
): Promise<boolean> {
  try {
    await inTransaction(database, (repositories) => audit(repositories, actor, at, entry));
    return true;
  } catch (error) {
    log('审计记录写入失败，该条记录未保存', {
      error: error instanceof Error ? error.message : String(error),
      lost: {
        at: typeof at === 'string' ? at : at.toISOString(),
        ...auditActorFields(actor),
        action: entry.action,
        objectType: entry.objectType,
        objectId: entry.objectId,
        result: entry.result ?? 'ok',
        detail: entry.detail ?? {},
      },
    });
    return false;
  }
}
