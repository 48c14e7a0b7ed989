/** The `通报` sheet of an exported table (written by writers/table-xlsx.ts, read by xlsx-table.reader.ts). */

/**
 * The labels of the `通报` sheet, in the order the rows are written: column A the label, column B
 * the value. `正文` and `抄送` (`NOTICE_LIST_FIELDS`) take one row per paragraph / recipient and no
 * row at all when the list is empty; every other label has exactly one row, its value cell empty
 * when the field is null. Dates are `YYYY-MM-DD` text. The importer reads the sheet by these labels.
 */
export const NOTICE_SHEET_FIELDS = [
  '发文机关',
  '文号',
  '标题',
  '主送',
  '正文',
  '附件',
  '落款',
  '日期',
  '联系单位',
  '联系人',
  '联系电话',
  '抄送',
  '印发机关',
  '印发日期',
] as const;
export type NoticeSheetField = (typeof NOTICE_SHEET_FIELDS)[number];

/** The labels that repeat, one row per item of a list field. */
export const NOTICE_LIST_FIELDS: readonly NoticeSheetField[] = ['正文', '抄送'];

/** The name of the notice's sheet. */
export const NOTICE_SHEET_NAME = '通报';
