import {
  AlignmentType,
  LineRuleType,
  Paragraph,
  Table,
  TextRun,
  TableCell,
  TableLayoutType,
  TableRow,
  VerticalAlignTable,
  VerticalMergeType,
  WidthType,
  type FileChild,
  type IParagraphOptions,
} from 'docx';
import type { CompiledTable } from '../../../../domain/compiled-table.ts';
import { docxText, Fonts, LANDSCAPE_TEXT_WIDTH, LINE_PITCH, oneLine, runOptions, Sizes, type RunStyle } from './gb-t-9704.ts';
import { LANDSCAPE_BODY_HEIGHT } from './landscape-page.ts';
import {
  CELL_MARGIN,
  Column,
  hasDue,
  headerLines,
  layoutTable,
  progressColumn,
  type MergedCell,
  type PageGeometry,
  type PageRow,
  type TableLayout,
} from './table-pagination.ts';
import { textWidth } from './text-measure.ts';

/**
 * The progress table (调度表) on landscape A4 pages, paginated by us (decision 023): one Word
 * table per page, each with the header row, the chapter, section and 省级牵头部门 cells merged
 * down over their rows on that page and labelled at its top (a chapter or section that goes on
 * from the page before says （续）), rows split by lines where a page is full, a 1 pt paragraph
 * that breaks the page between tables. Column widths come from the content
 * (table-pagination.ts): no leader or unit name breaks inside itself.
 */

/**
 * 小五 (9 pt) on exact 11 pt lines. 5号 on 14 pt lines was asked for, but with every name whole
 * (the name columns take a third of the width) the seed's table needs 42 pages at 5号 and 33 even
 * on 12 pt lines; at 小五 it takes 26 (decision 023).
 */
/** 小五, 9 pt, in half-points (gb-t-9704.ts names the sizes up to 5号). */
const SIZE = 18;
/** One em of the table's text in twips, and its exact line height (11 pt). */
const EM = SIZE * 10;
const LINE = 220;
const TEXT: RunStyle = { font: Fonts.fangSong, size: SIZE };
const HEADER: RunStyle = { font: Fonts.heiTi, size: SIZE };
const CHAPTER: RunStyle = { font: Fonts.heiTi, size: SIZE };
const SECTION: RunStyle = { font: Fonts.kaiTi, size: SIZE };

/** The 1 pt paragraph between two pages' tables: it breaks the page, and keeps Word from joining the tables. */
const BREAK_PARAGRAPH_HEIGHT = 20;

/** Measured height the measure keeps free on every page for what it cannot know (rounding, borders, the closing paragraph). */
const PAGE_RESERVE = 140;

export interface ProgressTableOptions {
  /** The table follows 附件 and the title on its first page (the notice); false: only the title (the table alone). */
  afterLabel?: boolean;
  /**
   * The title carries the 征求意见稿 mark on a line under it (i13-pages, decision 022). Not given:
   * the line is kept free on the first page anyway, so a draft's first table never runs over.
   */
  draft?: boolean;
}

/**
 * Height above the table on its first page: 附件 on a line of its own and a blank line (the
 * notice), the 2号 title, the draft mark, a blank line (notice-docx.ts). The title is counted in full lines of
 * 22 pt characters across the 版心; a title the pages slice breaks into more lines than that
 * (between words, GB/T 9704 7.3.1) takes its extra line from PAGE_RESERVE and the first page.
 */
function firstPageTaken(table: CompiledTable, options: ProgressTableOptions): number {
  const perLine = Math.floor(LANDSCAPE_TEXT_WIDTH / (Sizes.erHao * 10));
  const titleLines = Math.max(1, Math.ceil(textWidth(oneLine(table.title)) / perLine));
  const draftMark = options.draft === false ? 0 : 1;
  return (titleLines + draftMark + 1 + (options.afterLabel === false ? 0 : 2)) * LINE_PITCH;
}

function progressTableGeometry(table: CompiledTable, options: ProgressTableOptions = {}): PageGeometry {
  return {
    bodyHeight: LANDSCAPE_BODY_HEIGHT,
    firstPageTaken: firstPageTaken(table, options),
    otherPageTaken: BREAK_PARAGRAPH_HEIGHT,
    reserve: PAGE_RESERVE,
    width: LANDSCAPE_TEXT_WIDTH,
    em: EM,
    line: LINE,
  };
}

/** The layout the Word tables are made from: column widths and pages (for tests, and the writer below). */
export function progressTableLayout(table: CompiledTable, options: ProgressTableOptions = {}): TableLayout {
  return layoutTable(table, progressTableGeometry(table, options));
}

/**
 * A run of the table: its size, and its font unless it is the document's own; no complex-script
 * size (the table has no such script). 10,000 tasks make some 100,000 runs, and every element
 * counts in the time to write them (bench:export).
 */
const run = (text: string, style: RunStyle) => {
  // 仿宋_GB2312 is the document's default font (gb-t-9704.ts documentStyles): its runs name only their size.
  const { font, ...options } = runOptions(style);
  return new TextRun({ text: docxText(text), ...options, ...(style.font === Fonts.fangSong ? {} : { font }), sizeComplexScript: false });
};

/**
 * A line of a cell: exact line height. No widow control (a row never splits in the renderer: we
 * split rows), no alignment on an empty paragraph.
 */
const paragraph = (text: string, style: RunStyle, alignment: IParagraphOptions['alignment']) =>
  text === ''
    ? new Paragraph({ spacing: { line: LINE, lineRule: LineRuleType.EXACT } })
    : new Paragraph({ alignment, spacing: { line: LINE, lineRule: LineRuleType.EXACT }, children: [run(text, style)] });

const paragraphs = (lines: readonly string[], style: RunStyle, alignment: IParagraphOptions['alignment']) =>
  (lines.length === 0 ? [''] : lines).map((line) => paragraph(line, style, alignment));

const cell = (layout: TableLayout, column: number, children: Paragraph[], verticalMerge?: (typeof VerticalMergeType)[keyof typeof VerticalMergeType]) =>
  new TableCell({
    width: { size: layout.columns[column]!, type: WidthType.DXA },
    // A cell inside a merge takes the look of the merge's first cell: no alignment of its own.
    ...(verticalMerge === VerticalMergeType.CONTINUE ? {} : { verticalAlign: VerticalAlignTable.CENTER }),
    ...(verticalMerge ? { verticalMerge } : {}),
    children,
  });

/** A merged label cell: its lines on the first row of the run on this page, an empty continuing cell inside it. */
const mergedCell = (layout: TableLayout, column: number, merged: MergedCell, style: RunStyle, alignment: IParagraphOptions['alignment']) => {
  if (merged === null) return cell(layout, column, paragraphs([], style, AlignmentType.CENTER), VerticalMergeType.CONTINUE);
  return cell(layout, column, paragraphs(merged.lines, style, alignment), merged.span > 1 ? VerticalMergeType.RESTART : undefined);
};

const dataRow = (layout: TableLayout, row: PageRow) =>
  new TableRow({
    children: [
      mergedCell(layout, Column.chapter, row.chapter, CHAPTER, AlignmentType.CENTER),
      mergedCell(layout, Column.section, row.section, SECTION, AlignmentType.CENTER),
      cell(layout, Column.task, paragraphs(row.task, TEXT, AlignmentType.JUSTIFIED)),
      mergedCell(layout, Column.department, row.department, TEXT, AlignmentType.CENTER),
      cell(layout, Column.leaders, paragraphs(row.leaders, TEXT, AlignmentType.CENTER)),
      cell(layout, Column.units, paragraphs(row.units, TEXT, AlignmentType.CENTER)),
      // One paragraph, wrapped by Word as the measure wrapped it: the reader gets the date back whole.
      ...(hasDue(layout.columns) ? [cell(layout, Column.due, paragraphs(row.due.length > 0 ? [row.due.join('')] : [], TEXT, AlignmentType.CENTER))] : []),
      cell(layout, progressColumn(layout.columns), paragraphs(row.progress, TEXT, AlignmentType.JUSTIFIED)),
    ],
  });

const headerRow = (layout: TableLayout, header: readonly string[]) =>
  new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: header.map((title, column) => cell(layout, column, paragraphs(headerLines(title, layout.ems[column]!), HEADER, AlignmentType.CENTER))),
  });

/**
 * The table as Word content: one table per page, the pages after the first each opened by a 1 pt
 * paragraph with a page break before it.
 */
export function progressTable(table: CompiledTable, options: ProgressTableOptions = {}): FileChild[] {
  const layout = progressTableLayout(table, options);
  const children: FileChild[] = [];
  // One header row for every page's table: the same object is written into each.
  const header = headerRow(layout, table.header);
  layout.pages.forEach((page, index) => {
    if (index > 0)
      children.push(
        new Paragraph({
          pageBreakBefore: true,
          widowControl: false,
          spacing: { before: 0, after: 0, line: BREAK_PARAGRAPH_HEIGHT, lineRule: LineRuleType.EXACT },
          run: { size: 2 },
        }),
      );
    children.push(
      new Table({
        width: { size: LANDSCAPE_TEXT_WIDTH, type: WidthType.DXA },
        columnWidths: layout.columns,
        layout: TableLayoutType.FIXED,
        margins: { ...CELL_MARGIN },
        rows: [header, ...page.rows.map((row) => dataRow(layout, row))],
      }),
    );
  });
  return children;
}
