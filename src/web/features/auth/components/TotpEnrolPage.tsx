import { Alert, Button, Card, Form, Input, Result, Steps, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { ADMIN_ROLES } from '../../../../domain/api/roles.ts';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { describeError } from '../../../lib/api.ts';
import { useCurrentUser, useSetSession } from '../../../lib/session.ts';
import { useConfirmTotp, useStartTotp } from '../api/account.ts';

/**
 * 绑定身份验证器 (TOTP). Required for the three admin roles (the server lets an admin without it
 * reach nothing else), optional for everyone else. The secret is shown as the otpauth:// link
 * and as base32 text to type into an authenticator app; a code from the app confirms it.
 */
export function TotpEnrolPage() {
  const user = useCurrentUser();
  const start = useStartTotp();
  const confirm = useConfirmTotp();
  const setSession = useSetSession();
  const navigate = useNavigate();
  const required = ADMIN_ROLES.includes(user.role);

  if (user.totpEnabled)
    return (
      <div style={{ maxWidth: 640 }}>
        <PageTitle title="动态验证码" />
        <Result status="success" title="已绑定身份验证器" subTitle="登录时须输入身份验证器显示的 6 位动态验证码。如需更换手机，请联系安全管理员重置。" />
      </div>
    );

  return (
    <div style={{ maxWidth: 640 }}>
      <PageTitle title="绑定身份验证器" subtitle="动态验证码（TOTP，每 30 秒更新的 6 位数字）" />
      {required && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title="管理员账号须绑定身份验证器后才能使用管理功能。" />}
      <Card>
        <Steps
          direction="vertical"
          size="small"
          current={start.data ? 1 : 0}
          items={[
            {
              title: '生成密钥',
              description: start.data ? (
                <div>
                  <Typography.Paragraph>
                    在手机上的身份验证器应用（如 FreeOTP、Microsoft Authenticator、Google Authenticator）中添加账户，输入下面的密钥，或打开链接：
                  </Typography.Paragraph>
                  <Typography.Paragraph>
                    密钥：
                    <Typography.Text code copyable aria-label="密钥" data-testid="totp-secret">
                      {start.data.secret}
                    </Typography.Text>
                  </Typography.Paragraph>
                  <Typography.Paragraph style={{ wordBreak: 'break-all' }}>
                    链接：
                    <Typography.Text copyable>{start.data.uri}</Typography.Text>
                  </Typography.Paragraph>
                </div>
              ) : (
                <Button type="primary" onClick={() => start.mutate()} loading={start.isPending}>
                  生成密钥
                </Button>
              ),
            },
            {
              title: '输入验证码确认',
              description: start.data && (
                <Form<{ code: string }>
                  layout="inline"
                  onFinish={({ code }) =>
                    confirm.mutate(code.trim(), {
                      onSuccess: (session) => {
                        setSession(session);
                        void navigate('/', { replace: true });
                      },
                    })
                  }
                >
                  <Form.Item label="动态验证码" name="code" rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: '请输入 6 位数字' }]}>
                    <Input inputMode="numeric" autoComplete="one-time-code" maxLength={8} style={{ width: 140 }} />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" loading={confirm.isPending}>
                    确认绑定
                  </Button>
                </Form>
              ),
            },
          ]}
        />
        {(start.error || confirm.error) && <Alert type="error" showIcon style={{ marginTop: 16 }} title={describeError(start.error ?? confirm.error)} />}
      </Card>
    </div>
  );
}
