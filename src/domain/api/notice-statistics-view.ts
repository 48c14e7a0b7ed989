import type { InsightFigures, NoticeStatistics } from '../notice-statistics.ts';

/**
 * GET /api/rounds/:roundId/notice/statistics-paragraph: the statistics paragraph for the notice's
 * body as generated now, and the figures it was written from (the web form checks the body against them).
 */
export type NoticeStatisticsParagraphView = {
  roundId: number;
  text: string;
  statistics: NoticeStatistics;
  /** With `?insights=true` (issue 15): the insight figures the text's last sentence was written from. */
  insights?: InsightFigures;
};
