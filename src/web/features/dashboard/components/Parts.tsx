import { Empty, Flex, Tag, Typography } from 'antd';
import type { IndicatorSeriesView, PlanDashboardView } from '../../../../domain/api/insight-view.ts';
import type { IndicatorVerdict } from '../../../../domain/insights/types.ts';
import { LinkButton } from '../../../components/LinkButton.tsx';
import {
  FINDING_LABELS,
  FINDING_ORDER,
  VERDICT_COLORS,
  describeTarget,
  formatNumber,
  latestActual,
  placeLabel,
  VERDICT_LABELS,
  VERDICT_TAGS,
} from '../model.ts';
import { IndicatorChart } from './LazyCharts.tsx';

/** Why there is no indicator chart: nothing counts until the office confirms it (issue 15). */
export const NO_INDICATORS = '尚无已确认的指标：请办公室在数据洞察页确认指标';

/** The round's findings by kind, and the way to the round's insight page. */
export function FindingCounts({ view, fontSize = 14 }: { view: PlanDashboardView; fontSize?: number }) {
  if (!view.round) return null;
  const total = FINDING_ORDER.reduce((sum, kind) => sum + (view.findings[kind] ?? 0), 0);
  return (
    <div role="group" aria-label="本轮数据洞察发现">
      <Flex gap={8} wrap>
        {FINDING_ORDER.map((kind) => (
          <div key={kind} style={{ flex: '1 1 110px', minWidth: 0, border: '1px solid #f0f0f0', borderRadius: 8, padding: '8px 12px' }}>
            <div style={{ fontSize, color: 'rgba(0,0,0,0.65)' }}>{FINDING_LABELS[kind]}</div>
            <div style={{ fontSize: fontSize * 1.7, fontWeight: 600 }}>{view.findings[kind] ?? 0}</div>
          </div>
        ))}
      </Flex>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginTop: 8 }}>
        <Typography.Text type="secondary">{total === 0 ? '本轮未发现需要留意的内容。' : `本轮共 ${total} 条发现，逐条见数据洞察页。`}</Typography.Text>
        <LinkButton to={`/rounds/${view.round.id}/insights`} type="link" style={{ paddingInline: 0 }}>
          查看本轮数据洞察
        </LinkButton>
      </Flex>
    </div>
  );
}

/** An indicator's chart with its target and latest verdict in words (colour alone is not enough). */
export function IndicatorPanel({ series, height, fontSize }: { series: IndicatorSeriesView; height: number | '100%'; fontSize?: number }) {
  const latest = latestActual(series);
  return (
    <section
      aria-label={`指标：${series.name}`}
      style={{ display: 'flex', flexDirection: 'column', minHeight: 0, height: height === '100%' ? '100%' : undefined }}
    >
      <Flex justify="space-between" align="baseline" wrap gap={4}>
        <Typography.Text strong style={{ fontSize }}>
          {series.name}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: fontSize ? fontSize * 0.85 : 13 }}>
          {placeLabel(series.task)}
        </Typography.Text>
      </Flex>
      <Flex gap={6} wrap align="center" style={{ fontSize: fontSize ? fontSize * 0.85 : 13 }}>
        <span>目标：{describeTarget(series.target)}</span>
        {latest && (
          <>
            <span>
              {latest.round}：{latest.value === null ? '未报' : `${formatNumber(latest.value)}${series.target.unit}`}
            </span>
            <Tag color={VERDICT_TAGS[latest.verdict]} style={{ marginInlineEnd: 0, ...(fontSize ? { fontSize: fontSize * 0.85, lineHeight: 1.5 } : {}) }}>
              {VERDICT_LABELS[latest.verdict]}
            </Tag>
          </>
        )}
      </Flex>
      <div style={{ flex: height === '100%' ? 1 : undefined, minHeight: 0 }}>
        <IndicatorChart series={series} height={height} fontSize={fontSize} />
      </div>
    </section>
  );
}

export function Reason({ text }: { text: string }) {
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} />;
}

const DRAWN_VERDICTS: IndicatorVerdict[] = ['on_track', 'behind', 'basis_differs'];

/** What the colours of the actuals' points mean, and the dashed line (said once per set of indicator charts). */
export function VerdictLegend({ fontSize = 13 }: { fontSize?: number }) {
  return (
    <Flex gap={16} wrap align="center" style={{ fontSize }} aria-label="图例">
      <span>
        <span aria-hidden style={{ display: 'inline-block', width: 24, borderTop: '2px dashed #1f4e8c', verticalAlign: 'middle', marginRight: 6 }} />
        目标路径
      </span>
      {DRAWN_VERDICTS.map((verdict) => (
        <span key={verdict}>
          <span
            aria-hidden
            style={{ display: 'inline-block', width: 10, height: 10, borderRadius: '50%', background: VERDICT_COLORS[verdict], marginRight: 6 }}
          />
          实际值：{VERDICT_LABELS[verdict]}
        </span>
      ))}
    </Flex>
  );
}
