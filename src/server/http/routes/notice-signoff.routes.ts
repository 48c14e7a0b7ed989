import type { RouteModule } from '../types.ts';
import { errorResponses, errorViewSchema } from '../schemas.ts';
import { commentBody, noticeSignoffView, reviewBody, signBody, signoffParams, submitBody } from './notice-signoff.schemas.ts';

const signoffErrors = { ...errorResponses, 404: errorViewSchema, 409: errorViewSchema, 422: errorViewSchema } as const;

/**
 * The sign-off of a round's notice (拟稿 → 核稿 → 签发, decision 025). Each step carries the
 * sign-off version it was taken on: a stale one is refused with 409 `signoff_version_conflict`.
 */
export const noticeSignoffRoutes: RouteModule = (app) => {
  app.get(
    '/api/rounds/:roundId/notice/signoff',
    {
      schema: {
        tags: ['rounds'],
        summary: '通报的签发状态与经过（拟稿、核稿、签发）',
        params: signoffParams,
        response: { 200: noticeSignoffView, ...signoffErrors },
      },
    },
    async (request) => request.services.noticeSignoff.getSignoff(request.actor, request.params.roundId),
  );

  app.post(
    '/api/rounds/:roundId/notice/signoff/submit',
    {
      schema: {
        tags: ['rounds'],
        summary: '拟稿人将通报送另一位办公室人员核稿（可填印数）',
        params: signoffParams,
        body: submitBody,
        response: { 200: noticeSignoffView, ...signoffErrors },
      },
    },
    async (request) => request.services.noticeSignoff.submit(request.actor, request.params.roundId, request.body),
  );

  app.post(
    '/api/rounds/:roundId/notice/signoff/review',
    {
      schema: {
        tags: ['rounds'],
        summary: '核稿人核稿通过，送领导签发',
        params: signoffParams,
        body: reviewBody,
        response: { 200: noticeSignoffView, ...signoffErrors },
      },
    },
    async (request) => request.services.noticeSignoff.review(request.actor, request.params.roundId, request.body),
  );

  app.post(
    '/api/rounds/:roundId/notice/signoff/sign',
    {
      schema: {
        tags: ['rounds'],
        summary: '领导签发通报（记录所签内容的 SHA-256）',
        params: signoffParams,
        body: signBody,
        response: { 200: noticeSignoffView, ...signoffErrors },
      },
    },
    async (request) => request.services.noticeSignoff.sign(request.actor, request.params.roundId, request.body),
  );

  app.post(
    '/api/rounds/:roundId/notice/signoff/return',
    {
      schema: {
        tags: ['rounds'],
        summary: '核稿人或签发人将通报退回拟稿人（须填写意见）',
        params: signoffParams,
        body: commentBody,
        response: { 200: noticeSignoffView, ...signoffErrors },
      },
    },
    async (request) => request.services.noticeSignoff.returnToDrafter(request.actor, request.params.roundId, request.body),
  );

  app.post(
    '/api/rounds/:roundId/notice/signoff/reopen',
    {
      schema: {
        tags: ['rounds'],
        summary: '办公室撤回已签发的通报，重新拟稿（须填写原因）',
        params: signoffParams,
        body: commentBody,
        response: { 200: noticeSignoffView, ...signoffErrors },
      },
    },
    async (request) => request.services.noticeSignoff.reopen(request.actor, request.params.roundId, request.body),
  );
};
