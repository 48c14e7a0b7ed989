import type { Actor } from '../../domain/actor.ts';
import type { NoticeStatisticsParagraphView } from '../../domain/api/notice-statistics-view.ts';
import { invalid, notFound } from '../../domain/errors.ts';
import { laggingTaskName, periodWordOf, statisticsParagraph, type NoticeStatistics } from '../../domain/notice-statistics.ts';
import type { Database } from '../db/database.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { inReadTransaction } from '../db/transaction.ts';
import { assertCanReadBoard } from '../policies/round.policy.ts';
import { collectivesAnsweredByOffice, COMPILED_SUBMISSION_STATES } from './compile-round.service.ts';
import { loadPlanSnapshot } from './plan-snapshot.ts';
import { roundStatisticsIn } from './round-statistics.service.ts';
import { requireRound } from './round.service.ts';

/** The answer status that makes a task 滞后 (src/domain/limits.ts). */
const DELAYED = 'delayed';

/**
 * The notice's statistics paragraph (issue 13): the round's figures as 报送情况统计 counts them
 * (units on time, late, not reported) and the tasks that lag, counted over exactly the answers the
 * compiled table prints (COMPILED_SUBMISSION_STATES, and the office's own answers for collective
 * units), so the paragraph and the attached table never disagree. Office and leaders read it.
 */
export function createNoticeStatisticsService(deps: { database: Database }) {
  const { database } = deps;
  return {
    async paragraph(actor: Actor, roundId: number): Promise<NoticeStatisticsParagraphView> {
      assertCanReadBoard(actor, '生成通报统计段落');
      return inReadTransaction(database, async (repositories) => {
        const statistics = await noticeStatisticsIn(repositories, roundId);
        if (statistics === null)
          throw invalid('notice_statistics_imported', '本轮为导入的历史调度，系统中没有报送记录，无法生成统计段落', { roundId });
        return { roundId, text: statisticsParagraph(statistics), statistics };
      });
    },
  };
}

export type NoticeStatisticsService = ReturnType<typeof createNoticeStatisticsService>;

/** The figures inside the caller's read transaction; null for an imported round (nobody reported in the app). */
export async function noticeStatisticsIn(repositories: Repositories, roundId: number): Promise<NoticeStatistics | null> {
  const round = await requireRound(repositories, roundId);
  const plan = await repositories.plans.findPlanById(round.plan_id);
  if (!plan) throw notFound('plan_not_found', `调度轮次 ${roundId} 的分工方案不存在`, { roundId });
  const statistics = await roundStatisticsIn(repositories, roundId);
  if (!statistics.inApp) return null;
  const [snapshot, roundTasks, progress, submissions, answeredByOffice] = await Promise.all([
    loadPlanSnapshot(repositories, plan),
    repositories.rounds.listRoundTasks(roundId),
    repositories.progress.listProgressOfRound(roundId),
    repositories.roundWork.listSubmissions(roundId),
    collectivesAnsweredByOffice(repositories, roundId),
  ]);
  const counted = new Set([...submissions.filter((s) => COMPILED_SUBMISSION_STATES.has(s.state)).map((s) => s.unit_name), ...answeredByOffice]);
  const laggingIds = new Set(progress.filter((entry) => entry.status === DELAYED && entry.unit !== null && counted.has(entry.unit)).map((entry) => entry.taskId));

  const inRound = new Set(roundTasks.map((row) => row.taskId));
  const sectionNumbers = snapshot.chapters.flatMap((chapter) => chapter.sections.map((section) => section.number));
  const sectionNumbersRepeat = new Set(sectionNumbers).size < sectionNumbers.length;
  const laggingTasks: string[] = [];
  for (const chapter of snapshot.chapters)
    for (const section of chapter.sections)
      section.tasks
        .filter((slot) => inRound.has(slot.id))
        .forEach((slot, index) => {
          if (laggingIds.has(slot.id))
            laggingTasks.push(laggingTaskName({ chapter: chapter.number, section: section.number, index: index + 1, text: slot.task.text }, sectionNumbersRepeat));
        });

  const { totals, units } = statistics;
  return {
    periodWord: periodWordOf(round.label),
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
