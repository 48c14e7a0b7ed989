import type { CompiledRow } from '../../../../domain/compiled-table.ts';

/** The name columns: the row's key and the narrowest and widest they get (in characters of the table's font). */
const NAME_COLUMNS = [
  { key: 'leadDepartment', min: 4, max: 8 },
  { key: 'leaders', min: 3, max: 6 },
  { key: 'units', min: 4, max: 6 },
] as const;

export type NameColumn = (typeof NAME_COLUMNS)[number]['key'];

/** The names of a cell: `高洁、钟勤建` → 高洁, 钟勤建. */
export const namesOf = (cell: string) => cell.split('、').filter((name) => name !== '');

export type TableColumns = {
  /** CSS widths of the seven columns (eight with 完成时限), for a fixed-layout table. */
  widths: string[];
  /** Characters a line of each name column holds: a name no longer is kept whole on one line. */
  chars: Record<NameColumn, number>;
};

/**
 * The print view's columns from the content (issue 13: 省级牵头部门 was squeezed to one character a
 * line): each name column is as wide as its longest name, within bounds (a longer name — 省生态文明
 * 建设领导小组办公室 — takes two lines of half its length); chapter and section labels get a narrow
 * column; task and progress share the rest, progress the more.
 */
export function tableColumns(rows: readonly Pick<CompiledRow, NameColumn | 'due'>[], withDue = false): TableColumns {
  const chars = {} as Record<NameColumn, number>;
  for (const { key, min, max } of NAME_COLUMNS) {
    const longest = Math.max(0, ...rows.flatMap((row) => namesOf(row[key]).map((name) => [...name].length)));
    chars[key] = longest <= max ? Math.max(min, longest) : Math.max(min, Math.min(max, Math.ceil(longest / 2)));
  }
  // 10px: the cell's padding and borders.
  const em = (n: number) => `calc(${n}em + 10px)`;
  // 完成时限 (a table whose tasks have due dates): as wide as its longest entry (a digit about 0.6 of a
  // Chinese character), four to eight characters: `2018年6月底前` on one line, longer entries wrap.
  const width = (text: string) => Math.ceil([...text].reduce((sum, char) => sum + (char.charCodeAt(0) < 0x80 ? 0.6 : 1), 0));
  const due = Math.max(4, Math.min(8, Math.max(0, ...rows.map((row) => width(row.due ?? '')))));
  return { widths: [em(5), em(5), '26%', em(chars.leadDepartment), em(chars.leaders), em(chars.units), ...(withDue ? [em(due)] : []), 'auto'], chars };
}
