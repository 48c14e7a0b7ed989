import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
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

/*
 * The API has no "mark as read" yet: what this browser has shown on the notifications page is
 * remembered here, so the badge counts only what is new since.
 */
const SEEN_KEY = 'diaodu:notifications-seen';
const SEEN_EVENT = 'diaodu:notifications-seen';

export function readSeen(): number {
  try {
    return Number(window.localStorage.getItem(SEEN_KEY)) || 0;
  } catch {
    return 0;
  }
}

export function markNotificationsSeen(items: NotificationItem[]): void {
  const latest = items.reduce((max, item) => Math.max(max, item.id), 0);
  if (latest <= readSeen()) return;
  try {
    window.localStorage.setItem(SEEN_KEY, String(latest));
  } catch {
    // ignore
  }
  window.dispatchEvent(new Event(SEEN_EVENT));
}

/** Unread count for the bell in the header; 0 while loading or for roles without notifications. */
export function useUnreadNotifications(enabled: boolean): number {
  const { data } = useNotifications(enabled);
  const [seen, setSeen] = useState(readSeen);
  useEffect(() => {
    const update = () => setSeen(readSeen());
    window.addEventListener(SEEN_EVENT, update);
    window.addEventListener('storage', update);
    return () => {
      window.removeEventListener(SEEN_EVENT, update);
      window.removeEventListener('storage', update);
    };
  }, []);
  return data ? data.filter((item) => !item.readAt && item.id > seen).length : 0;
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
