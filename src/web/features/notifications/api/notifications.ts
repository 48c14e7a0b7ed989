import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';

/** One in-app message to the user's unit (a reminder, returned answers). */
export interface NotificationItem {
  id: number;
  kind: string;
  message: string;
  roundId: number | null;
  createdAt: string;
  readAt: string | null;
}

/** The server answers a list; accept `{ items }` as well so a wrapper does not break the badge. */
function normalise(payload: unknown): NotificationItem[] {
  const list = Array.isArray(payload) ? payload : (payload as { items?: unknown[] } | null)?.items;
  return Array.isArray(list) ? (list as NotificationItem[]) : [];
}

export const notificationKeys = { all: ['notifications'] as const };

export function useNotifications(enabled = true) {
  return useQuery({
    queryKey: notificationKeys.all,
    queryFn: async () => normalise(await api.get<unknown>('/api/notifications')),
    enabled,
    refetchInterval: 60_000,
  });
}

/** Unread count for the bell in the header; 0 while loading or for roles without notifications. */
export function useUnreadNotifications(enabled: boolean): number {
  const { data } = useNotifications(enabled);
  return data ? data.filter((item) => !item.readAt).length : 0;
}

export const NOTIFICATION_KIND_LABELS: Record<string, string> = {
  reminder: '催办',
  returned: '退回',
  accepted: '通过',
  round_opened: '新调度',
  opened: '新调度',
  reopened: '重新打开',
  closed: '调度结束',
};
