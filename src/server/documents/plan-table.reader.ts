import { parseChineseNumeral, toChineseNumeral } from '../../domain/chinese-numerals.ts';
import { NO_ANSWER_TEXT } from '../../domain/compiled-table.ts';
import { invalid } from '../../domain/errors.ts';
import { TaskLimits } from '../../domain/limits.ts';
import {
  PLAN_FORMAT,
  periodOfRoundLabel,
  type Notice,
  type PlanChapter,
  type PlanDocument,
  type PlanSection,
  type PlanTask,
} from '../../domain/plan-document.ts';
import { cleanCellText, normaliseName, squeezeCjkSpaces } from '../../domain/text.ts';
import { parseNotice, parseTableTitle, type SourceLine } from './notice-text.reader.ts';
import { splitProgress } from './progress-attribution.ts';
import { createVocabulary, SEED_WORDS, type ColumnWords, type Vocabulary } from './vocabulary.ts';

/**
 * The one reader of a progress table, whatever file it came in: the seed's text, a Word table or
 * an Excel sheet each turn their file into rows of cells plus the paragraphs before and after the
 * table, and this core turns those into a `diaodu.plan/1` document. So every format gets the same
 * repairs (cells placed by content, tasks split by a page break joined, merged department cells
 * continued, progress split by its attributions) and the same warnings, naming where each came from.
 * It never drops a character of task or progress text.
 */
export interface PlanTableRead {
  document: PlanDocument;
  /** Every warning of the document and its tasks, in source order, for the terminal. */
  warnings: string[];
}

/** One row of the table: its cells in the header's columns, already cleaned (`cleanCellText`; a cell's paragraphs may be kept apart by `\n`). */
export interface TableRow {
  /** Where the row is; `locate` turns it into words. */
  line: number;
  cells: string[];
}

/** A row in the seed's seven columns (章、节、具体工作任务 …), with the due date of a 完成时限 column beside them. */
interface CanonicalRow extends TableRow {
  header: boolean;
  due: string;
}

export interface PlanTableInput {
  /** The file's name, for messages. */
  source: string;
  /** Everything before the table: the notice, then the table's title on the last non-empty line. */
  front: SourceLine[];
  /** The table from its first header row on, repeated header rows included. */
  rows: TableRow[];
  /** Everything after the table: 抄送, 印发. */
  back: SourceLine[];
  /** How a position reads in messages; default `第N行` (a line of the text). */
  locate?: (line: number) => string;
  /** The notice when the file holds it field by field (the Excel export's 通报 sheet): `front` then gives only the table's title. */
  notice?: Notice | null;
}

export const COLUMNS = 7;
export const HEADER = ['具体工作任务', '省级牵头部门', '牵头厅领导', '责任部门', '推进情况'] as const;

/**
 * What a header cell means, by the words offices use for it (decision 026): a department's
 * progress table says 牵头厅领导 and 责任部门, a city bureau's 牵头局领导 and 责任科室. The chapter
 * and section columns have no name (the seed leaves them empty); 序号 and 备注 are not read,
 * 完成时限 / 时间节点 is the task's due date, kept as written.
 */
export type HeaderColumn = Slot | 'due' | 'number' | 'remarks' | 'blank';
const HEADER_WORDS: { column: HeaderColumn; words: readonly string[]; pattern?: RegExp }[] = [
  { column: 'task', words: ['具体工作任务', '重点任务', '工作任务', '任务内容', '主要任务'] },
  { column: 'department', words: ['省级牵头部门', '市级牵头部门', '县级牵头部门', '牵头部门', '省级牵头单位', '市级牵头单位', '县级牵头单位', '牵头单位'] },
  { column: 'leaders', words: ['牵头厅领导', '牵头局领导', '牵头委领导', '牵头领导', '责任领导', '分管领导'] },
  { column: 'units', words: ['责任部门', '责任单位', '责任处室', '责任科室', '承办单位'] },
  { column: 'progress', words: ['推进情况', '进展情况', '完成情况', '落实情况'] },
  { column: 'due', words: ['完成时限', '时间节点'] },
  { column: 'number', words: ['序号'] },
  { column: 'remarks', words: ['备注'] },
];
/** Columns a table must have; 推进情况 may be missing (a plan before its first round). */
const REQUIRED: readonly Slot[] = ['task', 'department', 'leaders', 'units'];
const COLUMN_NAMES: Record<Exclude<HeaderColumn, 'blank'>, string> = {
  chapter: '章',
  section: '节',
  task: '具体工作任务',
  department: '牵头部门',
  leaders: '牵头领导',
  units: '责任部门',
  progress: '推进情况',
  due: '完成时限',
  number: '序号',
  remarks: '备注',
};

function columnOfWord(cell: string): HeaderColumn | null {
  const name = normaliseName(cell);
  if (name === '') return 'blank';
  return HEADER_WORDS.find((entry) => entry.words.includes(name))?.column ?? null;
}

/** Every word the reader knows for a header cell, for the message refusing one it does not. */
function knownHeaderWords(): string {
  return HEADER_WORDS.map((entry) => `${COLUMN_NAMES[entry.column as Exclude<HeaderColumn, 'blank'>]}：${entry.words.join('/')}`).join('；');
}

/** A task-column word (具体工作任务, 重点任务 …): the cell that makes a row a header. */
export function isTaskHeaderCell(cell: string): boolean {
  return columnOfWord(cell) === 'task';
}

export type HeaderLayout = { ok: true; columns: HeaderColumn[] } | { ok: false; unknown: string[]; missing: string[]; duplicate: string[] };

/**
 * The meaning of each column of a header row. Unnamed columns left of the task column are the
 * chapter's and the section's (one such column holds both kinds of label); unnamed ones to its
 * right are not read. Refused (`ok: false`): a name it does not know, a required column missing,
 * two columns of one meaning.
 */
export function headerLayout(cells: readonly string[]): HeaderLayout {
  const task = cells.findIndex(isTaskHeaderCell);
  const columns: HeaderColumn[] = [];
  const unknown: string[] = [];
  const blanksLeft = task < 0 ? [] : cells.slice(0, task).flatMap((cell, i) => (normaliseName(cell) === '' ? [i] : []));
  cells.forEach((cell, i) => {
    const column = columnOfWord(cell);
    if (column === null) unknown.push(normaliseName(cell));
    if (column === 'blank' && i < task) columns.push(blanksLeft.indexOf(i) === blanksLeft.length - 1 && blanksLeft.length > 1 ? 'section' : 'chapter');
    else columns.push(column ?? 'blank');
  });
  const seen = new Set<HeaderColumn>();
  const duplicate: string[] = [];
  columns.forEach((column, i) => {
    if (column === 'blank' || column === 'chapter' || column === 'section') return;
    if (seen.has(column)) duplicate.push(normaliseName(cells[i]!));
    seen.add(column);
  });
  const missing = REQUIRED.filter((slot) => !seen.has(slot)).map((slot) => COLUMN_NAMES[slot]);
  if (unknown.length > 0 || missing.length > 0 || duplicate.length > 0) return { ok: false, unknown, missing, duplicate };
  return { ok: true, columns };
}
const CHAPTER_LABEL = /^([〇零一二三四五六七八九十百]+)、(.*)$/s;
const SECTION_LABEL = /^[(（]([〇零一二三四五六七八九十百]+)[)）](.*)$/s;

export type Slot = 'chapter' | 'section' | 'task' | 'department' | 'leaders' | 'units' | 'progress';
const SLOTS: readonly Slot[] = ['chapter', 'section', 'task', 'department', 'leaders', 'units', 'progress'];
const slotName = (slot: Slot, words: ColumnWords) => (slot === 'chapter' ? '章' : slot === 'section' ? '节' : words[slot]);

type AlignedRow = Partial<Record<Slot, string>> & { line: number };

interface TaskDraft {
  line: number;
  lines: number[];
  text: string;
  leadDepartment: string | null;
  leaders: string[];
  units: string[];
  due: string;
  progress: string;
  warnings: string[];
}

interface SectionDraft {
  number: number;
  titles: { title: string; line: number }[];
  tasks: TaskDraft[];
}

interface ChapterDraft {
  number: number;
  titles: { title: string; line: number }[];
  sections: SectionDraft[];
}

const at = (line: number, message: string) => `第${line}行：${message}`;

export function readPlanTable(input: PlanTableInput): PlanTableRead {
  const { source, rows: tableRows } = input;
  const locate = input.locate ?? ((line: number) => `第${line}行`);
  const layout = checkHeaders(
    tableRows.map((row) => ({ ...row, header: isHeaderCells(row.cells) })),
    source,
    locate,
  );
  const documentWarnings: string[] = [];
  const rows = toSeedColumns(tableRows, layout, documentWarnings, (line, message) =>
    invalid('import_due_too_long', `${source} ${locate(line)}：${message}`, { file: source, line }),
  ).map((row) => ({ ...row, cells: withoutNoAnswerMark(row.cells) }));

  // Extraction may lose the first page's header row: its rows are read in the table's seven
  // columns (cells are placed by content anyway), and the reader is told to check them.
  const firstHeader = rows.findIndex((row) => row.header);
  if (firstHeader > 0)
    documentWarnings.push(
      at(
        rows[0]!.line,
        `表格第一页没有表头行，第${rows[0]!.line}行至第${rows[firstHeader - 1]!.line}行已按调度表的七列（章、节、${HEADER.join('、')}）读入，请核对`,
      ),
    );
  const titleLineIndex = lastNonEmpty(input.front.map((line) => line.text));
  const tableTitle = titleLineIndex === null ? null : { text: input.front[titleLineIndex]!.text.trim(), line: input.front[titleLineIndex]!.line };
  const notice = input.notice !== undefined ? input.notice : parseNotice(input.front.slice(0, titleLineIndex ?? 0), input.back, documentWarnings);
  const { planTitle, roundLabel } = parseTableTitle(tableTitle, notice, documentWarnings);

  const vocabulary = createVocabulary(
    rows.filter((row) => !row.header).map((row) => row.cells),
    columnWords(tableRows.find((row) => isHeaderCells(row.cells))!.cells, layout),
  );
  const chapters = assemble(rows, vocabulary, documentWarnings);
  const unitAliases: Record<string, string> = {};
  const planChapters: PlanChapter[] = chapters.map((chapter) => ({
    number: chapter.number,
    title: chooseTitle(`第${chapter.number}章（${chineseLabel(chapter.number)}、）`, chapter.titles, documentWarnings),
    sections: chapter.sections.map((section): PlanSection => ({
      number: section.number,
      title: chooseTitle(`第(${chineseLabel(section.number)})节`, section.titles, documentWarnings),
      tasks: section.tasks.map((task) => finishTask(task, vocabulary, unitAliases)),
    })),
  }));

  // Warnings are written as `第N行：…` while reading (the vocabulary and the notice reader do too);
  // a reader with its own kind of position renames them once, here, after sorting by position.
  // Quoted cell text (“…”) is left as it is.
  const relabel = input.locate
    ? (warning: string) => warning.replace(/“[^”]*”|第(\d+)行/g, (match, line: string | undefined) => (line === undefined ? match : locate(Number(line))))
    : (warning: string) => warning;
  const allWarnings = [...documentWarnings, ...planChapters.flatMap((c) => c.sections.flatMap((s) => s.tasks.flatMap((t) => t.warnings)))].sort(byLine);
  for (const chapter of planChapters) for (const section of chapter.sections) for (const task of section.tasks) task.warnings = task.warnings.map(relabel);
  const plan = { title: planTitle, docNumber: planDocNumber(notice) };
  const period = periodOfRoundLabel(roundLabel);
  const document: PlanDocument = {
    format: PLAN_FORMAT,
    notice,
    plan,
    round: { label: roundLabel, periodStart: period?.start ?? null, periodEnd: period?.end ?? null },
    unitAliases: Object.fromEntries(Object.entries(unitAliases).sort(([a], [b]) => a.localeCompare(b))),
    chapters: planChapters,
    warnings: documentWarnings.map(relabel),
  };
  return { document, warnings: allWarnings.map(relabel) };
}

/* ------------------------------------------------------------------ table layout */

/** Our own table says `（未报送）` where no unit answered (compiled-table.ts): that is no progress, not progress text. */
function withoutNoAnswerMark(cells: string[]): string[] {
  const progress = COLUMNS - 1;
  return cells.length === COLUMNS && cells[progress] === NO_ANSWER_TEXT ? cells.map((cell, i) => (i === progress ? '' : cell)) : cells;
}

/** A cell of a Word or Excel table: each of its paragraphs (lines) cleaned, empty ones dropped, the rest kept apart by `\n`. */
export function cleanMultilineCell(text: string): string {
  return text
    .split('\n')
    .map(cleanCellText)
    .filter((line) => line !== '')
    .join('\n');
}

/** A row of a table's first page, before any header: a chapter label first, or text in three cells or more (a title row has one). */
export function looksLikeTaskRow(cells: readonly string[]): boolean {
  const texts = cells.map(cleanCellText).filter((text) => text !== '');
  return texts.length >= 3 || (texts.length > 0 && /^[〇零一二三四五六七八九十百]+\s*、/.test(texts[0]!));
}

export function isHeaderCells(cells: readonly string[]): boolean {
  return cells.some(isTaskHeaderCell);
}

/**
 * Every header row must name its columns in words the reader knows, the same way each time (a
 * header repeated on each page); a table without any is not a progress table. Gives the layout.
 */
function checkHeaders(rows: (TableRow & { header: boolean })[], source: string, locate: (line: number) => string): HeaderColumn[] {
  let layout: HeaderColumn[] | null = null;
  for (const [index, row] of rows.entries()) {
    if (!row.header) continue;
    const names = row.cells.map(normaliseName);
    const read = headerLayout(row.cells);
    if (read.ok && (layout === null || sameLayout(layout, read.columns))) {
      layout ??= read.columns;
      continue;
    }
    // A header split over two rows (a group heading such as 牵头 above 省级牵头部门 and 牵头厅领导)
    // leaves the missing names on the next row: say so, since the names alone puzzle.
    const next = rows[index + 1];
    const below = next ? next.cells.map(normaliseName).filter((name) => name !== '' && !names.includes(name) && columnOfWord(name) !== null) : [];
    const split = next && below.length > 0 ? `；下一行（${locate(next.line)}）还有“${below.join('、')}”，表头似乎分成了两行，请合并为一行表头` : '';
    const problems = read.ok
      ? ['与前面的表头列不同']
      : [
          ...(read.unknown.length > 0 ? [`不认识的列名“${read.unknown.join('、')}”`] : []),
          ...(read.missing.length > 0 ? [`缺少“${read.missing.join('、')}”列`] : []),
          ...(read.duplicate.length > 0 ? [`列“${read.duplicate.join('、')}”与其他列重复`] : []),
        ];
    throw invalid(
      'import_table_columns',
      `${source} ${locate(row.line)}：调度表表头无法识别：${problems.join('，')}。表头共 ${names.length} 列：${names.map((n) => n || '（空）').join('、')}。认识的列名：${knownHeaderWords()}${split}`,
      {
        file: source,
        line: row.line,
        found: names,
        ...(read.ok ? {} : { unknown: read.unknown, missing: read.missing }),
        ...(next && below.length > 0 ? { continuedOn: next.line } : {}),
      },
    );
  }
  if (!layout) throw noTable(source);
  return layout;
}

/** The header's own words for each column (the seed's where it has no such column), for messages. */
function columnWords(cells: readonly string[], layout: HeaderColumn[]): ColumnWords {
  const word = (column: keyof ColumnWords) => {
    const index = layout.indexOf(column);
    return index < 0 ? SEED_WORDS[column] : normaliseName(cells[index]!);
  };
  return { task: word('task'), department: word('department'), leaders: word('leaders'), units: word('units'), progress: word('progress') };
}

const sameLayout = (a: HeaderColumn[], b: HeaderColumn[]) => a.length === b.length && a.every((column, i) => column === b[i]);

/**
 * The rows in the seed's seven columns, whatever the table's own. A row whose only text is a
 * chapter or section label (`一、…`, `（一）…`, one cell merged across the table) outside the
 * chapter and section columns is a heading row: its label goes to the next task row, as a label
 * merged down the seed's first columns would. 序号 is not read; 备注 is not read either, and the
 * document says so when it had any.
 */
function toSeedColumns(rows: TableRow[], layout: HeaderColumn[], warnings: string[], refuse: (line: number, message: string) => Error): CanonicalRow[] {
  const out: CanonicalRow[] = [];
  const pending: { chapter?: string; section?: string } = {};
  const remarks: number[] = [];
  const unnamed: number[] = [];
  for (const row of rows) {
    if (isHeaderCells(row.cells)) {
      out.push({ line: row.line, cells: ['', '', ...HEADER], header: true, due: '' });
      continue;
    }
    const texts = row.cells.map((cell, i) => ({ cell: cell.trim(), column: layout[i] ?? 'blank' })).filter((c) => c.cell !== '');
    const distinct = new Set(texts.map((c) => c.cell));
    if (distinct.size === 1 && texts.every((c) => c.column !== 'chapter' && c.column !== 'section')) {
      const label = squeezeCjkSpaces(texts[0]!.cell);
      const kind = labelNumber(CHAPTER_LABEL, label) !== null ? 'chapter' : labelNumber(SECTION_LABEL, label) !== null ? 'section' : null;
      if (kind && label.length <= 80) {
        if (kind === 'chapter') delete pending.section;
        pending[kind] = texts[0]!.cell;
        continue;
      }
    }
    const cells = new Array<string>(COLUMNS).fill('');
    let due = '';
    row.cells.forEach((cell, i) => {
      const column = layout[i] ?? 'blank';
      if (column === 'due') {
        due = cell.trim();
        if (due.length > TaskLimits.due.max)
          throw refuse(row.line, `完成时限超过 ${TaskLimits.due.max} 字（${due.length} 字），请检查是否把别的列的内容放进了完成时限列`);
      } else if (column === 'remarks') {
        if (cell.trim() !== '') remarks.push(row.line);
      } else if (column === 'blank') {
        if (cell.trim() !== '') unnamed.push(row.line);
      } else if (column !== 'number') {
        const slot = SLOTS.indexOf(column);
        cells[slot] = cells[slot] === '' ? cell : `${cells[slot]}\n${cell}`;
      }
    });
    if (pending.chapter !== undefined && cells[0] === '') cells[0] = pending.chapter;
    if (pending.section !== undefined && cells[1] === '') cells[1] = pending.section;
    delete pending.chapter;
    delete pending.section;
    out.push({ line: row.line, cells, header: false, due });
  }
  if (remarks.length > 0) warnings.push(at(remarks[0]!, `“备注”列的内容未导入（${remarks.map((line) => `第${line}行`).join('、')}）`));
  if (unnamed.length > 0) warnings.push(at(unnamed[0]!, `没有列名的列中的内容未导入（${unnamed.map((line) => `第${line}行`).join('、')}）`));
  return out;
}

export function noTable(source: string) {
  return invalid('import_no_table', `${source}：没有找到调度表表头（${HEADER.join('、')}），无法识别任务表`, { file: source });
}

function lastNonEmpty(lines: string[]): number | null {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.trim() !== '') return i;
  return null;
}

/* ------------------------------------------------------------------ cell alignment */

/** `name` is a short cell without sentence punctuation that no vocabulary knows: a department, leader or unit met once. */
type Kind = 'chapter' | 'section' | 'department' | 'leaders' | 'units' | 'name' | 'text';

function kindOf(cell: string, vocabulary: Vocabulary): Kind {
  const squeezed = squeezeCjkSpaces(cell);
  if (squeezed.length <= 80 && labelNumber(CHAPTER_LABEL, squeezed) !== null) return 'chapter';
  if (squeezed.length <= 60 && labelNumber(SECTION_LABEL, squeezed) !== null) return 'section';
  if (vocabulary.isDepartment(cell)) return 'department';
  if (vocabulary.isLeaderList(cell)) return 'leaders';
  if (vocabulary.isUnitList(cell)) return 'units';
  if (squeezed.length <= 24 && !/[，。；：,;:！？!?\d]/.test(squeezed) && bracketsBalanced(squeezed)) return 'name';
  return 'text';
}

/**
 * A name closes every bracket it opens (`省政府金融办（省地方金融监管局）`); a cell that does not is a
 * piece of a text cut by a page (`处）`, the tail of `（科标处）`) and stays where it stands.
 */
function bracketsBalanced(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === '（' || char === '(') depth++;
    else if (char === '）' || char === ')') depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}

function labelNumber(pattern: RegExp, squeezed: string): number | null {
  const numeral = pattern.exec(squeezed)?.[1];
  return numeral === undefined ? null : parseChineseNumeral(numeral);
}

/** How well a kind of cell fits a slot; undefined = never. */
const FIT: Record<Kind, Partial<Record<Slot, number>>> = {
  chapter: { chapter: 3 },
  section: { section: 3 },
  department: { department: 3 },
  leaders: { leaders: 3 },
  units: { units: 3 },
  name: { department: 1, leaders: 1, units: 1, task: 0.5, progress: 0.5 },
  text: { task: 2, progress: 2 },
};
/** Staying in its own column breaks ties: a cell moves only when its content says so. */
const STAY_BONUS = 0.25;

/**
 * Puts each cell where it belongs. Extraction shifts cells left or right (a leader in the progress
 * column, a task in the section column); the cells keep their order, so the best order-preserving
 * placement by content is the intended one. Every move is reported as a warning.
 */
function align(row: TableRow, vocabulary: Vocabulary, warnings: string[]): AlignedRow {
  const cells = row.cells
    .map((cell, column) => ({ cell, column, kind: cell === '' ? null : kindOf(cell, vocabulary) }))
    .filter((c): c is { cell: string; column: number; kind: Kind } => c.kind !== null);

  let best: { score: number; slots: number[] } | null = null;
  const place = (i: number, from: number, score: number, slots: number[]) => {
    if (i === cells.length) {
      if (!best || score > best.score) best = { score, slots: [...slots] };
      return;
    }
    const c = cells[i]!;
    for (let slot = from; slot <= SLOTS.length - (cells.length - i); slot++) {
      const fit = FIT[c.kind][SLOTS[slot]!];
      if (fit === undefined) continue;
      slots.push(slot);
      place(i + 1, slot + 1, score + fit + (slot === c.column ? STAY_BONUS : 0), slots);
      slots.pop();
    }
  };
  place(0, 0, 0, []);

  const aligned: AlignedRow = { line: row.line };
  const chosen = best as { score: number; slots: number[] } | null;
  if (!chosen) {
    warnings.push(at(row.line, '单元格内容与列不符且无法判断归属，按原列导入，请核对'));
    for (const c of cells) aligned[SLOTS[c.column]!] = c.cell;
    return aligned;
  }
  const moves: string[] = [];
  cells.forEach((c, i) => {
    const slot = SLOTS[chosen.slots[i]!]!;
    aligned[slot] = c.cell;
    if (chosen.slots[i] !== c.column)
      moves.push(`“${clip(c.cell)}”从“${slotName(SLOTS[c.column]!, vocabulary.words)}”列移入“${slotName(slot, vocabulary.words)}”列`);
  });
  if (moves.length > 0) warnings.push(at(row.line, `单元格错位，已按内容归位，请核对：${moves.join('；')}`));
  return aligned;
}

const clip = (text: string, max = 12) => (text.length > max ? `${text.slice(0, max)}…` : text);

/* ------------------------------------------------------------------ assembling the tree */

function assemble(rows: CanonicalRow[], vocabulary: Vocabulary, documentWarnings: string[]): ChapterDraft[] {
  const { words } = vocabulary;
  const chapters: ChapterDraft[] = [];
  let chapter: ChapterDraft | null = null;
  let section: SectionDraft | null = null;
  let lastTask: TaskDraft | null = null;
  let lastDepartment: { name: string; section: SectionDraft } | null = null;
  let afterPageBreak = false;

  const enterChapter = (label: string, line: number) => {
    const match = CHAPTER_LABEL.exec(squeezeCjkSpaces(label));
    const number = match ? parseChineseNumeral(match[1]!) : null;
    if (!match || number === null) {
      documentWarnings.push(at(line, `无法识别的章标题“${clip(label)}”，已忽略`));
      return;
    }
    const title = match[2]!.trim();
    if (chapter && chapter.number === number) {
      chapter.titles.push({ title, line });
      return;
    }
    const existing = chapters.find((c) => c.number === number);
    if (existing) documentWarnings.push(at(line, `章号“${match[1]}、”再次出现，任务归入前面的同号章`));
    chapter = existing ?? { number, titles: [{ title, line }], sections: [] };
    if (!existing) chapters.push(chapter);
    section = chapter.sections.at(-1) ?? null;
    lastDepartment = null;
  };

  const enterSection = (label: string, line: number) => {
    const match = SECTION_LABEL.exec(squeezeCjkSpaces(label));
    const number = match ? parseChineseNumeral(match[1]!) : null;
    if (!match || number === null) {
      documentWarnings.push(at(line, `无法识别的节标题“${clip(label)}”，已忽略`));
      return;
    }
    const title = match[2]!.trim();
    if (section && section.number === number) {
      section.titles.push({ title, line });
      return;
    }
    const current = requireChapter(line);
    const existing = current.sections.find((s) => s.number === number);
    if (existing) documentWarnings.push(at(line, `节号“(${match[1]})”再次出现，任务归入前面的同号节`));
    section = existing ?? { number, titles: [{ title, line }], tasks: [] };
    if (!existing) current.sections.push(section);
  };

  const requireChapter = (line: number): ChapterDraft => {
    if (chapter) return chapter;
    documentWarnings.push(at(line, '表格第一行没有章标题（如“一、…”），任务归入第0章'));
    chapter = { number: 0, titles: [{ title: '', line }], sections: [] };
    chapters.push(chapter);
    return chapter;
  };

  const requireSection = (line: number): SectionDraft => {
    if (section) return section;
    const current = requireChapter(line);
    documentWarnings.push(at(line, `第${current.number}章的第一个任务前没有节标题（如“(一)…”），任务归入第0节`));
    section = { number: 0, titles: [{ title: '', line }], tasks: [] };
    current.sections.push(section);
    return section;
  };

  for (const row of rows) {
    if (row.header) {
      afterPageBreak = true;
      continue;
    }
    const warnings: string[] = [];
    const cells = align(row, vocabulary, warnings);
    const followsPageBreak = afterPageBreak;
    afterPageBreak = false;
    const continuesPreviousTask = lastTask !== null && !cells.department && !cells.leaders && !cells.units && (followsPageBreak || !cells.task);

    if (continuesPreviousTask && lastTask) {
      // A task split by a page break: its text and progress go on in a row of their own. That row
      // may carry the labels of the page (the chapter, or even the next section): they take effect
      // for the rows that follow, not for this task.
      if (!followsPageBreak)
        warnings.push(at(row.line, `本行只有${words.progress}，没有任务文字、${words.leaders}和${words.units}，已接续到第${lastTask.line}行的任务，请核对`));
      lastTask.text = joinContinued(lastTask.text, cells.task ?? '');
      if (lastTask.due === '') lastTask.due = row.due;
      lastTask.progress = joinContinued(lastTask.progress, cells.progress ?? '');
      lastTask.lines.push(row.line);
      lastTask.warnings.push(...warnings);
      if (cells.chapter) enterChapter(cells.chapter, row.line);
      if (cells.section) enterSection(cells.section, row.line);
      continue;
    }

    if (cells.chapter) enterChapter(cells.chapter, row.line);
    if (cells.section) enterSection(cells.section, row.line);
    const target = requireSection(row.line);
    if (!cells.task) warnings.push(at(row.line, `本行没有${words.task}文字`));

    let leadDepartment: string | null = null;
    if (cells.department) {
      leadDepartment = normaliseName(cells.department);
    } else if (lastDepartment) {
      // An empty lead-department cell is a merged cell continued from the rows above.
      leadDepartment = lastDepartment.name;
      if (lastDepartment.section !== target) warnings.push(at(row.line, `${words.department}为空，沿用上一节的“${leadDepartment}”（合并单元格跨节），请核对`));
    } else {
      warnings.push(at(row.line, `${words.department}为空，且上方没有可沿用的部门`));
    }
    if (leadDepartment) lastDepartment = { name: leadDepartment, section: target };

    const leaders = cells.leaders ? vocabulary.leaderNames(cells.leaders, row.line, warnings) : [];
    const units = cells.units ? vocabulary.unitNames(cells.units, row.line, warnings) : [];
    if (leaders.length === 0) warnings.push(at(row.line, `没有${words.leaders}`));
    if (units.length === 0) warnings.push(at(row.line, `没有${words.units}`));

    const task: TaskDraft = {
      line: row.line,
      lines: [row.line],
      text: cells.task ?? '',
      leadDepartment,
      leaders,
      units,
      due: row.due,
      progress: cells.progress ?? '',
      warnings,
    };
    target.tasks.push(task);
    lastTask = task;
  }
  if (chapters.length === 0) throw invalid('import_no_tasks', '调度表中没有任务行', {});
  return chapters;
}

/** Text split by a page break is one text: join without inventing a space, except between two Latin words. */
function joinContinued(before: string, after: string): string {
  if (!before) return after;
  if (!after) return before;
  return /[A-Za-z0-9]$/.test(before) && /^[A-Za-z0-9]/.test(after) ? `${before} ${after}` : before + after;
}

function finishTask(task: TaskDraft, vocabulary: Vocabulary, aliases: Record<string, string>): PlanTask {
  const warnings = [...task.warnings];
  const progress = splitProgress(task.progress, task.units, vocabulary, aliases, (message) => warnings.push(at(task.line, message)));
  return {
    text: task.text || '（原文无任务文字）',
    leadDepartment: task.leadDepartment,
    leaders: task.leaders,
    units: task.units.map((name, i) => ({ name, role: i === 0 ? 'lead' : 'co' })),
    ...(task.due === '' ? {} : { due: task.due }),
    progress,
    warnings,
  };
}

/** Titles differ from page to page (`强化国土治理` / `强化国土空间治理`): keep the fullest, say so. */
function chooseTitle(what: string, titles: { title: string; line: number }[], warnings: string[]): string {
  const firstOfEach = new Map<string, { title: string; line: number }>();
  for (const t of titles) if (t.title !== '' && !firstOfEach.has(t.title)) firstOfEach.set(t.title, t);
  const distinct = [...firstOfEach.values()];
  if (distinct.length === 0) return '';
  const chosen = distinct.reduce((best, t) => (t.title.length > best.title.length ? t : best));
  if (distinct.length > 1)
    warnings.push(at(distinct[0]!.line, `${what}标题在各页不一致：${distinct.map((t) => `第${t.line}行“${t.title}”`).join('，')}；采用“${chosen.title}”`));
  return chosen.title;
}

function chineseLabel(value: number): string {
  return value < 1000 ? toChineseNumeral(value) : String(value);
}

function planDocNumber(notice: Notice | null): string | null {
  const body = notice?.body.join('') ?? '';
  const numbers = body.match(/[\u4e00-\u9fff]{1,12}[〔[［(（]\d{4}[〕\]］)）]\d+号/g) ?? [];
  return numbers.find((n) => n !== notice?.docNumber) ?? null;
}

function byLine(a: string, b: string): number {
  const line = (s: string) => Number(/^第(\d+)行/.exec(s)?.[1] ?? 0);
  return line(a) - line(b);
}
