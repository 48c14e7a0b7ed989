import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Descriptions, Flex, Input, Select, Table, Tag, Typography, type TableProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { AUDIT_SORTS, AuditLimits, type AuditEventView, type AuditSort } from '../../../../domain/api/audit-view.ts';
import { AUDIT_OBJECT_LABELS, AUDIT_RESULT_LABELS as RESULT_LABELS, auditActionName } from '../../../../domain/audit-vocabulary.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { describeError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { downloadAuditCsv, useAuditEvents, useAuditVocabulary, type AuditFilter } from '../api/audit.ts';

const FILTER_KEYS = ['from', 'to', 'user', 'action', 'objectType', 'objectId', 'result'] as const;

/** 审计日志: the audit admin filters, pages, sorts and exports the log. Filters live in the URL. */
export function AuditPage() {
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [exporting, setExporting] = useState(false);
  const filter: AuditFilter = Object.fromEntries(FILTER_KEYS.map((key) => [key, params.get(key) ?? undefined]));
  const sortParam = params.get('sort');
  const sort: AuditSort = AUDIT_SORTS.includes(sortParam as AuditSort) ? (sortParam as AuditSort) : 'id';
  const order = params.get('order') === 'asc' ? 'asc' : 'desc';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(AuditLimits.pageSize.max, Number(params.get('pageSize')) || AuditLimits.pageSize.default);
  const events = useAuditEvents({ ...filter, sort, order, page, pageSize });
  const vocabulary = useAuditVocabulary();

  const set = (patch: Record<string, string | number | undefined>, keepPage = false) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, String(value));
    }
    if (!keepPage) next.delete('page');
    setParams(next);
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      await downloadAuditCsv(filter);
      message.success('审计日志已导出');
    } catch (error) {
      message.error(describeError(error));
    } finally {
      setExporting(false);
    }
  };

  const baseColumns: NonNullable<TableProps<AuditEventView>['columns']> = [
    { title: '编号', dataIndex: 'id', key: 'id', width: 80, sorter: true },
    { title: '时间', dataIndex: 'at', key: 'at', width: 170, sorter: true, render: (at: string) => formatDateTime(at) },
    {
      title: '用户',
      dataIndex: 'actor',
      key: 'actor_name',
      sorter: true,
      render: (_: string, row) => (
        <span title={row.actorLogin ? `账号 ${row.actorLogin}` : undefined}>
          {row.actorLabel}
          {row.actorKind === 'anonymous' && <Tag style={{ marginLeft: 4 }}>未登录</Tag>}
        </span>
      ),
    },
    { title: 'IP', dataIndex: 'ip', key: 'ip', width: 130, sorter: true, render: (ip: string | null) => ip ?? '—' },
    {
      title: '操作',
      dataIndex: 'action',
      key: 'action',
      sorter: true,
      // The Chinese name; the stored word (as in the CSV) shows on hover.
      render: (action: string) => <span title={action}>{auditActionName(action)}</span>,
    },
    {
      title: '对象',
      key: 'object_type',
      sorter: true,
      render: (_, row) => <Typography.Text>{row.objectLabel}</Typography.Text>,
    },
    {
      title: '结果',
      dataIndex: 'result',
      key: 'result',
      width: 100,
      sorter: true,
      render: (result: string) => <Tag color={RESULT_LABELS[result]?.color ?? 'blue'}>{RESULT_LABELS[result]?.label ?? result}</Tag>,
    },
  ];
  const columns = baseColumns.map((column) => ({
    ...column,
    sortOrder: column.key === sort ? (order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null,
  }));

  const range: [Dayjs | null, Dayjs | null] = [filter.from ? dayjs(filter.from) : null, filter.to ? dayjs(filter.to) : null];
  const options = (values: string[] | undefined, label: (value: string) => string) => values?.map((value) => ({ value, label: label(value) })) ?? [];

  return (
    <>
      <PageTitle
        title="审计日志"
        subtitle="登录、退出、失败与锁定、权限变更、方案与调度的每次修改、导入导出、备份恢复和拒绝访问，均记录时间、用户、IP、操作、对象和结果；记录只增不改，并以哈希链防篡改。"
        extra={
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportCsv}>
            导出 CSV
          </Button>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Flex wrap gap={8}>
          <DatePicker.RangePicker
            aria-label="时间范围"
            showTime
            allowEmpty={[true, true]}
            value={range}
            onChange={(values) => set({ from: values?.[0]?.toISOString(), to: values?.[1]?.toISOString() })}
          />
          <Input.Search
            aria-label="用户"
            placeholder="用户名或姓名"
            allowClear
            style={{ width: 180 }}
            defaultValue={filter.user}
            key={`user-${filter.user ?? ''}`}
            maxLength={AuditLimits.filterText.max}
            onSearch={(value) => set({ user: value.trim() })}
          />
          <Select
            aria-label="操作"
            placeholder="全部操作"
            allowClear
            showSearch
            style={{ width: 220 }}
            value={filter.action}
            options={options(vocabulary.data?.actions, auditActionName)}
            onChange={(value?: string) => set({ action: value })}
          />
          <Select
            aria-label="对象类型"
            placeholder="全部对象"
            allowClear
            style={{ width: 150 }}
            value={filter.objectType}
            options={options(vocabulary.data?.objectTypes, (value) => AUDIT_OBJECT_LABELS[value] ?? value)}
            onChange={(value?: string) => set({ objectType: value })}
          />
          <Input.Search
            aria-label="对象编号"
            placeholder="对象编号"
            allowClear
            style={{ width: 150 }}
            defaultValue={filter.objectId}
            key={`object-${filter.objectId ?? ''}`}
            maxLength={AuditLimits.filterText.max}
            onSearch={(value) => set({ objectId: value.trim() })}
          />
          <Select
            aria-label="结果"
            placeholder="全部结果"
            allowClear
            style={{ width: 130 }}
            value={filter.result}
            options={options(vocabulary.data?.results, (value) => RESULT_LABELS[value]?.label ?? value)}
            onChange={(value?: string) => set({ result: value })}
          />
          <Button icon={<ReloadOutlined />} onClick={() => setParams(new URLSearchParams())}>
            清除筛选
          </Button>
        </Flex>
      </Card>
      <QueryState isPending={events.isPending} error={events.error} retry={() => void events.refetch()}>
        {() => (
          <Table<AuditEventView>
            rowKey="id"
            size="small"
            loading={events.isFetching}
            columns={columns}
            dataSource={events.data?.events}
            scroll={{ x: 900 }}
            expandable={{
              expandedRowRender: (row) => (
                <Descriptions size="small" column={1} bordered>
                  <Descriptions.Item label="详情">
                    <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(row.detail, null, 2)}</pre>
                  </Descriptions.Item>
                  <Descriptions.Item label="哈希">
                    <Typography.Text code copyable>
                      {row.hash}
                    </Typography.Text>
                  </Descriptions.Item>
                </Descriptions>
              ),
            }}
            pagination={{
              current: page,
              pageSize,
              total: events.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100, 200],
              showTotal: (total) => `共 ${total} 条`,
            }}
            onChange={(pagination, _filters, sorter) => {
              const one = Array.isArray(sorter) ? sorter[0] : sorter;
              const key = one?.order ? String(one.columnKey) : 'id';
              set(
                {
                  page: pagination.current,
                  pageSize: pagination.pageSize,
                  sort: key === 'id' ? undefined : key,
                  order: one?.order === 'ascend' ? 'asc' : undefined,
                },
                true,
              );
            }}
          />
        )}
      </QueryState>
    </>
  );
}
