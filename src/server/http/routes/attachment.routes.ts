import { create as contentDisposition } from 'content-disposition';
import { z } from 'zod';
import { AttachmentLimits } from '../../../domain/limits.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import type { RouteModule } from '../types.ts';
import { readUpload, uploadForm } from '../upload.ts';
import { attachmentViewSchema } from './attachment.schemas.ts';

const MB = AttachmentLimits.fileBytes / 1024 / 1024;
const answerParams = z.object({ roundId: idParam, taskId: idParam, unitId: idParam });
const attachmentParams = z.object({ id: idParam });
const attachmentForm = uploadForm();
const responses = {
  ...errorResponses,
  404: errorViewSchema,
  409: errorViewSchema.describe('轮次已结束或本单位已提交，不能修改佐证材料'),
  422: errorViewSchema,
} as const;

/**
 * Evidence files (佐证材料) on a unit's answer: upload (multipart, one file), list, download and
 * delete. The service checks who may and sniffs the type; the client's file name is only ever
 * shown, and sent back under a Content-Disposition built by `content-disposition` (an ASCII
 * fallback name plus the RFC 5987 form), never used as a path.
 */
export const attachmentRoutes: RouteModule = (app) => {
  app.post(
    '/api/rounds/:roundId/tasks/:taskId/units/:unitId/attachments',
    {
      schema: {
        tags: ['answers'],
        summary: '上传佐证材料（PDF、PNG/JPEG 图片、Word .docx、Excel .xlsx）',
        description: `multipart/form-data，一个文件字段，不超过 ${MB} MB，每项任务最多 ${AttachmentLimits.perAnswer} 个；按内容识别类型，扩展名须与内容一致。仅本单位的填报员和负责人，在填报可修改时可用。`,
        consumes: ['multipart/form-data'],
        uploadForm: attachmentForm,
        params: answerParams,
        response: {
          200: attachmentViewSchema,
          ...responses,
          413: errorViewSchema.describe(`文件超过 ${MB} MB`),
        },
      },
    },
    async (request, reply) => {
      const { roundId, taskId, unitId } = request.params;
      // Someone else's unit is refused before their file is read.
      request.services.attachments.assertCanUpload(request.actor, unitId);
      let upload;
      try {
        upload = await readUpload(request, { maxBytes: AttachmentLimits.fileBytes, code: 'attachment', form: attachmentForm });
      } catch (error) {
        if ((error as { statusCode?: unknown }).statusCode === 413)
          return reply.code(413).send({
            error: { code: 'attachment_too_large', message: `文件超过 ${MB} MB，未上传；请压缩或拆分后再上传`, details: { max: AttachmentLimits.fileBytes } },
          });
        throw error;
      }
      return request.services.attachments.upload(request.actor, roundId, taskId, unitId, { fileName: upload.fileName, bytes: upload.bytes });
    },
  );

  app.get(
    '/api/rounds/:roundId/tasks/:taskId/units/:unitId/attachments',
    { schema: { tags: ['answers'], summary: '一项任务的佐证材料', params: answerParams, response: { 200: z.array(attachmentViewSchema), ...responses } } },
    async (request) => request.services.attachments.list(request.actor, request.params.roundId, request.params.taskId, request.params.unitId),
  );

  app.get(
    '/api/attachments/:id/download',
    {
      schema: {
        tags: ['answers'],
        summary: '下载佐证材料（本单位、办公室和领导）',
        params: attachmentParams,
        response: { 200: z.any().describe('文件本身'), ...responses },
      },
    },
    async (request, reply) => {
      const { attachment, bytes } = await request.services.attachments.download(request.actor, request.params.id);
      const extension = attachment.kind === 'jpeg' ? '.jpg' : `.${attachment.kind}`;
      return (
        reply
          .header('content-type', attachment.contentType)
          .header('content-disposition', contentDisposition(attachment.fileName, { type: 'attachment', fallback: `attachment-${attachment.id}${extension}` }))
          .header('x-content-type-options', 'nosniff')
          // Opened by mistake in the browser, the file can run nothing.
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, no-store')
          .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
      );
    },
  );

  app.delete(
    '/api/attachments/:id',
    { schema: { tags: ['answers'], summary: '删除佐证材料（填报可修改时）', params: attachmentParams, response: { 204: z.null(), ...responses } } },
    async (request, reply) => {
      await request.services.attachments.remove(request.actor, request.params.id);
      return reply.code(204).send(null);
    },
  );
};
