import type { TaskPlace } from '../insights/types.ts';
import type { ProgressStatus } from '../limits.ts';

/** GET /api/leaders/me/portfolio: 我分管的, the tasks a leader is 牵头领导 of. */
export interface LeaderPortfolioView {
  /** The leader's name as the plans write it. */
  leader: string;
  /** The latest open round over these tasks, else the latest round; null when there is none. */
  round: PortfolioRoundView | null;
  /** The round before `round` in the same plan, to compare with. */
  previousRound: PortfolioRoundView | null;
  /** Lagging (滞后 / 暂缓) first, then in the plan's order. */
  tasks: PortfolioTaskView[];
}

export interface PortfolioRoundView {
  id: number;
  planId: number;
  label: string;
  status: string;
  deadline: string | null;
}

export interface PortfolioTaskView {
  taskId: number;
  /** Its stored position in the whole plan: the order of the list, never printed. */
  position: number;
  /**
   * Where the plan prints it (二.(二).4: chapter, section, 1-based index in the section among the
   * round's tasks), as the insight page and the dashboards cite it; null when there is no round.
   */
  place: TaskPlace | null;
  text: string;
  /** The task's status this round: the worst of its units' answers (滞后 before 暂缓 before …). */
  status: ProgressStatus | null;
  previousStatus: ProgressStatus | null;
  /** 滞后 or 暂缓 this round. */
  lagging: boolean;
  units: PortfolioUnitView[];
}

export interface PortfolioUnitView {
  unitId: number;
  unitName: string;
  role: 'lead' | 'co';
  /** The unit's submission state this round (not_started … accepted); null when the round has no row for it. */
  state: string | null;
  status: ProgressStatus | null;
  previousStatus: ProgressStatus | null;
  /** Submitted after its deadline (逾期), or not submitted although it has passed; the unit's own deadline when the office extended it. */
  late: boolean;
  /** Not submitted yet (not_started, draft or returned). */
  pending: boolean;
}
