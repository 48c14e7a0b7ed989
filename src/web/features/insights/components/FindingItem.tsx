import { Button, Card, Flex, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { FindingView } from '../../../../domain/api/insight-view.ts';
import type { IndicatorActual, IndicatorFinding } from '../../../../domain/insights/types.ts';
import { BASIS_LABELS, FINDING_KIND_LABELS, figure, needsAttention, percent, placeLabel, targetLabel, VERDICT_LABELS } from '../../../lib/findings.ts';

const VERDICT_COLORS = { on_track: 'success', behind: 'error', basis_differs: 'warning', no_actual: 'default' } as const;

function Line({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Typography.Text type="secondary">{label}：</Typography.Text>
      {children}
    </div>
  );
}

/** 较 2015 年，6 个月 · 同比 · 当期水平: how the reported figure is measured. */
function actualBasis(actual: IndicatorActual): string {
  const parts = [actual.basis === 'vs_base_year' && actual.baseYear !== null ? `较 ${actual.baseYear} 年` : BASIS_LABELS[actual.basis]];
  if (actual.basis !== 'vs_base_year' && actual.baseYear !== null) parts.push(`较 ${actual.baseYear} 年`);
  if (actual.months !== null) parts.push(`${actual.months} 个月`);
  return parts.join('，');
}

export interface FindingActions {
  /** 请说明, on a red finding of a named unit. */
  onExplain?: (finding: FindingView) => void;
  /** The office's decisions on a proposed indicator and its actual. */
  onIndicator?: (finding: IndicatorFinding & FindingView, action: 'confirm' | 'correct' | 'reject' | 'confirm-actual' | 'reject-actual') => void;
}

/** What the finding says, by kind: the quote and both figures, the indicator against its path, the similarity. */
function Detail({ finding }: { finding: FindingView }) {
  switch (finding.kind) {
    case 'arithmetic':
      return (
        <>
          <blockquote className="prose" style={{ margin: '4px 0', paddingInlineStart: 8, borderInlineStart: '3px solid #d9d9d9' }}>
            {finding.quote}
          </blockquote>
          <Space wrap>
            <span>所写 {finding.stated}</span>
            <span>重新计算 {finding.computed}</span>
            {finding.ok ? <Tag color="success">一致</Tag> : <Tag color="error">不一致</Tag>}
          </Space>
        </>
      );
    case 'indicator':
      return (
        <>
          <Line label="指标">
            {finding.name} {finding.status === 'proposed' ? <Tag color="warning">待确认</Tag> : <Tag color="success">已确认</Tag>}
          </Line>
          <Line label="目标">{targetLabel(finding.target)}</Line>
          <Line label="实际">
            {finding.actual ? (
              <>
                {figure(finding.actual.value)}
                {finding.actual.unit}（{actualBasis(finding.actual)}）<Typography.Text type="secondary">“{finding.actual.quote}”</Typography.Text>
                {finding.actualStatus === 'confirmed' && (
                  <Tag color="success" style={{ marginInlineStart: 8 }}>
                    已确认
                  </Tag>
                )}
              </>
            ) : (
              '未报告'
            )}
          </Line>
          <Line label="按进度应达">{finding.expected !== null ? `${figure(finding.expected)}${finding.target.unit}` : '—'}</Line>
          <Line label="判断">
            <Tag color={VERDICT_COLORS[finding.verdict]}>{VERDICT_LABELS[finding.verdict]}</Tag>
          </Line>
        </>
      );
    case 'stale':
      return (
        <Line label="与上轮相似度">
          {percent(finding.similarity)}（对比{finding.against}）{finding.copiedUnchanged && <Tag style={{ marginInlineStart: 8 }}>沿用上轮未修改</Tag>}
        </Line>
      );
    case 'duplicate':
      return (
        <Line label="与其他任务的答复相似度">
          {percent(finding.similarity)}（{placeLabel(finding.other)}
          {finding.otherUnit ? ` ${finding.otherUnit}` : ''}）
        </Line>
      );
    case 'no_new_facts':
      return (
        <>
          <Typography.Text type="secondary">答复中没有数字、日期、文号或具体项目：</Typography.Text>
          <blockquote className="prose" style={{ margin: '4px 0', paddingInlineStart: 8, borderInlineStart: '3px solid #d9d9d9' }}>
            {finding.quote}
          </blockquote>
        </>
      );
    case 'silent_unit':
      return <Typography.Text>本任务列为责任单位，本轮未报送推进情况。</Typography.Text>;
  }
}

/** One finding on the insight page: red border when it needs the office's attention, quiet otherwise. */
export function FindingItem({ finding, actions, explained }: { finding: FindingView; actions: FindingActions; explained: boolean }) {
  const red = needsAttention(finding);
  const place = placeLabel(finding.task);
  const who = finding.unit ?? '未署名';
  const indicator = finding.kind === 'indicator' ? finding : null;
  return (
    <Card
      size="small"
      role="article"
      aria-label={`${place} ${FINDING_KIND_LABELS[finding.kind]} ${who}`}
      style={{ marginBottom: 8, borderInlineStart: red ? '4px solid #ff4d4f' : '4px solid #f0f0f0' }}
      title={
        <Space wrap size={6} style={{ whiteSpace: 'normal' }}>
          <Typography.Text strong>{place}</Typography.Text>
          <Tag color={red ? 'error' : 'default'}>{FINDING_KIND_LABELS[finding.kind]}</Tag>
          <span>{who}</span>
          {red && <Typography.Text type="danger">需关注</Typography.Text>}
          {explained && <Tag color="processing">已请说明</Tag>}
        </Space>
      }
    >
      <Flex vertical gap={6}>
        <Detail finding={finding} />
        <Flex gap={8} wrap>
          {red && finding.unitId !== null && actions.onExplain && !explained && (
            <Button size="small" onClick={() => actions.onExplain!(finding)} aria-label={`请说明：${who} ${place}`}>
              请说明
            </Button>
          )}
          {indicator && actions.onIndicator && (
            <>
              {indicator.status === 'proposed' && (
                <Button size="small" type="primary" onClick={() => actions.onIndicator!(indicator, 'confirm')} aria-label={`确认指标：${indicator.name}`}>
                  确认指标
                </Button>
              )}
              <Button size="small" onClick={() => actions.onIndicator!(indicator, 'correct')} aria-label={`修改：${indicator.name}`}>
                修改
              </Button>
              <Button size="small" danger onClick={() => actions.onIndicator!(indicator, 'reject')} aria-label={`不是指标：${indicator.name}`}>
                不是指标
              </Button>
              {indicator.actualStatus === 'proposed' && (
                <>
                  <Button size="small" onClick={() => actions.onIndicator!(indicator, 'confirm-actual')} aria-label={`确认实际值：${indicator.name}`}>
                    确认实际值
                  </Button>
                  <Button size="small" danger onClick={() => actions.onIndicator!(indicator, 'reject-actual')} aria-label={`不是实际值：${indicator.name}`}>
                    不是实际值
                  </Button>
                </>
              )}
            </>
          )}
        </Flex>
      </Flex>
    </Card>
  );
}
