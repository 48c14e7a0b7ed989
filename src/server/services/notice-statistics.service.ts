import type { Actor } from '../../domain/actor.ts';
import type { NoticeStatisticsParagraphView } from '../../domain/api/notice-statistics-view.ts';
import { invalid } from '../../domain/errors.ts';
import {
  insightSentence,
  laggingTaskName,
  periodWordOf,
  statisticsParagraph,
  type InsightFigures,
  type NoticeStatistics,
} from '../../domain/notice-statistics.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { inReadTransaction } from '../db/transaction.ts';
import { assertCanReadBoard } from '../policies/round.policy.ts';
import { compileRoundIn } from './compile-round.service.ts';
import { findingsIn } from './insight.service.ts';
import { roundStatisticsIn } from './round-statistics.service.ts';

/**
 * The notice's statistics paragraph (issue 13): the round's figures as 报送情况统计 counts them
 * (units on time, late, not reported) and the tasks that lag, read from the official table the
 * export prints (its rows with a 滞后 answer), so the paragraph and the attached table never
 * disagree. Office and leaders read it.
 */
export function createNoticeStatisticsService(deps: { database: Database }) {
  const { database } = deps;
  return {
    /** `insights`: append the insight pass's sentence (issue 15), when the office wants it. */
    async paragraph(actor: Actor, roundId: number, options: { insights?: boolean } = {}): Promise<NoticeStatisticsParagraphView> {
      assertCanReadBoard(actor, '生成通报统计段落');
      return inReadTransaction(database, async (repositories) => {
        const statistics = await noticeStatisticsIn(repositories, roundId);
        if (statistics === null) throw invalid('notice_statistics_imported', '本轮为导入的历史调度，系统中没有报送记录，无法生成统计段落', { roundId });
        const text = statisticsParagraph(statistics);
        if (!options.insights) return { roundId, text, statistics };
        const insights = await insightFiguresIn(repositories, roundId);
        const sentence = insightSentence(insights);
        return { roundId, text: sentence === null ? text : `${text}${sentence}`, statistics, insights };
      });
    },
  };
}

export type NoticeStatisticsService = ReturnType<typeof createNoticeStatisticsService>;

/** The figures inside the caller's read transaction; null for an imported round (nobody reported in the app). */
export async function noticeStatisticsIn(repositories: Repositories, roundId: number): Promise<NoticeStatistics | null> {
  const statistics = await roundStatisticsIn(repositories, roundId);
  if (!statistics.inApp) return null;
  // The lagging tasks are the rows of the official table the export prints (the answers the office accepted).
  const { table } = await compileRoundIn(repositories, roundId);
  const sections = new Set(table.rows.map((row) => `${row.chapterNumber}/${row.sectionNumber}`));
  const sectionNumbersRepeat = new Set(table.rows.map((row) => row.sectionNumber)).size < sections.size;
  const laggingTasks: string[] = [];
  let placeInSection = 0;
  table.rows.forEach((row, at) => {
    const previous = table.rows[at - 1];
    const sameSection = previous !== undefined && previous.chapterNumber === row.chapterNumber && previous.sectionNumber === row.sectionNumber;
    placeInSection = sameSection ? placeInSection + 1 : 1;
    if (row.delayed)
      laggingTasks.push(
        laggingTaskName({ chapter: row.chapterNumber, section: row.sectionNumber, index: placeInSection, text: row.task }, sectionNumbersRepeat),
      );
  });

  const { totals, units } = statistics;
  return {
    periodWord: periodWordOf(statistics.roundLabel),
    units: totals.units,
    onTime: totals.onTime,
    late: totals.late,
    notSubmitted: totals.notSubmitted,
    lateUnits: units.filter((unit) => unit.submitted && unit.late).map((unit) => unit.unitName),
    missingUnits: units.filter((unit) => !unit.submitted).map((unit) => unit.unitName),
    tasks: totals.tasks,
    lagging: laggingTasks.length,
    laggingTasks,
  };
}

/** The insight figures of a round: relations checked, indicators the office confirmed (per task and key), stale answers. */
export async function insightFiguresIn(repositories: Repositories, roundId: number): Promise<InsightFigures> {
  const { findings } = await findingsIn(repositories, roundId);
  const confirmed = new Set<string>();
  const behind = new Set<string>();
  let consistent = 0;
  let inconsistent = 0;
  let stale = 0;
  for (const finding of findings) {
    if (finding.kind === 'arithmetic') {
      if (finding.ok) consistent += 1;
      else inconsistent += 1;
    } else if (finding.kind === 'indicator' && finding.status === 'confirmed') {
      const key = `${finding.taskId}/${finding.key}`;
      confirmed.add(key);
      if (finding.verdict === 'behind') behind.add(key);
    } else if (finding.kind === 'stale') stale += 1;
  }
  return {
    relationsConsistent: consistent,
    relationsInconsistent: inconsistent,
    indicatorsConfirmed: confirmed.size,
    indicatorsBehind: behind.size,
    staleAnswers: stale,
  };
}
