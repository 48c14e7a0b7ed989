import { z } from 'zod';
import { errorResponses, errorViewSchema } from '../schemas.ts';
import type { RouteModule } from '../types.ts';
import { personalDeliveryViewSchema } from './admin.schemas.ts';

const tags = ['auth'];

/** A person's own e-mail and channel choices (issue 16): any signed-in person, for themselves. */
export const deliveryAddressRoutes: RouteModule = (app) => {
  app.get(
    '/api/me/delivery',
    { schema: { tags, summary: '本人的提醒方式（电子邮箱、是否接收邮件提醒）', response: { 200: personalDeliveryViewSchema, ...errorResponses } } },
    async (request) => request.services.deliveryAddresses.mine(request.actor),
  );
  app.put(
    '/api/me/delivery',
    {
      schema: {
        tags,
        summary: '设置本人的提醒方式：站内提醒始终开启，邮件提醒可选',
        body: z.object({
          email: z.string().max(1_000).nullable().describe('本人电子邮箱；null 为清除'),
          emailEnabled: z.boolean().describe('是否接收邮件提醒'),
        }),
        response: { 200: personalDeliveryViewSchema, 422: errorViewSchema, ...errorResponses },
      },
    },
    async (request) => request.services.deliveryAddresses.setMine(request.actor, request.body),
  );
};
