import type { Actor } from '../../domain/actor.ts';
import type { LeaderPortfolioView } from '../../domain/api/leader-view.ts';
import type { TaskPlace } from '../../domain/insights/types.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { RoundRecord } from '../db/repositories/round.repository.ts';
import { inReadTransaction } from '../db/transaction.ts';
import { assertIsLeader } from '../policies/leader.policy.ts';
import { presentPortfolio } from '../presenters/leader.presenter.ts';
import { PENDING_STATES } from '../presenters/leader.presenter.ts';
import { taskPlacesInPlan } from './plan-view.service.ts';
import { deadlineTime } from './round.service.ts';

/** Where each task sits in its plan as the plan view prints it: in the round's tree, or each plan as it stands when there is no round. */
async function placesOf(repositories: Repositories, round: RoundRecord | undefined, tasks: readonly { plan_id: number }[]): Promise<Map<number, TaskPlace>> {
  if (round) return taskPlacesInPlan(repositories, round.plan_id, round.id);
  const places = new Map<number, TaskPlace>();
  for (const planId of new Set(tasks.map((task) => task.plan_id)))
    for (const [id, place] of await taskPlacesInPlan(repositories, planId, null)) places.set(id, place);
  return places;
}

/**
 * Leaders' home page, 我分管的. A leader account is matched to the plans' leader rows by its
 * display name (the plans name leaders, not accounts: 李岳东 the account is 李岳东 in
 * 牵头领导, in the organisation's words). The round shown is the newest open one over their tasks, else the newest.
 */
export function createLeaderService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))();

  return {
    async portfolio(actor: Actor): Promise<LeaderPortfolioView> {
      const leader = assertIsLeader(actor);
      const current = now();
      return inReadTransaction(database, async (repositories) => {
        const leaderIds = await repositories.leaders.findLeaderIdsByName(leader.name.trim());
        const taskIds = await repositories.leaders.listTaskIdsOfLeaders(leaderIds);
        const roundId = await repositories.leaders.findPortfolioRoundId(taskIds);
        const round = roundId === undefined ? undefined : await repositories.rounds.findRound(roundId);
        const previousId = round ? await repositories.rounds.findPreviousRoundId(round) : undefined;
        const previousRound = previousId === undefined ? undefined : await repositories.rounds.findRound(previousId);
        const tasks = await repositories.leaders.listTasks(round?.id ?? null, taskIds);
        const ids = tasks.map((task) => task.id);
        const [units, answers, previousAnswers, submissions] = await Promise.all([
          repositories.leaders.listUnitsOfTasks(ids),
          round ? repositories.roundWork.listAnswersOfTasks(round.id, ids) : [],
          previousRound ? repositories.roundWork.listAnswersOfTasks(previousRound.id, ids) : [],
          round ? repositories.roundWork.listSubmissions(round.id) : [],
        ]);
        return presentPortfolio({
          leader: leader.name,
          round,
          previousRound,
          tasks,
          places: await placesOf(repositories, round, tasks),
          units,
          answers,
          previousAnswers,
          states: new Map(submissions.map((s) => [s.unit_id, s.state])),
          // Late: submitted after its deadline, or still not in after it (the unit's own deadline when extended).
          late: new Set(
            submissions
              .filter((s) => {
                const deadline = s.deadline ?? round?.deadline ?? null;
                const overdue = round?.status === 'open' && deadline !== null && current.getTime() > deadlineTime(deadline);
                return Number(s.submitted_late) === 1 || (overdue && PENDING_STATES.includes(s.state));
              })
              .map((s) => s.unit_id),
          ),
        });
      });
    },
  };
}

export type LeaderService = ReturnType<typeof createLeaderService>;
