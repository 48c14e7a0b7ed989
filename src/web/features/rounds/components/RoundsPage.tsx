import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { RoundView } from '../../../../domain/api/round-view.ts';
import { RoundLimits } from '../../../../domain/limits.ts';
import { LinkButton } from '../../../components/LinkButton.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { RoundStatusTag } from '../../../components/StatusTags.tsx';
import { describeError } from '../../../lib/api.ts';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import { usePlans } from '../../../lib/queries.ts';
import { useCurrentUser } from '../../../lib/session.ts';
import { useRoundsOfPlan, useVoidRound } from '../api/rounds.ts';
import { useWords } from '../../../lib/organisation.ts';

/**
 * 作废: asks why, says in one line what will happen, then voids. The server refuses once a unit
 * has saved anything (the round can then only be closed).
 */
function VoidRoundDialog({ round, onClose }: { round: RoundView; onClose: () => void }) {
  const { message } = App.useApp();
  const voidRound = useVoidRound();
  const [reason, setReason] = useState('');
  return (
    <Modal
      open
      title={`作废调度“${round.label}”`}
      okText="确认作废"
      okButtonProps={{ danger: true, disabled: !reason.trim(), loading: voidRound.isPending }}
      cancelText="取消"
      onCancel={onClose}
      onOk={() =>
        voidRound.mutateAsync({ roundId: round.id, reason: reason.trim() }).then(
          () => {
            message.success(`已作废“${round.label}”`);
            onClose();
          },
          (error: unknown) => void message.error(`作废失败：${describeError(error)}`),
        )
      }
    >
      <Typography.Paragraph>
        作废后本轮从调度轮次和各单位的待办中移除，{round.tasks}{' '}
        项任务的填报不再进行，各单位将收到通知。仅在尚无单位保存填报内容时可以作废；已有内容的调度只能结束。
      </Typography.Paragraph>
      <label htmlFor="void-reason">作废原因（必填）</label>
      <Input.TextArea
        id="void-reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        autoSize={{ minRows: 2, maxRows: 6 }}
        maxLength={RoundLimits.returnComment.max}
        style={{ marginTop: 6 }}
        placeholder="如：截止时间填错，重新发起"
      />
    </Modal>
  );
}

/** 调度轮次: every round of a plan, newest first, and the way to open the next one. */
export function RoundsPage() {
  const [search, setSearch] = useSearchParams();
  const plans = usePlans();
  const words = useWords();
  const planId = Number(search.get('planId')) || plans.data?.[0]?.id || null;
  const [showVoid, setShowVoid] = useState(false);
  const rounds = useRoundsOfPlan(planId, showVoid);
  const user = useCurrentUser();
  const [voiding, setVoiding] = useState<RoundView | null>(null);

  return (
    <>
      <PageTitle
        title="调度轮次"
        subtitle={plans.data?.find((p) => p.id === planId)?.title}
        extra={
          <>
            {(plans.data?.length ?? 0) > 1 && (
              <Select
                aria-label="分工方案"
                style={{ minWidth: 240 }}
                value={planId ?? undefined}
                options={plans.data?.map((p) => ({ value: p.id, label: p.title }))}
                onChange={(value: number) => setSearch({ planId: String(value) })}
              />
            )}
            <Space size={6}>
              <Switch id="show-void" size="small" checked={showVoid} onChange={setShowVoid} />
              <label htmlFor="show-void">显示已作废</label>
            </Space>
            {planId && (
              <LinkButton type="primary" icon={<PlusOutlined />} to={`/rounds/new?planId=${planId}`}>
                发起调度
              </LinkButton>
            )}
          </>
        }
      />
      <Card size="small">
        <QueryState
          isPending={plans.isPending || (rounds.isPending && planId !== null)}
          error={plans.error ?? rounds.error}
          retry={() => void rounds.refetch()}
        >
          {() =>
            !planId ? (
              <Empty description="尚未导入分工方案" />
            ) : (
              <Table<RoundView>
                rowKey="id"
                size="middle"
                dataSource={[...(rounds.data ?? [])].sort((a, b) => b.id - a.id)}
                pagination={false}
                scroll={{ x: 860 }}
                locale={{ emptyText: '尚未发起调度' }}
                columns={[
                  {
                    title: '轮次',
                    dataIndex: 'label',
                    render: (label: string, round) => (
                      <LinkButton type="link" style={{ padding: 0 }} to={`/rounds/${round.id}`}>
                        {label}
                      </LinkButton>
                    ),
                  },
                  { title: '状态', dataIndex: 'status', width: 120, render: (status: RoundView['status']) => <RoundStatusTag status={status} /> },
                  { title: '调度期间', key: 'period', render: (_, r) => (r.periodStart ? `${formatDate(r.periodStart)} 至 ${formatDate(r.periodEnd)}` : '—') },
                  { title: '截止时间', dataIndex: 'deadline', render: (value: string | null) => formatDateTime(value) },
                  { title: '任务数', dataIndex: 'tasks', width: 80 },
                  {
                    title: '审核',
                    dataIndex: 'requiresApproval',
                    width: 110,
                    render: (value: boolean) => (value ? <Tag color="cyan">需{words.unit}审核</Tag> : <Tag>直接报送</Tag>),
                  },
                  {
                    title: '操作',
                    key: 'actions',
                    width: 260,
                    render: (_, round) =>
                      round.status === 'imported' ? (
                        <Tag>导入的历史轮次</Tag>
                      ) : round.status === 'void' ? (
                        <Typography.Text type="secondary">{`${round.voidedBy ?? ''} 作废：${round.voidReason ?? ''}`}</Typography.Text>
                      ) : (
                        <Space size={4}>
                          <LinkButton size="small" to={`/rounds/${round.id}`}>
                            审阅
                          </LinkButton>
                          <LinkButton size="small" to={`/rounds/${round.id}/board`}>
                            催办看板
                          </LinkButton>
                          {round.status === 'open' && user.role === 'office' && (
                            <Button size="small" danger onClick={() => setVoiding(round)}>
                              作废
                            </Button>
                          )}
                        </Space>
                      ),
                  },
                ]}
              />
            )
          }
        </QueryState>
      </Card>
      {voiding && <VoidRoundDialog round={voiding} onClose={() => setVoiding(null)} />}
    </>
  );
}
