import type { Kysely } from 'kysely';
import type { AuditEventRow, DB, NewAuditEvent } from '../schema.ts';

/** The append-only audit log. There is deliberately no update or delete here. */
export function createAuditRepository(db: Kysely<DB>) {
  return {
    async appendAuditEvent(event: NewAuditEvent): Promise<number> {
      const row = await db.insertInto('audit_events').values(event).returning('id').executeTakeFirstOrThrow();
      return row.id;
    },

    /** Events in the order they were written, optionally only those about one object. */
    async listAuditEvents(filter: { objectType?: string; objectId?: string; action?: string } = {}): Promise<AuditEventRow[]> {
      let query = db.selectFrom('audit_events').selectAll();
      if (filter.objectType !== undefined) query = query.where('object_type', '=', filter.objectType);
      if (filter.objectId !== undefined) query = query.where('object_id', '=', filter.objectId);
      if (filter.action !== undefined) query = query.where('action', '=', filter.action);
      return query.orderBy('id').execute();
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
