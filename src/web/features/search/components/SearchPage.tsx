import { Card, Empty, Input, List, Select, Space, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { SearchLimits } from '../../../../domain/limits.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { Snippet } from '../../../components/Snippet.tsx';
import { usePlans } from '../../../lib/queries.ts';
import { useSearch } from '../api/search.ts';

/** 全文搜索 over task and progress text, the match highlighted in each snippet. */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const planId = Number(params.get('planId')) || null;
  const plans = usePlans();
  const results = useSearch(q, planId);

  const set = (patch: { q?: string; planId?: number | null }) => {
    const next = new URLSearchParams(params);
    if (patch.q !== undefined) {
      if (patch.q) next.set('q', patch.q);
      else next.delete('q');
    }
    if (patch.planId !== undefined) {
      if (patch.planId) next.set('planId', String(patch.planId));
      else next.delete('planId');
    }
    setParams(next);
  };

  return (
    <>
      <PageTitle title="全文搜索" subtitle="搜索具体工作任务和各轮推进情况" />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space.Compact style={{ width: '100%' }} block>
          {(plans.data?.length ?? 0) > 1 && (
            <Select
              aria-label="分工方案"
              allowClear
              placeholder="全部方案"
              style={{ width: 200 }}
              value={planId ?? undefined}
              options={plans.data?.map((p) => ({ value: p.id, label: p.title }))}
              onChange={(value?: number) => set({ planId: value ?? null })}
            />
          )}
          <Input.Search
            aria-label="搜索关键词"
            placeholder="输入关键词，如：水质、PM2.5、环评"
            defaultValue={q}
            key={q}
            allowClear
            maxLength={SearchLimits.q.max}
            enterButton="搜索"
            size="large"
            onSearch={(value) => set({ q: value.trim() })}
            loading={results.isFetching}
          />
        </Space.Compact>
      </Card>
      {!q ? (
        <Empty description="请输入关键词" />
      ) : (
        <QueryState isPending={results.isPending} error={results.error} retry={() => void results.refetch()}>
          {() => (
            <Card size="small" title={`找到 ${results.data!.length} 条结果`}>
              <List
                dataSource={results.data!}
                locale={{ emptyText: `没有找到与“${q}”相关的内容` }}
                pagination={results.data!.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
                renderItem={(hit) => (
                  <List.Item>
                    <div style={{ width: '100%' }}>
                      <Space size={4} wrap style={{ marginBottom: 4 }}>
                        <Tag color={hit.field === 'task' ? 'geekblue' : 'green'}>{hit.field === 'task' ? '具体工作任务' : '推进情况'}</Tag>
                        {hit.roundLabel && <Tag>{hit.roundLabel}</Tag>}
                        {hit.unitName && <Typography.Text strong>{hit.unitName}</Typography.Text>}
                        <Link to={`/tasks/${hit.taskId}`}>查看任务</Link>
                      </Space>
                      <div className="prose">
                        <Snippet text={hit.snippet} />
                      </div>
                    </div>
                  </List.Item>
                )}
              />
            </Card>
          )}
        </QueryState>
      )}
    </>
  );
}
