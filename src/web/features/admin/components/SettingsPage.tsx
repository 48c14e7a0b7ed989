import { Alert, Descriptions } from 'antd';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { useSystemSettings } from '../api/admin.ts';

const yes = (value: boolean) => (value ? '是' : '否');

/** 系统设置 (system admin): the running configuration, read-only (it is set in the server's environment). */
export function SettingsPage() {
  const settings = useSystemSettings();
  return (
    <div style={{ maxWidth: 760 }}>
      <PageTitle title="系统设置" subtitle="运行中的配置（由服务器环境变量设定，修改后重启生效）" />
      <QueryState isPending={settings.isPending} error={settings.error} retry={() => void settings.refetch()}>
        {() => {
          const s = settings.data!;
          return (
            <>
              {!s.totpSecretsSealed && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 16 }}
                  title="未设置 DIAODU_TOTP_KEY：动态验证码密钥与群机器人地址、签名密钥未加密保存，正式部署请设置。"
                />
              )}
              {s.demo && (
                <Alert type="warning" showIcon style={{ marginBottom: 16 }} title="演示模式已开启（DIAODU_DEMO）：演示账号的密码是公开的，正式部署请关闭。" />
              )}
              <Descriptions bordered column={1} size="middle">
                <Descriptions.Item label="数据库">{s.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'}</Descriptions.Item>
                <Descriptions.Item label="HTTPS（TLS）">{yes(s.tls)}</Descriptions.Item>
                <Descriptions.Item label="经由反向代理">{yes(s.trustProxy)}</Descriptions.Item>
                <Descriptions.Item label="会话空闲超时">{s.session.idleMinutes} 分钟</Descriptions.Item>
                <Descriptions.Item label="会话最长时间">{s.session.absoluteHours} 小时</Descriptions.Item>
                <Descriptions.Item label="账号锁定">
                  连续 {s.login.maxFailures} 次登录失败锁定 {s.login.lockMinutes} 分钟
                </Descriptions.Item>
                <Descriptions.Item label="按地址限制">
                  同一地址 {s.login.ipWindowMinutes} 分钟内失败 {s.login.ipMaxFailures} 次后暂停登录
                </Descriptions.Item>
                <Descriptions.Item label="动态验证码与群机器人密钥加密">{yes(s.totpSecretsSealed)}</Descriptions.Item>
              </Descriptions>
            </>
          );
        }}
      </QueryState>
    </div>
  );
}
