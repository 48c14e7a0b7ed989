import { App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { AccountView, TemporaryPasswordView } from '../../../../domain/api/admin.ts';
import { ADMIN_ROLES, roleLabelOf, ROLES, UNIT_ROLES, type Role } from '../../../../domain/api/roles.ts';
import type { OrganisationWords } from '../../../../domain/organisation-profile.ts';
import { NativeSelect } from '../../../components/NativeSelect.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { describeError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useWords } from '../../../lib/organisation.ts';
import { useCurrentUser } from '../../../lib/session.ts';
import { useAccountAction, useAccounts, useUnits, type NewAccount } from '../api/admin.ts';

/** Roles an admin may give on this screen: business roles only (admins and the province's supervisor come from the CLI, decision 030), in the organisation's words. */
const businessRoles = (words: OrganisationWords) =>
  ROLES.filter((role) => !ADMIN_ROLES.includes(role) && role !== 'supervisor').map((role) => ({ value: role, label: roleLabelOf(role, words) }));

/**
 * 账号管理. The system admin creates business accounts, disables and enables them and resets
 * passwords; the security admin changes roles, unlocks and resets second factors. Admin
 * accounts are listed but managed by the operator through `diaodu user`.
 */
export function AccountsPage() {
  const user = useCurrentUser();
  const words = useWords();
  const isSystem = user.role === 'system_admin';
  const isSecurity = user.role === 'security_admin';
  const accounts = useAccounts();
  const units = useUnits();
  const actions = useAccountAction();
  const { message, modal } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [roleOf, setRoleOf] = useState<AccountView | null>(null);
  const [issued, setIssued] = useState<TemporaryPasswordView | null>(null);
  const unitOptions = (units.data ?? []).map((unit) => ({ value: String(unit.id), label: unit.name }));

  const run = (label: string, promise: Promise<unknown>) =>
    promise.then(
      () => message.success(`${label}：已完成`),
      (error: unknown) => message.error(describeError(error)),
    );

  const columns = [
    { title: '用户名', dataIndex: 'username', key: 'username' },
    { title: '姓名', dataIndex: 'displayName', key: 'displayName' },
    { title: '角色', key: 'role', render: (_: unknown, a: AccountView) => roleLabelOf(a.role, words) },
    { title: words.unit, key: 'unit', render: (_: unknown, a: AccountView) => a.unit?.name ?? '—' },
    {
      title: '状态',
      key: 'state',
      render: (_: unknown, a: AccountView) => (
        <Space size={4} wrap>
          {a.disabled && <Tag color="default">已停用</Tag>}
          {a.lockedUntil && <Tag color="red">锁定至 {formatDateTime(a.lockedUntil)}</Tag>}
          {a.mustChangePassword && <Tag color="orange">待改密码</Tag>}
          {a.totpEnabled && <Tag color="green">动态验证码</Tag>}
          {a.managedByCli && <Tag color="blue">三员（命令行管理）</Tag>}
          {!a.disabled && !a.lockedUntil && !a.mustChangePassword && !a.managedByCli && <Tag color="success">正常</Tag>}
        </Space>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      render: (_: unknown, a: AccountView) =>
        a.managedByCli || a.id === user.id ? null : (
          <Space size={0} wrap>
            {isSystem && (
              <Button
                type="link"
                onClick={() => void run(a.disabled ? '启用' : '停用', actions.action.mutateAsync({ userId: a.id, action: a.disabled ? 'enable' : 'disable' }))}
              >
                {a.disabled ? '启用' : '停用'}
              </Button>
            )}
            {isSystem && (
              <Button
                type="link"
                onClick={() =>
                  modal.confirm({
                    title: `重置 ${a.displayName} 的密码？`,
                    content: '将生成一次性临时密码，其当前登录全部结束，下次登录须修改密码。',
                    okText: '重置',
                    cancelText: '取消',
                    onOk: () => actions.resetPassword.mutateAsync(a.id).then(setIssued, (error: unknown) => void message.error(describeError(error))),
                  })
                }
              >
                重置密码
              </Button>
            )}
            {isSecurity && a.lockedUntil && (
              <Button type="link" onClick={() => void run(`解锁 ${a.username}`, actions.action.mutateAsync({ userId: a.id, action: 'unlock' }))}>
                解锁
              </Button>
            )}
            {isSecurity && (
              <Button type="link" onClick={() => setRoleOf(a)}>
                变更角色
              </Button>
            )}
            {isSecurity && a.totpEnabled && (
              <Button type="link" onClick={() => void run('重置动态验证码', actions.action.mutateAsync({ userId: a.id, action: 'reset-totp' }))}>
                重置动态验证码
              </Button>
            )}
          </Space>
        ),
    },
  ];

  return (
    <div>
      <PageTitle
        title="账号管理"
        subtitle={isSystem ? '新建、停用业务账号，重置密码' : '变更角色、解锁、重置动态验证码'}
        extra={
          isSystem && (
            <Button type="primary" onClick={() => setCreating(true)}>
              新建账号
            </Button>
          )
        }
      />
      <QueryState isPending={accounts.isPending} error={accounts.error} retry={() => void accounts.refetch()}>
        {() => (
          <Table<AccountView>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={accounts.data}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: true }}
          />
        )}
      </QueryState>
      <CreateAccountModal
        open={creating}
        onClose={() => setCreating(false)}
        unitOptions={unitOptions}
        onCreated={(view) => (setCreating(false), setIssued(view))}
      />
      <RoleModal account={roleOf} onClose={() => setRoleOf(null)} unitOptions={unitOptions} />
      <Modal
        open={issued !== null}
        title="临时密码"
        onOk={() => setIssued(null)}
        onCancel={() => setIssued(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText="已记下"
      >
        {issued && (
          <>
            <Typography.Paragraph>
              账号 <Typography.Text strong>{issued.account.username}</Typography.Text>（{issued.account.displayName}
              ）的临时密码只显示这一次，请当面或电话告知本人；首次登录须修改。
            </Typography.Paragraph>
            <Typography.Paragraph>
              <Typography.Text code copyable data-testid="temporary-password" style={{ fontSize: 18 }}>
                {issued.temporaryPassword}
              </Typography.Text>
            </Typography.Paragraph>
          </>
        )}
      </Modal>
    </div>
  );
}

function CreateAccountModal({
  open,
  onClose,
  onCreated,
  unitOptions,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (view: TemporaryPasswordView) => void;
  unitOptions: { value: string; label: string }[];
}) {
  const [form] = Form.useForm<{ username: string; displayName: string; phone?: string }>();
  const [role, setRole] = useState<Role | null>(null);
  const [unit, setUnit] = useState<string | null>(null);
  const { create } = useAccountAction();
  const words = useWords();
  const submit = async () => {
    const values = await form.validateFields();
    if (!role) return;
    const body: NewAccount = {
      username: values.username.trim(),
      displayName: values.displayName.trim(),
      role,
      unitId: unit ? Number(unit) : null,
      phone: values.phone?.trim() || null,
    };
    create.mutate(body, { onSuccess: (view) => (form.resetFields(), setRole(null), setUnit(null), onCreated(view)) });
  };
  return (
    <Modal
      open={open}
      title="新建账号"
      okText="创建"
      cancelText="取消"
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      {create.error && <Typography.Paragraph type="danger">{describeError(create.error)}</Typography.Paragraph>}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]} extra="小写字母、数字、“.”“_”“-”，2–32 位">
          <Input maxLength={32} autoComplete="off" />
        </Form.Item>
        <Form.Item label="姓名" name="displayName" rules={[{ required: true, message: '请输入姓名' }]}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item label="角色" required>
          <NativeSelect aria-label="角色" value={role} onChange={setRole} options={businessRoles(words)} placeholder="请选择角色" />
        </Form.Item>
        {role && UNIT_ROLES.includes(role) && (
          <Form.Item label={words.unit} required>
            <NativeSelect aria-label={words.unit} value={unit} onChange={setUnit} options={unitOptions} placeholder={`请选择${words.unit}`} />
          </Form.Item>
        )}
        <Form.Item label="电话" name="phone">
          <Input maxLength={32} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RoleModal({ account, onClose, unitOptions }: { account: AccountView | null; onClose: () => void; unitOptions: { value: string; label: string }[] }) {
  const [role, setRole] = useState<Role | null>(null);
  const [unit, setUnit] = useState<string | null>(null);
  const { changeRole } = useAccountAction();
  const { message } = App.useApp();
  const words = useWords();
  const chosenRole = role ?? account?.role ?? null;
  const chosenUnit = unit ?? (account?.unit ? String(account.unit.id) : null);
  const close = () => (setRole(null), setUnit(null), changeRole.reset(), onClose());
  return (
    <Modal
      open={account !== null}
      title={account ? `变更角色：${account.displayName}（${account.username}）` : ''}
      okText="保存"
      cancelText="取消"
      confirmLoading={changeRole.isPending}
      onCancel={close}
      onOk={() => {
        if (!account || !chosenRole) return;
        changeRole.mutate(
          { userId: account.id, role: chosenRole, unitId: UNIT_ROLES.includes(chosenRole) && chosenUnit ? Number(chosenUnit) : null },
          { onSuccess: () => (message.success('角色已变更，其当前登录已结束'), close()) },
        );
      }}
    >
      {changeRole.error && <Typography.Paragraph type="danger">{describeError(changeRole.error)}</Typography.Paragraph>}
      <Form layout="vertical">
        <Form.Item label="角色">
          <NativeSelect aria-label="新角色" value={chosenRole} onChange={setRole} options={businessRoles(words)} />
        </Form.Item>
        {chosenRole && UNIT_ROLES.includes(chosenRole) && (
          <Form.Item label={words.unit}>
            <NativeSelect aria-label={`新${words.unit}`} value={chosenUnit} onChange={setUnit} options={unitOptions} />
          </Form.Item>
        )}
      </Form>
      <Typography.Text type="secondary">三员角色不能在此授予或变更。</Typography.Text>
    </Modal>
  );
}
