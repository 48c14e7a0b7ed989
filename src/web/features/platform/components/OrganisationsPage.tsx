import { App, Button, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { OrganisationAdminView, OrganisationCreatedView } from '../../../../domain/api/organisation-view.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { describeError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useOrganisationActions, useOrganisations, type NewOrganisation } from '../api/organisations.ts';

/**
 * 组织管理 (decision 028): the platform administrator creates organisations — each with its own
 * data, its first system administrator and a temporary password shown once — and archives them.
 * It sees how many accounts, plans and rounds each holds, never their contents.
 */
export function OrganisationsPage() {
  const organisations = useOrganisations();
  const { archive } = useOrganisationActions();
  const { message, modal } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<OrganisationCreatedView | null>(null);

  const columns = [
    { title: '单位名称', dataIndex: 'name', key: 'name' },
    { title: '单位代码', dataIndex: 'code', key: 'code', render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
    { title: '账号', dataIndex: 'accounts', key: 'accounts', align: 'right' as const },
    { title: '分工方案', dataIndex: 'plans', key: 'plans', align: 'right' as const },
    { title: '调度轮次', dataIndex: 'rounds', key: 'rounds', align: 'right' as const },
    {
      title: '状态',
      key: 'state',
      render: (_: unknown, o: OrganisationAdminView) =>
        o.archivedAt ? <Tag>已归档（{formatDateTime(o.archivedAt)}）</Tag> : o.home ? <Tag color="blue">主单位</Tag> : <Tag color="success">使用中</Tag>,
    },
    {
      title: '操作',
      key: 'actions',
      render: (_: unknown, o: OrganisationAdminView) =>
        o.home || o.archivedAt ? null : (
          <Button
            type="link"
            danger
            onClick={() =>
              modal.confirm({
                title: `归档“${o.name}”？`,
                content: '归档后该单位的账号不能再登录，正在使用的会话立即失效；数据保留。',
                okText: '归档',
                okButtonProps: { danger: true },
                cancelText: '取消',
                onOk: () =>
                  archive.mutateAsync(o.id).then(
                    () => void message.success(`已归档：${o.name}`),
                    (error: unknown) => void message.error(describeError(error)),
                  ),
              })
            }
          >
            归档
          </Button>
        ),
    },
  ];

  return (
    <div>
      <PageTitle
        title="组织管理"
        subtitle="各单位的数据相互独立；平台管理员只见各单位的账号、方案与轮次数"
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            新建组织
          </Button>
        }
      />
      <QueryState isPending={organisations.isPending} error={organisations.error} retry={() => void organisations.refetch()}>
        {() => (
          <Table<OrganisationAdminView>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={organisations.data}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: true }}
          />
        )}
      </QueryState>
      <CreateOrganisationModal open={creating} onClose={() => setCreating(false)} onCreated={(view) => (setCreating(false), setIssued(view))} />
      <Modal
        open={issued !== null}
        title="新组织的首位系统管理员"
        onOk={() => setIssued(null)}
        onCancel={() => setIssued(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText="已记下"
      >
        {issued && (
          <div>
            <Typography.Paragraph>
              已新建 <Typography.Text strong>{issued.organisation.name}</Typography.Text>（单位代码{' '}
              <Typography.Text code>{issued.organisation.code}</Typography.Text>）。
            </Typography.Paragraph>
            <Typography.Paragraph>
              系统管理员 <Typography.Text strong>{issued.admin.displayName}</Typography.Text>（用户名 {issued.admin.username}
              ）的临时密码只显示这一次，请当面或电话告知本人；登录时选择该单位，首次登录须修改密码并绑定身份验证器。
            </Typography.Paragraph>
            <Typography.Text code copyable data-testid="temporary-password" style={{ fontSize: 18 }}>
              {issued.temporaryPassword}
            </Typography.Text>
          </div>
        )}
      </Modal>
    </div>
  );
}

function CreateOrganisationModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (view: OrganisationCreatedView) => void }) {
  const [form] = Form.useForm<NewOrganisation>();
  const { create } = useOrganisationActions();
  const { modal } = App.useApp();
  const submit = async () => {
    const values = await form.validateFields();
    const body: NewOrganisation = {
      code: values.code.trim(),
      name: values.name.trim(),
      adminUsername: values.adminUsername.trim(),
      adminName: values.adminName.trim(),
    };
    modal.confirm({
      title: `新建组织“${body.name}”？`,
      content: `单位代码 ${body.code}，首位系统管理员 ${body.adminName}（${body.adminUsername}）。`,
      okText: '新建',
      cancelText: '取消',
      onOk: () =>
        create.mutateAsync(body).then(
          (view) => (form.resetFields(), onCreated(view)),
          () => undefined,
        ),
    });
  };
  return (
    <Modal
      open={open}
      title="新建组织"
      okText="新建"
      cancelText="取消"
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      {create.error && <Typography.Paragraph type="danger">{describeError(create.error)}</Typography.Paragraph>}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item label="单位名称" name="name" rules={[{ required: true, whitespace: true, message: '请输入单位名称' }]} extra="全称，如 某市生态环境局">
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          label="单位代码"
          name="code"
          rules={[{ required: true, pattern: /^\s*[a-z][a-z0-9-]{1,31}\s*$/, message: '2–32 位小写字母、数字或“-”，以字母开头' }]}
          extra="登录时选择单位用，如 demo-city"
        >
          <Input maxLength={32} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label="首位系统管理员的用户名"
          name="adminUsername"
          rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}
          extra="小写字母、数字、“.”“_”“-”，2–32 位"
        >
          <Input maxLength={32} autoComplete="off" />
        </Form.Item>
        <Form.Item label="首位系统管理员的姓名" name="adminName" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
          <Input maxLength={32} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
