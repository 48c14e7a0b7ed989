import type { ReminderLadderView, ReminderRungView } from '../../domain/api/round-view.ts';
import { rungLabel } from '../../domain/reminder-rungs.ts';
import type { ReminderRungRow } from '../db/schema-delivery.ts';

/** One stored rung as the office reads it: its label in Chinese and what it may do (quiet_hours 1 = kept out of 22:00–08:00). */
export function presentRung(row: Pick<ReminderRungRow, 'rung' | 'quiet_hours' | 'weekends'>): ReminderRungView {
  return { rung: row.rung, label: rungLabel(row.rung), allowQuietHours: row.quiet_hours === 0, allowWeekends: row.weekends === 1 };
}

export function presentReminderLadder(
  roundId: number,
  rows: readonly ReminderRungRow[],
  setter: { by: string; at: string } | null,
  due: { pending: number; nextDueAt: string | null },
): ReminderLadderView {
  return { roundId, rungs: rows.map(presentRung), setBy: setter?.by ?? null, setAt: setter?.at ?? null, pending: due.pending, nextDueAt: due.nextDueAt };
}
