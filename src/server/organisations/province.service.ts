import type { Actor } from '../../domain/actor.ts';
import type { OrganisationRollUpView, OrganisationRoundsView, ProvinceRollUpView, RoundFiguresView } from '../../domain/api/province-view.ts';
import { notFound } from '../../domain/errors.ts';
import { ProvinceLimits, RoundLimits } from '../../domain/limits.ts';
import type { Database } from '../db/database.ts';
import type { OrganisationDirectory, OrganisationRecord } from './directory.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { RoundRecord } from '../db/repositories/round.repository.ts';
import { inReadTransaction } from '../db/transaction.ts';
import { assertCanReadRollUp } from '../policies/policy.ts';
import { presentOrganisationRollUp, presentRoundFigures } from '../presenters/province.presenter.ts';
import { roundStatisticsIn } from '../services/round-statistics.service.ts';
import { lightOf } from '../services/round.service.ts';
import { timeZoneIn } from '../services/organisation-words.ts';
import { DEFAULT_TIME_ZONE } from '../../domain/dates.ts';

/**
 * What the roll-up needs of the organisation directory: its organisations, home first, and each
 * one's store, open and migrated. Tests build one over two stores (province-test-directory.ts).
 */
export type ProvinceDirectory = Pick<OrganisationDirectory, 'list' | 'databaseOf'>;

export interface ProvinceServiceDeps {
  directory: ProvinceDirectory;
  now?: () => Date;
  /** The deployment's clock (DIAODU_TIME_ZONE) for an organisation whose profile sets none. */
  timeZone?: string;
  /** Days before the deadline when a unit turns yellow: the board's (RoundLimits.warnDays). */
  warnDays?: number;
}

/**
 * 全省汇总 (decision 030): the province's supervisor reads, for every organisation that is not
 * archived, its plans, its current round's figures (units, on time, late, not submitted, the
 * board's lights, 滞后 and 暂缓 answers that were submitted) — counts only, never a text — and,
 * for one organisation, the same figures for each of its rounds.
 *
 * The supervisor is checked first; then each store is read through its own repositories, with
 * the round statistics and the board's lights computed by the same code the office's pages use.
 * Organisations are read a few at a time (ProvinceLimits), each in one read transaction per
 * round, so the figures of one round agree with each other.
 */
/** The organisation the actor signed in to; null for the operator on the command line. */
type SignedInOrganisation = { home: boolean; code: string } | null;

export function createProvinceService(deps: ProvinceServiceDeps) {
  const { directory } = deps;
  const now = () => (deps.now ?? (() => new Date()))();
  const warnDays = deps.warnDays ?? RoundLimits.warnDays.default;

  /** One round's figures, read in one transaction of its store. */
  async function figuresOf(database: Database, round: RoundRecord, timeZone: string): Promise<RoundFiguresView> {
    if (round.status === 'imported') return presentRoundFigures(round, timeZone, null);
    const at = now();
    return inReadTransaction(database, async (repositories) => {
      const [statistics, submissions, flagged] = await Promise.all([
        roundStatisticsIn(repositories, round.id),
        repositories.roundWork.listSubmissions(round.id),
        repositories.roundStatistics.countFlaggedAnswers(round.id),
      ]);
      return presentRoundFigures(round, timeZone, { statistics, lights: submissions.map((submission) => lightOf(submission, round, at, warnDays)), flagged });
    });
  }

  /** Every plan and every round but voided ones, newest round first. */
  async function plansAndRounds(database: Database) {
    return inReadTransaction(database, async (repositories: Repositories) => {
      const [plans, timeZone] = await Promise.all([repositories.plans.listPlans(), timeZoneIn(repositories, deps.timeZone ?? DEFAULT_TIME_ZONE)]);
      const rounds = (await Promise.all(plans.map((plan) => repositories.rounds.listRoundsOfPlan(plan.id))))
        .flat()
        .filter((round) => round.status !== 'void')
        .sort((a, b) => b.id - a.id);
      return { plans, rounds, timeZone };
    });
  }

  async function rowOf(organisation: OrganisationRecord): Promise<OrganisationRollUpView> {
    const database = await directory.databaseOf(organisation.id);
    const { plans, rounds, timeZone } = await plansAndRounds(database);
    const open = rounds.filter((round) => round.status === 'open');
    const current = open[0] ?? rounds.find((round) => round.status === 'closed' || round.status === 'imported') ?? null;
    const active = new Set(open.map((round) => round.plan_id)).size;
    const round = current ? await figuresOf(database, current, timeZone) : null;
    // An archived plan (归档, last year's) is no longer the organisation's work: not counted.
    const total = plans.filter((plan) => plan.archived_at === null).length;
    return presentOrganisationRollUp(organisation, { total, active }, round, now().toISOString());
  }

  async function organisationOf(code: string): Promise<OrganisationRecord> {
    const organisation = (await directory.list()).find((each) => each.code === code && each.archivedAt === null);
    if (!organisation) throw notFound('organisation_not_found', `单位“${code}”不存在或已归档`, { code });
    return organisation;
  }

  return {
    /** One row per organisation that is not archived, home first (the directory's order). */
    async rollUp(actor: Actor, from: SignedInOrganisation): Promise<ProvinceRollUpView> {
      assertCanReadRollUp(actor, from);
      const readAt = now().toISOString();
      const organisations = (await directory.list()).filter((organisation) => organisation.archivedAt === null);
      return { readAt, organisations: await mapBounded(organisations, ProvinceLimits.concurrentOrganisations, rowOf) };
    },

    /** The figures of each round of one organisation (by its code), newest first. */
    async organisationRounds(actor: Actor, from: SignedInOrganisation, code: string): Promise<OrganisationRoundsView> {
      assertCanReadRollUp(actor, from);
      const readAt = now().toISOString();
      const organisation = await organisationOf(code);
      const database = await directory.databaseOf(organisation.id);
      const { rounds, timeZone } = await plansAndRounds(database);
      const figures = await mapBounded(rounds, ProvinceLimits.concurrentOrganisations, (round) => figuresOf(database, round, timeZone));
      return { organisation: { code: organisation.code, name: organisation.name }, rounds: figures, readAt };
    },
  };
}

export type ProvinceService = ReturnType<typeof createProvinceService>;

/** `work` over each item, at most `limit` at a time; results in the items' order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
