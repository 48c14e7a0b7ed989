import type { TrafficLight } from './round-view.ts';

/**
 * 全省汇总 (decision 030): what the province's supervisor reads across organisations. Counts
 * only: no plan's tasks, no answer's text, no draft, no person. GET /api/province/rollup.
 */
export interface ProvinceRollUpView {
  /** When the figures were read (each organisation's row says when its own were). */
  readAt: string;
  /** One row per organisation that is not archived, the home organisation first. */
  organisations: OrganisationRollUpView[];
}

export interface OrganisationRollUpView {
  code: string;
  name: string;
  plans: {
    /** 分工方案 stored. */
    total: number;
    /** Of them, those with a round open now (调度中). */
    active: number;
  };
  /** The latest open round, else the latest closed or imported one; null: no round yet. */
  round: RoundFiguresView | null;
  /** When this organisation's figures were read. */
  readAt: string;
}

/** GET /api/province/organisations/:code/rounds — the same figures for each round (drill-down). */
export interface OrganisationRoundsView {
  organisation: { code: string; name: string };
  /** Every round but voided ones, newest first. */
  rounds: RoundFiguresView[];
  readAt: string;
}

/**
 * One round's figures. An imported round (导入: from a document, nobody submitted in the app)
 * has its label and deadline only: every figure is null, never invented.
 */
export interface RoundFiguresView {
  roundId: number;
  label: string;
  deadline: string | null;
  /** The organisation's clock (its profile's time zone, else the deployment's): its deadline is shown on it, not the reader's. */
  timeZone: string;
  status: 'open' | 'closed' | 'imported';
  /** Units expected to answer (collective names such as 各处(室) excluded). */
  units: number | null;
  /** Submitted before the unit's deadline. */
  onTime: number | null;
  /** Submitted after it (逾期). */
  late: number | null;
  /** Not submitted: untouched, drafts, returned. */
  notSubmitted: number | null;
  /** onTime / units, between 0 and 1 (null: no units, or imported). */
  onTimeRate: number | null;
  /** The units' traffic lights as the office's 调度看板 shows them now. */
  lights: Record<TrafficLight, number> | null;
  /** Submitted or accepted answers marked 滞后 (a draft counts only once submitted). */
  lagging: number | null;
  /** Submitted or accepted answers marked 暂缓. */
  suspended: number | null;
}
