import { Card, Empty, List, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { LinkButton } from '../../../components/LinkButton.tsx';
import { PageTitle } from '../../../components/PageTitle.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { markNotificationsSeen, NOTIFICATION_KIND_LABELS, readSeen, useNotifications } from '../api/notifications.ts';

export function NotificationsPage() {
  const query = useNotifications();
  // What was new when the page opened stays marked 新 until the next visit.
  const [seenBefore] = useState(readSeen);
  useEffect(() => {
    if (query.data) markNotificationsSeen(query.data);
  }, [query.data]);
  return (
    <>
      <PageTitle title="通知消息" subtitle="办公室的催办、退回意见和调度通知" />
      <Card>
        <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
          {() =>
            query.data!.length === 0 ? (
              <Empty description="暂无通知" />
            ) : (
              <List
                itemLayout="horizontal"
                dataSource={[...query.data!].sort((a, b) => b.createdAt.localeCompare(a.createdAt))}
                renderItem={(item) => (
                  <List.Item
                    actions={item.roundId ? [<LinkButton key="go" size="small" to={`/todo/${item.roundId}`}>去填报</LinkButton>] : []}
                  >
                    <List.Item.Meta
                      title={
                        <span>
                          <Tag color={item.kind === 'reminder' ? 'orange' : item.kind === 'returned' ? 'red' : 'blue'}>
                            {NOTIFICATION_KIND_LABELS[item.kind] ?? '通知'}
                          </Tag>
                          {!item.readAt && item.id > seenBefore && <Tag color="red">新</Tag>}
                          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                            {formatDateTime(item.createdAt)}
                          </Typography.Text>
                        </span>
                      }
                      description={<span className="prose" style={{ color: 'rgba(0,0,0,0.85)' }}>{item.message}</span>}
                    />
                  </List.Item>
                )}
              />
            )
          }
        </QueryState>
      </Card>
    </>
  );
}
