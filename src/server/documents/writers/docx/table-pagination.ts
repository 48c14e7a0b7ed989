import { hasDueColumn, type CompiledRow, type CompiledTable } from '../../../../domain/compiled-table.ts';
import { linesOf, oneLine } from './gb-t-9704.ts';
import { breakBetweenWords, layoutNames, nameWidth, textWidth, wrapParagraph } from './text-measure.ts';

/**
 * The progress table laid out by us, page by page (decision 023). Word and LibreOffice cannot
 * repeat a merged cell's label on the page a merge continues on, and a row that may not split
 * wastes up to a page, so the table is paginated here: every row's height is measured from its
 * text (text-measure.ts), each landscape page is filled, a row too tall for what is left of a page
 * is split by lines onto the next, and each page becomes a table of its own with the header row,
 * the chapter, section and 省级牵头部门 labels at its top (（续） on a chapter or section that
 * began on an earlier page).
 *
 * All lengths in twips. Everything here is linear in the table's text.
 */

/** Cell margins: 2 pt left and right, 0.5 pt top and bottom (11 pt lines leave a point of air around 9 pt characters). */
export const CELL_MARGIN = { left: 40, right: 40, top: 10, bottom: 10 } as const;
/** What a row adds to its lines: top and bottom margins and a border (LibreOffice counts the 0.5 pt rule). */
export const ROW_EXTRA = CELL_MARGIN.top + CELL_MARGIN.bottom + 10;
/** Width a column keeps beyond its text and margins, so that rounding never pushes a character down. */
const WIDTH_SLACK = 6;

/** The seven columns; a table whose tasks have due dates has 完成时限 at 6 and 推进情况 last (progressColumn). */
export const Column = { chapter: 0, section: 1, task: 2, department: 3, leaders: 4, units: 5, progress: 6, due: 6 } as const;

/** The progress column of a layout: the last (6, or 7 with 完成时限). */
export const progressColumn = (ems: readonly unknown[]) => ems.length - 1;
/** Whether a layout has the 完成时限 column (eight columns). */
export const hasDue = (ems: readonly unknown[]) => ems.length === 8;

/** A column's width in twips for a text width in ems. */
const columnTwips = (ems: number, em: number) => Math.round(ems * em) + CELL_MARGIN.left + CELL_MARGIN.right + WIDTH_SLACK;

/** The continuation mark on a chapter or section label at the top of a page it goes on to. */
export const CONTINUED = '（续）';

export interface PageGeometry {
  /** Height of the 版心 the table stands in. */
  bodyHeight: number;
  /** Height taken above the table on the first page (附件, the title and the space around it). */
  firstPageTaken: number;
  /** Height taken above the table on the other pages (the paragraph that breaks the page). */
  otherPageTaken: number;
  /** Kept free at the foot of every page: what the measure cannot know (rounding, the closing paragraph). */
  reserve: number;
  /** Width of the table: the landscape 版心. */
  width: number;
  /** The text's size (one em) and its exact line height. */
  em: number;
  line: number;
}

export interface TableLayout {
  /** Column widths in twips, summing to the table width. */
  columns: number[];
  /** Text widths of the columns in ems. */
  ems: number[];
  headerHeight: number;
  pages: TablePage[];
}

/** A merged label cell on a page: the label's lines over `span` rows from here, or inside the merge above. */
export type MergedCell = { lines: string[]; span: number } | null;

export interface PageRow {
  /** Index of the row in the table. */
  row: number;
  /** This row goes on from the page before (a split row's rest): its names are there. */
  continued: boolean;
  /** The row is split and goes on onto the next page. */
  continues: boolean;
  chapter: MergedCell;
  section: MergedCell;
  department: MergedCell;
  /** Paragraphs of the task and progress cells on this page (a split paragraph's part each side). */
  task: string[];
  progress: string[];
  /** Lines of the names, broken between names; empty on a continued row. */
  leaders: string[];
  units: string[];
  /** Lines of the 完成时限 (tables that have the column); empty on a continued row. */
  due: string[];
  /** Height the measure gives this row on its page, growth for merged labels included. */
  height: number;
}

export interface TablePage {
  rows: PageRow[];
  /** Height the measure gives the table on this page, header row included. */
  height: number;
  /** Height available to the table on this page. */
  capacity: number;
}

/** A text split into lines, each knowing its paragraph, so that any run of lines gives back its paragraphs. */
interface Lines {
  text: string[];
  paragraph: number[];
}

function measureText(text: string, width: number): Lines {
  const result: Lines = { text: [], paragraph: [] };
  linesOf(text).forEach((paragraph, index) => {
    for (const line of wrapParagraph(paragraph, width)) {
      result.text.push(line);
      result.paragraph.push(index);
    }
  });
  return result;
}

/** Whether lines may be split before line `at`: inside a paragraph, not after a space (or past the text's end). */
function cleanBreak(lines: Lines, at: number): boolean {
  if (at <= 0 || at >= lines.text.length) return true;
  // Nor before a unit's bracket alone on the last line of its answer (`（水处）`): a page that starts
  // with it reads as a name out of place, not as the rest of the answer above.
  const lastOfParagraph = at + 1 >= lines.text.length || lines.paragraph[at + 1] !== lines.paragraph[at];
  if (lastOfParagraph && /^[（(][^（）()]{1,24}[）)]$/.test(lines.text[at]!.trim())) return false;
  // Nor inside a bracket that a line's wrap cut (`…（科标` | `处）`): the page would start with the
  // bracket's tail, which reads as a name, not as the rest of the text above.
  if (/[（(][^（）()]*$/.test(lines.text[at - 1]!) && /^[^（）()]*[）)]/.test(lines.text[at]!)) return false;
  return lines.paragraph[at] === lines.paragraph[at - 1] && !/\s$/.test(lines.text[at - 1]!) && !/^\s/.test(lines.text[at]!);
}

/** The paragraphs of lines [from, to): lines of one paragraph put back together. */
function paragraphsOf(lines: Lines, from: number, to: number): string[] {
  const paragraphs: string[] = [];
  for (let i = from; i < to; i++) {
    if (i > from && lines.paragraph[i] === lines.paragraph[i - 1]) paragraphs[paragraphs.length - 1] += lines.text[i]!;
    else paragraphs.push(lines.text[i]!);
  }
  return paragraphs.map((paragraph) => paragraph.trim()).filter((paragraph) => paragraph !== '');
}

const namesOf = (text: string) =>
  oneLine(text)
    .split('、')
    .map((name) => name.trim())
    .filter((name) => name !== '');

/** Department names broken between words only when a name is wider than its column. */
function departmentLines(text: string, width: number): string[] {
  const names = namesOf(text);
  return names.flatMap((name, index) => breakBetweenWords(index < names.length - 1 ? `${name}、` : name, width));
}

interface Measured {
  task: Lines;
  progress: Lines;
  leaders: string[];
  units: string[];
  department: string[];
  due: string[];
}

/**
 * What the measure keeps while widths are tried, so that each text is wrapped once per width:
 * `texts` by column and width (one number), then by row; `names` (lines of names, labels and due
 * dates) by column, width and text, since a table names the same few people and units on every row.
 */
export interface MeasureCache {
  texts: Map<number, Lines[]>;
  names: Map<string, string[]>;
}

export const newMeasureCache = (): MeasureCache => ({ texts: new Map(), names: new Map() });

function measureRow(row: CompiledRow, index: number, ems: readonly number[], cache: MeasureCache): Measured {
  const names = cache.names;
  const text = (column: number, value: string) => {
    const key = column * 10_000 + ems[column]!;
    let byRow = cache.texts.get(key);
    if (!byRow) cache.texts.set(key, (byRow = []));
    return (byRow[index] ??= measureText(value, ems[column]!));
  };
  const named = (column: number, value: string) => {
    const key = `${column}:${ems[column]}:${value}`;
    let lines = names.get(key);
    if (!lines) {
      lines = column === Column.department ? departmentLines(value, ems[column]!) : layoutNames(namesOf(value), ems[column]!);
      names.set(key, lines);
    }
    return lines;
  };
  const dueLines = () => {
    const key = `${Column.due}:${ems[Column.due]}:${row.due ?? ''}`;
    let lines = names.get(key);
    if (!lines) names.set(key, (lines = row.due ? wrapParagraph(oneLine(row.due), ems[Column.due]!) : []));
    return lines;
  };
  return {
    task: text(Column.task, row.task),
    progress: text(progressColumn(ems), row.progress),
    due: hasDue(ems) ? dueLines() : [],
    leaders: named(Column.leaders, row.leaders),
    units: named(Column.units, row.units),
    department: named(Column.department, row.leadDepartment),
  };
}

/** Which merge each row belongs to, per merged column: a new run starts where the model's span does, or the value changes. */
interface Runs {
  chapter: number[];
  section: number[];
  department: number[];
}

function runsOf(rows: readonly CompiledRow[]): Runs {
  const runs: Runs = { chapter: [], section: [], department: [] };
  let chapter = -1;
  let section = -1;
  let department = -1;
  rows.forEach((row, index) => {
    const previous = rows[index - 1];
    const newChapter = !previous || row.chapterSpan > 0 || row.chapterLabel !== previous.chapterLabel;
    const newSection = newChapter || row.sectionSpan > 0 || row.sectionLabel !== previous!.sectionLabel;
    const newDepartment = newSection || oneLine(row.leadDepartment) !== oneLine(previous!.leadDepartment);
    if (newChapter) chapter++;
    if (newSection) section++;
    if (newDepartment) department++;
    runs.chapter.push(chapter);
    runs.section.push(section);
    runs.department.push(department);
  });
  return runs;
}

const heightOf = (line: number, lines: number) => lines * line + ROW_EXTRA;

/** Fewest lines a split row leaves on either page. */
const MIN_SPLIT_LINES = 1;

type MergeKey = 'chapter' | 'section' | 'department';
const MERGES: readonly MergeKey[] = ['chapter', 'section', 'department'];

interface OpenRun {
  id: number;
  /** Page height where the run starts on this page. */
  start: number;
  /** Height its label needs. */
  need: number;
  /** Index (on the page) of its first row. */
  first: number;
}

/** A header title on lines broken between words (`省级/牵头部门`), as each of its lines wraps. */
export function headerLines(title: string, width: number): string[] {
  return breakBetweenWords(oneLine(title), width).flatMap((line) => wrapParagraph(line, width));
}

/** Height of the header row for these column widths. */
export function headerHeight(header: readonly string[], ems: readonly number[], line: number): number {
  return heightOf(line, Math.max(1, ...header.map((title, column) => headerLines(title, ems[column]!).length)));
}

export interface PaginateOptions {
  /** Kept between calls that try widths on the same rows. */
  cache?: MeasureCache;
  /** Only the pages' rows and heights are wanted (a width being tried): the cells' paragraphs are left empty. */
  heightsOnly?: boolean;
}

/**
 * Lays the table out on pages. `ems` are the text widths of the seven columns in ems.
 * One pass over the rows; each row is measured once.
 */
export function paginate(table: CompiledTable, ems: readonly number[], geometry: PageGeometry, options: PaginateOptions = {}): TablePage[] {
  const rows = table.rows;
  const runs = runsOf(rows);
  const cache = options.cache ?? newMeasureCache();
  const nameLines = cache.names;
  const heightsOnly = options.heightsOnly === true;
  const LINE = geometry.line;
  const heightOf = (lines: number) => lines * LINE + ROW_EXTRA;
  const header = headerHeight(table.header, ems, LINE);
  const capacityOf = (first: boolean) => geometry.bodyHeight - (first ? geometry.firstPageTaken : geometry.otherPageTaken) - geometry.reserve - header;

  // Label lines, cached per run and kind (plain or continued).
  const labelCache = new Map<string, { lines: string[]; need: number }>();
  const labelOf = (key: MergeKey, index: number, continued: boolean) => {
    const cacheKey = `${key}:${runs[key][index]}:${continued}`;
    let label = labelCache.get(cacheKey);
    if (!label) {
      const row = rows[index]!;
      let lines: string[];
      let count: number;
      if (key === 'department') {
        const cacheKey = `${Column.department}:${ems[Column.department]}:${row.leadDepartment}`;
        lines = nameLines.get(cacheKey) ?? departmentLines(row.leadDepartment, ems[Column.department]!);
        nameLines.set(cacheKey, lines);
        count = lines.length;
      } else {
        const text = oneLine(key === 'chapter' ? row.chapterLabel : row.sectionLabel);
        lines = text === '' ? [] : [text + (continued ? CONTINUED : '')];
        count = lines.length === 0 ? 0 : wrapParagraph(lines[0]!, ems[key === 'chapter' ? Column.chapter : Column.section]!).length;
      }
      label = { lines, need: count === 0 ? 0 : heightOf(count) };
      labelCache.set(cacheKey, label);
    }
    return label;
  };

  const pages: TablePage[] = [];
  let page: TablePage = { rows: [], height: 0, capacity: capacityOf(true) };
  let open: Partial<Record<MergeKey, OpenRun>> = {};
  /** The page (index) each run first appeared on: a run seen on an earlier page is continued. */
  const firstPage = { chapter: new Map<number, number>(), section: new Map<number, number>(), department: new Map<number, number>() };
  /** Height of the page's rows so far (growth of closed merges included). */
  let height = 0;

  /** The merges this row starts (a run not open on this page), with their labels. */
  const opening = (index: number) => {
    const starts: { key: MergeKey; lines: string[]; need: number }[] = [];
    for (const key of MERGES) {
      const id = runs[key][index]!;
      if (open[key]?.id === id) continue;
      const seen = firstPage[key].get(id);
      const continued = key !== 'department' && seen !== undefined && seen !== pages.length;
      starts.push({ key, ...labelOf(key, index, continued) });
    }
    return starts;
  };

  /**
   * The page if it ended after a row placed now with these new runs: `base` is where the row
   * would start (after the growth of the merges it closes), `floor` the least end height the
   * labels of the merges still open ask for.
   */
  const ending = (starts: ReturnType<typeof opening>) => {
    const startKeys = new Set(starts.map((start) => start.key));
    let growthBefore = 0;
    for (const key of MERGES) {
      const run = open[key];
      if (run && startKeys.has(key)) growthBefore = Math.max(growthBefore, run.need - (height - run.start));
    }
    const base = height + growthBefore;
    let floor = 0;
    for (const key of MERGES) {
      const run = open[key];
      if (run && !startKeys.has(key)) floor = Math.max(floor, run.start + run.need);
    }
    for (const start of starts) floor = Math.max(floor, base + start.need);
    return { base, floor, end: (rowHeight: number) => Math.max(base + rowHeight, floor) };
  };

  /** Merges end at the page's last row: that row grows until every label of theirs fits. */
  const closeRuns = (keys: readonly MergeKey[]) => {
    let growth = 0;
    for (const key of keys) {
      const run = open[key];
      if (run) growth = Math.max(growth, run.need - (height - run.start));
      delete open[key];
    }
    if (growth > 0 && page.rows.length > 0) {
      page.rows[page.rows.length - 1]!.height += growth;
      height += growth;
    }
  };

  const place = (index: number, placed: PageRow, rowHeight: number) => {
    const starts = opening(index);
    closeRuns(starts.map((start) => start.key));
    placed.height = rowHeight;
    for (const start of starts) {
      const id = runs[start.key][index]!;
      if (!firstPage[start.key].has(id)) firstPage[start.key].set(id, pages.length);
      open[start.key] = { id, start: height, need: start.need, first: page.rows.length };
      placed[start.key] = { lines: start.lines, span: 0 };
    }
    page.rows.push(placed);
    for (const key of MERGES) (page.rows[open[key]!.first]![key] as { span: number }).span++;
    height += rowHeight;
  };

  const finishPage = () => {
    closeRuns(MERGES);
    page.height = height + header;
    pages.push(page);
    page = { rows: [], height: 0, capacity: capacityOf(false) };
    open = {};
    height = 0;
  };

  rows.forEach((row, index) => {
    const measured = measureRow(row, index, ems, cache);
    const names = Math.max(measured.leaders.length, measured.units.length, measured.due.length);
    const textLines = Math.max(measured.task.text.length, measured.progress.text.length);
    let from = 0; // first line of task and progress still to place
    for (;;) {
      const continued = from > 0;
      const rest = textLines - from;
      const lines = Math.max(rest, continued ? 1 : names, 1);
      // Built whole here rather than spread into another object in place(): a spread of this
      // object was a fifth of the layout's time.
      const part = (to: number): PageRow => ({
        row: index,
        continued,
        continues: to < textLines,
        chapter: null,
        section: null,
        department: null,
        task: heightsOnly ? [] : paragraphsOf(measured.task, Math.min(from, measured.task.text.length), Math.min(to, measured.task.text.length)),
        progress: heightsOnly
          ? []
          : paragraphsOf(measured.progress, Math.min(from, measured.progress.text.length), Math.min(to, measured.progress.text.length)),
        leaders: continued ? [] : measured.leaders,
        units: continued ? [] : measured.units,
        due: continued ? [] : measured.due,
        height: 0,
      });
      const starts = opening(index);
      const end = ending(starts);
      if (end.end(heightOf(lines)) <= page.capacity) {
        place(index, part(textLines), heightOf(lines));
        return;
      }
      // Split: as many lines as fit here, the names whole, at least two lines on each page.
      const least = Math.max(MIN_SPLIT_LINES, continued ? 1 : names);
      let fit = Math.floor((page.capacity - end.base - ROW_EXTRA) / LINE);
      fit = Math.min(fit, rest - Math.min(MIN_SPLIT_LINES, rest));
      if (page.rows.length === 0) fit = Math.max(fit, least, 1); // an empty page takes what it must
      // Split inside a paragraph and not at a space: a Word cell keeps no space at its end, and
      // the two parts read back (docx-table.reader.ts) as one paragraph put together.
      const clean = (at: number) => cleanBreak(measured.task, at) && cleanBreak(measured.progress, at);
      while (fit > least && !clean(from + fit)) fit--;
      // No clean break on this page: the row starts on the next one instead. Only a page with
      // nothing on it yet takes a row cut where it must (a row taller than a page, no clean break).
      const cleanHere = clean(from + fit) || page.rows.length === 0;
      if (cleanHere && fit >= least && fit < rest && (page.rows.length === 0 || end.end(heightOf(fit)) <= page.capacity)) {
        place(index, part(from + fit), heightOf(fit));
        from += fit;
        finishPage();
        continue;
      }
      if (page.rows.length === 0) {
        place(index, part(textLines), heightOf(lines));
        return;
      }
      finishPage();
    }
  });
  if (page.rows.length > 0 || pages.length === 0) finishPage();
  return pages;
}

/** The text widths (ems) of the columns that hold names, from the table's content. */
export function nameColumnEms(table: CompiledTable): { department: number; leaders: number; units: number } {
  let leaders = 0;
  let units = 0;
  let department = 0;
  for (const row of table.rows) {
    leaders = Math.max(leaders, nameWidth(namesOf(row.leaders)));
    units = Math.max(units, nameWidth(namesOf(row.units)));
    for (const name of namesOf(row.leadDepartment)) department = Math.max(department, textWidth(name));
  }
  return {
    // The longest 省级牵头部门 up to six characters (the header 省级牵头部门 on one line); a longer name breaks between its words.
    department: Math.max(4, Math.min(DEPARTMENT_MAX_EMS, Math.ceil(department))),
    // Every leader and unit name whole on a line, with the 、 after it.
    leaders: Math.max(3, Math.min(NAME_MAX_EMS, Math.ceil(leaders))),
    units: Math.max(4, Math.min(NAME_MAX_EMS, Math.ceil(units))),
  };
}

/** The widest 完成时限 column, in ems: `2018年6月底前` (7.9 ems of 仿宋) on one line, longer entries wrap. */
const DUE_MAX_EMS = 8;
/** The widest 省级牵头部门 column, in characters: wider names (`省生态文明建设领导小组办公室`) break between words. */
export const DEPARTMENT_MAX_EMS = 6;
/** The widest leaders or units column, in characters: a longer name (a typing slip, a pasted sentence) breaks between words rather than squeeze the texts. */
export const NAME_MAX_EMS = 9;
/** The narrowest task or progress column, in characters. */
const MIN_TEXT_EMS = 8;
/** Rows tried when choosing the widths: the widths follow the content, and trying them costs no more than a fixed number of rows. */
const SAMPLE_ROWS = 150;

/**
 * The table laid out: column widths chosen from the content, then the pages. The name columns
 * are as wide as their longest name; the chapter column two characters, the section two or three;
 * the rest goes to the task and progress columns, split where the table takes the fewest pages
 * (then the least height) — tried on the first rows of a long table, so the choice costs a
 * fixed amount and the whole stays linear.
 */
export function layoutTable(table: CompiledTable, geometry: PageGeometry): TableLayout {
  const names = nameColumnEms(table);
  // 完成时限 as wide as its longest entry (at least the header's four characters, at most eight ems: longer ones wrap).
  const due = hasDueColumn(table)
    ? [Math.max(4, Math.min(DUE_MAX_EMS, Math.ceil(Math.max(0, ...table.rows.map((row) => textWidth(oneLine(row.due ?? '')))))))]
    : [];
  const columnCount = 7 + due.length;
  const perColumn = CELL_MARGIN.left + CELL_MARGIN.right + WIDTH_SLACK;
  const sample: CompiledTable = table.rows.length > SAMPLE_ROWS ? { ...table, rows: table.rows.slice(0, SAMPLE_ROWS) } : table;
  let best = null as { ems: number[]; score: number } | null;
  const cache = newMeasureCache();
  const departments = [...new Set([Math.min(names.department, 5), names.department])];
  for (const chapter of [2, 3])
    for (const section of [2, 3])
      for (const department of departments) {
        const fixed = chapter + section + department + names.leaders + names.units + due.reduce((sum, width) => sum + width, 0);
        const free = Math.floor((geometry.width - columnCount * perColumn) / geometry.em) - fixed;
        const score = (task: number) => {
          const ems = [chapter, section, task, department, names.leaders, names.units, ...due, free - task];
          const pages = paginate(sample, ems, geometry, { cache, heightsOnly: true });
          // Fewest pages; then the fullest emptiest page (the last aside); then the least height.
          const emptiest = pages.slice(0, -1).reduce((most, page) => Math.max(most, page.capacity - page.height), 0);
          const value = pages.length * 1e12 + emptiest * 1e6 + pages.reduce((sum, page) => sum + page.height, 0);
          if (!best || value < best.score) best = { ems, score: value };
          return value;
        };
        // Every other width, then the neighbours of the best: a dozen tries, not forty.
        let bestTask = MIN_TEXT_EMS;
        let bestScore = Infinity;
        for (let task = MIN_TEXT_EMS; task <= free - MIN_TEXT_EMS; task += 2) {
          const value = score(task);
          if (value < bestScore) [bestTask, bestScore] = [task, value];
        }
        for (const task of [bestTask - 1, bestTask + 1]) if (task >= MIN_TEXT_EMS && task <= free - MIN_TEXT_EMS) score(task);
      }
  const ems = best?.ems ?? [2, 2, MIN_TEXT_EMS, names.department, names.leaders, names.units, ...due, MIN_TEXT_EMS];
  const columns = ems.map((width) => columnTwips(width, geometry.em));
  // What whole characters leave over goes to the progress column: the table fills the 版心.
  columns[progressColumn(columns)]! += geometry.width - columns.reduce((sum, width) => sum + width, 0);
  return { columns, ems, headerHeight: headerHeight(table.header, ems, geometry.line), pages: paginate(table, ems, geometry) };
}
