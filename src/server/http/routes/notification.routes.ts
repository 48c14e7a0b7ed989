import { z } from 'zod';
import type { NotificationView, UnreadCountView } from '../../../domain/api/notification-view.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import type { RouteModule } from '../types.ts';

const notificationView = z.object({
  id: z.number().int(),
  kind: z.string(),
  message: z.string(),
  roundId: z.number().int().nullable(),
  taskId: z.number().int().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
}) satisfies z.ZodType<NotificationView>;

const unreadView = z.object({ unread: z.number().int() }) satisfies z.ZodType<UnreadCountView>;
const responses = { ...errorResponses, 404: errorViewSchema } as const;

/** The signed-in user's notifications; read state is theirs, kept on the server. */
export const notificationRoutes: RouteModule = (app) => {
  app.get(
    '/api/notifications',
    { schema: { tags: ['notifications'], summary: '我的通知（最新 50 条，含本人已读状态）', response: { 200: z.array(notificationView), ...errorResponses } } },
    async (request) => request.services.notifications.list(request.actor),
  );

  app.get(
    '/api/notifications/unread',
    { schema: { tags: ['notifications'], summary: '未读通知数', response: { 200: unreadView, ...errorResponses } } },
    async (request) => request.services.notifications.unread(request.actor),
  );

  app.post(
    '/api/notifications/:notificationId/read',
    {
      schema: {
        tags: ['notifications'],
        summary: '标记一条通知为已读（仅本人）',
        params: z.object({ notificationId: idParam }),
        response: { 200: unreadView, ...responses },
      },
    },
    async (request) => request.services.notifications.markRead(request.actor, request.params.notificationId),
  );

  app.post(
    '/api/notifications/read-all',
    { schema: { tags: ['notifications'], summary: '全部标记为已读（仅本人）', response: { 200: unreadView, ...responses } } },
    async (request) => request.services.notifications.markAllRead(request.actor),
  );
};
