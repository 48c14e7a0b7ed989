import { RollbackOutlined } from '@ant-design/icons';
import { Button, Result, Spin } from 'antd';
import { useEffect, type CSSProperties, type ReactNode } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { PlanDashboardView } from '../../../../domain/api/insight-view.ts';
import { describeError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useOrganisation } from '../../../lib/organisation.ts';
import { useDashboard } from '../api/dashboard.ts';
import { LIGHT_COLORS, LIGHT_LABELS, LIGHTS, percent, totals } from '../model.ts';
import { CompletionChart, HeatMapChart } from './LazyCharts.tsx';
import { IndicatorPanel, NO_INDICATORS, VerdictLegend } from './Parts.tsx';

const FONT = 18;
/** At most this many indicator charts fit the middle column (2 × 2); the rest are named below them. */
const SHOWN_INDICATORS = 4;

const panel: CSSProperties = { background: '#fff', borderRadius: 8, padding: '12px 16px', display: 'flex', flexDirection: 'column', minHeight: 0, minWidth: 0 };

function Panel({ title, children, style }: { title: string; children: ReactNode; style?: CSSProperties }) {
  return (
    <section aria-label={title} style={{ ...panel, ...style }}>
      <h2 style={{ fontSize: 24, margin: '0 0 8px', fontWeight: 600 }}>{title}</h2>
      <div style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>{children}</div>
    </section>
  );
}

function Still({ text }: { text: string }) {
  return <div style={{ fontSize: 20, color: 'rgba(0,0,0,0.65)', margin: 'auto', textAlign: 'center', padding: 24 }}>{text}</div>;
}

function Screen({ view, updatedAt, failed, back }: { view: PlanDashboardView; updatedAt: number; failed: boolean; back: () => void }) {
  const sum = totals(view.completion.byUnit);
  const indicators = view.indicators.slice(0, SHOWN_INDICATORS);
  const more = view.indicators.length - indicators.length;
  return (
    <div
      style={{
        height: '100vh',
        width: '100vw',
        overflow: 'hidden',
        background: '#eef1f5',
        display: 'flex',
        flexDirection: 'column',
        padding: 16,
        gap: 16,
        boxSizing: 'border-box',
      }}
    >
      <header style={{ ...panel, flexDirection: 'row', alignItems: 'center', gap: 32, padding: '12px 24px' }}>
        <div style={{ minWidth: 0, flex: 1 }}>
          <div style={{ fontSize: 20, color: 'rgba(0,0,0,0.65)', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>{view.planTitle}</div>
          <h1 style={{ fontSize: 40, margin: 0, lineHeight: 1.2 }}>{view.round ? `${view.round.label}调度情况` : '尚无调度轮次'}</h1>
        </div>
        {view.round && (
          <div role="group" aria-label="本轮完成情况" style={{ display: 'flex', gap: 32, alignItems: 'flex-end' }}>
            <div>
              <div style={{ fontSize: 20, color: 'rgba(0,0,0,0.65)' }}>已报 / 应报</div>
              <div style={{ fontSize: 44, fontWeight: 700, lineHeight: 1.1 }}>
                {sum.answered}/{sum.total}
                <span style={{ fontSize: 28, marginLeft: 12 }}>{percent(sum.answered, sum.total)}%</span>
              </div>
            </div>
            {LIGHTS.map((light) => (
              <div key={light}>
                <div style={{ fontSize: 20, color: 'rgba(0,0,0,0.65)', display: 'flex', alignItems: 'center', gap: 6 }}>
                  <span aria-hidden style={{ width: 14, height: 14, borderRadius: '50%', background: LIGHT_COLORS[light], display: 'inline-block' }} />
                  {LIGHT_LABELS[light]}
                </div>
                <div style={{ fontSize: 44, fontWeight: 700, lineHeight: 1.1, color: light === 'red' && sum.red > 0 ? '#cf1322' : undefined }}>
                  {sum[light]}
                </div>
              </div>
            ))}
          </div>
        )}
        <div style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
          <Button icon={<RollbackOutlined />} onClick={back} size="large">
            返回（Esc）
          </Button>
          {failed ? (
            // A refresh failed (the network, a restart): the last figures stay up, dated, rather than an error filling the room's screen.
            <div role="status" style={{ fontSize: 16, color: '#ad4e00', marginTop: 6 }}>
              刷新失败，显示 {formatDateTime(new Date(updatedAt).toISOString()).replace(/^\d{4}年/, '')} 的数据
            </div>
          ) : (
            <div style={{ fontSize: 16, color: 'rgba(0,0,0,0.65)', marginTop: 6 }}>
              每分钟自动刷新 · {formatDateTime(new Date(updatedAt).toISOString()).replace(/^\d{4}年/, '')}
            </div>
          )}
        </div>
      </header>
      {view.round ? (
        <main style={{ flex: 1, minHeight: 0, display: 'grid', gridTemplateColumns: '1fr 1.35fr 1fr', gap: 16 }}>
          <Panel title="各章节推进情况">
            {view.completion.byChapter.length === 0 ? (
              <Still text="本轮没有任务" />
            ) : (
              <CompletionChart groups={view.completion.byChapter} height="100%" fontSize={FONT} />
            )}
          </Panel>
          <Panel title="指标进度">
            {indicators.length === 0 ? (
              <Still text={NO_INDICATORS} />
            ) : (
              <>
                <VerdictLegend fontSize={16} />
                <div
                  style={{
                    flex: 1,
                    minHeight: 0,
                    marginTop: 8,
                    display: 'grid',
                    gridTemplateColumns: indicators.length > 2 ? '1fr 1fr' : '1fr',
                    gridAutoRows: 'minmax(0, 1fr)',
                    gap: 16,
                  }}
                >
                  {indicators.map((series) => (
                    <IndicatorPanel key={`${series.taskId}-${series.key}`} series={series} height="100%" fontSize={FONT} />
                  ))}
                </div>
                {more > 0 && <div style={{ fontSize: 18, marginTop: 8 }}>另有 {more} 项指标，见领导看板。</div>}
              </>
            )}
          </Panel>
          <Panel title="各单位各轮得分">
            {view.heatMap.units.length === 0 || view.heatMap.rounds.length === 0 ? (
              <Still text="尚无可评分的轮次" />
            ) : (
              <HeatMapChart heatMap={view.heatMap} height="100%" fontSize={view.heatMap.units.length > 18 ? 14 : 16} />
            )}
          </Panel>
        </main>
      ) : (
        <main style={{ ...panel, flex: 1 }}>
          <Still text="本方案尚无调度轮次：办公室发起一轮调度后，这里显示各单位的报送和推进情况。" />
        </main>
      )}
    </div>
  );
}

/**
 * 大屏: the meeting room's view of a plan's round — no app chrome, large type, fits 1920×1080
 * without scrolling, refreshes itself every minute, still (no animation, decision 021). Esc or
 * the button goes back to the dashboard.
 */
export function ScreenPage() {
  const { planId } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const id = Number(planId);
  const round = Number(params.get('round'));
  const query = useDashboard(Number.isInteger(id) && id > 0 ? id : null, Number.isInteger(round) && round > 0 ? round : null, { refetchInterval: 60_000 });
  // Outside the app's layout: read the organisation here, so the refresh time is on its clock.
  useOrganisation();
  const back = () => void navigate(`/dashboard?plan=${planId ?? ''}`);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') void navigate(`/dashboard?plan=${planId ?? ''}`);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, planId]);
  useEffect(() => {
    document.title = '大屏 - 调度';
  }, []);
  if (!(Number.isInteger(id) && id > 0)) return <Result status="404" title="未找到" subTitle="没有这个分工方案" extra={<Button onClick={back}>返回</Button>} />;
  if (query.error && !query.data) {
    return (
      <Result
        status="error"
        title="大屏加载失败"
        subTitle={describeError(query.error)}
        extra={
          <>
            <Button onClick={() => void query.refetch()}>重试</Button>
            <Button onClick={back}>返回</Button>
          </>
        }
      />
    );
  }
  if (query.isPending) return <Spin size="large" style={{ display: 'block', margin: '40vh auto' }} />;
  return <Screen view={query.data} updatedAt={query.dataUpdatedAt} failed={query.isRefetchError} back={back} />;
}
