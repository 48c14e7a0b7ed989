import { BellOutlined, ClockCircleOutlined, PhoneOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Grid,
  Input,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { BoardView, SubmissionState, TrafficLight as Light } from '../../../../domain/api/round-view.ts';
import { RoundLimits } from '../../../../domain/limits.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { RoundStatusTag, SubmissionHolderTag, SubmissionStateTag } from '../../../components/StatusTags.tsx';
import { TrafficLight } from '../../../components/TrafficLight.tsx';
import { deadlineOf, timeOfDayRules, TypedDateInput, typedDateRules } from '../../../components/TypedDateInput.tsx';
import { ApiError, describeError } from '../../../lib/api.ts';
import { useCurrentUser } from '../../../lib/session.ts';
import { defaultRoundOf, useBoard, usePlans } from '../../../lib/queries.ts';
import { useExtendDeadline, useRoundDelivery, useSendReminder } from '../api/board.ts';
import { DeliveryCell } from './DeliveryCell.tsx';
import { formatDateTime } from '../../../lib/format.ts';

// The charts library is loaded only when the board is shown.
const LightChart = lazy(() => import('./LightChart.tsx'));

type Row = BoardView['rows'][number];
const SEVERITY: Record<Light, number> = { red: 0, yellow: 1, grey: 2, green: 3 };

function defaultMessage(board: BoardView): string {
  const deadline = board.round.deadline ? `于${formatDateTime(board.round.deadline)}前` : '尽快';
  return `请${deadline}完成“${board.round.label}”推进情况填报并提交。`;
}

function ReminderDialog({ board, targets, onClose }: { board: BoardView; targets: Row[]; onClose: () => void }) {
  const { message } = App.useApp();
  const send = useSendReminder(board.round.id);
  const [text, setText] = useState(() => defaultMessage(board));
  const [sending, setSending] = useState(false);
  const names = targets.map((t) => t.unitName).join('、');

  const sendAll = async () => {
    setSending(true);
    const failed: string[] = [];
    for (const target of targets) {
      try {
        await send.mutateAsync({ unitId: target.unitId, message: text.trim() });
      } catch (error) {
        failed.push(`${target.unitName}（${describeError(error)}）`);
      }
    }
    setSending(false);
    if (failed.length) message.error(`催办未送达：${failed.join('；')}`);
    else message.success(`已向${targets.length === 1 ? names : `${targets.length} 个单位`}发送催办`);
    if (!failed.length) onClose();
  };

  return (
    <Modal
      open
      title={targets.length === 1 ? `催办：${names}` : `催办 ${targets.length} 个单位`}
      okText="发送催办"
      cancelText="取消"
      okButtonProps={{ disabled: !text.trim() || text.length > RoundLimits.reminder.max, loading: sending }}
      onOk={() => void sendAll()}
      onCancel={onClose}
    >
      {targets.length > 1 && <Typography.Paragraph type="secondary">{names}</Typography.Paragraph>}
      <label htmlFor="reminder-text">催办内容（在系统中通知该单位的所有账户；单位设有邮箱、群机器人的，同时发送）</label>
      <Input.TextArea
        id="reminder-text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoSize={{ minRows: 3, maxRows: 8 }}
        count={{ show: true, max: RoundLimits.reminder.max }}
        style={{ marginTop: 6 }}
      />
    </Modal>
  );
}

/** 延期: one unit's own deadline, after now; the dialog's title and button say what will happen. */
function ExtendDialog({ board, row, onClose }: { board: BoardView; row: Row; onClose: () => void }) {
  const { message } = App.useApp();
  const extend = useExtendDeadline(board.round.id);
  const [form] = Form.useForm<{ date: string; time: string }>();
  const date = Form.useWatch('date', form);
  const time = Form.useWatch('time', form);
  const deadline = deadlineOf(date, time);
  const fail = (error: unknown) => {
    const field = error instanceof ApiError && error.details.field === 'deadline' ? 'date' : null;
    if (field) form.setFields([{ name: field, errors: [describeError(error)] }]);
    else message.error(`延期失败：${describeError(error)}`);
  };
  const save = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    extend.mutate({ unitId: row.unitId, deadline }, { onSuccess: () => (message.success(`${row.unitName}的截止时间已延长`), onClose()), onError: fail });
  };
  return (
    <Modal
      open
      title={`延长${row.unitName}的截止时间`}
      okText={deadline ? `延长至 ${formatDateTime(deadline)}` : '延长'}
      cancelText="取消"
      okButtonProps={{ loading: extend.isPending, disabled: !deadline }}
      onOk={() => void save()}
      onCancel={onClose}
      footer={(_, { OkBtn, CancelBtn }) => (
        <>
          {row.extendedDeadline && (
            <Popconfirm
              title={`恢复为本轮统一截止时间 ${formatDateTime(board.round.deadline)}？`}
              okText="恢复"
              cancelText="取消"
              onConfirm={() =>
                extend.mutate(
                  { unitId: row.unitId, deadline: null },
                  { onSuccess: () => (message.success('已恢复本轮统一截止时间'), onClose()), onError: fail },
                )
              }
            >
              <Button loading={extend.isPending && extend.variables?.deadline === null}>恢复统一截止时间</Button>
            </Popconfirm>
          )}
          <CancelBtn />
          <OkBtn />
        </>
      )}
    >
      <Typography.Paragraph type="secondary">
        本轮统一截止时间：{formatDateTime(board.round.deadline)}
        {row.extendedDeadline ? `；该单位现为 ${formatDateTime(row.extendedDeadline)}` : ''}。只改该单位，其他单位不变；该单位会收到通知。
      </Typography.Paragraph>
      <Form form={form} layout="inline" initialValues={{ time: '17:30' }} onKeyDown={(e) => e.key === 'Enter' && e.preventDefault()}>
        <Form.Item label="新截止日期" name="date" htmlFor="extend-date" rules={typedDateRules('新截止日期', { required: true })}>
          <TypedDateInput id="extend-date" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item label="时刻" name="time" htmlFor="extend-time" rules={timeOfDayRules('时刻')}>
          <Input id="extend-time" style={{ width: 90 }} maxLength={5} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Board({ board }: { board: BoardView }) {
  const [onlyPending, setOnlyPending] = useState(false);
  const [targets, setTargets] = useState<Row[] | null>(null);
  const [extending, setExtending] = useState<Row | null>(null);
  const open = board.round.status === 'open';
  // Leaders read the board; only the office chases and extends deadlines.
  const isOffice = useCurrentUser().role === 'office';
  // What went out beyond the app: the office's to see (leaders read the board without it).
  const delivery = useRoundDelivery(board.round.id, isOffice);
  // On a phone the column would sit far right of the scrolled table: the states go under the unit's name instead.
  const narrow = Grid.useBreakpoint().md === false;
  const deliveryOf = useMemo(() => new Map((delivery.data?.units ?? []).map((unit) => [unit.unitId, unit.channels])), [delivery.data]);
  const counts = useMemo(() => {
    const c: Record<Light, number> = { green: 0, yellow: 0, red: 0, grey: 0 };
    for (const row of board.rows) c[row.light] += 1;
    return c;
  }, [board.rows]);
  const rows = [...board.rows]
    .filter((row) => !onlyPending || row.light === 'red' || row.light === 'yellow')
    .sort((a, b) => SEVERITY[a.light] - SEVERITY[b.light] || a.unitName.localeCompare(b.unitName, 'zh-CN'));
  const chase = board.rows.filter((row) => row.light === 'red' || row.light === 'yellow');

  return (
    <>
      {board.collectives.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="集体名称不作为单位催办"
          description={board.collectives.map((c, index) => (
            <span key={c.unitId}>
              {index > 0 && '；'}
              {c.answeredBy === 'office' ? (
                <>
                  {c.unitName}：
                  {/* The office follows the link and writes the answers itself; leaders only read. Underlined: a link inside text is not told by colour alone. */}
                  {isOffice ? (
                    <Link
                      to={`/todo/${board.round.id}?unitId=${c.unitId}`}
                      aria-label={`由办公室自行填写（${c.unitName}）`}
                      style={{ textDecoration: 'underline' }}
                    >
                      由办公室自行填写
                    </Link>
                  ) : (
                    '由办公室自行填写'
                  )}
                </>
              ) : (
                `${c.unitName}：由 ${c.members.map((m) => m.name).join('、')} 作为配合单位填报`
              )}
            </span>
          ))}
        />
      )}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={14}>
          <Card size="small" style={{ height: '100%' }}>
            <Row gutter={[8, 16]}>
              <Col xs={12} sm={6}>
                <Statistic title={<TrafficLight light="red" />} value={counts.red} suffix="个" styles={{ content: { color: '#f5222d' } }} />
              </Col>
              <Col xs={12} sm={6}>
                <Statistic title={<TrafficLight light="yellow" />} value={counts.yellow} suffix="个" styles={{ content: { color: '#d48806' } }} />
              </Col>
              <Col xs={12} sm={6}>
                <Statistic title={<TrafficLight light="green" />} value={counts.green} suffix="个" styles={{ content: { color: '#389e0d' } }} />
              </Col>
              <Col xs={12} sm={6}>
                <Statistic title={<TrafficLight light="grey" />} value={counts.grey} suffix="个" styles={{ content: { color: '#8c8c8c' } }} />
              </Col>
            </Row>
            <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 8, fontSize: 13 }}>
              共 {board.rows.length} 个单位。绿灯：已提交；黄灯：临近截止仍未提交；红灯：已过截止时间仍未提交；灰灯：未到催办时间。截止时间：
              {formatDateTime(board.round.deadline)}；数据时间：{formatDateTime(board.now)}。
            </Typography.Paragraph>
            {open && isOffice && chase.length > 0 && (
              <Button type="primary" danger icon={<BellOutlined />} onClick={() => setTargets(chase)}>
                催办全部红黄灯单位（{chase.length}）
              </Button>
            )}
          </Card>
        </Col>
        <Col xs={24} md={10}>
          <Card size="small" title="亮灯分布" style={{ height: '100%' }}>
            {board.rows.length ? (
              <Suspense fallback={<div style={{ height: 240 }} />}>
                <LightChart counts={counts} />
              </Suspense>
            ) : (
              <Empty />
            )}
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title="各单位报送情况"
        extra={
          <Space>
            <label htmlFor="only-pending">只看红黄灯</label>
            <Switch id="only-pending" size="small" checked={onlyPending} onChange={setOnlyPending} />
          </Space>
        }
      >
        <Table<Row>
          rowKey="unitId"
          size="middle"
          dataSource={rows}
          pagination={false}
          scroll={{ x: isOffice ? 1400 : 1200 }}
          locale={{ emptyText: '没有需要催办的单位' }}
          columns={[
            { title: '亮灯', dataIndex: 'light', width: 80, fixed: 'left', render: (light: Light) => <TrafficLight light={light} /> },
            {
              title: '单位',
              dataIndex: 'unitName',
              width: 140,
              fixed: 'left',
              render: (name: string, row) => (
                <>
                  <Link to={`/rounds/${board.round.id}/units/${row.unitId}`}>{name}</Link>
                  {isOffice && narrow && deliveryOf.has(row.unitId) && (
                    <div style={{ marginTop: 4 }}>
                      <DeliveryCell channels={deliveryOf.get(row.unitId)} />
                    </div>
                  )}
                </>
              ),
            },
            {
              title: '状态',
              dataIndex: 'state',
              width: 130,
              render: (state: SubmissionState, row) => (
                <Space size={2} wrap>
                  <SubmissionStateTag state={state} submission={row} />
                  {row.late && <Tag color="red">逾期</Tag>}
                </Space>
              ),
            },
            { title: '当前在', dataIndex: 'holder', width: 100, render: (_, row) => <SubmissionHolderTag submission={row} /> },
            {
              title: '截止时间',
              key: 'deadline',
              width: 190,
              render: (_, row) =>
                row.extendedDeadline ? (
                  <Space size={2} wrap>
                    {formatDateTime(row.extendedDeadline)}
                    <Tag color="blue">已延期</Tag>
                  </Space>
                ) : (
                  <Typography.Text type="secondary">{formatDateTime(board.round.deadline)}</Typography.Text>
                ),
            },
            {
              title: '已填 / 任务',
              key: 'count',
              width: 100,
              render: (_, row) => (
                <Typography.Text type={row.answered < row.tasks ? 'warning' : undefined}>
                  {row.answered} / {row.tasks}
                </Typography.Text>
              ),
            },
            {
              title: '联系电话',
              dataIndex: 'phone',
              width: 150,
              render: (phone: string | null) =>
                phone ? (
                  <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>
                    <PhoneOutlined /> {phone}
                  </a>
                ) : (
                  '—'
                ),
            },
            { title: '提交时间', dataIndex: 'submittedAt', width: 170, render: (v: string | null) => formatDateTime(v) },
            { title: '最近催办', dataIndex: 'lastReminderAt', width: 170, render: (v: string | null) => formatDateTime(v) },
            ...(isOffice && !narrow
              ? [{ title: '站外送达', key: 'delivery', width: 200, render: (_: unknown, row: Row) => <DeliveryCell channels={deliveryOf.get(row.unitId)} /> }]
              : []),
            {
              title: '操作',
              key: 'actions',
              width: 180,
              render: (_, row) =>
                open ? (
                  <Space size={4}>
                    {isOffice && row.light !== 'green' && row.state !== 'accepted' && (
                      <Button size="small" icon={<BellOutlined />} aria-label={`催办 ${row.unitName}`} onClick={() => setTargets([row])}>
                        催办
                      </Button>
                    )}
                    {isOffice && row.state !== 'accepted' && (
                      <Button size="small" icon={<ClockCircleOutlined />} aria-label={`延期 ${row.unitName}`} onClick={() => setExtending(row)}>
                        延期
                      </Button>
                    )}
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
      {targets && <ReminderDialog board={board} targets={targets} onClose={() => setTargets(null)} />}
      {extending && <ExtendDialog board={board} row={extending} onClose={() => setExtending(null)} />}
    </>
  );
}

/** 催办看板: units × state with traffic lights, phones, and one-click reminders. */
export function BoardPage() {
  const params = useParams();
  const navigate = useNavigate();
  const plans = usePlans();
  const planRounds = (plans.data ?? []).flatMap((plan) =>
    plan.rounds.filter((r) => r.status !== 'imported' && r.status !== 'void').map((r) => ({ ...r, planId: plan.id })),
  );
  const fallback = defaultRoundOf(plans.data?.find((p) => p.rounds.some((r) => r.status === 'open')) ?? plans.data?.[0]);
  const roundId = params.roundId ? Number(params.roundId) : planRounds.some((r) => r.id === fallback) ? fallback : (planRounds.at(-1)?.id ?? null);
  const board = useBoard(roundId, 30_000);

  return (
    <>
      {params.roundId && board.data && (
        <Breadcrumb
          style={{ marginBottom: 12 }}
          items={[
            { title: <Link to="/rounds">调度轮次</Link> },
            { title: <Link to={`/rounds/${roundId}`}>{board.data.round.label}</Link> },
            { title: '催办看板' },
          ]}
        />
      )}
      <PageTitle
        title="催办看板"
        subtitle={
          board.data ? (
            <span>
              {board.data.round.label} <RoundStatusTag status={board.data.round.status} />
            </span>
          ) : undefined
        }
        extra={
          planRounds.length > 1 ? (
            <Select
              aria-label="调度轮次"
              style={{ minWidth: 200 }}
              value={roundId ?? undefined}
              options={[...planRounds].sort((a, b) => b.id - a.id).map((r) => ({ value: r.id, label: r.label }))}
              onChange={(value: number) => void navigate(`/rounds/${value}/board`)}
            />
          ) : undefined
        }
      />
      {plans.isSuccess && roundId === null ? (
        <Empty description="还没有发起过调度" />
      ) : (
        <QueryState isPending={plans.isPending || board.isPending} error={plans.error ?? board.error} retry={() => void board.refetch()}>
          {() => (
            <>
              {board.data!.round.status === 'closed' && <Alert type="info" showIcon style={{ marginBottom: 12 }} title="本轮调度已结束。" />}
              {board.data!.round.status === 'void' && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 12 }}
                  title={`本轮调度已作废（${board.data!.round.voidedBy ?? ''}，${formatDateTime(board.data!.round.voidedAt)}）：${board.data!.round.voidReason ?? ''}`}
                />
              )}
              <Board board={board.data!} />
            </>
          )}
        </QueryState>
      )}
    </>
  );
}
