import { toChineseNumeral } from './chinese-numerals.ts';
import { DEFAULT_TABLE_OPTIONS, UNREVIEWED_MARK, type StatusMarkPlacement, type UnansweredDisplay } from './export-options.ts';
import { PROGRESS_STATUS_LABELS, type ProgressStatus } from './limits.ts';
import { tasksOf, type PlanDocument, type ProgressEntry } from './plan-document.ts';
import { NEUTRAL_WORDS, type OrganisationWords } from './organisation-profile.ts';
import { stripControlCharacters } from './text.ts';

/**
 * The progress table of a round (调度表) as every writer renders it: Word, Excel, PDF and the
 * print view all take this model, so all formats say the same thing. Rows are in plan order;
 * the chapter and section cells are merged over their tasks as in the seed document.
 */
export const TABLE_HEADER = ['', '', '具体工作任务', '省级牵头部门', NEUTRAL_WORDS.leadersColumn, NEUTRAL_WORDS.unitsColumn, '推进情况'] as const;

/** The column a table has between 责任 and 推进情况 when some task of it has a due date. */
export const DUE_HEADER = '完成时限';

/**
 * The header in the organisation's words (牵头局领导 / 责任科室 in a bureau's; wordsOf), with a
 * 完成时限 column before 推进情况 when `withDue` (some task has a due date; the seed's table has none).
 */
export function tableHeader(words: Pick<OrganisationWords, 'leadersColumn' | 'unitsColumn'> = NEUTRAL_WORDS, withDue = false): string[] {
  return ['', '', '具体工作任务', '省级牵头部门', words.leadersColumn, words.unitsColumn, ...(withDue ? [DUE_HEADER] : []), '推进情况'];
}

/** Whether a compiled table carries the 完成时限 column (its header says so). */
export const hasDueColumn = (table: Pick<CompiledTable, 'header'>) => table.header.includes(DUE_HEADER);

/** What the progress cell says when no unit reported on a task this round, if the office asks for it (`unanswered: 'marked'`). */
export const NO_ANSWER_TEXT = '（未报送）';

/** The statuses whose answers carry a mark and a reason in the table. */
const MARKED_STATUSES: readonly ProgressStatus[] = ['delayed', 'suspended'];

/**
 * An entry as a round in the app stores it: the plan format's entry plus what the table may mark.
 * A document read from a file has none of these (they are all optional).
 */
export type MarkedEntry = ProgressEntry & {
  status?: string | null;
  reason?: string | null;
  /** Shown in a draft before the office accepted it: printed with 【未审核】. */
  unreviewed?: boolean;
};

export type CompileOptions = {
  /** Default `blank`: an empty cell, as the document was. */
  unanswered?: UnansweredDisplay;
  /** Default `after`: `…【滞后】原因：…（unit）`. */
  statusMarks?: StatusMarkPlacement;
  /** The header's words: the organisation profile's (wordsOf); neutral by default. */
  words?: Pick<OrganisationWords, 'leadersColumn' | 'unitsColumn'>;
};

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
  /** 完成时限 as the plan writes it (`2018年6月底前`); '' or absent when none. */
  due?: string;
  /**
   * All units' answers merged, each followed by its unit in brackets (as the unit wrote it: `（总队）`),
   * lead unit first, with the marks asked for (【未审核】, 【滞后】原因：…); empty or `NO_ANSWER_TEXT` when none.
   */
  progress: string;
  answered: boolean;
  /** Some answer of the row is 滞后 (or 暂缓): the print view and Excel may set it off. */
  lagging?: boolean;
  /** Some answer of the row is 滞后 itself (not 暂缓): the notice's statistics paragraph counts these. */
  delayed?: boolean;
  /** Some answer of the row is shown before the office accepted it (a draft). */
  unreviewed?: boolean;
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
export function mergeProgress(
  entries: readonly MarkedEntry[],
  unitOrder: readonly string[],
  statusMarks: StatusMarkPlacement = DEFAULT_TABLE_OPTIONS.statusMarks,
): string {
  const rank = (entry: ProgressEntry) => (entry.unit === null ? -1 : unitOrder.indexOf(entry.unit) === -1 ? unitOrder.length : unitOrder.indexOf(entry.unit));
  const ordered = entries.map((entry, index) => ({ entry, index })).sort((a, b) => rank(a.entry) - rank(b.entry) || a.index - b.index);
  return ordered
    .map(({ entry }) => {
      const text = stripControlCharacters(entry.text).trim();
      if (text === '') return '';
      const marked = `${entry.unreviewed ? UNREVIEWED_MARK : ''}${withStatusMark(text, entry, statusMarks)}`;
      // The name the unit wrote (总队), else its own: the bracket always names the entry's unit to the reader.
      return entry.unit === null ? marked : `${marked}（${entry.attribution ?? entry.unit}）`;
    })
    .filter((text) => text !== '')
    .join('\n');
}

/** `text【滞后】原因：…` (after), `【滞后：…】text` (before), or the text alone; only 滞后 and 暂缓 are marked. */
export function withStatusMark(text: string, entry: Pick<MarkedEntry, 'status' | 'reason'>, placement: StatusMarkPlacement): string {
  const status = entry.status as ProgressStatus | null | undefined;
  if (placement === 'none' || !status || !MARKED_STATUSES.includes(status)) return text;
  const label = PROGRESS_STATUS_LABELS[status];
  // One line: the cell's lines are the entries' own.
  const reason = stripControlCharacters(entry.reason ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  if (placement === 'before') return `【${label}${reason ? `：${reason}` : ''}】${text}`;
  return `${text}【${label}】${reason ? `原因：${reason}` : ''}`;
}

/**
 * A unit's text without the marks an export added to it (【未审核】, 【滞后】原因：… after it, 【滞后：…】
 * before it, and the same for 暂缓): a table sent back to a unit returns with them, and they are
 * the office's notes on the answer, not the unit's words (the status and reason are stored apart).
 */
export function withoutExportMarks(text: string): string {
  const labels = MARKED_STATUSES.map((status) => PROGRESS_STATUS_LABELS[status]).join('|');
  return text
    .replaceAll(UNREVIEWED_MARK, '')
    .replace(new RegExp(`^【(?:${labels})(?:：[^】]*)?】`), '')
    .replace(new RegExp(`【(?:${labels})】(?:原因：.*)?$`), '')
    .trim();
}

/** The table of a round's document: the model every writer renders. */
export function compileTable(document: PlanDocument, options: CompileOptions = {}): CompiledTable {
  const unanswered = options.unanswered ?? DEFAULT_TABLE_OPTIONS.unanswered;
  const statusMarks = options.statusMarks ?? DEFAULT_TABLE_OPTIONS.statusMarks;
  const rows: CompiledRow[] = [];
  for (const { chapter, section, task } of tasksOf(document)) {
    const unitOrder = [...task.units].sort((a, b) => Number(b.role === 'lead') - Number(a.role === 'lead')).map((unit) => unit.name);
    const entries: readonly MarkedEntry[] = task.progress;
    const progress = mergeProgress(entries, unitOrder, statusMarks);
    const lagging = entries.some((entry) => MARKED_STATUSES.includes(entry.status as ProgressStatus));
    const delayed = entries.some((entry) => entry.status === 'delayed');
    const unreviewed = entries.some((entry) => entry.unreviewed === true);
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
      // Only when it has one: a table without due dates compiles (and is fingerprinted, decision 025) as before.
      ...(task.due ? { due: task.due } : {}),
      progress: progress === '' && unanswered === 'marked' ? NO_ANSWER_TEXT : progress,
      answered: progress !== '',
      ...(lagging ? { lagging } : {}),
      ...(delayed ? { delayed } : {}),
      ...(unreviewed ? { unreviewed } : {}),
    });
  }
  // Spans: the first row of a run of equal chapter (section) numbers covers the run.
  for (let start = 0; start < rows.length;) {
    let end = start + 1;
    while (end < rows.length && rows[end]!.chapterNumber === rows[start]!.chapterNumber) end++;
    rows[start]!.chapterSpan = end - start;
    for (let sectionStart = start; sectionStart < end;) {
      let sectionEnd = sectionStart + 1;
      while (sectionEnd < end && rows[sectionEnd]!.sectionNumber === rows[sectionStart]!.sectionNumber) sectionEnd++;
      rows[sectionStart]!.sectionSpan = sectionEnd - sectionStart;
      sectionStart = sectionEnd;
    }
    start = end;
  }
  return {
    title: tableTitle(document.plan.title, document.round.label),
    roundLabel: document.round.label,
    header: tableHeader(
      options.words,
      rows.some((row) => Boolean(row.due)),
    ),
    rows,
  };
}
