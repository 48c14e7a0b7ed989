import type { OrganisationRollUpView, RoundFiguresView } from '../../domain/api/province-view.ts';
import type { RoundStatisticsView } from '../../domain/api/round-statistics-view.ts';
import type { TrafficLight } from '../../domain/api/round-view.ts';
import type { RoundRecord } from '../db/repositories/round.repository.ts';

/** What the roll-up read of one round run in the app: its statistics, each unit's board light, the flagged answers. */
export type RoundReading = {
  statistics: RoundStatisticsView;
  lights: readonly TrafficLight[];
  flagged: { delayed: number; suspended: number };
};

const LIGHTS: readonly TrafficLight[] = ['green', 'yellow', 'red', 'grey'];

/**
 * One round's figures: counts only. `reading` is null for an imported round (导入), whose
 * figures stay null: nobody submitted it in the app, so there is no rate to show.
 */
export function presentRoundFigures(round: RoundRecord, timeZone: string, reading: RoundReading | null): RoundFiguresView {
  const base = { roundId: round.id, label: round.label, deadline: round.deadline, timeZone, status: round.status as RoundFiguresView['status'] };
  if (!reading) return { ...base, units: null, onTime: null, late: null, notSubmitted: null, onTimeRate: null, lights: null, lagging: null, suspended: null };
  const { totals } = reading.statistics;
  const lights = Object.fromEntries(LIGHTS.map((light) => [light, reading.lights.filter((each) => each === light).length])) as Record<TrafficLight, number>;
  return {
    ...base,
    units: totals.units,
    onTime: totals.onTime,
    late: totals.late,
    notSubmitted: totals.notSubmitted,
    onTimeRate: totals.units > 0 ? totals.onTime / totals.units : null,
    lights,
    lagging: reading.flagged.delayed,
    suspended: reading.flagged.suspended,
  };
}

export function presentOrganisationRollUp(
  organisation: { code: string; name: string },
  plans: { total: number; active: number },
  round: RoundFiguresView | null,
  readAt: string,
): OrganisationRollUpView {
  return { code: organisation.code, name: organisation.name, plans, round, readAt };
}
