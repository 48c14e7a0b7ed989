import { sql, type Kysely } from 'kysely';
import { autoId } from './dialect-helpers.ts';

/**
 * Delivery beyond the app (issue 16): the outbox and the durable reminder scheduler.
 *
 * `outbox`: one row per message to one recipient (a unit or a person) on one channel, written in
 * the transaction of the change that causes it. A worker claims due rows (`queued`, or `sending`
 * whose claim expired: a crash mid-send), marks them `sending` with its id and a lease, hands each
 * to its channel and records `sent`, or `queued` again with the next attempt (backoff), or `failed`
 * with the reason. `dedupe_key` is unique: the same message (e.g. the same reminder rung for the
 * same round, unit, occurrence and channel) is one row, ever. `address` is the address as it was at
 * enqueue time, stored as opaque text (a sealed secret stays sealed).
 *
 * `reminder_rungs`: the ladder the office sets per round ('before:7d', 'due_day:09:00',
 * 'overdue_daily:09:00' …) with whether it may send in quiet hours and on weekends.
 * `reminder_due`: rows, not timers: one per round, unit, rung and occurrence, with its due instant
 * and state pending | enqueued | skipped. After a restart nothing due is lost (it is a row) and
 * nothing is enqueued twice (the unique key, and the outbox's dedupe key).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', autoId(db))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('round_id', 'integer', (c) => c.references('rounds.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addCheckConstraint('outbox_one_recipient', sqlCheck('(unit_id is null) <> (user_id is null)'))
    .addCheckConstraint('outbox_state', sqlCheck("state in ('queued', 'sending', 'sent', 'failed')"))
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_round').on('outbox').columns(['round_id', 'unit_id', 'id']).execute();

  await db.schema
    .createTable('reminder_rungs')
    .addColumn('id', 'integer', autoId(db))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
    .addColumn('rung', 'text', (c) => c.notNull())
    .addColumn('quiet_hours', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('weekends', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('set_by', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('reminder_rungs_one', ['round_id', 'rung'])
    .execute();

  await db.schema
    .createTable('reminder_due')
    .addColumn('id', 'integer', autoId(db))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('rung', 'text', (c) => c.notNull())
    .addColumn('occurrence', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('settled_at', 'text')
    .addUniqueConstraint('reminder_due_one', ['round_id', 'unit_id', 'rung', 'occurrence'])
    .addCheckConstraint('reminder_due_state', sqlCheck("state in ('pending', 'enqueued', 'skipped')"))
    .execute();
  await db.schema.createIndex('reminder_due_pending').on('reminder_due').columns(['state', 'due_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reminder_due').execute();
  await db.schema.dropTable('reminder_rungs').execute();
  await db.schema.dropTable('outbox').execute();
}

function sqlCheck(expression: string) {
  return sql.raw(expression);
}
