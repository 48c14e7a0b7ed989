import { PlusOutlined } from '@ant-design/icons';
import { Card, Empty, Select, Space, Table, Tag } from 'antd';
import { useSearchParams } from 'react-router';
import type { RoundView } from '../../../../domain/api/round-view.ts';
import { LinkButton } from '../../../components/LinkButton.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { RoundStatusTag } from '../../../components/StatusTags.tsx';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import { usePlanRounds, usePlans } from '../../../lib/queries.ts';

/** 调度轮次: every round of a plan, newest first, and the way to open the next one. */
export function RoundsPage() {
  const [search, setSearch] = useSearchParams();
  const plans = usePlans();
  const planId = Number(search.get('planId')) || plans.data?.[0]?.id || null;
  const rounds = usePlanRounds(planId);

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
            {planId && (
              <LinkButton type="primary" icon={<PlusOutlined />} to={`/rounds/new?planId=${planId}`}>
                发起调度
              </LinkButton>
            )}
          </>
        }
      />
      <Card size="small">
        <QueryState isPending={plans.isPending || (rounds.isPending && planId !== null)} error={plans.error ?? rounds.error} retry={() => void rounds.refetch()}>
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
                  { title: '轮次', dataIndex: 'label', render: (label: string, round) => <LinkButton type="link" style={{ padding: 0 }} to={`/rounds/${round.id}`}>{label}</LinkButton> },
                  { title: '状态', dataIndex: 'status', width: 120, render: (status: RoundView['status']) => <RoundStatusTag status={status} /> },
                  { title: '调度期间', key: 'period', render: (_, r) => (r.periodStart ? `${formatDate(r.periodStart)} 至 ${formatDate(r.periodEnd)}` : '—') },
                  { title: '截止时间', dataIndex: 'deadline', render: (value: string | null) => formatDateTime(value) },
                  { title: '任务数', dataIndex: 'tasks', width: 80 },
                  { title: '审核', dataIndex: 'requiresApproval', width: 110, render: (value: boolean) => (value ? <Tag color="cyan">需处室审核</Tag> : <Tag>直接报送</Tag>) },
                  {
                    title: '操作',
                    key: 'actions',
                    width: 200,
                    render: (_, round) =>
                      round.status === 'imported' ? (
                        <Tag>导入的历史轮次</Tag>
                      ) : (
                        <Space size={4}>
                          <LinkButton size="small" to={`/rounds/${round.id}`}>
                            审阅
                          </LinkButton>
                          <LinkButton size="small" to={`/rounds/${round.id}/board`}>
                            催办看板
                          </LinkButton>
                        </Space>
                      ),
                  },
                ]}
              />
            )
          }
        </QueryState>
      </Card>
    </>
  );
}
