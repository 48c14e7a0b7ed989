import type { AuditEventView } from '../../domain/api/audit-view.ts';
import type { AuditEventWithUser } from '../db/repositories/audit.repository.ts';

export function presentAuditEvent(row: AuditEventWithUser): AuditEventView {
  return {
    id: Number(row.id),
    at: row.at,
    actorKind: row.actor_kind,
    actor: row.actor_name,
    userId: row.user_id === null ? null : Number(row.user_id),
    username: row.username,
    userDisplayName: row.user_display_name,
    ip: row.ip,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    result: row.result,
    detail: parseDetail(row.detail),
    hash: row.hash,
  };
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { text };
  }
}
