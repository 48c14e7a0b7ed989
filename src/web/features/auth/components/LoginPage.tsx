import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import type { SessionView } from '../../../../domain/api/session.ts';
import { ApiError, describeError } from '../../../lib/api.ts';
import { useSession, useSetSession } from '../../../lib/session.ts';
import { NativeSelect } from '../../../components/NativeSelect.tsx';
import { useLogin, useLoginOrganisations, type Credentials } from '../api/login.ts';

/** The organisation last chosen on this browser (decision 028), offered again next time. */
const LAST_ORGANISATION = 'diaodu.loginOrganisation';

function lastOrganisation(): string | null {
  try {
    return window.localStorage.getItem(LAST_ORGANISATION);
  } catch {
    return null;
  }
}

/** Only paths inside the app: never send the user to another site after login. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

/** Where a session lands: the one step a restricted session must take first, else the page asked for. */
function landing(session: SessionView, next: string): string {
  return session.restriction === 'password_change' ? '/account/password' : session.restriction === 'totp_enrolment' ? '/account/totp' : next;
}

/** The server's own Chinese message (wrong password, locked account) where it gives one. */
function loginErrorMessage(error: unknown): string {
  if (error instanceof ApiError && !/[\u4e00-\u9fff]/.test(error.message) && [400, 401, 422].includes(error.status)) return '用户名或密码错误';
  if (error instanceof ApiError && error.code === 'totp_required') return '请输入身份验证器中的 6 位动态验证码';
  return describeError(error);
}

export function LoginPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const setSession = useSetSession();
  const login = useLogin();
  const next = safeNext(params.get('next'));
  const expired = params.get('expired') === '1';
  // Shown once the server says the account has a second factor (after a right password).
  const [askCode, setAskCode] = useState(false);
  // With one organisation the page is as it always was; with several, a 单位 picker comes first.
  const organisations = useLoginOrganisations();
  const choices = organisations.data ?? [];
  const [chosen, setChosen] = useState<string | null>(lastOrganisation);
  const organisation = choices.length > 1 ? (choices.find((choice) => choice.code === chosen)?.code ?? choices[0]!.code) : null;

  useEffect(() => {
    document.title = '登录 - 调度';
  }, []);

  // Also what renders right after a login (the session is set before the navigation below is done).
  if (session.data) return <Navigate to={landing(session.data, next)} replace />;

  const onFinish = (values: Credentials) => {
    login.mutate(
      {
        username: values.username.trim(),
        password: values.password,
        ...(askCode && values.code ? { code: values.code.trim() } : {}),
        ...(organisation && organisation !== choices[0]?.code ? { organisation } : {}),
      },
      {
        onSuccess: (result) => {
          try {
            if (organisation) window.localStorage.setItem(LAST_ORGANISATION, organisation);
          } catch {
            // A browser that keeps nothing asks again next time.
          }
          setSession(result);
          void navigate(landing(result, next), { replace: true });
        },
        onError: (error) => {
          if (error instanceof ApiError && (error.code === 'totp_required' || error.code === 'totp_invalid')) setAskCode(true);
        },
      },
    );
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
        background: 'linear-gradient(160deg, #1f4e8c 0%, #3a6fb5 45%, #eef3fa 45%)',
      }}
    >
      <Card style={{ width: '100%', maxWidth: 400, boxShadow: '0 8px 24px rgba(0,0,0,0.12)' }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <Typography.Title level={2} style={{ marginBottom: 4, letterSpacing: 4 }}>
            调度
          </Typography.Title>
          <Typography.Text type="secondary">任务分工与推进调度系统</Typography.Text>
        </div>
        {expired && !login.error && (
          <Alert type="warning" showIcon title="登录已过期，请重新登录。未保存的填报内容已保留在本机，登录后会自动恢复。" style={{ marginBottom: 16 }} />
        )}
        {login.error && <Alert type="error" showIcon title={loginErrorMessage(login.error)} style={{ marginBottom: 16 }} />}
        <Form<Credentials> layout="vertical" onFinish={onFinish} requiredMark={false} size="large" autoComplete="on">
          {organisation && (
            <Form.Item label="单位" required>
              <NativeSelect
                aria-label="单位"
                value={organisation}
                onChange={setChosen}
                options={choices.map((choice) => ({ value: choice.code, label: choice.name }))}
              />
            </Form.Item>
          )}
          <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus maxLength={64} />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={256} />
          </Form.Item>
          {askCode && (
            <Form.Item label="动态验证码" name="code" rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: '请输入 6 位动态验证码' }]}>
              <Input prefix={<SafetyOutlined />} inputMode="numeric" autoComplete="one-time-code" autoFocus maxLength={8} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            登录
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12, textAlign: 'center' }}>
          账户为个人专用，请勿转借。连续 5 次登录失败将锁定 30 分钟。
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
