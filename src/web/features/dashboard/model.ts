import type { DashboardGroup, HeatMapCell, IndicatorSeriesView, PlanDashboardView } from '../../../domain/api/insight-view.ts';
import type { LeaderPortfolioView } from '../../../domain/api/leader-view.ts';
import { FINDING_COUNT_LABELS, placeLabel, VERDICT_LABELS } from '../../lib/findings.ts';
import type { FindingKind, IndicatorTarget, IndicatorVerdict } from '../../../domain/insights/types.ts';

/**
 * What the leader's dashboards draw, as plain data: the ECharts options are built here (no echarts
 * import, so this is tested fast and the charts chunk stays the only place the library lives).
 */

export type Light = 'green' | 'yellow' | 'red' | 'none';
export const LIGHTS: Light[] = ['green', 'yellow', 'red', 'none'];

/** What each light of a progress status means (DashboardGroup): not the submission lights of the chasing board. */
export const LIGHT_LABELS: Record<Light, string> = { green: '正常推进', yellow: '未启动', red: '滞后或暂缓', none: '未报或未标注' };
/** The app's traffic-light colours (components/TrafficLight), with dark labels on them: every fill is light enough. */
export const LIGHT_COLORS: Record<Light, string> = { green: '#52c41a', yellow: '#faad14', red: '#f5222d', none: '#d9d9d9' };
const LABEL_TEXT = '#1f1f1f';

/** Worded as on the insight page (src/web/lib/findings.ts): a leader follows one to the other. */
export { VERDICT_LABELS };
export const VERDICT_COLORS: Record<IndicatorVerdict, string> = { on_track: '#389e0d', behind: '#cf1322', basis_differs: '#d48806', no_actual: '#8c8c8c' };
/** antd Tag colours for the verdicts (theme-darkened shades, decision 021). */
export const VERDICT_TAGS: Record<IndicatorVerdict, string> = { on_track: 'success', behind: 'error', basis_differs: 'warning', no_actual: 'default' };

/** The insight page's names; its count of arithmetic is of the relations that do not hold, so 数字不一致 as there. */
export const FINDING_LABELS: Record<FindingKind, string> = FINDING_COUNT_LABELS;
export const FINDING_ORDER: FindingKind[] = ['arithmetic', 'indicator', 'stale', 'duplicate', 'no_new_facts', 'silent_unit'];

/** 一.(一).2 as the plan numbers a task: the one formatter of the web app (src/web/lib/findings.ts). */
export { placeLabel };

/** The answers of a set of groups, added up (the headline of a round). */
export function totals(groups: DashboardGroup[]): { total: number; answered: number; green: number; yellow: number; red: number; none: number } {
  const sum = { total: 0, answered: 0, green: 0, yellow: 0, red: 0, none: 0 };
  for (const g of groups) {
    sum.total += g.total;
    sum.answered += g.answered;
    sum.green += g.green;
    sum.yellow += g.yellow;
    sum.red += g.red;
    sum.none += g.none;
  }
  return sum;
}

export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 100);
}

/** A sentence for screen readers and tests: what a completion chart shows. */
export function describeGroups(groups: DashboardGroup[]): string {
  return groups.map((g) => `${g.name}：已报 ${g.answered}/${g.total}，${LIGHTS.map((l) => `${LIGHT_LABELS[l]} ${g[l]}`).join('，')}`).join('；');
}

/**
 * A bar's name short enough for the axis: a chapter's title up to its first comma
 * (一、牢固树立绿色发展理念，… → 一、牢固树立绿色发展理念), then at most `max` characters.
 */
export function shortName(name: string, max = 14): string {
  const head = name.split(/[，,；;]/)[0]!.trim() || name;
  return head.length > max ? `${head.slice(0, max - 1)}…` : head;
}

/** Pixel height a horizontal bar chart of `rows` bars needs to keep each label readable. */
export function barChartHeight(rows: number, rowHeight = 30): number {
  return Math.max(120, rows * rowHeight + 56);
}

/** The smallest whole 1, 2 or 5 × 10ⁿ step that cuts 0…max into at most `parts` steps. */
export function niceStep(max: number, parts: number): number {
  const raw = Math.max(1, max / parts);
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw)!;
}

/**
 * Completion and lights: one horizontal stacked bar per group (first group on top), green, yellow,
 * red, none with their counts on them; the axis names each group with answered/total.
 */
export function completionOption(groups: DashboardGroup[], options: { fontSize?: number } = {}) {
  const fontSize = options.fontSize ?? 12;
  const rows = [...groups].reverse();
  // A count is written on its segment only when the segment is wide enough to hold it (the tooltip has every count).
  const widest = Math.max(1, ...groups.map((g) => g.green + g.yellow + g.red + g.none));
  // Large type (the 大屏) gets three steps on the count axis, a desk four.
  const step = niceStep(widest, fontSize >= 16 ? 3 : 4);
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, itemWidth: 14, itemHeight: 14, textStyle: { fontSize, color: LABEL_TEXT }, data: LIGHTS.map((l) => LIGHT_LABELS[l]) },
    // Some room on the left: ECharts measures a label with full-width quotes (“三大战役”) a little short.
    grid: { left: fontSize + 4, right: 16, top: fontSize * 2 + 8, bottom: 8, containLabel: true },
    // Set ticks, not ECharts' own: at 18 px in the 大屏's narrow column its 0,10,…,60 ran together.
    xAxis: { type: 'value', min: 0, max: Math.ceil(widest / step) * step, interval: step, axisLabel: { fontSize, color: LABEL_TEXT } },
    yAxis: {
      type: 'category',
      data: rows.map((g) => `${shortName(g.name)}  ${g.answered}/${g.total}`),
      axisLabel: { fontSize, color: LABEL_TEXT },
    },
    series: LIGHTS.map((light) => ({
      name: LIGHT_LABELS[light],
      type: 'bar',
      stack: 'answers',
      barMaxWidth: fontSize * 2,
      itemStyle: { color: LIGHT_COLORS[light] },
      label: { show: true, color: LABEL_TEXT, fontSize, formatter: (p: { value: number }) => (p.value > 0 && p.value / widest >= 0.06 ? String(p.value) : '') },
      data: rows.map((g) => g[light]),
    })),
  };
}

const QUARTER_END: Record<string, number> = { 一: 3, 二: 6, 三: 9, 四: 12, '1': 3, '2': 6, '3': 9, '4': 12 };

/**
 * Where an actual sits on a chart's year axis: the end of the period it reports on (2017-06-30 →
 * 2017.5), else the end of the quarter its label names (2017年第三季度 → 2017.75), else the year
 * the label names; null when nothing says.
 */
export function roundPosition(periodEnd: string | null, label: string): number | null {
  const date = periodEnd ? /^(\d{4})-(\d{2})/.exec(periodEnd) : null;
  if (date) return Number(date[1]) + Number(date[2]) / 12;
  const year = /(\d{4})\s*年/.exec(label);
  if (!year) return null;
  const quarter = /第\s*([一二三四1-4])\s*季度/.exec(label);
  const half = /(上|下)半年/.exec(label);
  const month = quarter ? QUARTER_END[quarter[1]!]! : half ? (half[1] === '上' ? 6 : 12) : 12;
  return Number(year[1]) + month / 12;
}

/** "下降 20% 以上（比 2015 年，到 2020 年）": the target as a sentence. */
export function describeTarget(target: IndicatorTarget): string {
  const bound = target.bound === 'at_least' ? '以上' : target.bound === 'at_most' ? '以下' : '';
  const change = target.baseYear !== null;
  const verb = change ? (target.direction === 'up' ? '提高' : '下降') : '达到';
  const unit = target.unit === '%' && change ? '%' : target.unit;
  const parts = [`${verb} ${formatNumber(target.value)}${unit}${bound ? ` ${bound}` : ''}`];
  const notes = [change ? `比 ${target.baseYear} 年` : null, target.byYear ? `到 ${target.byYear} 年` : null].filter(Boolean);
  return notes.length ? `${parts[0]}（${notes.join('，')}）` : parts[0]!;
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

/** The latest actual of an indicator (the last round it was measured in), with its verdict; null before any round. */
export function latestActual(series: IndicatorSeriesView): IndicatorSeriesView['actuals'][number] | null {
  return series.actuals.at(-1) ?? null;
}

/**
 * An indicator's chart: the path from base to target (dashed), the target as a line, and each
 * round's actual as a point in its verdict's colour. The year axis spans the path and the actuals.
 */
export function indicatorOption(series: IndicatorSeriesView, options: { fontSize?: number } = {}) {
  const fontSize = options.fontSize ?? 12;
  const points = series.actuals
    .map((a) => ({ a, x: roundPosition(a.periodEnd, a.round) }))
    .filter((p): p is { a: IndicatorSeriesView['actuals'][number]; x: number } => p.x !== null && p.a.value !== null);
  const years = [...series.path.map((p) => p.year), ...points.map((p) => p.x)];
  const minYear = years.length ? Math.floor(Math.min(...years)) : new Date().getFullYear();
  const maxYear = years.length ? Math.ceil(Math.max(...years)) : minYear + 1;
  const unit = series.target.unit;
  const target = series.target;
  const change = target.baseYear !== null && target.baseValue === null;
  // The path ends at the target as the chart measures it (a fall against the base year is negative).
  const targetLine = series.path.at(-1)?.value ?? target.value;
  const targetLabel = change
    ? `目标：${target.direction === 'down' ? '下降' : '提高'} ${formatNumber(target.value)}${unit}`
    : `目标 ${formatNumber(target.value)}${unit}`;
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    grid: { left: 8, right: 24, top: fontSize * 2, bottom: 8, containLabel: true },
    xAxis: {
      type: 'value',
      min: minYear,
      max: maxYear === minYear ? minYear + 1 : maxYear,
      interval: maxYear - minYear > 8 ? 2 : 1,
      axisLabel: { fontSize, color: LABEL_TEXT, formatter: (v: number) => `${v}年` },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      scale: true,
      name: change ? `较 ${target.baseYear} 年（${unit}）` : unit,
      nameTextStyle: { fontSize, color: LABEL_TEXT, align: 'left' },
      axisLabel: { fontSize, color: LABEL_TEXT },
    },
    series: [
      {
        name: '目标路径',
        type: 'line',
        symbol: 'circle',
        symbolSize: 6,
        lineStyle: { type: 'dashed', width: 2, color: '#1f4e8c' },
        itemStyle: { color: '#1f4e8c' },
        tooltip: { formatter: (p: { value: [number, number] }) => `目标路径 ${p.value[0]}年：${formatNumber(p.value[1])}${unit}` },
        data: series.path.map((p) => [p.year, p.value]),
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { type: 'solid', color: '#595959', width: 1 },
          label: { formatter: targetLabel, fontSize, color: LABEL_TEXT, position: 'insideEndTop' },
          data: [{ yAxis: targetLine }],
        },
      },
      {
        name: '实际值',
        type: 'scatter',
        symbolSize: fontSize + 4,
        label: { show: true, position: 'top', fontSize, color: LABEL_TEXT, formatter: (p: { value: [number, number] }) => formatNumber(p.value[1]) },
        tooltip: {
          formatter: (p: { dataIndex: number }) => {
            const point = points[p.dataIndex]!;
            return `${point.a.round}：${formatNumber(point.a.value!)}${unit}，${VERDICT_LABELS[point.a.verdict]}`;
          },
        },
        data: points.map((p) => ({ value: [p.x, p.a.value], itemStyle: { color: VERDICT_COLORS[p.a.verdict], borderColor: '#fff', borderWidth: 1 } })),
      },
    ],
  };
}

/** Score bands of the heat map, worst first: each a colour light enough for dark figures on it. */
export const HEAT_BANDS = [
  { min: 0, max: 59, label: '低于 60', color: '#ffa39e' },
  { min: 60, max: 84, label: '60–84', color: '#ffe58f' },
  { min: 85, max: 100, label: '85 及以上', color: '#b7eb8f' },
] as const;

/** A cell's value when the unit has not submitted yet in an open round and its deadline has not passed. */
export const NOT_YET = -1;

/** Not submitted in an open round, its deadline still ahead: the evaluation gives no score yet (未到截止, decision 034). */
function notYet(cell: HeatMapCell): boolean {
  return cell.scoreState === 'not_due';
}

/**
 * The unit × round cells as [round index, unit index, score]; '-' where the unit was not asked
 * (ECharts draws nothing); NOT_YET where an open round still waits for the unit before its
 * deadline — its 0 would read as a failure on the 大屏 while it is only not due yet.
 */
export function heatMapData(heatMap: PlanDashboardView['heatMap']): [number, number, number | '-'][] {
  const byKey = new Map<string, HeatMapCell>(heatMap.cells.map((c) => [`${c.unit}\u0000${c.round}`, c]));
  const data: [number, number, number | '-'][] = [];
  heatMap.units.forEach((unit, u) => {
    heatMap.rounds.forEach((round, r) => {
      const cell = byKey.get(`${unit}\u0000${round}`);
      data.push([r, u, !cell ? '-' : notYet(cell) ? NOT_YET : cell.score === null ? '-' : Math.round(cell.score)]);
    });
  });
  return data;
}

/** Unit × round heat map, units top to bottom in the view's order, the oldest round on the left. */
export function heatMapOption(heatMap: PlanDashboardView['heatMap'], options: { fontSize?: number } = {}) {
  const fontSize = options.fontSize ?? 12;
  const byKey = new Map<string, HeatMapCell>(heatMap.cells.map((c) => [`${c.unit}\u0000${c.round}`, c]));
  const units = heatMap.units;
  // Category axes draw the first item at the bottom: reversed so the first unit is on top.
  const unitIndex = (u: number) => units.length - 1 - u;
  return {
    animation: false,
    tooltip: {
      formatter: (p: { value: [number, number, number | '-'] }) => {
        const unit = units[unitIndex(p.value[1])]!;
        const round = heatMap.rounds[p.value[0]]!;
        const cell = byKey.get(`${unit}\u0000${round}`);
        if (cell && notYet(cell)) return `${unit} · ${round}：尚未报送，未到截止时间`;
        if (!cell || cell.score === null) return `${unit} · ${round}：未参加本轮`;
        const late = cell.onTime === false ? '，逾期' : '';
        return `${unit} · ${round}：${Math.round(cell.score)} 分${late}；雷同 ${cell.stale}，未发声 ${cell.silent}`;
      },
    },
    grid: { left: 8, right: 8, top: 8, bottom: fontSize * 3, containLabel: true },
    xAxis: { type: 'category', data: heatMap.rounds, position: 'top', axisLabel: { fontSize, color: LABEL_TEXT, interval: 0 }, splitArea: { show: false } },
    yAxis: { type: 'category', data: [...units].reverse(), axisLabel: { fontSize, color: LABEL_TEXT, interval: 0 } },
    visualMap: {
      type: 'piecewise',
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemWidth: 14,
      itemHeight: 14,
      textStyle: { fontSize, color: LABEL_TEXT },
      pieces: [
        ...HEAT_BANDS.map((b) => ({ min: b.min, max: b.max === 100 ? 100 : b.max + 0.999, label: b.label, color: b.color })),
        ...(heatMap.cells.some(notYet) ? [{ value: NOT_YET, label: '未到截止时间', color: '#f0f0f0' }] : []),
      ],
      outOfRange: { color: '#f5f5f5' },
    },
    series: [
      {
        type: 'heatmap',
        label: {
          show: true,
          fontSize,
          color: LABEL_TEXT,
          formatter: (p: { value: [number, number, number] }) => (p.value[2] === NOT_YET ? '未报' : String(p.value[2])),
        },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        data: heatMapData(heatMap).map(([r, u, score]) => [r, unitIndex(u), score]),
      },
    ],
  };
}

/** A sentence for screen readers and tests: who scored what in which round. */
export function describeHeatMap(heatMap: PlanDashboardView['heatMap']): string {
  const cells = heatMap.cells.filter((c) => c.score !== null || notYet(c));
  const said = (c: HeatMapCell) => `${c.unit}${c.round} ${notYet(c) ? '尚未报送' : `${Math.round(c.score!)} 分`}`;
  return `${heatMap.units.length} 个单位、${heatMap.rounds.length} 轮（${heatMap.rounds.join('、')}）：${cells.map(said).join('，')}`;
}

export function describeIndicator(series: IndicatorSeriesView): string {
  const actuals = series.actuals.map(
    (a) => `${a.round} ${a.value === null ? '未报' : `${formatNumber(a.value)}${series.target.unit}`}，${VERDICT_LABELS[a.verdict]}`,
  );
  return `${series.name}：目标${describeTarget(series.target)}；${actuals.length ? actuals.join('；') : '尚无实际值'}`;
}

/** 滞后 (tasks), 未报 and 已报 (answers asked of units, task by unit) over the leader's tasks this round. */
export function myCounts(view: LeaderPortfolioView): { lagging: number; pending: number; reported: number } {
  const pairs = view.tasks.flatMap((task) => task.units);
  return {
    lagging: view.tasks.filter((task) => task.lagging).length,
    pending: pairs.filter((unit) => unit.pending).length,
    // An imported round has no submissions: an answer the document gave a status counts as reported.
    reported: pairs.filter((unit) => !unit.pending && (unit.state !== null || unit.status !== null)).length,
  };
}
