import { DEFAULT_REMINDER_LADDER } from '../../domain/api/round-view.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { materialiseReminders } from '../delivery/outbox.ts';

/** One rung as stored: `quietHours` true keeps it out of 22:00–08:00; `weekends` true lets it send on Saturday and Sunday. */
export type LadderStep = { rung: string; quietHours: boolean; weekends: boolean };

/**
 * Replaces a round's ladder in the caller's transaction and brings its due rows in line at once
 * (pending rows of dropped rungs go, the new rungs' rows appear). A rung kept as it was keeps the
 * time it was first set, so re-saving a ladder neither drops a reminder that fell due a moment ago
 * nor brings back one whose time had passed when it was set (materialiseReminders).
 */
export async function replaceLadderIn(
  repositories: Repositories,
  roundId: number,
  steps: readonly LadderStep[],
  by: string,
  at: string,
  timeZone: string,
): Promise<void> {
  const before = await repositories.outbox.listLadder(roundId);
  const kept = (step: LadderStep) =>
    before.find((row) => row.rung === step.rung && row.quiet_hours === (step.quietHours ? 1 : 0) && row.weekends === (step.weekends ? 1 : 0));
  // setLadder stores one setter and time for all; rows kept as they were get theirs back below.
  await repositories.outbox.setLadder(roundId, steps, by, at);
  for (const step of steps) {
    const old = kept(step);
    if (old) await repositories.outbox.restoreRungSetter(roundId, step.rung, old.set_by, old.set_at);
  }
  await materialiseReminders(repositories, roundId, new Date(at), timeZone);
}

/**
 * The ladder a round gets when it opens with a deadline (DEFAULT_REMINDER_LADDER: quiet hours and
 * weekends kept free), set by the person who opened it, in the opening's transaction.
 */
export async function setDefaultLadderIn(repositories: Repositories, roundId: number, openedBy: string, at: string, timeZone: string): Promise<void> {
  await replaceLadderIn(
    repositories,
    roundId,
    DEFAULT_REMINDER_LADDER.map((rung) => ({ rung, quietHours: true, weekends: false })),
    openedBy,
    at,
    timeZone,
  );
}
