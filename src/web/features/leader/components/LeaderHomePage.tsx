import { ArrowRightOutlined, BarChartOutlined, DashboardOutlined, MobileOutlined } from '@ant-design/icons';
import { Alert, Card, Empty, Flex, Tag, Typography } from 'antd';
import type { LeaderPortfolioView, PortfolioTaskView, PortfolioUnitView } from '../../../../domain/api/leader-view.ts';
import type { SubmissionState } from '../../../../domain/api/round-view.ts';
import { PROGRESS_STATUS_LABELS } from '../../../../domain/limits.ts';
import { ClampText } from '../../../components/ClampText.tsx';
import { LinkButton } from '../../../components/LinkButton.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { ProgressStatusTag, SubmissionStateTag, UnitRoleTag } from '../../../components/StatusTags.tsx';
import { usePortfolio } from '../api/portfolio.ts';
import { placeLabel } from '../../../lib/findings.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useWords } from '../../../lib/organisation.ts';

/** A figure in the summary strip: wraps on a phone, never scrolls sideways. */
function Figure({ label, value, danger }: { label: string; value: number; danger?: boolean }) {
  return (
    <div style={{ flex: '1 1 140px', minWidth: 0, background: '#fff', border: '1px solid #f0f0f0', borderRadius: 8, padding: '10px 12px' }}>
      <div style={{ fontSize: 13, color: 'rgba(0,0,0,0.65)' }}>{label}</div>
      <div style={{ fontSize: 24, fontWeight: 600, color: danger && value > 0 ? '#cf1322' : 'rgba(0,0,0,0.88)' }}>{value}</div>
    </div>
  );
}

function UnitLine({ unit, hasPrevious }: { unit: PortfolioUnitView; hasPrevious: boolean }) {
  return (
    <li style={{ padding: '6px 0', borderTop: '1px solid #f5f5f5', listStyle: 'none' }}>
      <Flex gap={4} wrap align="center">
        <Typography.Text strong>{unit.unitName}</Typography.Text>
        <UnitRoleTag role={unit.role} />
        {unit.state && <SubmissionStateTag state={unit.state as SubmissionState} />}
        <ProgressStatusTag status={unit.status} />
        {unit.late && <Tag color="red">{unit.pending ? '逾期未交' : '逾期提交'}</Tag>}
      </Flex>
      {hasPrevious && unit.previousStatus && (
        <Typography.Text style={{ fontSize: 13, color: 'rgba(0,0,0,0.65)' }}>上轮：{PROGRESS_STATUS_LABELS[unit.previousStatus]}</Typography.Text>
      )}
    </li>
  );
}

function TaskCard({ task, view }: { task: PortfolioTaskView; view: LeaderPortfolioView }) {
  const pending = task.units.filter((unit) => unit.pending).length;
  // Cited as the plan prints it (二.(二).4), as every other page does; the stored position is no one's number.
  const place = task.place ? placeLabel(task.place) : null;
  return (
    <Card
      size="small"
      role="region"
      aria-label={place ? `任务 ${place}` : '任务'}
      style={{ marginBottom: 12, borderColor: task.lagging ? '#ffa39e' : undefined, borderLeft: task.lagging ? '4px solid #cf1322' : undefined }}
      title={
        <Flex gap={6} wrap align="center" style={{ padding: '4px 0', whiteSpace: 'normal' }}>
          {place && <span>{place}</span>}
          {task.status ? <ProgressStatusTag status={task.status} /> : <Tag>本轮未标注</Tag>}
          {view.previousRound && (
            <Typography.Text style={{ fontWeight: 'normal', fontSize: 13, color: 'rgba(0,0,0,0.65)' }}>
              上轮：{task.previousStatus ? PROGRESS_STATUS_LABELS[task.previousStatus] : '未标注'}
            </Typography.Text>
          )}
          {pending > 0 && <Tag color="orange">{pending} 个单位未提交</Tag>}
        </Flex>
      }
    >
      <ClampText text={task.text} lines={3} threshold={90} />
      <ul style={{ padding: 0, margin: '8px 0 0' }} aria-label="责任单位">
        {task.units.map((unit) => (
          <UnitLine key={unit.unitId} unit={unit} hasPrevious={view.previousRound !== null} />
        ))}
      </ul>
      <LinkButton to={`/tasks/${task.taskId}`} type="link" size="small" style={{ paddingInline: 0 }} icon={<ArrowRightOutlined />} iconPlacement="end">
        任务详情与批示
      </LinkButton>
    </Card>
  );
}

/**
 * 我分管的: a leader's home. The tasks where they are 牵头领导 (in the organisation's words), lagging (滞后 / 暂缓) first,
 * which units have not submitted (逾期 after the deadline), this round beside the last.
 * Cards, not a table: it is read on a phone as often as at a desk.
 */
export function LeaderHomePage() {
  const query = usePortfolio();
  const words = useWords();
  return (
    <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
      {() => {
        const view = query.data!;
        const lagging = view.tasks.filter((task) => task.lagging).length;
        const pendingUnits = new Set(view.tasks.flatMap((task) => task.units.filter((u) => u.pending).map((u) => u.unitId))).size;
        const lateUnits = new Set(view.tasks.flatMap((task) => task.units.filter((u) => u.late).map((u) => u.unitId))).size;
        return (
          <>
            <PageTitle
              title="我分管的"
              subtitle={
                view.round ? (
                  <span>
                    {view.round.label}
                    {view.round.deadline ? `，截止 ${formatDateTime(view.round.deadline)}` : ''}
                    {view.previousRound ? `；对比上轮 ${view.previousRound.label}` : ''}
                  </span>
                ) : (
                  `${view.leader}任${words.leadersColumn}的任务`
                )
              }
              extra={
                <>
                  <LinkButton to={view.round ? `/dashboard?plan=${view.round.planId}` : '/dashboard'} icon={<BarChartOutlined />}>
                    领导看板
                  </LinkButton>
                  <LinkButton to="/m" icon={<MobileOutlined />}>
                    手机版
                  </LinkButton>
                  {view.round && (
                    <LinkButton to={`/rounds/${view.round.id}/board`} icon={<DashboardOutlined />}>
                      催办看板
                    </LinkButton>
                  )}
                </>
              }
            />
            {view.tasks.length === 0 ? (
              <Card>
                <Empty description={`分工方案中没有以“${view.leader}”为${words.leadersColumn}的任务`} />
              </Card>
            ) : (
              <>
                <Flex gap={8} wrap style={{ marginBottom: 12 }} role="group" aria-label="概况">
                  <Figure label="分管任务" value={view.tasks.length} />
                  <Figure label="滞后或暂缓" value={lagging} danger />
                  <Figure label="未提交单位" value={pendingUnits} danger />
                  <Figure label="逾期单位" value={lateUnits} danger />
                </Flex>
                {lagging > 0 && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={`${lagging} 项任务滞后或暂缓，排在最前。`} />}
                <div>
                  {view.tasks.map((task) => (
                    <TaskCard key={task.taskId} task={task} view={view} />
                  ))}
                </div>
              </>
            )}
          </>
        );
      }}
    </QueryState>
  );
}
