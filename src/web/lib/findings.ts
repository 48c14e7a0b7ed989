import { toChineseNumeral } from '../../domain/chinese-numerals.ts';
import type { ActualBasis, Finding, FindingKind, IndicatorBound, IndicatorTarget, TaskPlace } from '../../domain/insights/types.ts';
import { EVALUATION_COUNT_LABELS, EXPLAIN_LABEL, FINDING_COUNT_LABELS, FINDING_KIND_LABELS, VERDICT_LABELS } from '../../domain/insights/words.ts';

/**
 * How the web app words the insight engine's findings (issue 15): the insight page, the badges on
 * the review screens and the 请说明 messages read them from here, so one finding is named alike
 * everywhere.
 */

/** 一.(一).3: chapter, section and the task's position in its section, as the plan is cited. */
export function placeLabel(place: TaskPlace): string {
  const numeral = (n: number) => (Number.isInteger(n) && n >= 0 && n < 1000 ? toChineseNumeral(n) : String(n));
  return `${numeral(place.chapter)}.(${numeral(place.section)}).${place.index}`;
}

/** The words themselves live in the domain (src/domain/insights/words.ts): the Excel file and the CLI say them too. */
export { EVALUATION_COUNT_LABELS, EXPLAIN_LABEL, FINDING_COUNT_LABELS, FINDING_KIND_LABELS, VERDICT_LABELS };

export const FINDING_KINDS: FindingKind[] = ['arithmetic', 'indicator', 'stale', 'duplicate', 'no_new_facts', 'silent_unit'];

export const BASIS_LABELS: Record<ActualBasis, string> = {
  level: '当期水平',
  vs_base_year: '较基准年',
  year_on_year: '同比',
  cumulative: '累计',
};

export const BOUND_LABELS: Record<IndicatorBound, string> = {
  at_least: '以上',
  at_most: '以下',
  exactly: '恰为',
};

const RELATION_LABELS = { sum: '合计与分项', ratio: '占比', count: '计数' } as const;

/** 72.4 → "72.4", 0.1 + 0.2 → "0.3": a figure as people write it. */
export function figure(value: number): string {
  return String(Number(value.toFixed(4)));
}

/** The target as a sentence: 比 2015 年下降 20% 以上（到 2020 年）, 达到 82% 以上（到 2020 年）. */
export function targetLabel(target: IndicatorTarget): string {
  const amount = `${figure(target.value)}${target.unit}`;
  const bound = target.bound === 'exactly' ? '' : BOUND_LABELS[target.bound];
  const core =
    target.baseYear !== null
      ? `比 ${target.baseYear} 年${target.direction === 'up' ? '提高' : '下降'} ${amount}${bound}${target.baseValue !== null ? `（基准值 ${figure(target.baseValue)}）` : ''}`
      : `${target.direction === 'up' ? '达到' : '控制在'} ${amount}${bound}`;
  return `${target.period === 'year' ? '年均' : ''}${core}${target.byYear !== null ? `（到 ${target.byYear} 年）` : ''}`;
}

/**
 * Red on the page and worth a 请说明: failed arithmetic, a confirmed indicator behind, a stale or
 * hollow answer, a silent unit. A proposed indicator is the engine's reading, not yet the office's:
 * nothing counts until confirmed (issue 15), so it is never red.
 */
export function needsAttention(finding: Finding): boolean {
  switch (finding.kind) {
    case 'arithmetic':
      return !finding.ok;
    case 'indicator':
      return finding.status === 'confirmed' && finding.verdict === 'behind';
    case 'stale':
    case 'no_new_facts':
    case 'silent_unit':
      return true;
    case 'duplicate':
      return false;
  }
}

/** 97% for a similarity of 0.97. */
export function percent(similarity: number): string {
  return `${Math.round(similarity * 100)}%`;
}

/**
 * The short badge beside an answer on the review screens (数字不一致, 指标滞后 …); null when there is
 * nothing to flag — also for an indicator the office has not confirmed (it is on the insight page to decide).
 */
export function badgeLabel(finding: Finding): string | null {
  switch (finding.kind) {
    case 'arithmetic':
      return finding.ok ? null : FINDING_COUNT_LABELS.arithmetic;
    case 'indicator':
      if (finding.status !== 'confirmed') return null;
      return finding.verdict === 'behind'
        ? EVALUATION_COUNT_LABELS.indicatorsBehind
        : finding.verdict === 'basis_differs'
          ? '指标口径不同'
          : finding.verdict === 'no_actual'
            ? '指标未报告'
            : null;
    case 'stale':
      return FINDING_KIND_LABELS.stale;
    case 'duplicate':
      return '与他项重复';
    case 'no_new_facts':
      return FINDING_KIND_LABELS.no_new_facts;
    case 'silent_unit':
      return EVALUATION_COUNT_LABELS.silent;
  }
}

/** One line saying what was found, for a tooltip and for the pre-filled 请说明 message. */
export function findingSummary(finding: Finding): string {
  switch (finding.kind) {
    case 'arithmetic':
      return `${RELATION_LABELS[finding.relation]}核对${finding.ok ? '一致' : '不一致'}：“${finding.quote}”，所写 ${finding.stated}，重新计算为 ${finding.computed}`;
    case 'indicator': {
      const actual = finding.actual
        ? `报告值 ${figure(finding.actual.value)}${finding.actual.unit}（${BASIS_LABELS[finding.actual.basis]}）`
        : '本轮未报告实际值';
      const expected = finding.expected !== null ? `，按进度应达 ${figure(finding.expected)}${finding.target.unit}` : '';
      return `指标“${finding.name}”目标${targetLabel(finding.target)}；${actual}${expected}；${VERDICT_LABELS[finding.verdict]}`;
    }
    case 'stale':
      return `与${finding.against}的答复相似度 ${percent(finding.similarity)}${finding.copiedUnchanged ? '（沿用上轮，未修改）' : ''}`;
    case 'duplicate':
      return `与 ${placeLabel(finding.other)}${finding.otherUnit ? `（${finding.otherUnit}）` : ''}的答复相似度 ${percent(finding.similarity)}`;
    case 'no_new_facts':
      return `答复中没有数字、日期、文号或具体项目：“${finding.quote}”`;
    case 'silent_unit':
      return `${finding.unit ?? '该单位'}是本任务的责任单位，本轮未报送推进情况`;
  }
}

/** The message the office sends with 请说明, which it may edit before sending. */
export function explanationMessage(finding: Finding, round: string): string {
  const where = `${round}任务 ${placeLabel(finding.task)} `;
  switch (finding.kind) {
    case 'arithmetic':
      return `${where}的推进情况中“${finding.quote}”所写 ${finding.stated}，按所列数字计算为 ${finding.computed}，请核实并说明。`;
    case 'indicator':
      return `${where}的指标“${finding.name}”${finding.actual ? `报告值 ${figure(finding.actual.value)}${finding.actual.unit}` : '本轮未报告实际值'}，${finding.expected !== null ? `按进度应达 ${figure(finding.expected)}${finding.target.unit}，` : ''}进度滞后于目标${targetLabel(finding.target)}，请说明原因及下一步措施。`;
    case 'stale':
      return `${where}的推进情况与${finding.against}基本相同（相似度 ${percent(finding.similarity)}），请说明本期的新进展。`;
    case 'no_new_facts':
      return `${where}的推进情况没有具体数字、时间、文件或项目，请补充说明本期的具体进展。`;
    case 'silent_unit':
      return `${where}列${finding.unit ?? '贵单位'}为责任单位，本轮未报送推进情况，请说明本单位承担部分的进展。`;
    case 'duplicate':
      return `${where}的推进情况与 ${placeLabel(finding.other)} 的相同，请说明本任务的具体进展。`;
  }
}

/**
 * 考核's 按时报送 in words: 按时, 逾期; no answer either way is 导入轮次 in an imported round (nobody
 * submitted in the app), and 尚未报送 in a live one (not in yet, its deadline still ahead).
 */
export function onTimeLabel(onTime: boolean | null, roundStatus: string | undefined): string {
  if (onTime !== null) return onTime ? '按时' : '逾期';
  if (roundStatus === undefined) return '—'; // the round is still being read
  return roundStatus === 'imported' ? '导入轮次' : '尚未报送';
}
