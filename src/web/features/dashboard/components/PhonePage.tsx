import { BulbOutlined, DashboardOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Card, Empty, Flex, Tag, Typography } from 'antd';
import type { CSSProperties } from 'react';
import { PROGRESS_STATUS_LABELS } from '../../../../domain/limits.ts';
import { LinkButton } from '../../../components/LinkButton.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { describeError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useDashboard, useMyTasks } from '../api/dashboard.ts';
import { describeTarget, formatNumber, latestActual, myCounts, placeLabel, VERDICT_LABELS, VERDICT_TAGS } from '../model.ts';
import { NO_INDICATORS } from './Parts.tsx';

/** Every tap target on this page is at least this tall (WCAG 2.5.5, a thumb on a phone). */
const TOUCH = 44;

const big: CSSProperties = {
  flex: '1 1 0',
  minWidth: 0,
  background: '#fff',
  border: '1px solid #f0f0f0',
  borderRadius: 8,
  padding: '10px 8px',
  textAlign: 'center',
};

function Big({ label, value, tone }: { label: string; value: number; tone?: 'danger' | 'warning' }) {
  const color = value > 0 && tone === 'danger' ? '#cf1322' : value > 0 && tone === 'warning' ? '#874d00' : 'rgba(0,0,0,0.88)';
  return (
    <div style={big}>
      <div style={{ fontSize: 36, fontWeight: 700, lineHeight: 1.2, color }}>{value}</div>
      <div style={{ fontSize: 15 }}>{label}</div>
    </div>
  );
}

function Indicators({ planId, roundId }: { planId: number; roundId: number }) {
  const query = useDashboard(planId, roundId, { mine: true });
  if (query.error && !query.data) return <Alert type="error" showIcon title={`指标暂时读不到：${describeError(query.error)}`} />;
  if (query.isPending) return <Typography.Text type="secondary">正在读取指标…</Typography.Text>;
  const indicators = query.data.indicators;
  if (indicators.length === 0) return <Typography.Text type="secondary">{NO_INDICATORS}</Typography.Text>;
  return (
    <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="我分管任务的指标">
      {indicators.map((series, i) => {
        const latest = latestActual(series);
        return (
          <li key={`${series.taskId}-${series.key}`} style={{ padding: '10px 0', borderTop: i === 0 ? undefined : '1px solid #f0f0f0' }}>
            <Flex justify="space-between" align="center" gap={8}>
              <Typography.Text strong style={{ fontSize: 16, minWidth: 0 }}>
                {series.name}
              </Typography.Text>
              {latest && (
                <Tag color={VERDICT_TAGS[latest.verdict]} style={{ marginInlineEnd: 0, fontSize: 14, padding: '2px 8px' }}>
                  {VERDICT_LABELS[latest.verdict]}
                </Tag>
              )}
            </Flex>
            <div style={{ fontSize: 14, color: 'rgba(0,0,0,0.65)' }}>
              {placeLabel(series.task)} · 目标{describeTarget(series.target)}
            </div>
            <div style={{ fontSize: 15 }}>
              {latest ? `${latest.round}：${latest.value === null ? '未报实际值' : `${formatNumber(latest.value)}${series.target.unit}`}` : '尚无实际值'}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * 手机看板 (/m): what a leader reads on a phone — his tasks' state in one look (滞后, 未报, 已报),
 * his indicators with their verdicts, his lagging tasks. A page of its own rather than the
 * dashboard squeezed: it is about his tasks (the portfolio), not the plan, and it draws no chart,
 * so a phone never fetches the charts library. One column, nothing wider than the screen.
 */
export function PhonePage() {
  const query = useMyTasks();
  return (
    // A phone loses the network now and then: a failed refresh keeps the page it has, dated.
    <QueryState isPending={query.isPending} error={query.data ? null : query.error} retry={() => void query.refetch()}>
      {() => {
        const view = query.data!;
        const counts = myCounts(view);
        const lagging = view.tasks.filter((task) => task.lagging);
        return (
          <div style={{ maxWidth: 640, margin: '0 auto' }}>
            {query.isRefetchError && (
              <Alert
                role="status"
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                title={`刷新失败，显示 ${formatDateTime(new Date(query.dataUpdatedAt).toISOString()).replace(/^\d{4}年/, '')} 的数据`}
              />
            )}
            <PageTitle
              title="我的看板"
              subtitle={
                view.round ? `${view.round.label}${view.round.deadline ? `，截止 ${formatDateTime(view.round.deadline)}` : ''}` : `${view.leader}分管的任务`
              }
            />
            {!view.round ? (
              <Card>
                <Empty description="尚无调度轮次：办公室发起调度后，这里显示您分管任务的报送和推进情况。" />
              </Card>
            ) : view.tasks.length === 0 ? (
              <Card>
                <Empty description={`本轮没有${view.leader}分管的任务`} />
              </Card>
            ) : (
              <Flex vertical gap={12}>
                <Flex gap={8} role="group" aria-label="我分管的任务概况">
                  <Big label="项滞后" value={counts.lagging} tone="danger" />
                  <Big label="个未报" value={counts.pending} tone="warning" />
                  <Big label="个已报" value={counts.reported} />
                </Flex>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  共 {view.tasks.length} 项任务；未报、已报按单位计。
                </Typography.Text>
                <Card size="small" title="指标" styles={{ body: { paddingTop: 0 } }}>
                  <Indicators planId={view.round.planId} roundId={view.round.id} />
                </Card>
                <Card size="small" title={`滞后的任务（${lagging.length}）`}>
                  {lagging.length === 0 ? (
                    <Typography.Text type="secondary">本轮没有滞后或暂缓的任务。</Typography.Text>
                  ) : (
                    <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="滞后的任务">
                      {lagging.map((task, i) => (
                        <li key={task.taskId} style={{ borderTop: i === 0 ? undefined : '1px solid #f0f0f0', padding: i === 0 ? '0 0 8px' : '8px 0' }}>
                          <Flex gap={6} wrap align="center">
                            {task.place && <Typography.Text strong>{placeLabel(task.place)}</Typography.Text>}
                            {task.status && <Tag color="error">{PROGRESS_STATUS_LABELS[task.status]}</Tag>}
                            {task.units.some((u) => u.pending) && <Tag color="warning">{task.units.filter((u) => u.pending).length} 个单位未报</Tag>}
                          </Flex>
                          <Typography.Paragraph ellipsis={{ rows: 3 }} style={{ margin: '4px 0', fontSize: 15 }}>
                            {task.text}
                          </Typography.Paragraph>
                          <LinkButton to={`/tasks/${task.taskId}`} block icon={<RightOutlined />} iconPlacement="end" style={{ minHeight: TOUCH }}>
                            查看任务与批示
                          </LinkButton>
                        </li>
                      ))}
                    </ul>
                  )}
                </Card>
                <LinkButton to={`/rounds/${view.round.id}/insights`} block icon={<BulbOutlined />} style={{ minHeight: TOUCH }}>
                  本轮数据洞察
                </LinkButton>
                <LinkButton to={`/dashboard?plan=${view.round.planId}`} block icon={<DashboardOutlined />} style={{ minHeight: TOUCH }}>
                  完整看板
                </LinkButton>
              </Flex>
            )}
          </div>
        );
      }}
    </QueryState>
  );
}
