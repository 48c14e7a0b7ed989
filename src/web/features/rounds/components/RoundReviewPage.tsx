import { DashboardOutlined } from '@ant-design/icons';
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Form, Input, Modal, Segmented, Space, Table, Typography } from 'antd';
import { dateAndTimeIn } from '../../../../domain/dates.ts';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { BoardView, SubmissionHolder, SubmissionState } from '../../../../domain/api/round-view.ts';
import { FindingBadges } from '../../../components/FindingBadges.tsx';
import { LinkButton } from '../../../components/LinkButton.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { LateTag, RoundStatusTag, SubmissionHolderTag, SubmissionStateTag } from '../../../components/StatusTags.tsx';
import { deadlineOf, timeOfDayRules, TypedDateInput, typedDateRules } from '../../../components/TypedDateInput.tsx';
import { describeError } from '../../../lib/api.ts';
import { departmentZone, formatDate, formatDateTime } from '../../../lib/format.ts';
import { useBoard, useRound, useRoundInsights } from '../../../lib/queries.ts';
import { useBulkAccept, useCloseRound, useSetDeadline } from '../api/rounds.ts';
import { ReviewActions, reviewChoices } from './ReviewActions.tsx';
import { ReminderLadderCard } from './ReminderLadderCard.tsx';
import { useWords } from '../../../lib/organisation.ts';

type Row = BoardView['rows'][number];
type Filter = 'all' | 'pending' | 'accepted' | 'returned' | 'missing';

const FILTERS: { value: Filter; label: string; match: (s: SubmissionState, holder: SubmissionHolder) => boolean }[] = [
  { value: 'all', label: '全部', match: () => true },
  { value: 'pending', label: '待审阅', match: (_s, holder) => holder === 'office' },
  { value: 'returned', label: '已退回', match: (s) => s === 'returned' },
  { value: 'missing', label: '未提交', match: (s) => s === 'not_started' || s === 'draft' },
  { value: 'accepted', label: '已采纳', match: (s) => s === 'accepted' },
];

/** The office's review of one round: every unit's submission, accept / return / reopen, close. */
export function RoundReviewPage() {
  const roundId = Number(useParams().roundId);
  const round = useRound(roundId);
  const words = useWords();
  const board = useBoard(roundId, 30_000);
  // Each unit's insight findings (issue 15), read once for the page: badges beside its row.
  const insights = useRoundInsights(roundId);
  const close = useCloseRound(roundId);
  const { message, modal } = App.useApp();
  const [filter, setFilter] = useState<Filter>('all');
  const [picked, setPicked] = useState<number[]>([]);
  const bulkAccept = useBulkAccept(roundId);
  const setDeadline = useSetDeadline(roundId);
  // 修改截止时间: the day as people type it and a time of day, like every other date field.
  const [deadlineForm] = Form.useForm<{ date: string; time: string }>();
  const [editingDeadline, setEditingDeadline] = useState(false);
  const newDeadline = deadlineOf(Form.useWatch('date', deadlineForm), Form.useWatch('time', deadlineForm));

  return (
    <QueryState isPending={round.isPending} error={round.error} retry={() => void round.refetch()}>
      {() => {
        const r = round.data!;
        const open = r.status === 'open';
        const rows = board.data?.rows ?? [];
        const count = (f: (typeof FILTERS)[number]) => rows.filter((row) => f.match(row.state, row.holder)).length;
        const visible = rows.filter((row) => FILTERS.find((f) => f.value === filter)!.match(row.state, row.holder));
        const unfinished = rows.filter((row) => row.state !== 'accepted').length;
        const acceptable = new Set(rows.filter((row) => reviewChoices(row.state, r.requiresApproval, open).accept).map((row) => row.unitId));
        const chosen = rows.filter((row) => picked.includes(row.unitId) && acceptable.has(row.unitId));
        /** Accepts several units one after another; says which ones did not go through. */
        const acceptChosen = async () => {
          const failed = (await bulkAccept.mutateAsync(chosen.map((row) => ({ unitId: row.unitId, unitName: row.unitName })))).map(
            ({ unitName, error }) => `${unitName}：${describeError(error)}`,
          );
          setPicked([]);
          if (failed.length === 0) message.success(`已采纳 ${chosen.length} 个单位的填报`);
          else message.error(`${failed.length} 个单位未能采纳：${failed.join('；')}`);
        };
        return (
          <>
            <Breadcrumb style={{ marginBottom: 12 }} items={[{ title: <Link to="/rounds">调度轮次</Link> }, { title: r.label }]} />
            <PageTitle
              title={`${r.label}调度`}
              subtitle={<RoundStatusTag status={r.status} />}
              extra={
                <>
                  <LinkButton icon={<DashboardOutlined />} to={`/rounds/${roundId}/board`}>
                    催办看板
                  </LinkButton>
                  <LinkButton to={`/rounds/${roundId}/insights`}>数据洞察</LinkButton>
                  <LinkButton to={`/rounds/${roundId}/evaluation`}>考核</LinkButton>
                  <LinkButton to={`/rounds/${roundId}/notice/print`}>通报与调度表</LinkButton>
                  <LinkButton to={`/rounds/${roundId}/notice`}>编辑通报</LinkButton>
                  {open && (
                    <Button
                      onClick={() => {
                        // On the department's clock, as deadlineOf reads the fields back (the browser's own zone may differ).
                        const deadline = r.deadline ? new Date(r.deadline) : null;
                        const start =
                          deadline && deadline.getTime() > Date.now()
                            ? dateAndTimeIn(deadline, departmentZone())
                            : { date: dateAndTimeIn(new Date(Date.now() + 3 * 86_400_000), departmentZone()).date, time: '17:30' };
                        deadlineForm.setFieldsValue(start);
                        setEditingDeadline(true);
                      }}
                    >
                      修改截止时间
                    </Button>
                  )}
                  {open && (
                    <Button
                      danger
                      loading={close.isPending}
                      onClick={() =>
                        modal.confirm({
                          autoFocusButton: 'cancel',
                          title: `结束“${r.label}”调度？`,
                          content: unfinished
                            ? `还有 ${unfinished} 个单位未通过审阅。结束后本轮内容只读，不能再填报或修改。`
                            : '结束后本轮内容只读，不能再填报或修改。',
                          okText: '结束调度',
                          okButtonProps: { danger: true },
                          cancelText: '取消',
                          onOk: () =>
                            close.mutateAsync().then(
                              () => message.success('本轮调度已结束'),
                              (error: unknown) => message.error(describeError(error)),
                            ),
                        })
                      }
                    >
                      结束调度
                    </Button>
                  )}
                </>
              }
            />
            <Modal
              open={editingDeadline}
              forceRender
              title="修改截止时间"
              okText="保存"
              cancelText="取消"
              okButtonProps={{ disabled: !newDeadline, loading: setDeadline.isPending }}
              onCancel={() => setEditingDeadline(false)}
              onOk={() =>
                newDeadline &&
                setDeadline.mutate(newDeadline, {
                  onSuccess: () => {
                    setEditingDeadline(false);
                    message.success('截止时间已修改');
                  },
                  onError: (error) => message.error(describeError(error)),
                })
              }
            >
              <Typography.Paragraph type="secondary">截止时间过后，各单位仍可提交，提交将标为逾期；结束调度后不能再提交。</Typography.Paragraph>
              <Form form={deadlineForm} layout="inline" onKeyDown={(event) => event.key === 'Enter' && event.preventDefault()}>
                <Form.Item label="新截止日期" name="date" htmlFor="new-deadline" rules={typedDateRules('新截止日期', { required: true })}>
                  <TypedDateInput id="new-deadline" style={{ width: 200 }} />
                </Form.Item>
                <Form.Item label="时刻" name="time" htmlFor="new-deadline-time" rules={timeOfDayRules('时刻')}>
                  <Input id="new-deadline-time" style={{ width: 90 }} maxLength={5} placeholder="17:30" />
                </Form.Item>
              </Form>
            </Modal>
            <Card size="small" style={{ marginBottom: 16 }}>
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2, lg: 4 }}
                items={[
                  { key: 'period', label: '调度期间', children: `${formatDate(r.periodStart)} 至 ${formatDate(r.periodEnd)}` },
                  { key: 'deadline', label: '截止时间', children: formatDateTime(r.deadline) },
                  { key: 'tasks', label: '任务数', children: r.tasks },
                  { key: 'approval', label: `${words.unit}审核`, children: r.requiresApproval ? '需要' : '不需要' },
                ]}
              />
              {r.note && <Alert type="info" style={{ marginTop: 8 }} title="给各单位的说明" description={<span className="prose">{r.note}</span>} />}
            </Card>
            <ReminderLadderCard round={r} />
            <Card
              size="small"
              title="各单位填报"
              extra={
                <Space>
                  {acceptable.size > 0 && (
                    <Button
                      type="primary"
                      size="small"
                      disabled={chosen.length === 0}
                      loading={bulkAccept.isPending}
                      onClick={() =>
                        modal.confirm({
                          autoFocusButton: 'cancel',
                          title: `采纳所选的 ${chosen.length} 个单位？`,
                          content: `将采纳${chosen.map((row) => row.unitName).join('、')}全部待审阅的填报并通知各单位。`,
                          okText: '采纳',
                          cancelText: '取消',
                          onOk: acceptChosen,
                        })
                      }
                    >
                      采纳所选单位（{chosen.length}）
                    </Button>
                  )}
                  <Typography.Text type="secondary">{board.data ? `共 ${rows.length} 个单位` : null}</Typography.Text>
                </Space>
              }
            >
              <Segmented<Filter>
                value={filter}
                onChange={setFilter}
                options={FILTERS.map((f) => ({ value: f.value, label: `${f.label} ${board.data ? count(f) : ''}` }))}
                style={{ marginBottom: 12 }}
                aria-label="按状态筛选"
              />
              <QueryState isPending={board.isPending} error={board.error} retry={() => void board.refetch()}>
                {() => (
                  <div style={{ overflowX: 'auto' }}>
                    <Table<Row>
                      rowKey="unitId"
                      rowSelection={
                        acceptable.size > 0
                          ? {
                              selectedRowKeys: chosen.map((row) => row.unitId),
                              onChange: (keys) => setPicked(keys.map(Number)),
                              getCheckboxProps: (row) => ({ disabled: !acceptable.has(row.unitId), 'aria-label': `选择${row.unitName}` }),
                            }
                          : undefined
                      }
                      size="middle"
                      dataSource={visible}
                      pagination={false}
                      // Scrolled by its wrapper, not by antd: antd's scroll measures columns in an aria-hidden
                      // row that copies the select-all checkbox, a focusable element hidden from screen readers.
                      style={{ minWidth: 1100 }}
                      locale={{ emptyText: '没有符合条件的单位' }}
                      columns={[
                        {
                          title: '单位',
                          dataIndex: 'unitName',
                          width: 150,
                          render: (name: string, row) => <Link to={`/rounds/${roundId}/units/${row.unitId}`}>{name}</Link>,
                        },
                        {
                          title: '状态',
                          dataIndex: 'state',
                          width: 120,
                          render: (state: SubmissionState, row) => <SubmissionStateTag state={state} submission={row} />,
                        },
                        {
                          title: '当前在',
                          dataIndex: 'holder',
                          width: 110,
                          render: (_: SubmissionHolder, row) => <SubmissionHolderTag submission={row} />,
                        },
                        { title: '已填 / 任务', key: 'count', width: 110, render: (_, row) => `${row.answered} / ${row.tasks}` },
                        {
                          title: '提交时间',
                          dataIndex: 'submittedAt',
                          width: 200,
                          render: (v: string | null, row) => (row.late ? <LateTag submission={row} /> : formatDateTime(v)),
                        },
                        { title: '退回意见', dataIndex: 'returnComment', ellipsis: true, render: (v: string | null) => v ?? '—' },
                        {
                          title: '数据洞察',
                          key: 'insights',
                          width: 170,
                          render: (_, row) => (
                            <FindingBadges
                              findings={insights.data?.findings.filter((f) => f.unitId === row.unitId) ?? []}
                              insightsLink={`/rounds/${roundId}/insights?unit=${encodeURIComponent(row.unitName)}`}
                            />
                          ),
                        },
                        {
                          title: '操作',
                          key: 'actions',
                          width: 240,
                          render: (_, row) => (
                            <Space size={4} wrap>
                              <LinkButton size="small" to={`/rounds/${roundId}/units/${row.unitId}`} aria-label={`查看 ${row.unitName}`}>
                                查看
                              </LinkButton>
                              <ReviewActions
                                roundId={roundId}
                                unitId={row.unitId}
                                unitName={row.unitName}
                                state={row.state}
                                requiresApproval={r.requiresApproval}
                                roundOpen={open}
                              />
                            </Space>
                          ),
                        },
                      ]}
                    />
                  </div>
                )}
              </QueryState>
            </Card>
          </>
        );
      }}
    </QueryState>
  );
}
