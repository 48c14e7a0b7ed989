import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapPiecewiseComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { CSSProperties } from 'react';
import type { DashboardGroup, IndicatorSeriesView, PlanDashboardView } from '../../../../domain/api/insight-view.ts';
import { CHART_TEXT_STYLE } from '../../../lib/chart-font.ts';
import { completionOption, describeGroups, describeHeatMap, describeIndicator, heatMapOption, indicatorOption } from '../model.ts';

// Only the parts drawn here: this module is the dashboards' charts chunk, fetched by the pages that draw.
echarts.use([
  BarChart,
  LineChart,
  ScatterChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  MarkLineComponent,
  VisualMapPiecewiseComponent,
  CanvasRenderer,
]);

export interface ChartSize {
  /** A fixed height in pixels, or '100%' to fill a container that has one (the 大屏). */
  height: number | '100%';
  fontSize?: number;
}

function Chart({ option, label, height, name }: { option: object; label: string; height: ChartSize['height']; name: string }) {
  const style: CSSProperties = { height, width: '100%' };
  return (
    <div role="img" aria-label={label} data-chart={name} style={{ height, width: '100%', minWidth: 0 }}>
      <ReactEChartsCore echarts={echarts} option={{ textStyle: CHART_TEXT_STYLE, ...option }} style={style} notMerge lazyUpdate />
    </div>
  );
}

/** Completion and lights of units, leaders or chapters: a stacked bar each. */
export function CompletionChart({ groups, height, fontSize }: { groups: DashboardGroup[] } & ChartSize) {
  return <Chart name="completion" option={completionOption(groups, { fontSize })} label={describeGroups(groups)} height={height} />;
}

/** One confirmed indicator: path from base to target, the target, and the actuals by verdict. */
export function IndicatorChart({ series, height, fontSize }: { series: IndicatorSeriesView } & ChartSize) {
  return <Chart name="indicator" option={indicatorOption(series, { fontSize })} label={describeIndicator(series)} height={height} />;
}

/** Unit × round scores; in an open round a unit not yet due shows 未报, not a score of 0. */
export function HeatMapChart({ heatMap, height, fontSize }: { heatMap: PlanDashboardView['heatMap'] } & ChartSize) {
  return <Chart name="heatmap" option={heatMapOption(heatMap, { fontSize })} label={describeHeatMap(heatMap)} height={height} />;
}
