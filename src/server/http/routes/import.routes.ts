import { z } from 'zod';
import { importViewSchema } from '../../../domain/api/import-view.ts';
import { invalid } from '../../../domain/errors.ts';
import { ImportLimits } from '../../../domain/limits.ts';
import { presentImport } from '../../presenters/import.presenter.ts';
import { errorResponses, errorViewSchema } from '../schemas.ts';
import type { RouteModule } from '../types.ts';

const MB = ImportLimits.fileBytes / 1024 / 1024;

/**
 * Upload of a plan file by the office: a Word or Excel table, the interchange JSON or the seed's
 * text, told apart by content (decision 008). `?dryRun=1` reads it and answers what it holds and
 * every warning, storing nothing; without it the file is imported as `diaodu import` does, with the
 * same audit row. The upload is read into memory and never written to disk; the client's file name
 * only appears, cleaned, in messages and in the audit detail.
 */
export const importRoutes: RouteModule = (app, { services }) => {
  app.post(
    '/api/imports',
    {
      schema: {
        tags: ['imports'],
        summary: '上传并导入调度表（.docx/.xlsx/.json/种子文本），可试运行',
        description: `multipart/form-data，一个文件字段，不超过 ${MB} MB；按内容识别格式（PDF、旧版 .doc/.xls 不能导入）。dryRun=1 只读取并返回摘要和警告，不写数据库。仅办公室可用。`,
        consumes: ['multipart/form-data'],
        querystring: z.object({ dryRun: z.enum(['0', '1', 'true', 'false']).optional() }),
        response: {
          200: importViewSchema,
          ...errorResponses,
          409: errorViewSchema.describe('与已导入的分工方案或调度轮次内容不同 (conflicts with stored data)'),
          413: errorViewSchema.describe(`文件超过 ${MB} MB (file too large)`),
          415: errorViewSchema.describe('不是 multipart/form-data 上传 (not a multipart upload)'),
          422: errorViewSchema.describe('文件无法导入：类型、结构或内容有误 (the file cannot be imported)'),
        },
      },
    },
    async (request) => {
      if (!request.isMultipart())
        throw invalid('import_upload_not_multipart', '请以 multipart/form-data 上传文件 (upload the file as multipart/form-data)', {});
      const part = await request.file({ limits: { fileSize: ImportLimits.fileBytes, files: 1, fields: 0 } });
      if (!part) throw invalid('import_upload_missing', '请求中没有文件 (no file in the upload)', {});
      const fileName = uploadFileName(part.filename);
      let bytes: Buffer;
      try {
        bytes = await part.toBuffer();
      } catch (error) {
        // Over the cap (413) and the like are fastify's to answer; a body cut off half way is the upload's fault.
        if (typeof (error as { statusCode?: unknown }).statusCode === 'number') throw error;
        throw invalid('import_upload_incomplete', `${fileName}：上传不完整，请重新上传 (the upload was cut off)`, { file: fileName });
      }
      const file = { fileName, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
      const dryRun = request.query.dryRun === '1' || request.query.dryRun === 'true';
      if (dryRun) return presentImport(fileName, services.planFile.preview(request.actor, file), null);
      const { read, outcome } = await services.planFile.importFile(request.actor, file);
      return presentImport(fileName, read, outcome);
    },
  );
};

/**
 * The client's file name as shown back: its last path part, without control or bidi-override
 * characters (an RTL override can make `exe.docx` read `xcod.exe`), at most 100 characters.
 */
export function uploadFileName(name: string | undefined): string {
  const cleaned = [
    ...(name ?? '')
      .split(/[\\/]/)
      .pop()!
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
      .trim(),
  ]
    .slice(0, 100)
    .join('');
  return cleaned === '' || /^\.+$/.test(cleaned) ? '上传的文件' : cleaned;
}
