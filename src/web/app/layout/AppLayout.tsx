import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  BankOutlined,
  KeyOutlined,
  SafetyOutlined,
  IdcardOutlined,
  SettingOutlined,
  TeamOutlined,
  DashboardOutlined,
  EditOutlined,
  LogoutOutlined,
  ClusterOutlined,
  MenuOutlined,
  ScheduleOutlined,
  SearchOutlined,
  StarOutlined,
  GlobalOutlined,
} from '@ant-design/icons';
import { App, Badge, Button, Drawer, Flex, Grid, Input, Layout, Menu, Typography, type MenuProps } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { roleLabelOf, type Role } from '../../../domain/api/roles.ts';
import { NEUTRAL_WORDS, type OrganisationWords } from '../../../domain/organisation-profile.ts';
import { useUnreadNotifications } from '../../features/notifications/api/notifications.ts';
import { api, describeError } from '../../lib/api.ts';
import { useOrganisation } from '../../lib/organisation.ts';
import { useCurrentUser, useSession, useSetSession } from '../../lib/session.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { preloadPages } from '../pages.ts';

interface NavItem {
  path: string;
  label: string;
  icon: ReactNode;
}

/** The side menu of each role: only what the role can do. */
function navigationFor(role: Role, words: OrganisationWords): NavItem[] {
  const plans = { path: '/plans', label: '分工方案', icon: <ApartmentOutlined /> };
  const search = { path: '/search', label: '全文搜索', icon: <SearchOutlined /> };
  const notifications = { path: '/notifications', label: '通知消息', icon: <BellOutlined /> };
  const board = { path: '/board', label: '催办看板', icon: <DashboardOutlined /> };
  const dashboard = { path: '/dashboard', label: '看板', icon: <BarChartOutlined /> };
  switch (role) {
    case 'reporter':
    case 'unit_head':
      return [{ path: '/todo', label: '我的填报', icon: <EditOutlined /> }, plans, notifications, search];
    case 'office':
      return [{ path: '/rounds', label: '调度轮次', icon: <ScheduleOutlined /> }, board, dashboard, plans, notifications, search];
    case 'leader':
      return [{ path: '/leader', label: '我分管的', icon: <StarOutlined /> }, dashboard, board, plans, notifications, search];
    case 'supervisor':
      return [{ path: '/province', label: '全省汇总', icon: <GlobalOutlined /> }];
    case 'audit_admin':
      return [{ path: '/audit', label: '审计日志', icon: <AuditOutlined /> }];
    case 'system_admin':
      return [
        { path: '/admin/accounts', label: '账号管理', icon: <TeamOutlined /> },
        { path: '/admin/units', label: `${words.unit}管理`, icon: <BankOutlined /> },
        { path: '/admin/organisation-profile', label: '单位信息', icon: <IdcardOutlined /> },
        { path: '/admin/settings', label: '系统设置', icon: <SettingOutlined /> },
      ];
    case 'platform_admin':
      return [{ path: '/platform/organisations', label: '组织管理', icon: <ClusterOutlined /> }];
    case 'security_admin':
      return [
        { path: '/admin/accounts', label: '账号与角色', icon: <TeamOutlined /> },
        { path: '/admin/password-policy', label: '密码策略', icon: <SafetyOutlined /> },
      ];
    default:
      return [];
  }
}

function selectedKey(pathname: string, items: NavItem[]): string[] {
  if (/^\/rounds\/\d+\/board/.test(pathname)) return ['/board'];
  if (pathname.startsWith('/tasks/')) return ['/plans'];
  const match = items.filter((item) => pathname === item.path || pathname.startsWith(`${item.path}/`));
  return match.length ? [match[0]!.path] : [];
}

export function AppLayout() {
  const user = useCurrentUser();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const isDesktop = screens.lg ?? true;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const setSession = useSetSession();
  const { message } = App.useApp();
  // Everyone who can be told something: units, the office, leaders (not the three admin roles).
  const hasBell = user.role === 'reporter' || user.role === 'unit_head' || user.role === 'office' || user.role === 'leader';
  const session = useSession().data;
  const restricted = session?.restriction ?? null;
  // The organisation whose data this session reaches (decision 028): named in the header.
  const organisationName = session?.organisation.name ?? null;
  const unread = useUnreadNotifications(hasBell && restricted === null);
  // The organisation's words and clock, read once before any page shows a label or a date.
  const organisation = useOrganisation(restricted === null);
  const words = organisation.data?.words ?? NEUTRAL_WORDS;

  useEffect(() => {
    const timer = window.setTimeout(preloadPages, 1500);
    return () => window.clearTimeout(timer);
  }, []);

  // Everyone's own account; a restricted session (first login, admin without TOTP) sees only these.
  const accountItems: NavItem[] = [
    { path: '/account/password', label: '修改密码', icon: <KeyOutlined /> },
    { path: '/account/totp', label: '动态验证码', icon: <SafetyOutlined /> },
  ];
  const items = restricted ? accountItems : [...navigationFor(user.role, words), ...accountItems];
  const menuItems: MenuProps['items'] = items.map((item) => ({
    key: item.path,
    icon: item.icon,
    label:
      item.path === '/notifications' && unread > 0 ? (
        <Flex justify="space-between" align="center">
          {item.label}
          <Badge count={unread} size="small" />
        </Flex>
      ) : (
        item.label
      ),
  }));

  const menu = (
    <Menu
      mode="inline"
      theme={isDesktop ? 'dark' : 'light'}
      items={menuItems}
      selectedKeys={selectedKey(location.pathname, items)}
      onClick={({ key }) => {
        setDrawerOpen(false);
        void navigate(key);
      }}
      aria-label="主菜单"
    />
  );

  const logout = async () => {
    try {
      await api.POST('/api/auth/logout', { body: {}, allowUnauthenticated: true });
    } catch (error) {
      message.error(describeError(error));
    }
    setSession(null);
    void navigate('/login', { replace: true });
  };

  const who = [user.displayName, user.unit?.name, roleLabelOf(user.role, words)].filter(Boolean);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {isDesktop && (
        <Layout.Sider width={208} style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}>
          <div style={{ color: '#fff', padding: '18px 20px', fontSize: 18, fontWeight: 600, letterSpacing: 2 }}>调度</div>
          {menu}
        </Layout.Sider>
      )}
      <Drawer
        open={!isDesktop && drawerOpen}
        onClose={() => setDrawerOpen(false)}
        placement="left"
        size={260}
        title={
          <div>
            <div>{user.displayName}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
              {who.slice(1).join(' · ')}
            </Typography.Text>
          </div>
        }
        styles={{ body: { padding: 0 } }}
      >
        {menu}
      </Drawer>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: isDesktop ? '0 24px' : '0 12px',
            display: 'flex',
            alignItems: 'center',
            gap: 12,
            borderBottom: '1px solid #f0f0f0',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          {!isDesktop && <Button type="text" icon={<MenuOutlined />} aria-label="打开菜单" onClick={() => setDrawerOpen(true)} />}
          <Typography.Text strong style={{ fontSize: 16, whiteSpace: 'nowrap' }}>
            {isDesktop ? '任务分工与推进调度系统' : '调度'}
          </Typography.Text>
          {organisationName && (
            <Typography.Text type="secondary" aria-label="当前单位" style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 }}>
              {organisationName}
            </Typography.Text>
          )}
          <div style={{ flex: 1 }} />
          {isDesktop && items.some((item) => item.path === '/search') && (
            <Input.Search
              placeholder="搜索任务和推进情况"
              aria-label="全文搜索"
              allowClear
              style={{ maxWidth: 280 }}
              onSearch={(value) => {
                if (value.trim()) void navigate(`/search?q=${encodeURIComponent(value.trim())}`);
              }}
            />
          )}
          {hasBell && restricted === null && (
            <Badge count={unread} size="small" offset={[-4, 4]}>
              <Button
                type="text"
                icon={<BellOutlined />}
                aria-label={unread ? `通知消息（${unread}条未读）` : '通知消息'}
                onClick={() => void navigate('/notifications')}
              />
            </Badge>
          )}
          {isDesktop && (
            <span style={{ whiteSpace: 'nowrap' }} aria-label="当前用户">
              <Typography.Text strong>{user.displayName}</Typography.Text>
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                {who.slice(1).join(' · ')}
              </Typography.Text>
            </span>
          )}
          <Button icon={<LogoutOutlined />} onClick={() => void logout()}>
            退出
          </Button>
        </Layout.Header>
        <Layout.Content className="app-content">{restricted === null && organisation.isPending ? <PageLoading /> : <Outlet />}</Layout.Content>
      </Layout>
    </Layout>
  );
}
