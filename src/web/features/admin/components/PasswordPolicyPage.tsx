import { Alert, App, Button, Card, Form, InputNumber, Typography } from 'antd';
import { PasswordPolicyLimits, type PasswordPolicy } from '../../../../domain/accounts.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { describeError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useAdminPasswordPolicy, useSetPasswordPolicy } from '../api/admin.ts';

/** 密码策略 (security admin): applies to every new password from now on; audited. */
export function PasswordPolicyPage() {
  const policy = useAdminPasswordPolicy();
  const save = useSetPasswordPolicy();
  const { message } = App.useApp();
  const L = PasswordPolicyLimits;
  return (
    <div style={{ maxWidth: 560 }}>
      <PageTitle title="密码策略" subtitle="对之后设置的每个新密码生效" />
      <QueryState isPending={policy.isPending} error={policy.error} retry={() => void policy.refetch()}>
        {() => (
          <Card>
            <Typography.Paragraph type="secondary">
              {policy.data!.customised ? `由 ${policy.data!.updatedBy} 于 ${formatDateTime(policy.data!.updatedAt)} 设置。` : '当前为服务器配置的默认值。'}
              密码始终不能包含用户名。
            </Typography.Paragraph>
            {save.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={describeError(save.error)} />}
            <Form<PasswordPolicy>
              layout="vertical"
              initialValues={policy.data}
              onFinish={(values) => save.mutate(values, { onSuccess: () => void message.success('密码策略已保存') })}
            >
              <Form.Item label="最小长度（位）" name="minLength" rules={[{ required: true }]}>
                <InputNumber min={L.minLength.min} max={L.minLength.max} precision={0} />
              </Form.Item>
              <Form.Item label="至少包含几类字符（大写、小写、数字、符号）" name="minClasses" rules={[{ required: true }]}>
                <InputNumber min={L.minClasses.min} max={L.minClasses.max} precision={0} />
              </Form.Item>
              <Form.Item label="不得与最近几次的密码相同（0 为不检查）" name="history" rules={[{ required: true }]}>
                <InputNumber min={L.history.min} max={L.history.max} precision={0} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                保存
              </Button>
            </Form>
          </Card>
        )}
      </QueryState>
    </div>
  );
}
