import { dateAndTimeIn, utcOffsetOf } from '../../domain/dates.ts';
import type { OutboxEvent } from '../../domain/delivery-events.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { OutboxRow } from '../db/schema-delivery.ts';
import { inTransaction } from '../db/transaction.ts';
import { timeZoneIn } from '../services/organisation-words.ts';
import { pruneDelivered } from './prune.ts';
import type { Channel, ChannelKind, DeliveryAddress, DeliveryMessage, DeliveryResult } from './channel.ts';
import { daysLeft, deliverIn } from './deliver.ts';
import { composeMessage, type DeliveryEvent } from './messages.ts';

/**
 * The outbox (issue 16, decision 035). A change that should reach people outside diaodu calls
 * `enqueueIn` with the repositories of ITS transaction: the message exists iff the change committed.
 * A worker claims due rows, hands each to its channel, and records sent / retry later / failed.
 * Reminders are rows too (`reminder_due`): the worker turns each round's ladder into due rows and
 * enqueues the due ones, so nothing due is lost on a restart and nothing is enqueued twice.
 */

export type { OutboxEvent } from '../../domain/delivery-events.ts';

/** One message to one recipient on one channel. `address` is stored as given (opaque: sealed secrets stay sealed). */
export type OutboxMessage = {
  event: OutboxEvent;
  roundId: number | null;
  recipient: { unitId: number } | { userId: number };
  channel: ChannelKind;
  address: string;
  message: DeliveryMessage;
  /** The same key is one row, ever: a second enqueue of it is ignored. */
  dedupeKey: string;
};

/** Stores `messages` in the caller's transaction; returns how many were new. */
export function enqueueIn(repositories: Repositories, messages: readonly OutboxMessage[], now: Date): Promise<number> {
  return repositories.outbox.enqueue(
    messages.map((m) => ({
      event: m.event,
      roundId: m.roundId,
      unitId: 'unitId' in m.recipient ? m.recipient.unitId : null,
      userId: 'userId' in m.recipient ? m.recipient.userId : null,
      channel: m.channel,
      address: m.address,
      subject: m.message.subject,
      body: m.message.body,
      link: m.message.link,
      dedupeKey: m.dedupeKey,
    })),
    now.toISOString(),
  );
}

// ---------------------------------------------------------------------------------------------
// Retries

export type RetryPolicy = { baseMs: number; capMs: number; maxAttempts: number };
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 30_000, capMs: 60 * 60_000, maxAttempts: 8 };

/**
 * When to try again after the `attempts`-th failed attempt (1-based), or null to give up:
 * exponential from `baseMs`, capped at `capMs`, with jitter (half to all of it) so many failed
 * rows do not come back at once; a channel's own `retryAfterMs` (a robot's rate limit) is the least.
 */
export function nextAttemptDelay(attempts: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number | null {
  if (attempts >= policy.maxAttempts) return null;
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.round(exponential * (0.5 + random() / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}

// ---------------------------------------------------------------------------------------------
// The reminder ladder

export type Rung = { kind: 'before'; days: number } | { kind: 'due_day'; time: string } | { kind: 'overdue_daily'; time: string };

/** Longest ladder step before the deadline, and how many days after it the daily reminder keeps going. */
export const MAX_DAYS_BEFORE = 60;
export const MAX_OVERDUE_DAYS = 60;
const BEFORE_TIME = '09:00';

/** Reads 'before:7d', 'due_day:09:00', 'overdue_daily:09:00'; null for anything else. */
export function parseRung(text: string): Rung | null {
  const before = /^before:(\d{1,2})d$/.exec(text);
  if (before) {
    const days = Number(before[1]);
    return days >= 1 && days <= MAX_DAYS_BEFORE ? { kind: 'before', days } : null;
  }
  const timed = /^(due_day|overdue_daily):([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (timed) return { kind: timed[1] as 'due_day' | 'overdue_daily', time: `${timed[2]}:${timed[3]}` };
  return null;
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The instant when the clocks of `timeZone` show `date` `time`. */
export function instantAt(date: string, time: string, timeZone: string): Date {
  let instant = new Date(`${date}T${time}:00Z`);
  for (let i = 0; i < 2; i++) instant = new Date(`${date}T${time}:00${utcOffsetOf(timeZone, instant)}`);
  return instant;
}

/**
 * Moves `instant` out of quiet hours (22:00–08:00 → 08:00 the next morning) and off weekends
 * (→ the Monday, same time of day), in `timeZone`, unless the rung allows them.
 */
export function nextAllowedTime(instant: Date, timeZone: string, allow: { quietHours: boolean; weekends: boolean }): Date {
  let { date, time } = dateAndTimeIn(instant, timeZone);
  let moved = false;
  for (let step = 0; step < 4; step++) {
    const hour = Number(time.slice(0, 2));
    if (!allow.quietHours && hour >= 22) ({ date, time } = { date: addDays(date, 1), time: '08:00' });
    else if (!allow.quietHours && hour < 8) time = '08:00';
    else if (!allow.weekends && (weekday(date) === 6 || weekday(date) === 0)) date = addDays(date, weekday(date) === 6 ? 2 : 1);
    else return moved ? instantAt(date, time, timeZone) : instant;
    moved = true;
  }
  return instantAt(date, time, timeZone);
}

/**
 * The due rows of one rung for a unit whose deadline is `deadline`, up to `horizon` (a daily rung
 * has one occurrence per local day after the deadline; on weekends none unless allowed).
 */
export function dueTimesOf(
  rung: Rung,
  deadline: Date,
  timeZone: string,
  allow: { quietHours: boolean; weekends: boolean },
  horizon: Date,
): { occurrence: string; dueAt: Date }[] {
  const deadlineDay = dateAndTimeIn(deadline, timeZone).date;
  const place = (date: string, time: string) => nextAllowedTime(instantAt(date, time, timeZone), timeZone, allow);
  if (rung.kind === 'before') return [{ occurrence: '1', dueAt: place(addDays(deadlineDay, -rung.days), BEFORE_TIME) }];
  if (rung.kind === 'due_day') return [{ occurrence: '1', dueAt: place(deadlineDay, rung.time) }];
  const out: { occurrence: string; dueAt: Date }[] = [];
  for (let n = 1; n <= MAX_OVERDUE_DAYS; n++) {
    const day = addDays(deadlineDay, n);
    const at = instantAt(day, rung.time, timeZone);
    if (at > horizon) break;
    if (!allow.weekends && (weekday(day) === 6 || weekday(day) === 0)) continue;
    out.push({ occurrence: day, dueAt: nextAllowedTime(at, timeZone, allow) });
  }
  return out;
}

/** How far ahead a daily rung's occurrences are stored. */
const DAILY_HORIZON_MS = 24 * 60 * 60_000;

/**
 * Turns a round's ladder into due rows for every unit that has not handed in, and brings pending
 * rows in line (a moved deadline moves them; a unit that handed in loses them). Run in a
 * transaction; safe to run again and from several servers (an enqueued row is left as it is). A step whose time had
 * already passed when the ladder was set is not stored (setting a ladder late does not fire its past).
 */
export async function materialiseReminders(repositories: Repositories, roundId: number, now: Date, timeZone: string): Promise<number> {
  const ladder = await repositories.outbox.listLadder(roundId);
  if (ladder.length === 0) return 0;
  const units = await repositories.outbox.listUnitsNotHandedIn(roundId);
  const horizon = new Date(now.getTime() + DAILY_HORIZON_MS);
  const rows: { roundId: number; unitId: number; rung: string; occurrence: string; dueAt: string }[] = [];
  for (const unit of units) {
    if (!unit.deadline) continue;
    const deadline = new Date(unit.deadline);
    if (Number.isNaN(deadline.getTime())) continue;
    for (const step of ladder) {
      const rung = parseRung(step.rung);
      if (!rung) continue;
      const allow = { quietHours: step.quiet_hours === 0, weekends: step.weekends === 1 };
      for (const due of dueTimesOf(rung, deadline, timeZone, allow, horizon)) {
        if (due.dueAt.toISOString() < step.set_at) continue;
        rows.push({ roundId, unitId: unit.unitId, rung: step.rung, occurrence: due.occurrence, dueAt: due.dueAt.toISOString() });
      }
    }
  }
  // Pending rows no longer wanted (the unit handed in, the deadline moved, a rung dropped) go;
  // rows already enqueued or skipped stay as they are (the unique key keeps them from coming back).
  const wanted = new Map(rows.map((row) => [`${row.unitId} ${row.rung} ${row.occurrence}`, row.dueAt]));
  const pending = await repositories.outbox.listPendingOfRound(roundId);
  await repositories.outbox.deletePending(
    pending.filter((row) => wanted.get(`${row.unit_id} ${row.rung} ${row.occurrence}`) !== row.due_at).map((row) => row.id),
  );
  return repositories.outbox.insertDue(rows);
}

/** A unit's addresses at enqueue time: the addresses slice gives them (sealed secrets stay sealed). */
export type UnitAddresses = (repositories: Repositories, unitId: number) => Promise<{ channel: ChannelKind; address: string }[]>;

// ---------------------------------------------------------------------------------------------
// The worker

export type DeliveryWorkerOptions = {
  database: Database;
  channels: ReadonlyMap<ChannelKind, Channel>;
  clock?: () => Date;
  pollMs?: number;
  workerId: string;
  /** The configured time zone (DIAODU_TIME_ZONE); the organisation's profile overrides it. */
  timeZone: string;
  publicUrl?: string | null;
  /** Where a unit's reminders go; without it due reminders stay pending (nothing is enqueued, nothing lost). */
  addressesOfUnit?: UnitAddresses;
  /** Turns a stored address into one a channel sends to (the addresses slice unseals secrets here). */
  openAddress?: (stored: string) => DeliveryAddress;
  retry?: RetryPolicy;
  /** How long a claim holds before another worker may take the row again (a crash mid-send). */
  leaseMs?: number;
  batchSize?: number;
  random?: () => number;
  /** A tick's own failure (the database away); the worker goes on at the next tick. */
  onError?: (error: unknown) => void;
  /** DIAODU_OUTBOX_KEEP_DAYS: sent messages and settled reminders of finished rounds older than this go (prune.ts). */
  keepDays?: number;
};

export type TickReport = { materialised: number; remindersEnqueued: number; remindersSkipped: number; sent: number; retried: number; failed: number };

export type DeliveryWorker = {
  /** One pass: materialise ladders, enqueue due reminders, deliver due messages. */
  tick(): Promise<TickReport>;
  /** Stops polling and waits for the pass under way. */
  stop(): Promise<void>;
};

/** Returns a worker that only runs when `tick()` is called (tests, a CLI); `startDeliveryWorker` polls. */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const clock = options.clock ?? (() => new Date());
  const policy = options.retry ?? DEFAULT_RETRY;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const batchSize = options.batchSize ?? 50;
  const random = options.random ?? Math.random;
  const openAddress = options.openAddress ?? ((stored: string) => JSON.parse(stored) as DeliveryAddress);
  const { database } = options;

  async function materialise(now: Date): Promise<number> {
    const rounds = await inTransaction(database, (r) => r.outbox.listOpenRoundsWithLadder());
    let stored = 0;
    for (const round of rounds) {
      stored += await inTransaction(database, async (r) => materialiseReminders(r, round.id, now, await timeZoneIn(r, options.timeZone)));
    }
    return stored;
  }

  async function enqueueDueReminders(now: Date): Promise<{ enqueued: number; skipped: number }> {
    // Without the addresses there is nowhere to send: the due rows wait (skipping them would lose them).
    const addressesOfUnit = options.addressesOfUnit;
    if (!addressesOfUnit) return { enqueued: 0, skipped: 0 };
    const deps = { addressesOfUnit, publicUrl: options.publicUrl ?? null, timeZone: options.timeZone };
    let enqueued = 0;
    let skipped = 0;
    for (;;) {
      const claimed = await inTransaction(database, async (r) => {
        const due = await r.outbox.claimDueReminders(now.toISOString(), batchSize);
        const timeZone = await timeZoneIn(r, options.timeZone);
        for (const reminder of due) {
          const handedIn = reminder.submission_state === null || ['submitted', 'approved', 'accepted'].includes(reminder.submission_state);
          // No deadline any more (the office cleared it): nothing to count down to.
          // Several reminders to one unit due at once (the server was down over a few of them, or
          // the ladder was set late) make one message, the latest: its words are counted from now
          // anyway, and a unit is not sent a day's worth of 逾期 reminders in one go.
          const superseded = await r.outbox.laterDueExists(reminder.round_id, reminder.unit_id, reminder.due_at, reminder.id, now.toISOString());
          if (reminder.round_status !== 'open' || handedIn || reminder.deadline === null || superseded) {
            await r.outbox.settleDue(reminder.id, 'skipped', now.toISOString());
            skipped++;
            continue;
          }
          const event: DeliveryEvent = {
            kind: 'deadline',
            roundId: reminder.round_id,
            roundLabel: reminder.round_label,
            unitName: reminder.unit_name,
            deadline: reminder.deadline,
            daysLeft: daysLeft(new Date(reminder.deadline), now, timeZone),
          };
          // In the app always (我的待办/消息), so a unit with no address still sees it; beyond it, to each address.
          const inApp = composeMessage(event, { publicUrl: null, timeZone });
          await r.roundWork.insertNotification({
            unitId: reminder.unit_id,
            userId: null,
            roundId: reminder.round_id,
            kind: 'deadline_reminder',
            message: inApp.body,
            now: now.toISOString(),
          });
          const occasion = `reminder:${reminder.round_id}:${reminder.rung}:${reminder.occurrence}`;
          await deliverIn(r, deps, { occasion, roundId: reminder.round_id, to: [{ recipient: { unitId: reminder.unit_id }, event }] }, now);
          await r.outbox.settleDue(reminder.id, 'enqueued', now.toISOString());
          enqueued++;
        }
        return due.length;
      });
      if (claimed < batchSize) return { enqueued, skipped };
    }
  }

  /** Hands one row to its channel; a channel that throws is a failure worth retrying, never the worker's end. */
  async function attempt(row: OutboxRow): Promise<DeliveryResult> {
    const channel = options.channels.get(row.channel as ChannelKind);
    if (!channel) return { ok: false, reason: '该发送渠道未配置', retry: false };
    let address: DeliveryAddress;
    try {
      address = openAddress(row.address);
    } catch {
      return { ok: false, reason: '地址无法读取', retry: false };
    }
    try {
      return await channel.send(address, { subject: row.subject, body: row.body, link: row.link });
    } catch (error) {
      return { ok: false, reason: `发送出错：${error instanceof Error ? error.message : String(error)}`, retry: true };
    }
  }

  async function deliverOne(row: OutboxRow): Promise<'sent' | 'retried' | 'failed'> {
    const outcome = await attempt(row);
    const done = clock();
    if (outcome.ok) {
      await inTransaction(database, (r) => r.outbox.markSent(row.id, options.workerId, done.toISOString()));
      return 'sent';
    }
    const delay = outcome.retry ? nextAttemptDelay(row.attempts + 1, policy, random, outcome.retryAfterMs) : null;
    const reason = delay === null && outcome.retry ? `${outcome.reason}（已尝试${row.attempts + 1}次，不再重试）` : outcome.reason;
    await inTransaction(database, (r) =>
      r.outbox.markFailed(row.id, options.workerId, {
        reason,
        nextAttemptAt: delay === null ? null : new Date(done.getTime() + delay).toISOString(),
        now: done.toISOString(),
      }),
    );
    return delay === null ? 'failed' : 'retried';
  }

  async function deliver(now: Date): Promise<{ sent: number; retried: number; failed: number }> {
    const counts = { sent: 0, retried: 0, failed: 0 };
    for (;;) {
      const rows = await inTransaction(database, (r) =>
        r.outbox.claimDue({
          now: now.toISOString(),
          workerId: options.workerId,
          claimedUntil: new Date(now.getTime() + leaseMs).toISOString(),
          limit: batchSize,
        }),
      );
      for (const row of rows) {
        try {
          counts[await deliverOne(row)]++;
        } catch (error) {
          // Recording failed (the database away): the claim expires and the row is taken again.
          options.onError?.(error);
        }
      }
      if (rows.length < batchSize) return counts;
    }
  }

  let running: Promise<TickReport> | null = null;
  return {
    tick() {
      running ??= (async () => {
        try {
          const now = clock();
          const materialised = await materialise(now);
          const reminders = await enqueueDueReminders(now);
          const delivered = await deliver(now);
          await pruneDelivered(database, now, options.keepDays === undefined ? {} : { keepDays: options.keepDays });
          return { materialised, remindersEnqueued: reminders.enqueued, remindersSkipped: reminders.skipped, ...delivered };
        } finally {
          running = null;
        }
      })();
      return running;
    },
    async stop() {
      await running?.catch(() => undefined);
    },
  };
}

/** Starts a worker that ticks every `pollMs` (default 5 s) until `stop()`. */
export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const worker = createDeliveryWorker(options);
  const pollMs = options.pollMs ?? 5_000;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const loop = async () => {
    try {
      await worker.tick();
    } catch (error) {
      options.onError?.(error);
    }
    if (!stopped) timer = setTimeout(loop, pollMs);
  };
  timer = setTimeout(loop, 0);
  return {
    tick: () => worker.tick(),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await worker.stop();
    },
  };
}
