import { z } from 'zod';
import { TABLE_HEADER } from '../../../domain/compiled-table.ts';
import { noticeSchema } from '../../../domain/plan-document.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import type { RouteModule } from '../types.ts';

const compiledRow = z.object({
  chapterNumber: z.number().int(),
  chapterLabel: z.string(),
  chapterSpan: z.number().int(),
  sectionNumber: z.number().int(),
  sectionLabel: z.string(),
  sectionSpan: z.number().int(),
  task: z.string(),
  leadDepartment: z.string(),
  leaders: z.string(),
  units: z.string(),
  progress: z.string(),
  answered: z.boolean(),
});

const compiledRoundView = z.object({
  notice: noticeSchema,
  table: z.object({ title: z.string(), roundLabel: z.string(), header: z.array(z.string()).length(TABLE_HEADER.length), rows: z.array(compiledRow) }),
  fileBaseName: z.string(),
});

const nextNumberView = z.object({ prefix: z.string(), year: z.number().int(), number: z.number().int(), docNumber: z.string() });

/** The round's notice and compiled table: what the print view and the Word/Excel/PDF exports show. */
export const noticeRoutes: RouteModule = (app, { services }) => {
  app.get(
    '/api/rounds/:roundId/compiled',
    {
      schema: {
        tags: ['rounds'],
        summary: '汇编后的通报与调度表（打印视图）',
        params: z.object({ roundId: idParam }),
        response: { 200: compiledRoundView, ...errorResponses, 404: errorViewSchema },
      },
    },
    async (request) => {
      const compiled = await services.compileRound.compileRound(request.actor, request.params.roundId);
      return { ...compiled, table: { ...compiled.table, header: [...compiled.table.header] } };
    },
  );

  app.get(
    '/api/rounds/:roundId/notice/next-number',
    {
      schema: {
        tags: ['rounds'],
        summary: '建议通报文号（该年已用最大号 + 1）',
        params: z.object({ roundId: idParam }),
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
        response: { 200: nextNumberView, ...errorResponses, 404: errorViewSchema },
      },
    },
    async (request) => services.notices.suggestNextNumber(request.actor, request.params.roundId, request.query.year),
  );
};
