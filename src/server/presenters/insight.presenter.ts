import type { ActualDecisionView, IndicatorDecisionView } from '../../domain/api/insight-decision-view.ts';
import type { ExplanationView, RoundInsightsView } from '../../domain/api/insight-view.ts';
import type { Finding, FindingKind, IndicatorActual, IndicatorTarget } from '../../domain/insights/types.ts';
import type { ActualDecisionRow, IndicatorDecisionRow } from '../db/schema-insights.ts';
import type { RoundFindings } from '../services/insight.service.ts';

/** Every kind of finding, in the order the pages and the counts list them (the routes' enum too). */
export const FINDING_KINDS = ['arithmetic', 'indicator', 'stale', 'duplicate', 'no_new_facts', 'silent_unit'] as const satisfies readonly FindingKind[];

/** Findings per kind; `arithmetic` counts only the relations that do not hold (the page's and the dashboard's badge). */
export function countFindingKinds(findings: readonly Finding[]): Record<FindingKind, number> {
  const counts = Object.fromEntries(FINDING_KINDS.map((kind) => [kind, 0])) as Record<FindingKind, number>;
  for (const finding of findings) if (finding.kind !== 'arithmetic' || !finding.ok) counts[finding.kind] += 1;
  return counts;
}

/**
 * GET /api/rounds/:roundId/insights: the engine's findings as given, each with its chapter's title
 * and the task's leaders (for the page's filters), counted by kind; with the round's open requests
 * for an explanation (explanation.service.ts openExplanationsIn).
 */
export function presentRoundInsights(found: RoundFindings, explanations: ExplanationView[] = []): RoundInsightsView {
  const leadersOf = new Map(found.tasks.map((task) => [task.id, task.leaders]));
  const arithmetic = found.findings.filter((finding) => finding.kind === 'arithmetic');
  return {
    format: 'diaodu.insights/1',
    round: found.round.label,
    previousRound: found.previous?.label ?? null,
    roundId: found.round.id,
    planId: found.round.planId,
    counts: countFindingKinds(found.findings),
    arithmetic: { checked: arithmetic.length, confirmed: arithmetic.filter((finding) => finding.ok).length },
    findings: found.findings.map((finding) => ({
      ...finding,
      chapterTitle: found.chapterTitles.get(finding.taskId) ?? '',
      leaders: leadersOf.get(finding.taskId) ?? [],
    })),
    explanations,
  };
}

/** `npx diaodu insights --json`: the contract of issue 15, the findings exactly as the engine gives them. */
export function presentInsightsDocument(found: RoundFindings) {
  return { format: 'diaodu.insights/1' as const, round: found.round.label, previousRound: found.previous?.label ?? null, findings: found.findings };
}

export function presentIndicatorDecision(taskId: number, row: IndicatorDecisionRow): IndicatorDecisionView {
  return {
    taskId,
    taskLineage: row.task_lineage,
    key: row.key,
    state: row.state as IndicatorDecisionView['state'],
    name: row.name,
    target: row.target === null ? null : (JSON.parse(row.target) as IndicatorTarget),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
  };
}

export function presentActualDecision(taskId: number, row: ActualDecisionRow): ActualDecisionView {
  return {
    roundId: row.round_id,
    taskId,
    taskLineage: row.task_lineage,
    key: row.key,
    unitId: row.unit_id,
    state: row.state as ActualDecisionView['state'],
    actual: row.actual === null ? null : (JSON.parse(row.actual) as IndicatorActual),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
  };
}
