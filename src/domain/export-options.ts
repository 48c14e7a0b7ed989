/**
 * What the office chooses for each export of a round (issue 13, decision 024), the same in every
 * format (Word, Excel, PDF, the print view): which answers, and which marks the table prints.
 */

/**
 * `official` (正式稿): only answers the office accepted. `draft` (征求意见稿): also the answers in
 * hand but not yet accepted, each marked 【未审核】, the document marked 征求意见稿. An imported
 * round has no review: everything it brought is official.
 */
export const EXPORT_VERSIONS = ['official', 'draft'] as const;
export type ExportVersion = (typeof EXPORT_VERSIONS)[number];

/** A task nobody answered: `blank` (the cell is empty, as the seed's is) or `marked` (（未报送）). */
export const UNANSWERED_DISPLAYS = ['blank', 'marked'] as const;
export type UnansweredDisplay = (typeof UNANSWERED_DISPLAYS)[number];

/**
 * Where 滞后/暂缓 and its reason go in a unit's answer: `after` the unit's text (`…【滞后】原因：…`),
 * `before` it (`【滞后：…】…`), or `none`. Always before the unit's bracket, so that the reader's
 * splitProgress reads the entry back with its unit.
 */
export const STATUS_MARK_PLACEMENTS = ['after', 'before', 'none'] as const;
export type StatusMarkPlacement = (typeof STATUS_MARK_PLACEMENTS)[number];

export type TableOptions = { version: ExportVersion; unanswered: UnansweredDisplay; statusMarks: StatusMarkPlacement };

/** What a file was made with, as its audit row records it (an imported round: official and blank, whatever was asked). */
export type UsedTableOptions = TableOptions & { imported?: true };

/**
 * The defaults: the official text; nothing invented where nobody answered (the office asks for
 * （未报送） when it wants the table to name the gaps; the 报送情况 sheet names them anyway); 滞后
 * and its reason after the unit's text, as the office writes it.
 */
export const DEFAULT_TABLE_OPTIONS: TableOptions = { version: 'official', unanswered: 'blank', statusMarks: 'after' };

export const EXPORT_VERSION_LABELS: Record<ExportVersion, string> = { official: '正式稿（仅已采纳）', draft: '征求意见稿（含未审核）' };
export const UNANSWERED_DISPLAY_LABELS: Record<UnansweredDisplay, string> = { blank: '留空', marked: '写“（未报送）”' };
export const STATUS_MARK_LABELS: Record<StatusMarkPlacement, string> = { after: '文末：【滞后】原因：…', before: '文前：【滞后：…】', none: '不显示' };

/** The mark on a draft document (its title, the Excel title, the print view). */
export const DRAFT_MARK = '征求意见稿';
/** The mark on an answer a draft shows before the office accepted it. */
export const UNREVIEWED_MARK = '【未审核】';
