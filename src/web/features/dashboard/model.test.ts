import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IndicatorSeriesView, PlanDashboardView } from '../../../domain/api/insight-view.ts';
import type { LeaderPortfolioView } from '../../../domain/api/leader-view.ts';
import {
  completionOption,
  FINDING_LABELS,
  VERDICT_LABELS,
  niceStep,
  describeHeatMap,
  describeTarget,
  heatMapData,
  heatMapOption,
  NOT_YET,
  indicatorOption,
  myCounts,
  placeLabel,
  roundPosition,
  VERDICT_COLORS,
} from './model.ts';
import * as insightWords from '../../lib/findings.ts';

const group = (name: string, counts: Partial<Record<'total' | 'answered' | 'green' | 'yellow' | 'red' | 'none', number>>) => ({
  name,
  total: 0,
  answered: 0,
  green: 0,
  yellow: 0,
  red: 0,
  none: 0,
  ...counts,
});

describe('dashboard model', () => {
  it('stacks green, yellow, red and none per group, the first group on top, each named with answered/total', () => {
    const option = completionOption([
      group('环评处', { total: 4, answered: 3, green: 2, red: 1, none: 1 }),
      group('水处', { total: 2, answered: 2, yellow: 2 }),
    ]);
    assert.deepEqual(option.yAxis.data, ['水处  2/2', '环评处  3/4']);
    assert.deepEqual(
      option.series.map((s) => s.name),
      ['正常推进', '未启动', '滞后或暂缓', '未报或未标注'],
    );
    assert.deepEqual(
      option.series.map((s) => s.data),
      [
        [0, 2],
        [2, 0],
        [0, 1],
        [0, 1],
      ],
    );
    assert.ok(option.series.every((s) => s.stack === 'answers'));
    assert.deepEqual(
      completionOption([group('四、实施污染防治“三大战役”，打好污染防治攻坚战', {})]).yAxis.data,
      ['四、实施污染防治“三大战役”  0/0'],
      'a chapter up to its first comma',
    );
    assert.equal(completionOption([group('一二三四五六七八九十一二三四五六', {})]).yAxis.data[0], '一二三四五六七八九十一二三…  0/0');
    assert.equal(option.series[0]!.label.formatter({ value: 0 }), '', 'an empty segment has no label');
    assert.equal(option.series[0]!.label.formatter({ value: 2 }), '2');
    const wide = completionOption([group('生态处', { total: 60, none: 60 })]);
    assert.equal(wide.series[0]!.label.formatter({ value: 2 }), '', 'a segment too narrow for its figure has none (the tooltip has it)');
  });

  it('places an actual at the end of its period, else of the quarter its label names', () => {
    assert.equal(roundPosition('2017-06-30', '2017年第二季度'), 2017.5);
    assert.equal(roundPosition(null, '2017年第三季度'), 2017.75);
    assert.equal(roundPosition(null, '2018年上半年'), 2018.5);
    assert.equal(roundPosition(null, '第三轮'), null);
  });

  it('draws the path dashed, the target as a line and each actual in its verdict colour; an actual without a value is not drawn', () => {
    const series: IndicatorSeriesView = {
      taskId: 3,
      task: { chapter: 1, section: 1, index: 3 },
      key: 'k',
      name: '地表水优良水质断面比例',
      target: { value: 82, unit: '%', direction: 'up', bound: 'at_least', baseYear: null, baseValue: null, byYear: 2020, period: null },
      path: [
        { year: 2016, value: 70 },
        { year: 2020, value: 82 },
      ],
      actuals: [
        { round: '2017年第二季度', periodEnd: '2017-06-30', value: 72.4, basis: 'level', verdict: 'behind' },
        { round: '2017年第三季度', periodEnd: null, value: null, basis: null, verdict: 'no_actual' },
      ],
    };
    const option = indicatorOption(series);
    const [path, actuals] = option.series;
    assert.equal(path!.lineStyle!.type, 'dashed');
    assert.deepEqual(path!.data, [
      [2016, 70],
      [2020, 82],
    ]);
    assert.deepEqual(path!.markLine!.data, [{ yAxis: 82 }]);
    assert.deepEqual(actuals!.data, [{ value: [2017.5, 72.4], itemStyle: { color: VERDICT_COLORS.behind, borderColor: '#fff', borderWidth: 1 } }]);
    assert.equal(option.xAxis.min, 2016);
    assert.equal(option.xAxis.max, 2020);

    // A fall against a base year: the path runs from 0 down to −20, and so does the target line.
    const fall = indicatorOption({
      ...series,
      target: { value: 20, unit: '%', direction: 'down', bound: 'at_least', baseYear: 2015, baseValue: null, byYear: 2020, period: 'year' },
      path: [
        { year: 2015, value: 0 },
        { year: 2020, value: -20 },
      ],
    });
    assert.deepEqual(fall.series[0]!.markLine!.data, [{ yAxis: -20 }]);
    assert.equal(fall.series[0]!.markLine!.label.formatter, '目标：下降 20%');
    assert.equal(fall.yAxis.name, '较 2015 年（%）');
  });

  it('fills the heat map unit by round, leaving rounds a unit was not asked in empty', () => {
    const heatMap: PlanDashboardView['heatMap'] = {
      units: ['环评处', '水处'],
      rounds: ['2017年第二季度', '2017年第三季度'],
      cells: [
        { unit: '环评处', round: '2017年第二季度', score: 80.4, scoreState: 'scored', onTime: null, stale: 0, silent: 0 },
        { unit: '环评处', round: '2017年第三季度', score: 55, scoreState: 'scored', onTime: false, stale: 1, silent: 0 },
        { unit: '水处', round: '2017年第三季度', score: 100, scoreState: 'scored', onTime: true, stale: 0, silent: 0 },
      ],
    };
    assert.deepEqual(heatMapData(heatMap), [
      [0, 0, 80],
      [1, 0, 55],
      [0, 1, '-'],
      [1, 1, 100],
    ]);
    // The first unit on top: ECharts draws category 0 at the bottom.
    assert.deepEqual(heatMapOption(heatMap).yAxis.data, ['水处', '环评处']);
    assert.deepEqual(heatMapOption(heatMap).series[0]!.data[0], [0, 1, 80]);
    assert.match(describeHeatMap(heatMap), /环评处2017年第三季度 55 分/);
  });

  it('in an open round, a unit not yet due is 未报, not a red 0; once late or submitted it has its score', () => {
    const heatMap: PlanDashboardView['heatMap'] = {
      units: ['环评处', '水处', '规财处'],
      rounds: ['2017年第三季度'],
      cells: [
        { unit: '环评处', round: '2017年第三季度', score: null, scoreState: 'not_due', onTime: null, stale: 0, silent: 3 },
        { unit: '水处', round: '2017年第三季度', score: 100, scoreState: 'scored', onTime: true, stale: 0, silent: 0 },
        { unit: '规财处', round: '2017年第三季度', score: 0, scoreState: 'scored', onTime: false, stale: 0, silent: 2 },
      ],
    };
    assert.deepEqual(heatMapData(heatMap), [
      [0, 0, NOT_YET],
      [0, 1, 100],
      [0, 2, 0],
    ]);
    const option = heatMapOption(heatMap);
    assert.equal(option.tooltip.formatter({ value: [0, 2, NOT_YET] }), '环评处 · 2017年第三季度：尚未报送，未到截止时间');
    assert.equal(option.series[0]!.label.formatter({ value: [0, 2, NOT_YET] }), '未报');
    assert.ok(option.visualMap.pieces.some((piece) => 'value' in piece && piece.value === NOT_YET && piece.label === '未到截止时间'));
    assert.match(describeHeatMap(heatMap), /环评处2017年第三季度 尚未报送，水处2017年第三季度 100 分，规财处2017年第三季度 0 分/);
  });

  it('says a target and a place as the plan writes them', () => {
    assert.equal(placeLabel({ chapter: 2, section: 2, index: 4 }), '二.(二).4');
    assert.equal(
      describeTarget({ value: 20, unit: '%', direction: 'down', bound: 'at_least', baseYear: 2015, baseValue: null, byYear: 2020, period: 'year' }),
      '下降 20% 以上（比 2015 年，到 2020 年）',
    );
    assert.equal(
      describeTarget({ value: 82, unit: '%', direction: 'up', bound: 'at_least', baseYear: null, baseValue: null, byYear: 2020, period: null }),
      '达到 82% 以上（到 2020 年）',
    );
  });

  it('counts a leader’s lagging tasks, and the unit answers not reported and reported', () => {
    const unit = (pending: boolean, state: string | null, status: 'on_track' | null = null) => ({
      unitId: 1,
      unitName: '环评处',
      role: 'lead' as const,
      state,
      status,
      previousStatus: null,
      late: false,
      pending,
    });
    const task = (lagging: boolean, units: ReturnType<typeof unit>[]) => ({
      taskId: 1,
      position: 1,
      place: null,
      text: '',
      status: null,
      previousStatus: null,
      lagging,
      units,
    });
    const view: LeaderPortfolioView = {
      leader: '李岳东',
      round: null,
      previousRound: null,
      tasks: [
        task(true, [unit(true, 'draft'), unit(false, 'submitted')]),
        task(false, [unit(false, 'accepted'), unit(false, null), unit(false, null, 'on_track')]),
      ],
    };
    assert.deepEqual(myCounts(view), { lagging: 1, pending: 1, reported: 3 }, 'an imported answer with a status is reported');
  });

  it('cuts the count axis into three steps at the 大屏’s large type, four at a desk, on whole 1-2-5 steps', () => {
    assert.deepEqual([niceStep(51, 3), niceStep(51, 4), niceStep(3, 3), niceStep(175, 3), niceStep(0, 3)], [20, 20, 1, 100, 1]);
    const big = completionOption([group('四、实施污染防治“三大战役”', { total: 51, answered: 14, green: 14, none: 37 })], { fontSize: 18 }).xAxis;
    assert.deepEqual([big.min, big.max, big.interval], [0, 60, 20], 'labels 0, 20, 40, 60: four, not seven');
    const desk = completionOption([group('环评处', { total: 9, answered: 9, green: 9 })]).xAxis;
    assert.deepEqual([desk.max, desk.interval], [10, 5]);
  });

  it('words findings and verdicts as the insight page does, which the dashboard links to', () => {
    for (const kind of insightWords.FINDING_KINDS.filter((k) => k !== 'arithmetic')) assert.equal(FINDING_LABELS[kind], insightWords.FINDING_KIND_LABELS[kind]);
    assert.equal(FINDING_LABELS.arithmetic, '数字不一致', 'the insight page’s count card');
    assert.deepEqual(VERDICT_LABELS, insightWords.VERDICT_LABELS);
  });
});
