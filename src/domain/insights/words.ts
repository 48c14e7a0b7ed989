import type { FindingKind, IndicatorVerdict } from './types.ts';

/**
 * The one vocabulary of insight (issue 15): the insight page, the review badges, the leaders'
 * dashboards, the 考核 page and its Excel file, and the CLI summary all name findings and verdicts
 * from here, so a person reading one finds the same words in the others.
 */

/** A finding by kind, as the insight page tags it. */
export const FINDING_KIND_LABELS: Record<FindingKind, string> = {
  arithmetic: '数字核对',
  indicator: '指标',
  stale: '沿用未更新',
  duplicate: '重复答复',
  no_new_facts: '无新内容',
  silent_unit: '未发声单位',
};

/** Findings counted: of the arithmetic only what does not hold is counted, hence 数字不一致. */
export const FINDING_COUNT_LABELS: Record<FindingKind, string> = { ...FINDING_KIND_LABELS, arithmetic: '数字不一致' };

/** An indicator's verdict against its path. */
export const VERDICT_LABELS: Record<IndicatorVerdict, string> = {
  on_track: '符合进度',
  behind: '落后于进度',
  basis_differs: '口径不同',
  no_actual: '未报实际值',
};

/** The office asking a unit to explain a finding. */
export const EXPLAIN_LABEL = '请说明';

/**
 * A unit's counts in the 考核 (page and Excel): the findings' words said of one unit — it is 未发声
 * on a task, its confirmed indicators are 指标滞后.
 */
export const EVALUATION_COUNT_LABELS = {
  stale: FINDING_KIND_LABELS.stale,
  noNewFacts: FINDING_KIND_LABELS.no_new_facts,
  silent: '未发声',
  arithmeticErrors: FINDING_COUNT_LABELS.arithmetic,
  indicatorsBehind: '指标滞后',
  explanations: EXPLAIN_LABEL,
} as const;
