import {
  AlignmentType,
  LineRuleType,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  VerticalAlignTable,
  VerticalMergeType,
  WidthType,
  type IParagraphOptions,
} from 'docx';
import type { CompiledRow, CompiledTable } from '../../../../domain/compiled-table.ts';
import { Fonts, LANDSCAPE_TEXT_WIDTH, linesOf, oneLine, run, Sizes, type RunStyle } from './gb-t-9704.ts';

/**
 * The progress table (调度表) as a Word table on a landscape A4 page: the header row repeats on
 * every page, the chapter and section cells are merged down over their tasks, and no row is
 * split across pages.
 */

/** Relative widths of the seven columns: chapter, section, task, lead department, leaders, units, progress. Task and progress get most; the lead department fits 省级牵头部门 on one line at 5号. */
const COLUMN_SHARES = [18, 16, 52, 27, 16, 20, 76] as const;

/** Column widths in twips, summing exactly to the landscape text width. */
export const PROGRESS_TABLE_COLUMNS: readonly number[] = (() => {
  const total = COLUMN_SHARES.reduce((sum, share) => sum + share, 0);
  const widths = COLUMN_SHARES.map((share) => Math.floor((LANDSCAPE_TEXT_WIDTH * share) / total));
  widths[widths.length - 1]! += LANDSCAPE_TEXT_WIDTH - widths.reduce((sum, width) => sum + width, 0);
  return widths;
})();

/**
 * 5号 on exact 14 pt lines: at 小四 on 18 pt lines the seed's 111 tasks took 73 landscape pages
 * (rows may not split, so a tall row leaves the rest of a page empty); the office's own table
 * ran to about 24. 5号 is the customary size for tables in 公文 attachments.
 */
const TEXT: RunStyle = { font: Fonts.fangSong, size: Sizes.wuHao };
const HEADER: RunStyle = { font: Fonts.heiTi, size: Sizes.wuHao };
const CHAPTER: RunStyle = { font: Fonts.heiTi, size: Sizes.wuHao };
const SECTION: RunStyle = { font: Fonts.kaiTi, size: Sizes.wuHao };

const CELL_LINE = 280;

const cellParagraphs = (text: string, style: RunStyle, alignment: IParagraphOptions['alignment']): Paragraph[] => {
  const lines = linesOf(text);
  return (lines.length === 0 ? [''] : lines).map(
    (line) =>
      new Paragraph({
        alignment,
        widowControl: false,
        spacing: { line: CELL_LINE, lineRule: LineRuleType.EXACT },
        children: line === '' ? [] : [run(line, style)],
      }),
  );
};

const cell = (column: number, children: Paragraph[], verticalMerge?: (typeof VerticalMergeType)[keyof typeof VerticalMergeType]) =>
  new TableCell({
    width: { size: PROGRESS_TABLE_COLUMNS[column]!, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    ...(verticalMerge ? { verticalMerge } : {}),
    children,
  });

/**
 * A merged cell: its text on the first row of the run (`span` rows, restart), an empty continuing
 * cell on the rows inside it (`span` 0), a plain cell when it covers one row.
 */
const mergedCell = (column: number, span: number, text: string, style: RunStyle) => {
  if (span === 0) return cell(column, cellParagraphs('', style, AlignmentType.CENTER), VerticalMergeType.CONTINUE);
  return cell(column, cellParagraphs(oneLine(text), style, AlignmentType.JUSTIFIED), span > 1 ? VerticalMergeType.RESTART : undefined);
};

const dataRow = (row: CompiledRow) =>
  new TableRow({
    cantSplit: true,
    children: [
      mergedCell(0, row.chapterSpan, row.chapterLabel, CHAPTER),
      mergedCell(1, row.sectionSpan, row.sectionLabel, SECTION),
      cell(2, cellParagraphs(row.task, TEXT, AlignmentType.JUSTIFIED)),
      cell(3, cellParagraphs(row.leadDepartment, TEXT, AlignmentType.CENTER)),
      cell(4, cellParagraphs(row.leaders, TEXT, AlignmentType.CENTER)),
      cell(5, cellParagraphs(row.units, TEXT, AlignmentType.CENTER)),
      cell(6, cellParagraphs(row.progress, TEXT, AlignmentType.JUSTIFIED)),
    ],
  });

export function progressTable(table: CompiledTable): Table {
  const headerRow = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: table.header.map((title, column) => cell(column, cellParagraphs(title, HEADER, AlignmentType.CENTER))),
  });
  return new Table({
    width: { size: LANDSCAPE_TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [...PROGRESS_TABLE_COLUMNS],
    layout: TableLayoutType.FIXED,
    margins: { left: 85, right: 85, top: 40, bottom: 40 },
    rows: [headerRow, ...table.rows.map(dataRow)],
  });
}
