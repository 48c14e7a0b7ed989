import type { LeaderPortfolioView, PortfolioRoundView, PortfolioTaskView, PortfolioUnitView } from '../../domain/api/leader-view.ts';
import type { TaskPlace } from '../../domain/insights/types.ts';
import { PROGRESS_STATUSES, type ProgressStatus } from '../../domain/limits.ts';
import type { PortfolioTaskRecord } from '../db/repositories/leader.repository.ts';
import type { AnswerRecord } from '../db/repositories/round-work.repository.ts';
import type { RoundRecord } from '../db/repositories/round.repository.ts';

/** Worst first: a task is as far along as its most lagging unit. */
const SEVERITY: Record<ProgressStatus, number> = { delayed: 0, suspended: 1, not_started: 2, on_track: 3, completed: 4 };
const LAGGING: readonly ProgressStatus[] = ['delayed', 'suspended'];
/** A unit whose answers are still with it. */
export const PENDING_STATES: readonly string[] = ['not_started', 'draft', 'returned'];

const asStatus = (value: string | null | undefined): ProgressStatus | null =>
  value && (PROGRESS_STATUSES as readonly string[]).includes(value) ? (value as ProgressStatus) : null;

function worst(statuses: (ProgressStatus | null)[]): ProgressStatus | null {
  const known = statuses.filter((s): s is ProgressStatus => s !== null);
  return known.length === 0 ? null : known.reduce((a, b) => (SEVERITY[b] < SEVERITY[a] ? b : a));
}

export function presentPortfolioRound(round: RoundRecord | undefined): PortfolioRoundView | null {
  return round ? { id: round.id, planId: round.plan_id, label: round.label, status: round.status, deadline: round.deadline } : null;
}

/**
 * 我分管的: each task with its units' state and status this round and last, lagging (滞后 /
 * 暂缓) tasks first, then in the plan's order.
 */
export function presentPortfolio(input: {
  leader: string;
  round: RoundRecord | undefined;
  previousRound: RoundRecord | undefined;
  tasks: PortfolioTaskRecord[];
  /** Each task's place in the round (placesInPlanOrder); empty when there is no round. */
  places: ReadonlyMap<number, TaskPlace>;
  units: { taskId: number; unitId: number; unitName: string; role: 'lead' | 'co' }[];
  answers: AnswerRecord[];
  previousAnswers: AnswerRecord[];
  states: Map<number, string>;
  /** The units that submitted late, or are still out past their deadline. */
  late: ReadonlySet<number>;
}): LeaderPortfolioView {
  const statusOf = (answers: AnswerRecord[], taskId: number, unitId: number | null) =>
    asStatus(answers.find((a) => a.task_id === taskId && a.unit_id === unitId)?.status);
  const tasks: PortfolioTaskView[] = input.tasks.map((task) => {
    const units: PortfolioUnitView[] = input.units
      .filter((unit) => unit.taskId === task.id)
      .map((unit) => {
        const state = input.states.get(unit.unitId) ?? null;
        const pending = state !== null && PENDING_STATES.includes(state);
        return {
          unitId: unit.unitId,
          unitName: unit.unitName,
          role: unit.role,
          state,
          status: statusOf(input.answers, task.id, unit.unitId),
          previousStatus: statusOf(input.previousAnswers, task.id, unit.unitId),
          pending,
          late: input.late.has(unit.unitId),
        };
      });
    // Imported rounds may hold text no unit signed: it still counts for the task.
    const all = (answers: AnswerRecord[]) => answers.filter((a) => a.task_id === task.id).map((a) => asStatus(a.status));
    const status = worst(all(input.answers));
    return {
      taskId: task.id,
      position: task.position,
      place: input.places.get(task.id) ?? null,
      text: task.text,
      status,
      previousStatus: worst(all(input.previousAnswers)),
      lagging: status !== null && LAGGING.includes(status),
      units,
    };
  });
  tasks.sort((a, b) => Number(b.lagging) - Number(a.lagging) || a.position - b.position);
  return { leader: input.leader, round: presentPortfolioRound(input.round), previousRound: presentPortfolioRound(input.previousRound), tasks };
}
