import type { RoundStatisticsView } from './api/round-statistics-view.ts';
import type { CompiledTable } from './compiled-table.ts';
import { DEFAULT_TIME_ZONE, formatDateZh } from './dates.ts';

/** The counts the paragraph states, for the office (and tests) to check against the table. */
export type StatisticsParagraphCounts = {
  units: number;
  onTime: number;
  late: string[];
  notSubmitted: string[];
  tasks: number;
  /** Tasks of the table with an answer marked 滞后 or 暂缓, in plan order. */
  lagging: string[];
};

/** A task named in the paragraph: its first clause, at most 20 characters. */
export function shortTask(task: string): string {
  const clause = task.trim().split(/[，。；：,;]/)[0]!.trim();
  const chars = [...clause];
  return chars.length > 20 ? `${chars.slice(0, 20).join('')}…` : clause;
}

/**
 * The paragraph a progress notice gives its statistics in (issue 13), generated for the office to
 * edit: how many units reported on time, which were late (逾期) or did not report, how many tasks
 * lag and which. The units come from the round's 报送情况统计; the tasks from the table the notice
 * goes with (its lagging rows), so the paragraph and the table cannot disagree. Null for an
 * imported round: nobody reported in the app, and nothing is invented.
 */
export function statisticsParagraph(
  statistics: RoundStatisticsView,
  table: CompiledTable,
  timeZone: string = DEFAULT_TIME_ZONE,
): { text: string; counts: StatisticsParagraphCounts } | null {
  if (!statistics.inApp) return null;
  const late = statistics.units.filter((unit) => unit.submitted && unit.late).map((unit) => unit.unitName);
  const notSubmitted = statistics.units.filter((unit) => !unit.submitted).map((unit) => unit.unitName);
  const onTime = statistics.units.filter((unit) => unit.submitted && !unit.late).length;
  const lagging = table.rows.filter((row) => row.lagging).map((row) => shortTask(row.task));
  const counts: StatisticsParagraphCounts = { units: statistics.units.length, onTime, late, notSubmitted, tasks: table.rows.length, lagging };

  const named = (names: string[]) => (names.length > 0 ? `（${names.join('、')}）` : '');
  const since = statistics.deadline ? `截至报送截止日（${formatDateZh(statistics.deadline, timeZone)}），` : '';
  const units =
    `${since}${statistics.roundLabel}应报送单位${counts.units}个，按时报送${onTime}个` +
    (late.length > 0 ? `，逾期报送${late.length}个${named(late)}` : '，无逾期报送') +
    (notSubmitted.length > 0 ? `，未报送${notSubmitted.length}个${named(notSubmitted)}。` : '，无未报送单位。');
  const tasks =
    lagging.length > 0
      ? `${counts.tasks}项任务中，${lagging.length}项进展滞后：${lagging.map((task) => `“${task}”`).join('、')}，请相关处（室）、单位分析原因，采取措施加快推进。`
      : `${counts.tasks}项任务均无滞后。`;
  return { text: `${units}${tasks}`, counts };
}
