import { Button, Card, Empty, Flex, List, Popconfirm, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { useCurrentUser } from '../../../lib/session.ts';
import { linkOf, NOTIFICATION_KIND_LABELS, useMarkAllRead, useMarkRead, useNotifications, type NotificationItem } from '../api/notifications.ts';
import { formatDateTime } from '../../../lib/format.ts';

const KIND_COLOURS: Record<string, string> = {
  reminder: 'orange',
  returned: 'red',
  answer_returned: 'red',
  awaiting_approval: 'gold',
  accepted: 'green',
  instruction: 'purple',
  instruction_feedback: 'purple',
  round_voided: 'default',
  notice_signoff: 'blue',
};

/**
 * The signed-in user's notifications. Read state is kept on the server per person, so the bell
 * agrees on every device; opening one (or 标为已读) marks it read for this user only.
 */
export function NotificationsPage() {
  const user = useCurrentUser();
  const navigate = useNavigate();
  const query = useNotifications();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const unread = query.data?.filter((item) => !item.readAt).length ?? 0;

  const open = (item: NotificationItem, to: string) => {
    if (!item.readAt) markRead.mutate(item.id);
    void navigate(to);
  };

  return (
    <>
      <PageTitle
        title="通知消息"
        subtitle="调度通知、催办、退回意见、领导批示与落实反馈"
        extra={
          unread > 0 ? (
            <Popconfirm title={`将 ${unread} 条未读通知全部标为已读？`} okText="全部标为已读" cancelText="取消" onConfirm={() => markAll.mutateAsync()}>
              <Button loading={markAll.isPending}>全部标为已读</Button>
            </Popconfirm>
          ) : null
        }
      />
      <Card>
        <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
          {() =>
            query.data!.length === 0 ? (
              <Empty description="暂无通知" />
            ) : (
              <List
                itemLayout="horizontal"
                dataSource={query.data!}
                renderItem={(item) => {
                  const link = linkOf(item, user.role);
                  return (
                    <List.Item
                      style={item.readAt ? undefined : { background: '#f0f5ff', paddingInline: 8 }}
                      actions={[
                        ...(link
                          ? [
                              <Button key="go" size="small" type="link" onClick={() => open(item, link.to)}>
                                {link.label}
                              </Button>,
                            ]
                          : []),
                        ...(!item.readAt
                          ? [
                              <Button key="read" size="small" onClick={() => markRead.mutate(item.id)} aria-label={`将“${item.message.slice(0, 20)}”标为已读`}>
                                标为已读
                              </Button>,
                            ]
                          : []),
                      ]}
                    >
                      <List.Item.Meta
                        title={
                          <Flex gap={6} wrap align="center">
                            <Tag color={KIND_COLOURS[item.kind] ?? 'blue'}>{NOTIFICATION_KIND_LABELS[item.kind] ?? '通知'}</Tag>
                            {!item.readAt && <Tag color="red">未读</Tag>}
                            <Typography.Text style={{ fontWeight: 'normal', color: 'rgba(0,0,0,0.65)' }}>{formatDateTime(item.createdAt)}</Typography.Text>
                          </Flex>
                        }
                        description={
                          <span className="prose" style={{ color: 'rgba(0,0,0,0.88)' }}>
                            {item.message}
                          </span>
                        }
                      />
                    </List.Item>
                  );
                }}
              />
            )
          }
        </QueryState>
      </Card>
    </>
  );
}
