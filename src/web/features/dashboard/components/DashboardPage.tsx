import { DesktopOutlined, MobileOutlined } from '@ant-design/icons';
import { Card, Col, Flex, Progress, Row, Select, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import type { PlanDashboardView } from '../../../../domain/api/insight-view.ts';
import { LinkButton } from '../../../components/LinkButton.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { defaultRoundOf, usePlans } from '../../../lib/queries.ts';
import { useCurrentUser } from '../../../lib/session.ts';
import { useDashboard } from '../api/dashboard.ts';
import { barChartHeight, LIGHT_LABELS, LIGHTS, percent, totals } from '../model.ts';
import { CompletionChart, HeatMapChart } from './LazyCharts.tsx';
import { FindingCounts, IndicatorPanel, NO_INDICATORS, Reason, VerdictLegend } from './Parts.tsx';

function numberParam(value: string | null): number | null {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : null;
}

function Headline({ view }: { view: PlanDashboardView }) {
  const sum = totals(view.completion.byUnit);
  return (
    <Flex gap={24} wrap align="center" role="group" aria-label="本轮完成情况">
      <Progress type="circle" percent={percent(sum.answered, sum.total)} size={96} format={(p) => `${p}%`} aria-label="已报比例" />
      <div>
        <div style={{ fontSize: 14, color: 'rgba(0,0,0,0.65)' }}>已报 / 应报</div>
        <div style={{ fontSize: 28, fontWeight: 600 }}>
          {sum.answered} / {sum.total}
        </div>
      </div>
      {LIGHTS.map((light) => (
        <div key={light}>
          <div style={{ fontSize: 14, color: 'rgba(0,0,0,0.65)' }}>{LIGHT_LABELS[light]}</div>
          <div style={{ fontSize: 28, fontWeight: 600, color: light === 'red' && sum.red > 0 ? '#cf1322' : undefined }}>{sum[light]}</div>
        </div>
      ))}
    </Flex>
  );
}

function Completion({ title, groups, empty }: { title: string; groups: PlanDashboardView['completion']['byUnit']; empty: string }) {
  return (
    <Card title={title} size="small" style={{ height: '100%' }}>
      {groups.length === 0 ? <Reason text={empty} /> : <CompletionChart groups={groups} height={barChartHeight(groups.length)} />}
    </Card>
  );
}

function Dashboard({ view }: { view: PlanDashboardView }) {
  if (!view.round)
    return (
      <Card>
        <Reason text="本方案尚无调度轮次：办公室发起一轮调度后，这里显示各单位的报送和推进情况。" />
      </Card>
    );
  return (
    <Flex vertical gap={16}>
      <Card size="small">
        <Headline view={view} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Completion title="按责任单位" groups={view.completion.byUnit} empty="本轮没有向任何单位征集推进情况" />
        </Col>
        <Col xs={24} xl={12}>
          <Flex vertical gap={16} style={{ height: '100%' }}>
            <Completion title="按分管领导" groups={view.completion.byLeader} empty="本轮的任务未写明分管领导" />
            <Completion title="按章节" groups={view.completion.byChapter} empty="本轮没有任务" />
          </Flex>
        </Col>
      </Row>
      <Card title="本轮数据洞察" size="small">
        <FindingCounts view={view} />
      </Card>
      <Card title="指标进度" size="small" extra={view.indicators.length > 0 ? <VerdictLegend /> : null}>
        {view.indicators.length === 0 ? (
          <Reason text={NO_INDICATORS} />
        ) : (
          <Row gutter={[16, 24]}>
            {view.indicators.map((series) => (
              <Col key={`${series.taskId}-${series.key}`} xs={24} lg={12} xxl={8}>
                <IndicatorPanel series={series} height={240} />
              </Col>
            ))}
          </Row>
        )}
      </Card>
      <Card title="各单位各轮得分" size="small" extra={<Typography.Text type="secondary">按期报送、内容充实得分高；未参加的轮次留空</Typography.Text>}>
        {view.heatMap.units.length === 0 || view.heatMap.rounds.length === 0 ? (
          <Reason text="尚无可评分的轮次：各单位在本方案的调度中报送后显示。" />
        ) : (
          <HeatMapChart heatMap={view.heatMap} height={barChartHeight(view.heatMap.units.length, 34) + 24} />
        )}
      </Card>
    </Flex>
  );
}

/**
 * 领导看板: a plan's round at a glance for the office and the leaders — completion and lights by
 * unit, leader and chapter, the confirmed indicators against their path, a unit × round heat map,
 * and the round's findings with the way to its insight page.
 */
export function DashboardPage() {
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const plans = usePlans();
  const live = (plans.data ?? []).filter((plan) => plan.archivedAt === null);
  const asked = numberParam(params.get('plan'));
  const plan = live.find((p) => p.id === asked) ?? live.find((p) => p.rounds.some((r) => r.status === 'open')) ?? live[0];
  const roundId = numberParam(params.get('round')) ?? defaultRoundOf(plan);
  const query = useDashboard(plan?.id ?? null, roundId);
  const choose = (next: { plan?: number; round?: number }) => {
    const search = new URLSearchParams();
    search.set('plan', String(next.plan ?? plan?.id ?? ''));
    if (next.round !== undefined) search.set('round', String(next.round));
    setParams(search, { replace: true });
  };
  return (
    <>
      <PageTitle
        title="领导看板"
        subtitle={query.data ? [query.data.planTitle, query.data.round?.label].filter(Boolean).join(' · ') : undefined}
        extra={
          plan ? (
            <>
              {user.role === 'leader' && (
                <LinkButton to="/m" icon={<MobileOutlined />}>
                  手机版
                </LinkButton>
              )}
              <LinkButton to={`/screen/${plan.id}${roundId ? `?round=${roundId}` : ''}`} icon={<DesktopOutlined />}>
                大屏
              </LinkButton>
            </>
          ) : null
        }
      />
      <QueryState isPending={plans.isPending} error={plans.error} retry={() => void plans.refetch()}>
        {() =>
          !plan ? (
            <Card>
              <Reason text="尚无分工方案：办公室导入或新建分工方案并发起调度后，这里显示看板。" />
            </Card>
          ) : (
            <>
              <Flex gap={12} wrap style={{ marginBottom: 16 }}>
                {live.length > 1 && (
                  <Select
                    aria-label="分工方案"
                    value={plan.id}
                    style={{ minWidth: 260, maxWidth: '100%' }}
                    options={live.map((p) => ({ value: p.id, label: p.title }))}
                    onChange={(value: number) => choose({ plan: value })}
                  />
                )}
                {query.data && query.data.rounds.length > 0 && (
                  <Select
                    aria-label="调度轮次"
                    value={query.data.round?.id}
                    style={{ minWidth: 200 }}
                    options={[...query.data.rounds].reverse().map((r) => ({ value: r.id, label: r.label }))}
                    onChange={(value: number) => choose({ round: value })}
                  />
                )}
              </Flex>
              <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
                {() => <Dashboard view={query.data!} />}
              </QueryState>
            </>
          )
        }
      </QueryState>
    </>
  );
}
