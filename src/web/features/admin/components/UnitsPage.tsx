import { App, Button, Form, Input, Popconfirm, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { UnitView } from '../../../../domain/api/admin.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { describeError } from '../../../lib/api.ts';
import { useUnitActions, useUnits } from '../api/admin.ts';

/** 处室管理 (system admin): the units and the phones shown on the chasing board. */
export function UnitsPage() {
  const units = useUnits();
  const { create, setPhone, setCollective } = useUnitActions();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<{ id: number; phone: string } | null>(null);
  const [form] = Form.useForm<{ name: string; phone?: string }>();

  return (
    <div style={{ maxWidth: 860 }}>
      <PageTitle title="处室管理" subtitle="处室名称与联系电话（催办看板显示）" />
      <Typography.Paragraph type="secondary">
        “各处(室)”“直属单位”等集体名称没有人能以其名义登录，标为集体单位后不再作为单位催办；由办公室在发起调度时指定它代表的单位，或自行填写。导入时按名称自动识别。
      </Typography.Paragraph>
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(values) =>
          create.mutate(
            { name: values.name.trim(), phone: values.phone?.trim() || null },
            { onSuccess: (unit) => (message.success(`已新增处室：${unit.name}`), form.resetFields()), onError: (error) => void message.error(describeError(error)) },
          )
        }
      >
        <Form.Item label="处室名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入处室名称' }]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item label="电话" name="phone">
          <Input maxLength={32} />
        </Form.Item>
        <Button htmlType="submit" type="primary" loading={create.isPending}>
          新增处室
        </Button>
      </Form>
      <QueryState isPending={units.isPending} error={units.error} retry={() => void units.refetch()}>
        {() => (
          <Table<UnitView>
            rowKey="id"
            size="middle"
            dataSource={units.data}
            pagination={false}
            columns={[
              {
                title: '处室',
                dataIndex: 'name',
                key: 'name',
                render: (name: string, unit) => (
                  <Space size={4}>
                    {name}
                    {unit.collective && <Tag color="orange">集体单位</Tag>}
                  </Space>
                ),
              },
              {
                title: '集体单位',
                key: 'collective',
                width: 110,
                render: (_, unit) => (
                  <Popconfirm
                    title={unit.collective ? `把“${unit.name}”改为普通单位（今后发起的调度将催办它）` : `把“${unit.name}”标为集体单位（今后发起的调度不再催办它）`}
                    okText="确定"
                    cancelText="取消"
                    onConfirm={() =>
                      setCollective.mutateAsync({ unitId: unit.id, collective: !unit.collective }).then(
                        () => void message.success('已保存'),
                        (error: unknown) => void message.error(describeError(error)),
                      )
                    }
                  >
                    <Switch size="small" checked={unit.collective} aria-label={`${unit.name}是集体单位`} />
                  </Popconfirm>
                ),
              },
              {
                title: '联系电话',
                key: 'phone',
                render: (_, unit) =>
                  editing?.id === unit.id ? (
                    <Space>
                      <Input aria-label={`${unit.name}电话`} value={editing.phone} maxLength={32} onChange={(event) => setEditing({ id: unit.id, phone: event.target.value })} />
                      <Button
                        type="primary"
                        loading={setPhone.isPending}
                        onClick={() =>
                          setPhone.mutate(
                            { unitId: unit.id, phone: editing.phone.trim() || null },
                            { onSuccess: () => setEditing(null), onError: (error) => void message.error(describeError(error)) },
                          )
                        }
                      >
                        保存
                      </Button>
                      <Button onClick={() => setEditing(null)}>取消</Button>
                    </Space>
                  ) : (
                    <Space>
                      <Typography.Text>{unit.phone ?? '—'}</Typography.Text>
                      <Button type="link" onClick={() => setEditing({ id: unit.id, phone: unit.phone ?? '' })}>
                        修改
                      </Button>
                    </Space>
                  ),
              },
            ]}
          />
        )}
      </QueryState>
    </div>
  );
}
