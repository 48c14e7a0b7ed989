import { z } from 'zod';
import type { NoticeStatisticsParagraphView } from '../../../domain/api/notice-statistics-view.ts';
import type { InsightFigures, NoticeStatistics } from '../../../domain/notice-statistics.ts';
import { errorResponses, errorViewSchema, idParam } from '../schemas.ts';
import type { RouteModule } from '../types.ts';

const count = z.number().int();

export const noticeStatisticsSchema = z.object({
  periodWord: z.enum(['本季度', '本轮']),
  units: count,
  onTime: count,
  late: count,
  notSubmitted: count,
  lateUnits: z.array(z.string()),
  missingUnits: z.array(z.string()),
  tasks: count,
  lagging: count,
  laggingTasks: z.array(z.string()),
}) satisfies z.ZodType<NoticeStatistics>;

const insightFiguresSchema = z.object({
  relationsConsistent: count,
  relationsInconsistent: count,
  indicatorsConfirmed: count,
  indicatorsBehind: count,
  staleAnswers: count,
}) satisfies z.ZodType<InsightFigures>;

const paragraphView = z.object({
  roundId: count,
  text: z.string(),
  statistics: noticeStatisticsSchema,
  insights: insightFiguresSchema.optional(),
}) satisfies z.ZodType<NoticeStatisticsParagraphView>;

/** The notice's statistics paragraph (issue 13): generated from the round's figures, for the office to insert and edit. */
export const noticeStatisticsRoutes: RouteModule = (app) => {
  app.get(
    '/api/rounds/:roundId/notice/statistics-paragraph',
    {
      schema: {
        tags: ['rounds'],
        summary: '通报正文的统计段落：按时、逾期、未报送单位与进度滞后任务',
        description:
          '办公室和领导可查看。段落以“本季度应报送单位”（非季度轮次为“本轮应报送单位”）开头；滞后任务只计汇编调度表采用的答复。导入的历史轮次没有系统内报送记录，答 422。加 ?insights=true 时在段末加一句调度分析：数据关系一致与不一致处数、已确认指标及其中低于目标进度的项数、与上轮基本相同的答复条数（只写非零项；未确认的建议指标不计）。',
        params: z.object({ roundId: idParam }),
        querystring: z.object({ insights: z.enum(['true', 'false']).optional() }),
        response: { 200: paragraphView, ...errorResponses, 404: errorViewSchema, 422: errorViewSchema },
      },
    },
    async (request) => request.services.noticeStatistics.paragraph(request.actor, request.params.roundId, { insights: request.query.insights === 'true' }),
  );
};
