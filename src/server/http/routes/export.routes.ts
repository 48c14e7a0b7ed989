import { create as contentDisposition } from 'content-disposition';
import { z } from 'zod';
import { serveExportsOfEveryStore } from '../../exports/export-timers.ts';
import { exportRateLimit } from '../hardening.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import type { RouteModule } from '../types.ts';
import { exportJobParams, exportJobView, exportStartBody } from './export.schemas.ts';

const jobErrors = { ...errorResponses, 404: errorViewSchema } as const;

/**
 * Export jobs (decision 012): start one for a round, poll it, fetch its file. A job is its
 * starter's: another user's job id is 404. The start is rate limited with the other exports.
 */
export const exportRoutes: RouteModule = (app, { config, directory }) => {
  // The render worker ends with the server (it never keeps the process alive while idle either).
  // This server renews its export claims, prunes old jobs and takes over a stopped server's
  // (decision 040), in every organisation's store (decision 043); the directory closes the others'.
  const timers = serveExportsOfEveryStore(directory, { onError: (error) => app.log.error({ err: error }, 'export timers') });
  app.addHook('onClose', async () => {
    timers.stop();
    await directory.home.services.exports.close();
  });

  app.post(
    '/api/rounds/:roundId/exports',
    {
      config: { rateLimit: exportRateLimit(config) },
      schema: {
        tags: ['rounds'],
        summary: '导出通报与调度表（Word、Excel、PDF、JSON）：建立导出任务',
        description:
          '办公室和领导可导出。version 为 draft 时导出征求意见稿（含未采纳的答复，标“未审核”）；unanswered 为 marked 时无人报送的任务写“（未报送）”；statusMarks 定滞后、暂缓及其原因的位置。导入的轮次按原文件导出。返回 202 与任务编号；轮询 GET /api/exports/{jobId}，状态为 done 后下载 GET /api/exports/{jobId}/file。文件在工作线程中生成，完成后保留 15 分钟。每用户每分钟次数受限（429）。',
        params: z.object({ roundId: idParam }),
        body: exportStartBody,
        response: { 202: exportJobView, ...jobErrors, 429: errorViewSchema, 503: errorViewSchema },
      },
    },
    async (request, reply) => {
      const { format, ...options } = request.body;
      return reply.code(202).send(await request.services.exports.start(request.actor, request.params.roundId, format, options));
    },
  );

  app.get(
    '/api/exports/:jobId',
    {
      schema: {
        tags: ['rounds'],
        summary: '导出任务的状态（queued、running、done、failed 及失败原因）',
        params: exportJobParams,
        response: { 200: exportJobView, ...jobErrors },
      },
    },
    async (request) => request.services.exports.status(request.actor, request.params.jobId),
  );

  app.get(
    '/api/exports/:jobId/file',
    {
      schema: {
        tags: ['rounds'],
        summary: '下载导出的文件（每次下载记入审计日志）',
        params: exportJobParams,
        response: { 200: z.any().describe('文件本身：.docx、.xlsx、.pdf 或 .json'), ...jobErrors, 409: errorViewSchema },
      },
    },
    async (request, reply) => {
      const file = await request.services.exports.takeFile(request.actor, request.params.jobId);
      const extension = file.fileName.slice(file.fileName.lastIndexOf('.'));
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', contentDisposition(file.fileName, { fallback: `diaodu-export${extension}` }))
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
    },
  );
};
