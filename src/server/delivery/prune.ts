import type { Database } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';

/** How long sent messages and settled reminders of finished rounds are kept (DIAODU_OUTBOX_KEEP_DAYS). */
export const DEFAULT_OUTBOX_KEEP_DAYS = 180;

export type PruneOptions = {
  keepDays?: number;
  /** Rows deleted per transaction, so a first prune after months never holds the write lock long. */
  batchSize?: number;
  /** Batches of each kind per call; the rest goes at the next tick. */
  maxBatches?: number;
};

/**
 * Deletes, a bounded batch at a time, `sent` outbox rows sent more than `keepDays` days before
 * `now`, and settled reminder_due rows of rounds no longer open settled before then. Failed rows
 * stay (the admin's list of failing addresses reads them); queued and sending ones are untouched,
 * and so is every pending reminder. Called by the delivery worker's tick; at most `maxBatches`
 * batches of each per call, the rest at the next tick.
 */
export async function pruneDelivered(database: Database, now: Date, options: PruneOptions = {}): Promise<{ sent: number; reminders: number }> {
  const { keepDays = DEFAULT_OUTBOX_KEEP_DAYS, batchSize = 500, maxBatches = 4 } = options;
  const before = new Date(now.getTime() - keepDays * 24 * 60 * 60_000).toISOString();
  const pruned = { sent: 0, reminders: 0 };
  for (let batch = 0; batch < maxBatches; batch++) {
    const sent = await inTransaction(database, (r) => r.outbox.pruneSent(before, batchSize));
    const reminders = await inTransaction(database, (r) => r.outbox.pruneSettledDue(before, batchSize));
    pruned.sent += sent;
    pruned.reminders += reminders;
    if (sent < batchSize && reminders < batchSize) break;
  }
  return pruned;
}
