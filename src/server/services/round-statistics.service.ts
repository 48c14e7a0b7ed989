import type { Actor } from '../../domain/actor.ts';
import type { RoundStatisticsTotals, RoundStatisticsView, UnitStatisticsRow } from '../../domain/api/round-statistics-view.ts';
import type { SubmissionState } from '../../domain/api/round-view.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { inReadTransaction } from '../db/transaction.ts';
import { assertCanReadBoard } from '../policies/round.policy.ts';
import { requireRound } from './round.service.ts';

/** States in which a unit's answers have left it: with its head, with the office, or accepted. */
const SUBMITTED_STATES: ReadonlySet<string> = new Set(['submitted', 'approved', 'accepted']);

/**
 * 报送情况统计 (issue 12): per unit of a round (collective units excluded) its state, when it
 * submitted, whether late (逾期), its extended deadline and whether accepted; with the totals. The
 * office and leaders read it (as they read the board); the Excel export writes it as the sheet 报送情况.
 */
export function createRoundStatisticsService(deps: { database: Database }) {
  const { database } = deps;
  return {
    async statistics(actor: Actor, roundId: number): Promise<RoundStatisticsView> {
      assertCanReadBoard(actor, '查看报送情况统计');
      return inReadTransaction(database, (repositories) => roundStatisticsIn(repositories, roundId));
    },
  };
}

export type RoundStatisticsService = ReturnType<typeof createRoundStatisticsService>;

/** The statistics inside the caller's read transaction, after its policy check (the export service reads for the CLI too). */
export async function roundStatisticsIn(repositories: Repositories, roundId: number): Promise<RoundStatisticsView> {
  const round = await requireRound(repositories, roundId);
  const [inApp, submissions, tasksByUnit, answeredByUnit, tasks, tasksAnswered] = await Promise.all([
    repositories.roundStatistics.hasSubmissions(roundId),
    repositories.roundStatistics.listUnitSubmissions(roundId),
    repositories.roundWork.countTasksByUnit(roundId),
    repositories.roundWork.countAnsweredByUnit(roundId),
    repositories.rounds.countTasksOfRound(roundId),
    repositories.roundStatistics.countAnsweredTasks(roundId),
  ]);
  const units: UnitStatisticsRow[] = submissions
    .map((submission) => {
      const submitted = SUBMITTED_STATES.has(submission.state);
      return {
        unitId: submission.unit_id,
        unitName: submission.unit_name,
        state: submission.state as SubmissionState,
        submitted,
        submittedAt: submission.submitted_at,
        // A returned unit's earlier late submit no longer counts: it has not submitted now.
        late: submitted && submission.submitted_late === 1,
        extendedDeadline: submission.deadline,
        accepted: submission.state === 'accepted',
        tasks: tasksByUnit.get(submission.unit_id) ?? 0,
        answered: answeredByUnit.get(submission.unit_id) ?? 0,
      };
    })
    .sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh-CN'));
  return { roundId, roundLabel: round.label, deadline: round.deadline, inApp, totals: totalsOf(units, tasks, tasksAnswered), units };
}

function totalsOf(units: readonly UnitStatisticsRow[], tasks: number, tasksAnswered: number): RoundStatisticsTotals {
  const count = (test: (unit: UnitStatisticsRow) => boolean) => units.filter(test).length;
  return {
    units: units.length,
    onTime: count((u) => u.submitted && !u.late),
    late: count((u) => u.submitted && u.late),
    notSubmitted: count((u) => !u.submitted),
    returned: count((u) => u.state === 'returned'),
    accepted: count((u) => u.accepted),
    tasksAnswered,
    tasks,
  };
}
