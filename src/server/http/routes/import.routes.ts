import { z } from 'zod';
import { importViewSchema } from '../../../domain/api/import-view.ts';
import { ImportLimits } from '../../../domain/limits.ts';
import { presentImport } from '../../presenters/import.presenter.ts';
import { errorResponses, errorViewSchema } from '../schemas.ts';
import type { RouteModule } from '../types.ts';
import { readUpload, uploadForm } from '../upload.ts';

const MB = ImportLimits.fileBytes / 1024 / 1024;
const importForm = uploadForm();

/**
 * Upload of a plan file by the office: a Word or Excel table, the interchange JSON or the seed's
 * text, told apart by content (decision 008). `?dryRun=1` reads it and answers what it holds and
 * every warning, storing nothing; without it the file is imported as `diaodu import` does, with the
 * same audit row. The upload is read into memory and never written to disk; the client's file name
 * only appears, cleaned, in messages and in the audit detail.
 */
export const importRoutes: RouteModule = (app) => {
  app.post(
    '/api/imports',
    {
      schema: {
        tags: ['imports'],
        summary: '上传并导入调度表（.docx/.xlsx/.json/种子文本），可试运行',
        description: `multipart/form-data，一个文件字段，不超过 ${MB} MB；按内容识别格式（PDF、旧版 .doc/.xls 不能导入）。dryRun=1 只读取并返回摘要和警告，不写数据库。仅办公室可用。`,
        consumes: ['multipart/form-data'],
        uploadForm: importForm,
        querystring: z.object({ dryRun: z.enum(['0', '1', 'true', 'false']).optional() }),
        response: {
          200: importViewSchema,
          ...errorResponses,
          409: errorViewSchema.describe('与已导入的分工方案或调度轮次内容不同'),
          413: errorViewSchema.describe(`文件超过 ${MB} MB`),
          415: errorViewSchema.describe('不是 multipart/form-data 上传'),
          422: errorViewSchema.describe('文件无法导入：类型、结构或内容有误'),
        },
      },
    },
    async (request) => {
      const { fileName, bytes } = await readUpload(request, { maxBytes: ImportLimits.fileBytes, code: 'import', form: importForm });
      const file = { fileName, bytes };
      const dryRun = request.query.dryRun === '1' || request.query.dryRun === 'true';
      if (dryRun) return presentImport(fileName, request.services.planFile.preview(request.actor, file), null);
      const { read, outcome } = await request.services.planFile.importFile(request.actor, file);
      return presentImport(fileName, read, outcome);
    },
  );
};
