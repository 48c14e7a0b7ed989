import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding, IndicatorFinding } from '../../domain/insights/types.ts';
import { badgeLabel, explanationMessage, findingSummary, needsAttention, onTimeLabel, placeLabel, targetLabel } from './findings.ts';

const base = { task: { chapter: 1, section: 1, index: 3 }, taskId: 7, unit: '水处', unitId: 3 };

const indicator = (
  verdict: IndicatorFinding['verdict'],
  actual: IndicatorFinding['actual'],
  status: IndicatorFinding['status'] = 'confirmed',
): IndicatorFinding => ({
  ...base,
  kind: 'indicator',
  key: 'k1',
  name: '地表水优良水质断面比例',
  target: { value: 82, unit: '%', direction: 'up', bound: 'at_least', baseYear: null, baseValue: null, byYear: 2020, period: null },
  targetQuote: '地表水优良水质断面比例达到 82% 以上',
  actual,
  actualStatus: actual === null ? null : 'confirmed',
  expected: 80.5,
  verdict,
  status,
});

/** How the web app words a finding: the place, the badge, what is red, the 请说明 text. */
describe('findings wording', () => {
  it('prints a task place as the plan cites it', () => {
    assert.equal(placeLabel({ chapter: 1, section: 1, index: 3 }), '一.(一).3');
    assert.equal(placeLabel({ chapter: 12, section: 2, index: 14 }), '十二.(二).14');
  });

  it('words a target with its bound, base year and year', () => {
    assert.equal(targetLabel(indicator('behind', null).target), '达到 82%以上（到 2020 年）');
    assert.equal(
      targetLabel({ value: 20, unit: '%', direction: 'down', bound: 'at_least', baseYear: 2015, baseValue: null, byYear: 2020, period: 'year' }),
      '年均比 2015 年下降 20%以上（到 2020 年）',
    );
  });

  it('reds failed arithmetic, a behind indicator, stale, hollow and silent; quiet for the rest', () => {
    const ratio = (ok: boolean): Finding => ({
      ...base,
      kind: 'arithmetic',
      relation: 'ratio',
      quote: '87 个国家断面有 63 个…占比 72.4%',
      stated: '72.4%',
      computed: '72.41%',
      ok,
    });
    assert.equal(needsAttention(ratio(true)), false);
    assert.equal(badgeLabel(ratio(true)), null, 'a relation that holds gets no badge');
    assert.equal(needsAttention(ratio(false)), true);
    assert.equal(badgeLabel(ratio(false)), '数字不一致');
    assert.match(findingSummary(ratio(true)), /占比核对一致：“87 个国家断面有 63 个…占比 72.4%”，所写 72.4%，重新计算为 72.41%/);
    assert.equal(needsAttention(indicator('behind', null)), true);
    assert.equal(badgeLabel(indicator('behind', null)), '指标滞后');
    assert.equal(needsAttention(indicator('behind', null, 'proposed')), false, 'a proposed indicator counts for nothing until confirmed');
    assert.equal(badgeLabel(indicator('behind', null, 'proposed')), null);
    assert.equal(badgeLabel(indicator('basis_differs', null, 'proposed')), null);
    assert.equal(badgeLabel(indicator('basis_differs', null)), '指标口径不同');
    assert.equal(needsAttention(indicator('on_track', null)), false);
    assert.equal(needsAttention(indicator('no_actual', null)), false);
    assert.equal(needsAttention({ ...base, kind: 'stale', similarity: 0.97, against: '2017年第二季度', copiedUnchanged: false }), true);
    assert.equal(needsAttention({ ...base, kind: 'silent_unit' }), true);
    assert.equal(
      needsAttention({ ...base, kind: 'duplicate', other: { chapter: 2, section: 1, index: 1 }, otherTaskId: 9, otherUnit: null, similarity: 1 }),
      false,
    );
  });

  it('pre-fills a 请说明 with the round, the place and the figures', () => {
    const stale: Finding = { ...base, kind: 'stale', similarity: 0.97, against: '2017年第二季度', copiedUnchanged: true };
    assert.equal(
      explanationMessage(stale, '2017年第三季度'),
      '2017年第三季度任务 一.(一).3 的推进情况与2017年第二季度基本相同（相似度 97%），请说明本期的新进展。',
    );
    const behind = indicator('behind', { value: 72.4, unit: '%', basis: 'level', months: null, baseYear: null, quote: '占比 72.4%' });
    assert.match(
      explanationMessage(behind, '2017年第三季度'),
      /指标“地表水优良水质断面比例”报告值 72.4%，按进度应达 80.5%，进度滞后于目标达到 82%以上（到 2020 年）/,
    );
  });

  it('words 按时报送 in 考核: 导入轮次 only for an imported round; a live round’s unit not in yet is 尚未报送', () => {
    assert.deepEqual(
      [onTimeLabel(true, 'open'), onTimeLabel(false, 'closed'), onTimeLabel(null, 'imported'), onTimeLabel(null, 'open'), onTimeLabel(null, undefined)],
      ['按时', '逾期', '导入轮次', '尚未报送', '—'],
    );
  });
});
