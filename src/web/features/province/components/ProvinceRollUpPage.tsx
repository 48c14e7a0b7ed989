import { ReloadOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Grid, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { OrganisationRollUpView, RoundFiguresView } from '../../../../domain/api/province-view.ts';
import type { TrafficLight as Light } from '../../../../domain/api/round-view.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { RoundStatusTag } from '../../../components/StatusTags.tsx';
import { TrafficLight } from '../../../components/TrafficLight.tsx';
import { formatDateTimeZh } from '../../../../domain/dates.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useOrganisationRounds, useProvinceRollUp } from '../api/province.ts';

const LIGHT_ORDER: readonly Light[] = ['red', 'yellow', 'green', 'grey'];
const LIGHT_WORDS: Record<Light, string> = { red: '红灯', yellow: '黄灯', green: '绿灯', grey: '灰灯' };

/** 42.9% — the on-time rate as people read it; — when there is none (no units, or imported). */
function percent(rate: number | null): string {
  return rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

function StatusOf({ round }: { round: RoundFiguresView }) {
  return round.status === 'imported' ? <Tag color="purple">导入</Tag> : <RoundStatusTag status={round.status} />;
}

/** The round's label, status and deadline, on one or two lines. */
function RoundCell({ round }: { round: RoundFiguresView | null }) {
  if (!round) return <Typography.Text type="secondary">尚未开展调度</Typography.Text>;
  return (
    <Flex vertical gap={2}>
      <span>
        {round.label} <StatusOf round={round} />
      </span>
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        截止：{round.deadline ? formatDateTimeZh(round.deadline, round.timeZone) : '—'}
      </Typography.Text>
    </Flex>
  );
}

/** Each light with its word and count (colour alone is not enough), red first. */
function Lights({ round }: { round: RoundFiguresView | null }) {
  if (!round?.lights) return <Typography.Text type="secondary">—</Typography.Text>;
  const lights = round.lights;
  return (
    <Flex wrap gap={4}>
      {LIGHT_ORDER.filter((light) => lights[light] > 0 || light !== 'grey').map((light) => (
        <Tag key={light} style={{ marginInlineEnd: 0 }} aria-label={`${LIGHT_WORDS[light]}${lights[light]}个`}>
          <TrafficLight light={light} showText={false} /> {LIGHT_WORDS[light]} {lights[light]}
        </Tag>
      ))}
    </Flex>
  );
}

/** The on-time rate, and the counts it comes from. */
function Rate({ round }: { round: RoundFiguresView | null }) {
  if (!round) return <Typography.Text type="secondary">—</Typography.Text>;
  if (round.status === 'imported')
    return (
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        导入的历史轮次，无系统内报送数据
      </Typography.Text>
    );
  return (
    <Flex vertical gap={2}>
      <Typography.Text strong style={{ fontSize: 16 }}>
        {percent(round.onTimeRate)}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        应报 {round.units} · 按时 {round.onTime} · 逾期 {round.late} · 未报 {round.notSubmitted}
      </Typography.Text>
    </Flex>
  );
}

function Flagged({ round }: { round: RoundFiguresView | null }) {
  if (!round || round.lagging === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      滞后{' '}
      <Typography.Text strong type={round.lagging > 0 ? 'danger' : undefined}>
        {round.lagging}
      </Typography.Text>{' '}
      · 暂缓 {round.suspended}
    </span>
  );
}

const rateOf = (row: { round: RoundFiguresView | null }) => row.round?.onTimeRate ?? -1;

/** One organisation's rounds, newest first: shown when its row is opened. */
function OrganisationRounds({ code, compact }: { code: string; compact: boolean }) {
  const query = useOrganisationRounds(code);
  return (
    <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
      {() => (
        <section aria-label={`${query.data!.organisation.name}各轮次汇总`}>
          <Table<RoundFiguresView>
            size="small"
            rowKey="roundId"
            pagination={false}
            dataSource={query.data!.rounds}
            locale={{ emptyText: <Empty description="尚未开展调度" /> }}
            columns={[
              { title: '调度轮次', key: 'round', render: (_, round) => <RoundCell round={round} /> },
              { title: '按时报送率', key: 'rate', render: (_, round) => <Rate round={round} /> },
              ...(compact
                ? []
                : [
                    { title: '红黄绿灯', key: 'lights', render: (_: unknown, round: RoundFiguresView) => <Lights round={round} /> },
                    { title: '滞后 / 暂缓', key: 'flagged', render: (_: unknown, round: RoundFiguresView) => <Flagged round={round} /> },
                  ]),
            ]}
          />
        </section>
      )}
    </QueryState>
  );
}

/**
 * 全省汇总 (decision 030): the province's supervisor sees each organisation's current round —
 * on-time rate, the board's lights, 滞后 and 暂缓 answers — as numbers only; a row opens to
 * every round of that organisation. On a phone the row folds its figures into two columns.
 */
export function ProvinceRollUpPage() {
  const query = useProvinceRollUp();
  const screens = Grid.useBreakpoint();
  const compact = !(screens.md ?? true);

  const columns: TableColumnsType<OrganisationRollUpView> = [
    {
      title: '单位',
      key: 'organisation',
      render: (_, row) => (
        <Flex vertical gap={4}>
          <Typography.Text strong>{row.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            分工方案 {row.plans.total} 个{row.plans.active > 0 ? `，调度中 ${row.plans.active} 个` : ''}
          </Typography.Text>
          {compact && <RoundCell round={row.round} />}
        </Flex>
      ),
    },
    ...(compact ? [] : [{ title: '当前轮次', key: 'round', render: (_: unknown, row: OrganisationRollUpView) => <RoundCell round={row.round} /> }]),
    {
      title: '按时报送率',
      key: 'rate',
      sorter: (a, b) => rateOf(a) - rateOf(b),
      sortDirections: ['ascend', 'descend'],
      showSorterTooltip: { title: '按按时报送率排序' },
      render: (_, row) =>
        compact ? (
          <Flex vertical gap={6}>
            <Rate round={row.round} />
            <Lights round={row.round} />
            <Flagged round={row.round} />
          </Flex>
        ) : (
          <Rate round={row.round} />
        ),
    },
    ...(compact
      ? []
      : [
          { title: '红黄绿灯', key: 'lights', render: (_: unknown, row: OrganisationRollUpView) => <Lights round={row.round} /> },
          { title: '滞后 / 暂缓', key: 'flagged', render: (_: unknown, row: OrganisationRollUpView) => <Flagged round={row.round} /> },
        ]),
  ];

  return (
    <>
      <PageTitle
        title="全省汇总"
        subtitle={query.data ? `数据读取于 ${formatDateTime(query.data.readAt)}；只含数字，不含各单位填报内容` : undefined}
        extra={
          <Button icon={<ReloadOutlined />} loading={query.isFetching} onClick={() => void query.refetch()}>
            刷新
          </Button>
        }
      />
      <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
        {() => (
          <section aria-label="各单位调度汇总">
            <Table<OrganisationRollUpView>
              rowKey="code"
              size={compact ? 'small' : 'middle'}
              columns={columns}
              dataSource={query.data!.organisations}
              pagination={false}
              locale={{ emptyText: <Empty description="暂无单位" /> }}
              expandable={{ expandedRowRender: (row) => <OrganisationRounds code={row.code} compact={compact} />, columnWidth: compact ? 32 : 48 }}
            />
          </section>
        )}
      </QueryState>
    </>
  );
}
