import { sql, type Kysely } from 'kysely';
import type { AuditSort } from '../../../domain/api/audit-view.ts';
import { auditRowHash, CURRENT_CHAIN_FORMAT, GENESIS_HASH } from '../audit-chain.ts';
import { dialectOf } from '../database.ts';
import { preparedQuery } from '../prepared.ts';
import type { AuditEventRow, DB, NewAuditEvent } from '../schema.ts';

/** Columns the audit list may be sorted by: an allowlist (AUDIT_SORTS), nothing else reaches ORDER BY. */
export type AuditSortColumn = AuditSort;

/** The audit admin's filters; every one optional, all combined with AND. */
export type AuditQuery = {
  /** ISO time, inclusive. */
  from?: string | undefined;
  /** ISO time, exclusive. */
  to?: string | undefined;
  /** Part of the user name (actor_name). */
  user?: string | undefined;
  action?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  result?: string | undefined;
  ip?: string | undefined;
};

export type AuditPageRequest = { sort: AuditSortColumn; order: 'asc' | 'desc'; offset: number; limit: number };

// Every change writes an audit row: these two are built once (db/prepared.ts).
// `limit 1` written out (db/prepared.ts says why).
const lastAuditHash = preparedQuery((db) => db.selectFrom('audit_events').select('hash').orderBy('id', 'desc').limit(sql.lit(1)));

type AuditRowValues = Omit<AuditEventRow, 'id'>;
const insertAuditEvent = preparedQuery((db, row: AuditRowValues) =>
  db.insertInto('audit_events').values({
    at: row.at,
    actor_kind: row.actor_kind,
    actor_name: row.actor_name,
    user_id: row.user_id,
    ip: row.ip,
    action: row.action,
    object_type: row.object_type,
    object_id: row.object_id,
    result: row.result,
    detail: row.detail,
    prev_hash: row.prev_hash,
    hash: row.hash,
    chain_format: row.chain_format,
    actor_login: row.actor_login,
    actor_display_name: row.actor_display_name,
  }),
);

/**
 * The append-only audit log. There is deliberately no update or delete here; the table's
 * triggers refuse them anyway. Every append extends the hash chain: it takes the chain's
 * lock (PostgreSQL: a transaction-scoped advisory lock; SQLite: the write transaction is
 * already exclusive, across processes), reads the last row's hash and writes the new row linked
 * to it, so two writers never link to the same row (on PostgreSQL a unique index on prev_hash
 * would refuse it anyway; SQLite has none, migration 010).
 */
export function createAuditRepository(db: Kysely<DB>) {
  async function append(trx: Kysely<DB>, event: NewAuditEvent): Promise<void> {
    if (dialectOf(trx) === 'postgres')
      // Per schema: two deployments (or test runs) in one database keep separate chains.
      await sql`select pg_advisory_xact_lock(hashtext(current_schema() || '.audit_events'))`.execute(trx);
    const [last] = (await lastAuditHash.execute(trx, {})).rows;
    const fields = {
      at: event.at,
      actor_kind: event.actor_kind,
      actor_name: event.actor_name,
      user_id: event.user_id ?? null,
      ip: event.ip,
      action: event.action,
      object_type: event.object_type,
      object_id: event.object_id ?? null,
      result: event.result,
      detail: event.detail ?? '{}',
      prev_hash: last?.hash ?? GENESIS_HASH,
      chain_format: CURRENT_CHAIN_FORMAT,
      actor_login: event.actor_login ?? null,
      actor_display_name: event.actor_display_name ?? null,
    };
    await insertAuditEvent.execute(trx, { ...fields, hash: auditRowHash(fields) });
  }

  return {
    /**
     * Appends one event, in the current chain format (decision 037). Services do not call this:
     * they write through the one audit writer (services/audit-writer.ts), which fills the actor's
     * fields the same way for every action. Appends in the caller's transaction (the habit: the audit row commits or
     * rolls back with the change it describes). Called outside one, it opens its own, since
     * the chain's lock lives only as long as a transaction.
     */
    async appendAuditEvent(event: NewAuditEvent): Promise<void> {
      if (db.isTransaction) return append(db, event);
      return db.transaction().execute((trx) => append(trx, event));
    },

    /** Events in the order they were written, optionally only those about one object. */
    async listAuditEvents(filter: { objectType?: string; objectId?: string; action?: string } = {}): Promise<AuditEventRow[]> {
      let query = db.selectFrom('audit_events').selectAll();
      if (filter.objectType !== undefined) query = query.where('object_type', '=', filter.objectType);
      if (filter.objectId !== undefined) query = query.where('object_id', '=', filter.objectId);
      if (filter.action !== undefined) query = query.where('action', '=', filter.action);
      return query.orderBy('id').execute();
    },

    /** One page of events matching `query` (with the account's current name), and how many match in all. */
    async searchAuditEvents(query: AuditQuery, page: AuditPageRequest): Promise<{ rows: AuditEventWithUser[]; total: number }> {
      const counted = await filteredEvents(db, query)
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .executeTakeFirstOrThrow();
      let rows = withUser(filteredEvents(db, query)).orderBy(`audit_events.${page.sort}`, page.order);
      if (page.sort !== 'id') rows = rows.orderBy('audit_events.id', page.order);
      return { rows: await rows.offset(page.offset).limit(page.limit).execute(), total: Number(counted.count) };
    },

    /** Matching events after id `afterId`, oldest first, `limit` at a time (exports walk these). */
    async auditEventsAfter(query: AuditQuery, afterId: number, limit: number): Promise<AuditEventWithUser[]> {
      return withUser(filteredEvents(db, query)).where('audit_events.id', '>', afterId).orderBy('audit_events.id').limit(limit).execute();
    },

    /** The whole chain after id `afterId`, in chain order, `limit` rows at a time (verify walks these). */
    async chainAfter(afterId: number, limit: number): Promise<AuditEventRow[]> {
      return db.selectFrom('audit_events').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
    },

    /**
     * What the objects of a page of audit rows are called now: users by display name, units,
     * rounds and plans by name, tasks by text, unit submissions by round and unit. One query per
     * kind, none when a page names no object of that kind. Read beside the rows, never written
     * into them: the rows are hash-chained and stay as they were.
     */
    async auditObjectNames(ids: AuditObjectIds): Promise<AuditObjectNames> {
      const some = <T>(list: readonly T[]) => [...new Set(list)].slice(0, 1000);
      const users = some(ids.users).length
        ? await db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', some(ids.users)).execute()
        : [];
      const submissions = some(ids.submissions).length
        ? await db.selectFrom('unit_submissions').select(['id', 'round_id', 'unit_id']).where('id', 'in', some(ids.submissions)).execute()
        : [];
      const unitIds = some([...ids.units, ...submissions.map((row) => Number(row.unit_id))]);
      const roundIds = some([...ids.rounds, ...submissions.map((row) => Number(row.round_id))]);
      const units = unitIds.length ? await db.selectFrom('units').select(['id', 'name']).where('id', 'in', unitIds).execute() : [];
      const rounds = roundIds.length ? await db.selectFrom('rounds').select(['id', 'label']).where('id', 'in', roundIds).execute() : [];
      const plans = some(ids.plans).length ? await db.selectFrom('plans').select(['id', 'title']).where('id', 'in', some(ids.plans)).execute() : [];
      const tasks = some(ids.tasks).length ? await db.selectFrom('tasks').select(['id', 'position', 'text']).where('id', 'in', some(ids.tasks)).execute() : [];
      return {
        users: new Map(users.map((row) => [Number(row.id), row.display_name || row.username])),
        units: new Map(units.map((row) => [Number(row.id), row.name])),
        rounds: new Map(rounds.map((row) => [Number(row.id), row.label])),
        plans: new Map(plans.map((row) => [Number(row.id), row.title])),
        tasks: new Map(tasks.map((row) => [Number(row.id), { position: Number(row.position), text: row.text }])),
        submissions: new Map(submissions.map((row) => [Number(row.id), { roundId: Number(row.round_id), unitId: Number(row.unit_id) }])),
      };
    },

    /** The distinct actions and results written so far, for the filter lists. */
    async auditVocabulary(): Promise<{ actions: string[]; results: string[]; objectTypes: string[] }> {
      const distinct = async (column: 'action' | 'result' | 'object_type') =>
        (await db.selectFrom('audit_events').select(column).distinct().orderBy(column).execute()).map((row) => row[column] as string);
      return { actions: await distinct('action'), results: await distinct('result'), objectTypes: await distinct('object_type') };
    },
  };
}

/** The ids a page of audit rows refers to, by kind. */
export type AuditObjectIds = { users: number[]; units: number[]; rounds: number[]; plans: number[]; tasks: number[]; submissions: number[] };

/** What each of them is called now. */
export type AuditObjectNames = {
  users: Map<number, string>;
  units: Map<number, string>;
  rounds: Map<number, string>;
  plans: Map<number, string>;
  tasks: Map<number, { position: number; text: string }>;
  submissions: Map<number, { roundId: number; unitId: number }>;
};

/** Audit rows may name users that were renamed since: the account's current names ride along. */
export type AuditEventWithUser = AuditEventRow & { username: string | null; user_display_name: string | null };

function filteredEvents(db: Kysely<DB>, query: AuditQuery) {
  let events = db.selectFrom('audit_events').leftJoin('users', 'users.id', 'audit_events.user_id');
  if (query.from !== undefined) events = events.where('audit_events.at', '>=', query.from);
  if (query.to !== undefined) events = events.where('audit_events.at', '<', query.to);
  if (query.user !== undefined) {
    // The names as written in the row, or the account's login or display name now.
    const pattern = `%${escapeLike(query.user.toLowerCase())}%`;
    events = events.where(
      sql<boolean>`(lower(audit_events.actor_name) like ${pattern} escape '\\' or lower(coalesce(audit_events.actor_display_name, '')) like ${pattern} escape '\\' or lower(users.username) like ${pattern} escape '\\' or lower(users.display_name) like ${pattern} escape '\\')`,
    );
  }
  if (query.action !== undefined) events = events.where('audit_events.action', '=', query.action);
  if (query.objectType !== undefined) events = events.where('audit_events.object_type', '=', query.objectType);
  if (query.objectId !== undefined) events = events.where('audit_events.object_id', '=', query.objectId);
  if (query.result !== undefined) events = events.where('audit_events.result', '=', query.result);
  if (query.ip !== undefined) events = events.where('audit_events.ip', '=', query.ip);
  return events;
}

function withUser(events: ReturnType<typeof filteredEvents>) {
  return events.selectAll('audit_events').select(['users.username as username', 'users.display_name as user_display_name']);
}

/** `%` and `_` in a user's filter are letters, not wildcards. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
