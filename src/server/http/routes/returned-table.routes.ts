import { z } from 'zod';
import { expectedVersionsSchema, returnedTableViewSchema, type ExpectedVersions } from '../../../domain/api/returned-table-view.ts';
import { invalid } from '../../../domain/errors.ts';
import { ImportLimits } from '../../../domain/limits.ts';
import { presentReturnedTable } from '../../presenters/returned-table.presenter.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import type { RouteModule } from '../types.ts';
import { readUpload, uploadForm } from '../upload.ts';

const MB = ImportLimits.fileBytes / 1024 / 1024;
/** The same form for both modes; a preview ignores the versions. */
const returnedTableForm = uploadForm({
  expectedVersions: z.string().optional().describe('mode=apply 时必填：JSON，任务编号 → 预览时的版本号'),
});

/**
 * A unit's returned table (回传表, decision 015): the round's table filled in offline in Word or
 * Excel. `mode=preview` compares it with the unit's answers and stores nothing; `mode=apply`
 * (the same file again, with the versions the preview showed) writes the changed and new texts
 * as drafts. The unit's reporters and head only; nothing is submitted here.
 */
export const returnedTableRoutes: RouteModule = (app) => {
  app.post(
    '/api/rounds/:roundId/units/:unitId/returned-table',
    {
      schema: {
        tags: ['answers'],
        summary: '导入回传的调度表（.docx/.xlsx）为本单位的草稿：预览差异，或导入',
        description: `multipart/form-data：一个文件字段（不超过 ${MB} MB，按内容识别格式），mode=apply 时另带 expectedVersions 字段（JSON：任务编号 → 预览时的版本号）。mode=preview 只比较不写入；mode=apply 把修改和新填的推进情况写为草稿（不提交，不删除已有内容）。仅本单位的填报员和负责人可用。`,
        consumes: ['multipart/form-data'],
        uploadForm: returnedTableForm,
        params: z.object({ roundId: idParam, unitId: idParam }),
        querystring: z.object({ mode: z.enum(['preview', 'apply']) }),
        response: {
          200: returnedTableViewSchema,
          ...errorResponses,
          404: errorViewSchema.describe('调度轮次不存在，或本单位在该轮没有任务'),
          409: errorViewSchema.describe('轮次已结束、本单位已提交，或预览后内容已被修改；未写入'),
          413: errorViewSchema.describe(`文件超过 ${MB} MB`),
          415: errorViewSchema.describe('不是 multipart/form-data 上传'),
          422: errorViewSchema.describe('文件无法导入：类型、结构、轮次或内容长度有误'),
        },
      },
    },
    async (request) => {
      const { roundId, unitId } = request.params;
      const apply = request.query.mode === 'apply';
      const upload = await readUpload(request, { maxBytes: ImportLimits.fileBytes, code: 'returned_table', form: returnedTableForm });
      const file = { fileName: upload.fileName, bytes: upload.bytes };
      if (!apply) return presentReturnedTable(await request.services.returnedTables.preview(request.actor, roundId, unitId, file));
      const expectedVersions = parseExpectedVersions(upload.fields.expectedVersions);
      return presentReturnedTable(await request.services.returnedTables.apply(request.actor, roundId, unitId, file, { expectedVersions }));
    },
  );
};

function parseExpectedVersions(field: string | undefined): ExpectedVersions {
  const refuse = (why: string) =>
    invalid('returned_table_versions_invalid', `导入时须带上预览时的版本号（expectedVersions 字段，JSON）：${why}`, { field: 'expectedVersions' });
  if (field === undefined) throw refuse('缺少该字段');
  let data: unknown;
  try {
    data = JSON.parse(field);
  } catch {
    throw refuse('不是有效的 JSON');
  }
  const parsed = expectedVersionsSchema.safeParse(data);
  if (!parsed.success) throw refuse(parsed.error.issues[0]?.message ?? '格式不正确');
  return Object.fromEntries(Object.entries(parsed.data).map(([taskId, version]) => [Number(taskId), version]));
}
