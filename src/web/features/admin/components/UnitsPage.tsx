import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import type { DeliveryFailureView, UnitView } from '../../../../domain/api/admin.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { describeError } from '../../../lib/api.ts';
import { useWords } from '../../../lib/organisation.ts';
import { useDeliveryFailures, useUnitActions, useUnits } from '../api/admin.ts';
import { DELIVERY_CHANNEL_LABELS, WEBHOOK_KIND_LABELS } from '../../../../domain/delivery-addresses.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useCurrentUser } from '../../../lib/session.ts';
import { UnitAddressesModal } from './UnitAddressesModal.tsx';

/**
 * 处室管理 (system admin; the title in the organisation's words, 科室管理 in a bureau): the units,
 * the phones shown on the chasing board, and the collective units (各处(室), 直属单位 …) with the
 * member units each stands for.
 */
export function UnitsPage() {
  const units = useUnits();
  const words = useWords();
  // The security admin reads units too, but failing addresses are the system admin's to fix.
  const failures = useDeliveryFailures(useCurrentUser().role === 'system_admin');
  const failuresOf = (unitId: number) => (failures.data ?? []).filter((f) => f.unitId === unitId);
  const personFailures = (failures.data ?? []).filter((f) => f.unitId === null);
  const { create, setPhone, setCollective } = useUnitActions();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<{ id: number; phone: string } | null>(null);
  const [grouping, setGrouping] = useState<UnitView | null>(null);
  const [addressing, setAddressing] = useState<UnitView | null>(null);
  const [form] = Form.useForm<{ name: string; phone?: string }>();

  return (
    <div style={{ maxWidth: 1180 }}>
      <PageTitle title={`${words.unit}管理`} subtitle={`${words.unit}名称、联系电话（催办看板显示）、提醒地址（电子邮箱、群机器人）与集体单位的成员单位`} />
      <Typography.Paragraph type="secondary">
        “各处(室)”“直属单位”等集体名称没有人能以其名义登录，标为集体单位后不再作为单位催办；它的任务由成员单位填报（可在此或发起调度时指定），没有成员单位时由办公室自行填写。导入时按名称自动识别。
      </Typography.Paragraph>
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(values) =>
          create.mutate(
            { name: values.name.trim(), phone: values.phone?.trim() || null },
            {
              onSuccess: (unit) => (message.success(`已新增${words.unit}：${unit.name}`), form.resetFields()),
              onError: (error) => void message.error(describeError(error)),
            },
          )
        }
      >
        <Form.Item label={`${words.unit}名称`} name="name" rules={[{ required: true, whitespace: true, message: `请输入${words.unit}名称` }]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item label="电话" name="phone">
          <Input maxLength={32} />
        </Form.Item>
        <Button htmlType="submit" type="primary" loading={create.isPending}>
          新增{words.unit}
        </Button>
      </Form>
      <QueryState isPending={units.isPending} error={units.error} retry={() => void units.refetch()}>
        {() => (
          <>
            {personFailures.length > 0 && (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 12 }}
                title="个人邮箱发送失败（请本人在“修改密码”页更正，或联系其本人）"
                description={personFailures.map((f) => (
                  <div key={`${f.userId}:${f.channel}`}>{`${f.personName ?? ''}：${failureLine(f)}`}</div>
                ))}
              />
            )}
            <Table<UnitView>
              rowKey="id"
              size="middle"
              dataSource={units.data}
              pagination={false}
              columns={[
                {
                  title: words.unit,
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
                      title={
                        unit.collective
                          ? `把“${unit.name}”改为普通单位（今后发起的调度将催办它，其成员单位清空）`
                          : `把“${unit.name}”标为集体单位（今后发起的调度不再催办它）`
                      }
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
                  title: '成员单位',
                  key: 'members',
                  render: (_, unit) =>
                    unit.collective ? (
                      <Space size={[4, 4]} wrap>
                        {unit.members.length > 0 ? (
                          unit.members.map((member) => <Tag key={member.id}>{member.name}</Tag>)
                        ) : (
                          <Typography.Text type="secondary">无（由办公室填写）</Typography.Text>
                        )}
                        <Button type="link" size="small" onClick={() => setGrouping(unit)} aria-label={`编辑“${unit.name}”的成员单位`}>
                          编辑
                        </Button>
                      </Space>
                    ) : (
                      <Typography.Text type="secondary">—</Typography.Text>
                    ),
                },
                {
                  title: '联系电话',
                  key: 'phone',
                  render: (_, unit) =>
                    editing?.id === unit.id ? (
                      <Space>
                        <Input
                          aria-label={`${unit.name}电话`}
                          value={editing.phone}
                          maxLength={32}
                          onChange={(event) => setEditing({ id: unit.id, phone: event.target.value })}
                        />
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
                {
                  title: '提醒地址',
                  key: 'addresses',
                  render: (_, unit) => (
                    <Space direction="vertical" size={0}>
                      <Typography.Text type={unit.email ? undefined : 'secondary'}>{unit.email ?? '无邮箱'}</Typography.Text>
                      <Typography.Text type={unit.webhook ? undefined : 'secondary'}>
                        {unit.webhook
                          ? `${WEBHOOK_KIND_LABELS[unit.webhook.kind]}（${unit.webhook.host}${unit.webhook.hasSecret ? '，已设签名密钥' : ''}）`
                          : '无群机器人'}
                      </Typography.Text>
                      {failuresOf(unit.id).length > 0 && (
                        <Tooltip
                          title={failuresOf(unit.id).map((f) => (
                            <div key={f.channel}>{failureLine(f)}</div>
                          ))}
                        >
                          <Tag color="red" tabIndex={0} style={{ whiteSpace: 'normal', marginBlock: 2 }}>
                            地址发送失败：
                            {failuresOf(unit.id)
                              .map((f) => `${DELIVERY_CHANNEL_LABELS[f.channel]}（${f.reason}）`)
                              .join('；')}
                          </Tag>
                        </Tooltip>
                      )}
                      <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setAddressing(unit)} aria-label={`设置“${unit.name}”的提醒地址`}>
                        设置
                      </Button>
                    </Space>
                  ),
                },
              ]}
            />
            <UnitAddressesModal unit={addressing} failures={addressing ? failuresOf(addressing.id) : []} onClose={() => setAddressing(null)} />
            <MembersModal group={grouping} units={units.data ?? []} onClose={() => setGrouping(null)} />
          </>
        )}
      </QueryState>
    </div>
  );
}

/** 邮件：原因（2017年10月16日 17:00，自上次发送成功以来失败 2 条）. */
export function failureLine(failure: DeliveryFailureView): string {
  return `${DELIVERY_CHANNEL_LABELS[failure.channel]}：${failure.reason}（${formatDateTime(failure.failedAt)}，自上次发送成功以来失败 ${failure.failures} 条）`;
}

/**
 * The member units of one collective unit: chosen from the units that are not groups themselves
 * (the server refuses those and the group itself too), saved after a one-line confirmation.
 */
function MembersModal({ group, units, onClose }: { group: UnitView | null; units: UnitView[]; onClose: () => void }) {
  const { setMembers } = useUnitActions();
  const { message, modal } = App.useApp();
  const [chosen, setChosen] = useState<number[] | null>(null);
  const value = chosen ?? group?.members.map((member) => member.id) ?? [];
  const options = units.filter((unit) => !unit.collective).map((unit) => ({ value: unit.id, label: unit.name }));
  const nameOf = (id: number) => units.find((unit) => unit.id === id)?.name ?? String(id);
  const close = () => (setChosen(null), setMembers.reset(), onClose());
  const save = () => {
    if (!group) return;
    modal.confirm({
      title: '保存成员单位？',
      content:
        value.length > 0
          ? `“${group.name}”由 ${value.length} 个单位填报：${value.map(nameOf).join('、')}（今后发起的调度生效）`
          : `“${group.name}”不设成员单位，由办公室自行填写（今后发起的调度生效）`,
      okText: '保存',
      cancelText: '取消',
      onOk: () =>
        setMembers.mutateAsync({ unitId: group.id, memberUnitIds: value }).then(
          () => (message.success('成员单位已保存'), close()),
          (error: unknown) => void message.error(describeError(error)),
        ),
    });
  };
  return (
    <Modal open={group !== null} title={group ? `“${group.name}”的成员单位` : ''} okText="保存" cancelText="取消" onOk={save} onCancel={close} destroyOnHidden>
      {setMembers.error && <Typography.Paragraph type="danger">{describeError(setMembers.error)}</Typography.Paragraph>}
      <Typography.Paragraph type="secondary">成员单位代集体单位填报它的任务；集体单位本身不能作为成员。已在进行中的调度不受影响。</Typography.Paragraph>
      <Select
        mode="multiple"
        aria-label="成员单位"
        style={{ width: '100%' }}
        value={value}
        options={options}
        onChange={(ids: number[]) => setChosen(ids)}
        showSearch={{ optionFilterProp: 'label' }}
        placeholder="选择成员单位"
      />
    </Modal>
  );
}
