import { PieChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { TrafficLight } from '../../../../domain/api/round-view.ts';
import { TRAFFIC_LIGHT_COLORS } from '../../../components/TrafficLight.tsx';
import { CHART_TEXT_STYLE } from '../../../lib/chart-font.ts';
import { TRAFFIC_LIGHT_LABELS } from '../../../lib/labels.ts';

// Only the parts drawn here: keeps the charts chunk small.
echarts.use([PieChart, TooltipComponent, LegendComponent, CanvasRenderer]);

const ORDER: TrafficLight[] = ['red', 'yellow', 'green', 'grey'];

/** A ring of units by light, so the office sees at a glance how much chasing is left. */
export default function LightChart({ counts }: { counts: Record<TrafficLight, number> }) {
  const data = ORDER.filter((light) => counts[light] > 0).map((light) => ({
    name: TRAFFIC_LIGHT_LABELS[light],
    value: counts[light],
    itemStyle: { color: TRAFFIC_LIGHT_COLORS[light] },
  }));
  const option = {
    // Drawn once, no animation: the numbers are what matter, and a phone saves the work.
    animation: false,
    textStyle: CHART_TEXT_STYLE,
    tooltip: { trigger: 'item', formatter: '{b}<br/>{c} 个单位（{d}%）' },
    legend: { bottom: 0, icon: 'circle', textStyle: { fontSize: 12 } },
    series: [
      {
        type: 'pie',
        radius: ['45%', '70%'],
        center: ['50%', '42%'],
        avoidLabelOverlap: true,
        label: { show: true, formatter: '{c}', fontSize: 14 },
        data,
      },
    ],
  };
  return (
    <div role="img" aria-label={ORDER.map((l) => `${TRAFFIC_LIGHT_LABELS[l]} ${counts[l]} 个`).join('，')}>
      <ReactEChartsCore echarts={echarts} option={option} style={{ height: 240, width: '100%' }} notMerge lazyUpdate />
    </div>
  );
}
