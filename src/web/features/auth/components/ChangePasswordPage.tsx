import { Alert, Button, Card, Form, Input, List, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { passwordProblems } from '../../../../domain/accounts.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { describeError } from '../../../lib/api.ts';
import { useCurrentUser, useSetSession } from '../../../lib/session.ts';
import { useChangePassword, usePasswordPolicy } from '../api/account.ts';
import { MyDeliveryCard } from './MyDeliveryCard.tsx';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/**
 * 修改密码. At first login (or after a reset) this is the only page the server lets the user
 * reach; afterwards it is in the header for everyone. Other sessions of the account end.
 */
export function ChangePasswordPage() {
  const user = useCurrentUser();
  const policy = usePasswordPolicy();
  const change = useChangePassword();
  const setSession = useSetSession();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const newPassword = Form.useWatch('newPassword', form) ?? '';
  const rules = policy.data;
  const problems = rules && newPassword ? passwordProblems(newPassword, user.username, rules) : [];

  const onFinish = (values: Values) =>
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: (session) => {
          setSession(session);
          void navigate(session.restriction === 'totp_enrolment' ? '/account/totp' : '/', { replace: true });
        },
      },
    );

  return (
    <div style={{ maxWidth: 560 }}>
      <PageTitle title="修改密码" />
      {user.mustChangePassword && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title="首次登录或密码已被重置（或已过期）：请先设置您自己的新密码，之后才能使用系统。" />
      )}
      <Card>
        {rules && (
          <Typography.Paragraph type="secondary">
            密码要求：至少 {rules.minLength} 位；包含大写字母、小写字母、数字、符号中的至少 {rules.minClasses} 类；不能包含用户名
            {rules.history > 0 ? `；不能与最近 ${rules.history} 次使用过的密码相同` : ''}。修改后，您在其他设备上的登录将被结束。
          </Typography.Paragraph>
        )}
        {change.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={describeError(change.error)} />}
        <Form<Values> form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
            <Input.Password autoComplete="current-password" maxLength={256} />
          </Form.Item>
          <Form.Item
            label="新密码"
            name="newPassword"
            rules={[
              { required: true, message: '请输入新密码' },
              { validator: async () => (problems.length ? Promise.reject(new Error(problems.join('；'))) : undefined) },
            ]}
          >
            <Input.Password autoComplete="new-password" maxLength={256} />
          </Form.Item>
          {problems.length > 0 && (
            <List
              size="small"
              style={{ marginTop: -12, marginBottom: 12 }}
              dataSource={problems}
              renderItem={(problem) => <List.Item style={{ color: '#cf1322' }}>{problem}</List.Item>}
            />
          )}
          <Form.Item
            label="再次输入新密码"
            name="confirm"
            dependencies={['newPassword']}
            rules={[
              { required: true, message: '请再次输入新密码' },
              ({ getFieldValue }) => ({
                validator: async (_, value) =>
                  value && value !== getFieldValue('newPassword') ? Promise.reject(new Error('两次输入的新密码不一致')) : undefined,
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" maxLength={256} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={change.isPending}>
            保存新密码
          </Button>
        </Form>
      </Card>
      {!user.mustChangePassword && <MyDeliveryCard />}
    </div>
  );
}
