import { toChineseNumeral } from './chinese-numerals.ts';
import { tasksOf, type PlanDocument, type ProgressEntry } from './plan-document.ts';
import { stripControlCharacters } from './text.ts';

/**
 * The progress table of a round (调度表) as every writer renders it: Word, Excel, PDF and the
 * print view all take this model, so all formats say the same thing. Rows are in plan order;
 * the chapter and section cells are merged over their tasks as in the seed document.
 */
export const TABLE_HEADER = ['', '', '具体工作任务', '省级牵头部门', '牵头厅领导', '责任部门', '推进情况'] as const;

/** What the progress cell says when no unit reported on a task this round. */
export const NO_ANSWER_TEXT = '（未报送）';

export interface CompiledRow {
  chapterNumber: number;
  /** `一、牢固树立绿色发展理念，…` */
  chapterLabel: string;
  /** Rows the chapter cell covers from this row down; 0 when this row is inside a merged cell above. */
  chapterSpan: number;
  sectionNumber: number;
  /** `(一) 主要目标` */
  sectionLabel: string;
  sectionSpan: number;
  task: string;
  leadDepartment: string;
  /** `高洁、钟勤建` */
  leaders: string;
  /** Lead unit first: `环评处、规财处`. */
  units: string;
  /** All units' answers merged, each followed by its unit in brackets, lead unit first; `NO_ANSWER_TEXT` when none. */
  progress: string;
  answered: boolean;
}

export interface CompiledTable {
  /** `《贯彻落实…厅内分工方案》2017年第二季度工作推进情况调度表` */
  title: string;
  roundLabel: string;
  header: readonly string[];
  rows: CompiledRow[];
}

export const chapterLabel = (number: number, title: string) => `${toChineseNumeral(number)}、${title}`;
export const sectionLabel = (number: number, title: string) => `(${toChineseNumeral(number)}) ${title}`;

/** `《plan title》2017年第二季度工作推进情况调度表`, the attachment's and the table's title. */
export function tableTitle(planTitle: string, roundLabel: string): string {
  const title = /^《.*》$/.test(planTitle) ? planTitle : `《${planTitle}》`;
  return `${title}${roundLabel}工作推进情况调度表`;
}

/**
 * Merges a task's answers into one cell the way the office writes it: each unit's text followed
 * by `（unit）`, in the task's unit order (lead first), unattributed text where it stood first.
 * The seed reader's `splitProgress` reads this back into the same entries.
 */
export function mergeProgress(entries: readonly ProgressEntry[], unitOrder: readonly string[]): string {
  const rank = (entry: ProgressEntry) => (entry.unit === null ? -1 : unitOrder.indexOf(entry.unit) === -1 ? unitOrder.length : unitOrder.indexOf(entry.unit));
  const ordered = entries.map((entry, index) => ({ entry, index })).sort((a, b) => rank(a.entry) - rank(b.entry) || a.index - b.index);
  return ordered
    .map(({ entry }) => {
      const text = stripControlCharacters(entry.text).trim();
      return entry.unit === null ? text : `${text}（${entry.unit}）`;
    })
    .filter((text) => text !== '')
    .join('\n');
}

/** The table of a round's document: the model every writer renders. */
export function compileTable(document: PlanDocument): CompiledTable {
  const rows: CompiledRow[] = [];
  for (const { chapter, section, task } of tasksOf(document)) {
    const unitOrder = [...task.units].sort((a, b) => Number(b.role === 'lead') - Number(a.role === 'lead')).map((unit) => unit.name);
    const progress = mergeProgress(task.progress, unitOrder);
    rows.push({
      chapterNumber: chapter.number,
      chapterLabel: chapterLabel(chapter.number, chapter.title),
      chapterSpan: 0,
      sectionNumber: section.number,
      sectionLabel: sectionLabel(section.number, section.title),
      sectionSpan: 0,
      task: stripControlCharacters(task.text),
      leadDepartment: task.leadDepartment ?? '',
      leaders: task.leaders.join('、'),
      units: unitOrder.join('、'),
      progress: progress === '' ? NO_ANSWER_TEXT : progress,
      answered: progress !== '',
    });
  }
  // Spans: the first row of a run of equal chapter (section) numbers covers the run.
  for (let start = 0; start < rows.length; ) {
    let end = start + 1;
    while (end < rows.length && rows[end]!.chapterNumber === rows[start]!.chapterNumber) end++;
    rows[start]!.chapterSpan = end - start;
    for (let sectionStart = start; sectionStart < end; ) {
      let sectionEnd = sectionStart + 1;
      while (sectionEnd < end && rows[sectionEnd]!.sectionNumber === rows[sectionStart]!.sectionNumber) sectionEnd++;
      rows[sectionStart]!.sectionSpan = sectionEnd - sectionStart;
      sectionStart = sectionEnd;
    }
    start = end;
  }
  return { title: tableTitle(document.plan.title, document.round.label), roundLabel: document.round.label, header: TABLE_HEADER, rows };
}
