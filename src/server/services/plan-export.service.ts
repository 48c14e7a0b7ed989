import type { Actor } from '../../domain/actor.ts';
import { invalid, notFound } from '../../domain/errors.ts';
import type { PlanDocument } from '../../domain/plan-document.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { PlanRow, RoundRow } from '../db/schema.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { buildRoundDocument, loadPlanSnapshot } from './plan-snapshot.ts';
import { audit } from './audit-writer.ts';

export type ExportOptions = { roundLabel?: string; planId?: number };

/**
 * Gives a stored plan and one of its rounds back as `diaodu.plan/1`. Importing a document
 * and exporting it yields the same JSON text: that is how we know nothing was lost.
 */
export function createPlanExportService(deps: { database: Database; now?: () => Date }) {
  const { database } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  async function exportDocument(actor: Actor, options: ExportOptions = {}): Promise<PlanDocument> {
    const { document, plan, round } = await inReadTransaction(database, async (repositories) => {
      const { plan, round } = await findPlanRound(repositories, options);
      const snapshot = await loadPlanSnapshot(repositories, plan);
      return { document: await buildRoundDocument(repositories, snapshot, round), plan, round };
    });

    // Exports are audited (docs/QUALITY): who took which round out of the system.
    await inTransaction(database, (repositories) =>
      audit(repositories, actor, now(), {
        action: 'plan.export',
        objectType: 'plan',
        objectId: plan.id,
        result: 'exported',
        detail: { roundId: round.id, roundLabel: round.label, format: document.format },
      }),
    );
    return document;
  }

  return { exportDocument };
}

export type PlanExportService = ReturnType<typeof createPlanExportService>;

/**
 * The plan and round an export names: the plan by id (or the only one stored), the round by label
 * (or the latest). Errors name what is stored, so the operator can pick. The document exports of
 * the CLI find their round the same way.
 */
export async function findPlanRound(repositories: Repositories, options: ExportOptions = {}): Promise<{ plan: PlanRow; round: RoundRow }> {
  const { planId, roundLabel } = options;
  if (planId !== undefined && (!Number.isSafeInteger(planId) || planId < 1)) throw invalid('plan_id_invalid', `分工方案编号应为正整数：${planId}`, { planId });
  const plan = planId !== undefined ? await repositories.plans.findPlanById(planId) : await onlyPlan();
  if (!plan) throw notFound('plan_not_found', `没有编号为 ${planId} 的分工方案`, { planId });
  const rounds = await repositories.rounds.listRoundsOfPlan(plan.id);
  const round = roundLabel !== undefined ? rounds.find((candidate) => candidate.label === roundLabel) : latestRound(rounds);
  if (!round) {
    const labels = rounds.map((candidate) => candidate.label);
    const known = labels.length ? labels.map((label) => `“${label}”`).join('、') : '（无）';
    throw notFound(
      'round_not_found',
      roundLabel !== undefined ? `分工方案《${plan.title}》没有调度“${roundLabel}”，已有：${known}` : `分工方案《${plan.title}》还没有调度`,
      { planId: plan.id, roundLabel, available: labels },
    );
  }
  return { plan, round };

  async function onlyPlan() {
    const plans = await repositories.plans.listPlans();
    if (plans.length === 0) throw notFound('plan_not_found', '还没有导入任何分工方案');
    if (plans.length > 1) {
      const list = plans.map((candidate) => `${candidate.id}《${candidate.title}》`).join('、');
      throw invalid('plan_ambiguous', `有多个分工方案，请指定编号：${list}`, {
        plans: plans.map((candidate) => ({ id: candidate.id, title: candidate.title, docNumber: candidate.doc_number })),
      });
    }
    return plans[0];
  }
}

/** The round with the latest period end; rounds without a period count as oldest; ties go to the newest. */
function latestRound(rounds: readonly RoundRow[]): RoundRow | undefined {
  let latest: RoundRow | undefined;
  for (const round of rounds) {
    if (!latest || (round.period_end ?? '') >= (latest.period_end ?? '')) latest = round;
  }
  return latest;
}
