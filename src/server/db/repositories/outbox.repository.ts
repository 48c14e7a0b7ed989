import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../database.ts';
import type { DB } from '../schema.ts';
import type { OutboxRow, ReminderRungRow } from '../schema-delivery.ts';

/** A message to store: one recipient (a unit or a person), one channel, its address as opaque text. */
export type OutboxEntry = {
  event: string;
  roundId: number | null;
  unitId: number | null;
  userId: number | null;
  channel: string;
  address: string;
  subject: string;
  body: string;
  link: string | null;
  dedupeKey: string;
};

/** A reminder due row claimed for enqueueing, with what its message names. */
export type DueReminder = {
  id: number;
  round_id: number;
  unit_id: number;
  rung: string;
  occurrence: string;
  due_at: string;
  round_label: string;
  round_status: string;
  unit_name: string;
  /** The unit's submission state (unit_submissions.state), null if the unit has none. */
  submission_state: string | null;
  /** The unit's own deadline, else the round's. */
  deadline: string | null;
};

/** Submission states in which a unit has handed its answers in: no reminder is due to it. */
export const HANDED_IN_STATES = ['submitted', 'approved', 'accepted'] as const;

/** The outbox and the reminder scheduler (migration 023): all their SQL. */
export function createOutboxRepository(db: Kysely<DB>) {
  const postgres = dialectOf(db) === 'postgres';

  return {
    /** Stores messages; one whose dedupe key is already stored is left out. Returns how many were stored. */
    async enqueue(entries: readonly OutboxEntry[], now: string): Promise<number> {
      if (entries.length === 0) return 0;
      const rows = await db
        .insertInto('outbox')
        .values(
          entries.map((entry) => ({
            event: entry.event,
            round_id: entry.roundId,
            unit_id: entry.unitId,
            user_id: entry.userId,
            channel: entry.channel,
            address: entry.address,
            subject: entry.subject,
            body: entry.body,
            link: entry.link,
            dedupe_key: entry.dedupeKey,
            state: 'queued',
            next_attempt_at: now,
            created_at: now,
          })),
        )
        .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
        .returning('id')
        .execute();
      return rows.length;
    },

    /**
     * Claims up to `limit` rows due at `now` for `workerId` until `claimedUntil`: queued rows whose
     * next attempt has come, and rows left `sending` by a worker whose claim expired (it crashed
     * mid-send). Run inside a transaction: on PostgreSQL the rows are locked with SKIP LOCKED, so
     * two workers never claim the same row; SQLite has one writer at a time.
     */
    async claimDue(claim: { now: string; workerId: string; claimedUntil: string; limit: number }): Promise<OutboxRow[]> {
      let pick = db
        .selectFrom('outbox')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', claim.now)]),
            eb.and([eb('state', '=', 'sending'), eb('claimed_until', '<', claim.now)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(claim.limit);
      if (postgres) pick = pick.forUpdate().skipLocked();
      const ids = (await pick.execute()).map((row) => row.id);
      if (ids.length === 0) return [];
      return db
        .updateTable('outbox')
        .set({ state: 'sending', claimed_by: claim.workerId, claimed_until: claim.claimedUntil })
        .where('id', 'in', ids)
        .returningAll()
        .execute()
        .then((rows) => rows.sort((a, b) => a.id - b.id));
    },

    /** Records a send; only the worker holding the claim may (a reclaimed row belongs to its new worker). */
    async markSent(id: number, workerId: string, now: string): Promise<boolean> {
      const result = await db
        .updateTable('outbox')
        .set((eb) => ({ state: 'sent', sent_at: now, attempts: eb('attempts', '+', 1), last_error: null, claimed_by: null, claimed_until: null }))
        .where('id', '=', id)
        .where('state', '=', 'sending')
        .where('claimed_by', '=', workerId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Records a failed send: queued again for `nextAttemptAt`, or (null) failed for good, with the reason. */
    async markFailed(id: number, workerId: string, failure: { reason: string; nextAttemptAt: string | null; now: string }): Promise<boolean> {
      const result = await db
        .updateTable('outbox')
        .set((eb) => ({
          state: failure.nextAttemptAt === null ? 'failed' : 'queued',
          next_attempt_at: failure.nextAttemptAt ?? failure.now,
          attempts: eb('attempts', '+', 1),
          last_error: failure.reason,
          claimed_by: null,
          claimed_until: null,
        }))
        .where('id', '=', id)
        .where('state', '=', 'sending')
        .where('claimed_by', '=', workerId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async findByDedupeKey(dedupeKey: string): Promise<OutboxRow | undefined> {
      return db.selectFrom('outbox').selectAll().where('dedupe_key', '=', dedupeKey).executeTakeFirst();
    },

    async listOfRound(roundId: number): Promise<OutboxRow[]> {
      return db.selectFrom('outbox').selectAll().where('round_id', '=', roundId).orderBy('id').execute();
    },

    /** For the board: per unit and channel of the round, the last message's state, error and time. */
    async listRoundDelivery(
      roundId: number,
    ): Promise<{ unitId: number; channel: string; event: string; state: string; lastError: string | null; sentAt: string | null; createdAt: string }[]> {
      const rows = await db
        .selectFrom('outbox')
        .select(['id', 'unit_id', 'channel', 'event', 'state', 'last_error', 'sent_at', 'created_at'])
        .where('round_id', '=', roundId)
        .where('unit_id', 'is not', null)
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('outbox as last')
            .select((inner) => inner.fn.max('last.id').as('id'))
            .where('last.round_id', '=', roundId)
            .where('last.unit_id', 'is not', null)
            .groupBy(['last.unit_id', 'last.channel']),
        )
        .orderBy('unit_id')
        .orderBy('channel')
        .execute();
      return rows.map((row) => ({
        unitId: row.unit_id!,
        channel: row.channel,
        event: row.event,
        state: row.state,
        lastError: row.last_error,
        sentAt: row.sent_at,
        createdAt: row.created_at,
      }));
    },

    /** Replaces a round's ladder; pending due rows of rungs no longer on it are dropped. */
    async setLadder(roundId: number, rungs: readonly { rung: string; quietHours: boolean; weekends: boolean }[], by: string, now: string): Promise<void> {
      await db.deleteFrom('reminder_rungs').where('round_id', '=', roundId).execute();
      let pending = db.deleteFrom('reminder_due').where('round_id', '=', roundId).where('state', '=', 'pending');
      if (rungs.length > 0)
        pending = pending.where(
          'rung',
          'not in',
          rungs.map((r) => r.rung),
        );
      await pending.execute();
      if (rungs.length === 0) return;
      await db
        .insertInto('reminder_rungs')
        .values(
          rungs.map((r) => ({ round_id: roundId, rung: r.rung, quiet_hours: r.quietHours ? 1 : 0, weekends: r.weekends ? 1 : 0, set_by: by, set_at: now })),
        )
        .execute();
    },

    /** A rung kept as it was when the ladder was replaced keeps who set it and since when it holds. */
    async restoreRungSetter(roundId: number, rung: string, by: string, at: string): Promise<void> {
      await db.updateTable('reminder_rungs').set({ set_by: by, set_at: at }).where('round_id', '=', roundId).where('rung', '=', rung).execute();
    },

    async listLadder(roundId: number): Promise<ReminderRungRow[]> {
      return db.selectFrom('reminder_rungs').selectAll().where('round_id', '=', roundId).orderBy('id').execute();
    },

    /** Open rounds that have a ladder. */
    async listOpenRoundsWithLadder(): Promise<{ id: number; deadline: string | null }[]> {
      return db
        .selectFrom('rounds')
        .select(['rounds.id', 'rounds.deadline'])
        .where('rounds.status', '=', 'open')
        .where((eb) => eb.exists(eb.selectFrom('reminder_rungs').select('reminder_rungs.id').whereRef('reminder_rungs.round_id', '=', 'rounds.id')))
        .orderBy('rounds.id')
        .execute();
    },

    /** The units of a round that have not handed in, with their deadline (their own, else the round's). */
    async listUnitsNotHandedIn(roundId: number): Promise<{ unitId: number; deadline: string | null }[]> {
      const rows = await db
        .selectFrom('unit_submissions')
        .innerJoin('rounds', 'rounds.id', 'unit_submissions.round_id')
        .select(['unit_submissions.unit_id', 'unit_submissions.deadline as own', 'rounds.deadline as round'])
        .where('unit_submissions.round_id', '=', roundId)
        .where('unit_submissions.state', 'not in', [...HANDED_IN_STATES])
        .orderBy('unit_submissions.unit_id')
        .execute();
      return rows.map((row) => ({ unitId: row.unit_id, deadline: row.own ?? row.round }));
    },

    /** Stores due rows; one already stored (same round, unit, rung, occurrence) is left as it is. */
    async insertDue(rows: readonly { roundId: number; unitId: number; rung: string; occurrence: string; dueAt: string }[]): Promise<number> {
      if (rows.length === 0) return 0;
      const stored = await db
        .insertInto('reminder_due')
        .values(rows.map((r) => ({ round_id: r.roundId, unit_id: r.unitId, rung: r.rung, occurrence: r.occurrence, due_at: r.dueAt, state: 'pending' })))
        .onConflict((conflict) => conflict.columns(['round_id', 'unit_id', 'rung', 'occurrence']).doNothing())
        .returning('id')
        .execute();
      return stored.length;
    },

    /** A round's pending due rows (to bring them in line with a moved deadline or a unit that handed in). */
    async listPendingOfRound(roundId: number): Promise<{ id: number; unit_id: number; rung: string; occurrence: string; due_at: string }[]> {
      return db
        .selectFrom('reminder_due')
        .select(['id', 'unit_id', 'rung', 'occurrence', 'due_at'])
        .where('round_id', '=', roundId)
        .where('state', '=', 'pending')
        .orderBy('id')
        .execute();
    },

    async deletePending(ids: readonly number[]): Promise<void> {
      if (ids.length === 0) return;
      await db.deleteFrom('reminder_due').where('id', 'in', ids).where('state', '=', 'pending').execute();
    },

    async listDueOfRound(roundId: number): Promise<{ unit_id: number; rung: string; occurrence: string; due_at: string; state: string }[]> {
      return db
        .selectFrom('reminder_due')
        .select(['unit_id', 'rung', 'occurrence', 'due_at', 'state'])
        .where('round_id', '=', roundId)
        .orderBy('unit_id')
        .orderBy('due_at')
        .orderBy('rung')
        .execute();
    },

    /**
     * Pending reminders due at `now`, locked for this transaction (PostgreSQL: SKIP LOCKED, so a
     * second server takes other rows; SQLite: one writer). Settle each with `settleDue` in the same
     * transaction.
     */
    async claimDueReminders(now: string, limit: number): Promise<DueReminder[]> {
      let pick = db
        .selectFrom('reminder_due')
        .select('id')
        .where('state', '=', 'pending')
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .orderBy('id')
        .limit(limit);
      if (postgres) pick = pick.forUpdate().skipLocked();
      const ids = (await pick.execute()).map((row) => row.id);
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('reminder_due')
        .innerJoin('rounds', 'rounds.id', 'reminder_due.round_id')
        .innerJoin('units', 'units.id', 'reminder_due.unit_id')
        .leftJoin('unit_submissions', (join) =>
          join.onRef('unit_submissions.round_id', '=', 'reminder_due.round_id').onRef('unit_submissions.unit_id', '=', 'reminder_due.unit_id'),
        )
        .select([
          'reminder_due.id',
          'reminder_due.round_id',
          'reminder_due.unit_id',
          'reminder_due.rung',
          'reminder_due.occurrence',
          'reminder_due.due_at',
          'rounds.label as round_label',
          'rounds.status as round_status',
          'units.name as unit_name',
          'unit_submissions.state as submission_state',
          sql<string | null>`coalesce(${sql.ref('unit_submissions.deadline')}, ${sql.ref('rounds.deadline')})`.as('deadline'),
        ])
        .where('reminder_due.id', 'in', ids)
        .orderBy('reminder_due.due_at')
        .orderBy('reminder_due.id')
        .execute();
      return rows;
    },

    /** Whether a later reminder to the same unit in the same round is due by `now` and not yet settled. */
    async laterDueExists(roundId: number, unitId: number, dueAt: string, id: number, now: string): Promise<boolean> {
      const row = await db
        .selectFrom('reminder_due')
        .select('id')
        .where('round_id', '=', roundId)
        .where('unit_id', '=', unitId)
        .where('state', '=', 'pending')
        .where('due_at', '<=', now)
        .where((eb) => eb.or([eb('due_at', '>', dueAt), eb.and([eb('due_at', '=', dueAt), eb('id', '>', id)])]))
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async settleDue(id: number, state: 'enqueued' | 'skipped', now: string): Promise<void> {
      await db.updateTable('reminder_due').set({ state, settled_at: now }).where('id', '=', id).where('state', '=', 'pending').execute();
    },

    /**
     * For the admin (issue 16): messages that failed for good to a unit or a person on a channel
     * after the last one that went through to them on it (none sent: all its failures), oldest first.
     * A failed row's `next_attempt_at` is when it failed (markFailed). Group them by recipient and
     * channel: the last is the reason shown, the count is how many failed since the last success.
     */
    async listFailuresSinceLastSent(): Promise<
      { unitId: number | null; userId: number | null; channel: string; lastError: string | null; failedAt: string }[]
    > {
      const rows = await db
        .selectFrom('outbox as failed')
        .select(['failed.unit_id', 'failed.user_id', 'failed.channel', 'failed.last_error', 'failed.next_attempt_at'])
        .where('failed.state', '=', 'failed')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('outbox as sent')
                .select('sent.id')
                .where('sent.state', '=', 'sent')
                .whereRef('sent.channel', '=', 'failed.channel')
                .where((inner) => inner.or([inner('sent.unit_id', '=', inner.ref('failed.unit_id')), inner('sent.user_id', '=', inner.ref('failed.user_id'))]))
                .whereRef('sent.sent_at', '>=', 'failed.next_attempt_at'),
            ),
          ),
        )
        // An address saved again since (corrected by the admin, or by the person) is no longer the one that failed.
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('unit_addresses as saved')
                .select('saved.unit_id')
                .whereRef('saved.unit_id', '=', 'failed.unit_id')
                .whereRef('saved.updated_at', '>', 'failed.next_attempt_at'),
            ),
          ),
        )
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('user_delivery as saved')
                .select('saved.user_id')
                .whereRef('saved.user_id', '=', 'failed.user_id')
                .whereRef('saved.updated_at', '>', 'failed.next_attempt_at'),
            ),
          ),
        )
        .orderBy('failed.next_attempt_at')
        .orderBy('failed.id')
        .execute();
      return rows.map((row) => ({ unitId: row.unit_id, userId: row.user_id, channel: row.channel, lastError: row.last_error, failedAt: row.next_attempt_at }));
    },

    /** The office's ladder screen: how many reminders of the round are stored as due and not yet sent, and the next one's time. */
    async pendingSummary(roundId: number): Promise<{ pending: number; nextDueAt: string | null }> {
      const row = await db
        .selectFrom('reminder_due')
        .select((eb) => [eb.fn.countAll<number | string>().as('pending'), eb.fn.min('due_at').as('next')])
        .where('round_id', '=', roundId)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return { pending: Number(row?.pending ?? 0), nextDueAt: (row?.next as string | null | undefined) ?? null };
    },

    /**
     * Pruning (DIAODU_OUTBOX_KEEP_DAYS): up to `limit` `sent` messages sent before `before`. Failed
     * and queued ones stay (the admin needs the failures). Returns how many went.
     */
    async pruneSent(before: string, limit: number): Promise<number> {
      const ids = (
        await db.selectFrom('outbox').select('id').where('state', '=', 'sent').where('sent_at', '<', before).orderBy('id').limit(limit).execute()
      ).map((row) => row.id);
      if (ids.length === 0) return 0;
      const result = await db.deleteFrom('outbox').where('id', 'in', ids).where('state', '=', 'sent').executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Pruning: up to `limit` settled (enqueued or skipped) due rows of rounds no longer open, settled before `before`. */
    async pruneSettledDue(before: string, limit: number): Promise<number> {
      const ids = (
        await db
          .selectFrom('reminder_due')
          .innerJoin('rounds', 'rounds.id', 'reminder_due.round_id')
          .select('reminder_due.id')
          .where('reminder_due.state', 'in', ['enqueued', 'skipped'])
          .where('reminder_due.settled_at', '<', before)
          .where('rounds.status', '!=', 'open')
          .orderBy('reminder_due.id')
          .limit(limit)
          .execute()
      ).map((row) => row.id);
      if (ids.length === 0) return 0;
      const result = await db.deleteFrom('reminder_due').where('id', 'in', ids).where('state', '!=', 'pending').executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
