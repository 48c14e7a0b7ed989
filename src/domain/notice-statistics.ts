import { toChineseNumeral } from './chinese-numerals.ts';

/**
 * The statistics paragraph of a round's notice (issue 13): how many units reported on time, who was
 * late (逾期) or did not report, how many tasks lag (滞后) and which, in the words such notices use:
 *
 *   本季度应报送单位12个，按时报送9个；逾期报送2个（规财处、水处）；未报送1个（生态处）。
 *   全部111项任务中，2项进度滞后（（二）第1项“推动成都平原经济区…”；（五）第3项“…”）。
 *
 * The paragraph is generated, then the office's to edit. It is recognised in the body by its
 * leading phrase (`本季度应报送单位` / `本轮应报送单位`, decision 014, amendment) and its figures
 * are checked against the round each time the notice is read, so a unit that reported since, or an
 * answer accepted since, shows as a warning naming the figure that differs.
 */
export type NoticeStatistics = {
  /** `本季度` for a quarterly round (its label says 季度), else `本轮`. */
  periodWord: '本季度' | '本轮';
  /** Units that report in the round (collective ones such as 各处(室) left out). */
  units: number;
  onTime: number;
  late: number;
  notSubmitted: number;
  /** Names of the late units and of those that did not report, in the statistics' order. */
  lateUnits: string[];
  missingUnits: string[];
  /** Tasks of the round (the compiled table's rows). */
  tasks: number;
  /** Tasks with an answer marked 滞后 among the answers the compiled table counts, named briefly. */
  lagging: number;
  laggingTasks: string[];
};

/** The leading phrase that marks the generated paragraph in the body. */
export const STATISTICS_PARAGRAPH_LEAD = /^\s*本(季度|轮)应报送单位/;

export function isStatisticsParagraph(paragraph: string): boolean {
  return STATISTICS_PARAGRAPH_LEAD.test(paragraph);
}

export function periodWordOf(roundLabel: string): NoticeStatistics['periodWord'] {
  return /季度/.test(roundLabel) ? '本季度' : '本轮';
}

/** The list in brackets after a count, when there is anyone to name. */
const named = (names: readonly string[], separator = '、') => (names.length > 0 ? `（${names.join(separator)}）` : '');

export function statisticsParagraph(s: NoticeStatistics): string {
  return (
    `${s.periodWord}应报送单位${s.units}个，按时报送${s.onTime}个；逾期报送${s.late}个${named(s.lateUnits)}；未报送${s.notSubmitted}个${named(s.missingUnits)}。` +
    `全部${s.tasks}项任务中，${s.lagging}项进度滞后${named(s.laggingTasks, '；')}。`
  );
}

/**
 * What the insight pass (issue 15) adds to the paragraph when the office asks for it: only what
 * counts — relations the engine recomputed, indicators the office confirmed (never a proposal),
 * answers close to the unit's last one.
 */
export type InsightFigures = {
  /** Stated relations (totals and parts, shares) that hold, and those that do not. */
  relationsConsistent: number;
  relationsInconsistent: number;
  /** Indicators the office confirmed, and of those the ones behind their path this round. */
  indicatorsConfirmed: number;
  indicatorsBehind: number;
  /** Answers flagged stale (about the same as the unit's answer in the previous round). */
  staleAnswers: number;
};

/**
 * The sentence appended to the statistics paragraph, naming only non-zero figures:
 *   经核对，报送材料中数据关系12处一致、1处不一致；已确认指标3项，其中1项低于目标进度；5条答复与上轮基本相同。
 * null when there is nothing to say. Worded so the paragraph's own figures (`N项进度滞后` …) are never matched in it.
 */
export function insightSentence(f: InsightFigures): string | null {
  const parts: string[] = [];
  if (f.relationsConsistent + f.relationsInconsistent > 0) {
    const held = f.relationsConsistent > 0 ? `${f.relationsConsistent}处一致` : '';
    const broken = f.relationsInconsistent > 0 ? `${f.relationsInconsistent}处不一致` : '';
    parts.push(`报送材料中数据关系${[held, broken].filter((part) => part !== '').join('、')}`);
  }
  if (f.indicatorsConfirmed > 0) parts.push(`已确认指标${f.indicatorsConfirmed}项${f.indicatorsBehind > 0 ? `，其中${f.indicatorsBehind}项低于目标进度` : ''}`);
  if (f.staleAnswers > 0) parts.push(`${f.staleAnswers}条答复与上轮基本相同`);
  return parts.length === 0 ? null : `经核对，${parts.join('；')}。`;
}

/**
 * A task named briefly and without ambiguity: its section and its place in the section
 * (`（二）第1项`), the chapter first when section numbers repeat across chapters
 * (`第一部分（二）第1项`), then the start of its text.
 */
export function laggingTaskName(task: { chapter: number; section: number; index: number; text: string }, sectionNumbersRepeat: boolean): string {
  // The text's first words, up to a bracket or punctuation (so the brackets of the list stay balanced), at most 12 characters.
  const words = [...(/^[^（()）《》“”"，。；：、,.;:]*/.exec(task.text.trim())?.[0] ?? '')];
  const clipped = words.length > 12 || words.length < [...task.text.trim()].length ? `${words.slice(0, 12).join('')}…` : words.join('');
  const section = `（${toChineseNumeral(task.section)}）第${task.index}项`;
  return `${sectionNumbersRepeat ? `第${toChineseNumeral(task.chapter)}部分` : ''}${section}“${clipped}”`;
}

type Figure = { label: string; written: number | null; current: number; writtenNames?: string[] | null; currentNames?: string[] };

/**
 * Warnings for every statistics paragraph of `body` whose figures no longer match the round:
 * each names the paragraph and the figure (`正文第2段统计段落：逾期报送写的是2个（规财处、水处），现为1个（规财处）`).
 * A figure the office deleted from the paragraph is said to be missing; an empty list means all agree.
 */
export function checkStatisticsParagraphs(body: readonly string[], current: NoticeStatistics): string[] {
  const warnings: string[] = [];
  body.forEach((paragraph, index) => {
    if (!isStatisticsParagraph(paragraph)) return;
    const where = `正文第${index + 1}段统计段落`;
    const number = (pattern: RegExp) => {
      const match = pattern.exec(paragraph);
      return match ? Number(match[1]) : null;
    };
    // The names in brackets right after a count; brackets inside them (（二）第1项) are balanced.
    const names = (pattern: RegExp, separator: string) => {
      const match = pattern.exec(paragraph);
      if (!match) return null;
      const inside = bracketedAt(paragraph, match.index + match[0].length);
      return inside === null
        ? []
        : inside
            .split(separator)
            .map((name) => name.trim())
            .filter((name) => name !== '');
    };
    const figures: Figure[] = [
      { label: '应报送单位', written: number(/应报送单位(\d+)个/), current: current.units },
      { label: '按时报送', written: number(/按时报送(\d+)个/), current: current.onTime },
      {
        label: '逾期报送',
        written: number(/逾期报送(\d+)个/),
        current: current.late,
        writtenNames: names(/逾期报送\d+个/, '、'),
        currentNames: current.lateUnits,
      },
      {
        label: '未报送',
        written: number(/未报送(\d+)个/),
        current: current.notSubmitted,
        writtenNames: names(/未报送\d+个/, '、'),
        currentNames: current.missingUnits,
      },
      { label: '全部任务', written: number(/全部(\d+)项任务/), current: current.tasks },
      {
        label: '进度滞后',
        written: number(/(\d+)项进度滞后/),
        current: current.lagging,
        writtenNames: names(/\d+项进度滞后/, '；'),
        currentNames: current.laggingTasks,
      },
    ];
    for (const figure of figures) {
      const unit = figure.label === '全部任务' || figure.label === '进度滞后' ? '项' : '个';
      const shown = (count: number, list?: string[] | null) =>
        `${count}${unit}${list && list.length > 0 ? `（${list.join(figure.label === '进度滞后' ? '；' : '、')}）` : ''}`;
      if (figure.written === null) {
        warnings.push(`${where}：找不到“${figure.label}”的数字，无法核对（现为${shown(figure.current, figure.currentNames)}）`);
        continue;
      }
      const namesDiffer =
        figure.currentNames !== undefined &&
        figure.writtenNames !== null &&
        figure.writtenNames !== undefined &&
        !sameNames(figure.writtenNames, figure.currentNames);
      if (figure.written !== figure.current || namesDiffer)
        warnings.push(`${where}：${figure.label}写的是${shown(figure.written, figure.writtenNames)}，现为${shown(figure.current, figure.currentNames)}`);
    }
  });
  return warnings;
}

/** The text inside the bracket that opens at `index`, to its matching close; null when none opens there. */
function bracketedAt(text: string, index: number): string | null {
  if (text[index] !== '（') return null;
  let depth = 0;
  for (let i = index; i < text.length; i++) {
    if (text[i] === '（') depth++;
    else if (text[i] === '）' && --depth === 0) return text.slice(index + 1, i);
  }
  return null;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const key = (list: readonly string[]) => [...list].sort().join('\n');
  return key(a) === key(b);
}
