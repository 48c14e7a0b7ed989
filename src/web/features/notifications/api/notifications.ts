import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiAnswer } from '../../../lib/api.ts';

export type NotificationItem = ApiAnswer<'/api/notifications', 'get'>[number];
export { NOTIFICATION_KIND_LABELS } from '../../../../domain/notification-kinds.ts';

export const notificationKeys = {
  all: ['notifications'] as const,
  list: ['notifications', 'list'] as const,
  unread: ['notifications', 'unread'] as const,
};

/** The signed-in user's newest notifications, each with their own read state (kept on the server). */
export function useNotifications(enabled = true) {
  return useQuery({
    queryKey: notificationKeys.list,
    queryFn: () => api.GET('/api/notifications'),
    enabled,
    refetchInterval: 60_000,
  });
}

/**
 * The bell's count, from the server: every device shows the same. Polled every minute and
 * when the window gets focus again; 0 while loading or when `enabled` is false.
 */
export function useUnreadNotifications(enabled: boolean): number {
  const { data } = useQuery({
    queryKey: notificationKeys.unread,
    queryFn: () => api.GET('/api/notifications/unread'),
    enabled,
    refetchInterval: 60_000,
    refetchOnWindowFocus: 'always',
  });
  return enabled ? (data?.unread ?? 0) : 0;
}

function useAfterMarking() {
  const client = useQueryClient();
  return (result: ApiAnswer<'/api/notifications/unread', 'get'>) => {
    client.setQueryData(notificationKeys.unread, result);
    void client.invalidateQueries({ queryKey: notificationKeys.list });
  };
}

export function useMarkRead() {
  const after = useAfterMarking();
  return useMutation({
    mutationFn: (id: number) => api.POST('/api/notifications/{notificationId}/read', { params: { path: { notificationId: id } }, body: {} }),
    onSuccess: after,
  });
}

export function useMarkAllRead() {
  const after = useAfterMarking();
  return useMutation({
    mutationFn: () => api.POST('/api/notifications/read-all', { body: {} }),
    onSuccess: after,
  });
}

/** Where a notification leads: the unit's to-do, the task page (批示 and 落实反馈), or the round. */
export function linkOf(item: NotificationItem, role: string): { to: string; label: string } | null {
  const unitRole = role === 'reporter' || role === 'unit_head';
  if (item.kind === 'notice_signoff' && item.roundId) return { to: `/rounds/${item.roundId}/notice`, label: '查看通报' };
  if (item.kind === 'instruction_feedback' && item.taskId) return { to: `/tasks/${item.taskId}`, label: '查看反馈' };
  if (unitRole && item.roundId) return { to: `/todo/${item.roundId}`, label: item.kind === 'instruction' ? '查看批示' : '去填报' };
  if (item.taskId) return { to: `/tasks/${item.taskId}`, label: '查看任务' };
  if (role === 'office' && item.roundId) return { to: `/rounds/${item.roundId}`, label: '去审核' };
  return null;
}
