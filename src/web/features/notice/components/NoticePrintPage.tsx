import { EditOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Breadcrumb, Button, Space, Switch } from 'antd';
import { Fragment, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ExportFormat as AnyExportFormat } from '../../../../domain/api/export-view.ts';
import { hasDueColumn, type CompiledRow } from '../../../../domain/compiled-table.ts';
import {
  DEFAULT_TABLE_OPTIONS,
  DRAFT_MARK,
  EXPORT_VERSION_LABELS,
  EXPORT_VERSIONS,
  STATUS_MARK_LABELS,
  STATUS_MARK_PLACEMENTS,
  UNANSWERED_DISPLAY_LABELS,
  UNANSWERED_DISPLAYS,
  type TableOptions,
} from '../../../../domain/export-options.ts';
import { LinkButton } from '../../../components/LinkButton.tsx';
import { NativeSelect } from '../../../components/NativeSelect.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { api, describeError, queryParams } from '../../../lib/api.ts';
import { exportRoundFile } from '../api/exports.ts';
import { NoticeDocument } from './NoticeDocument.tsx';
import { SubmissionStatistics } from './SubmissionStatistics.tsx';
import { namesOf, tableColumns, type NameColumn } from './table-columns.ts';
import './notice-print.css';

type ExportFormat = Extract<AnyExportFormat, 'docx' | 'xlsx' | 'pdf'>;
const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'docx', label: '导出 Word' },
  { format: 'xlsx', label: '导出 Excel' },
  { format: 'pdf', label: '导出 PDF' },
];

/**
 * How 滞后 is marked and whether 未报送 is written are the office's habits: remembered in this
 * browser. The version is not: the page always opens on the official text, so that nobody sends
 * a 征求意见稿 by mistake.
 */
const REMEMBERED_OPTIONS_KEY = 'diaodu.export-options';

function rememberedOptions(): TableOptions {
  try {
    const stored = JSON.parse(window.localStorage.getItem(REMEMBERED_OPTIONS_KEY) ?? '{}') as Partial<TableOptions>;
    return {
      version: DEFAULT_TABLE_OPTIONS.version,
      unanswered: UNANSWERED_DISPLAYS.includes(stored.unanswered!) ? stored.unanswered! : DEFAULT_TABLE_OPTIONS.unanswered,
      statusMarks: STATUS_MARK_PLACEMENTS.includes(stored.statusMarks!) ? stored.statusMarks! : DEFAULT_TABLE_OPTIONS.statusMarks,
    };
  } catch {
    return DEFAULT_TABLE_OPTIONS;
  }
}

function remember(options: TableOptions): void {
  try {
    window.localStorage.setItem(REMEMBERED_OPTIONS_KEY, JSON.stringify({ unanswered: options.unanswered, statusMarks: options.statusMarks }));
  } catch {
    // A browser that keeps nothing (private mode, full storage) just asks again next time.
  }
}

const choices = <V extends string>(values: readonly V[], labels: Record<V, string>) => values.map((value) => ({ value, label: labels[value] }));

/** A name cell: each name kept whole on its line when it fits the column, a break allowed after each 、. */
function NameCell({ text, column, chars }: { text: string; column: NameColumn; chars: Record<NameColumn, number> }) {
  const names = namesOf(text);
  return (
    <td className="notice-name-cell">
      {names.map((name, i) => (
        <Fragment key={i}>
          {i > 0 && (
            <>
              、<wbr />
            </>
          )}
          <span className={[...name].length <= chars[column] ? 'notice-name' : undefined}>{name}</span>
        </Fragment>
      ))}
    </td>
  );
}

function TableRow({ row, chars, withDue }: { row: CompiledRow; chars: Record<NameColumn, number>; withDue: boolean }) {
  const progressClass = [row.answered ? null : 'notice-unanswered', row.lagging ? 'notice-lagging' : null, row.unreviewed ? 'notice-unreviewed' : null]
    .filter(Boolean)
    .join(' ');
  return (
    <tr>
      {row.chapterSpan > 0 && <td rowSpan={row.chapterSpan}>{row.chapterLabel}</td>}
      {row.sectionSpan > 0 && <td rowSpan={row.sectionSpan}>{row.sectionLabel}</td>}
      <td>{row.task}</td>
      <NameCell text={row.leadDepartment} column="leadDepartment" chars={chars} />
      <NameCell text={row.leaders} column="leaders" chars={chars} />
      <NameCell text={row.units} column="units" chars={chars} />
      {withDue && <td className="notice-name-cell">{row.due ?? ''}</td>}
      <td className={progressClass || undefined}>{row.progress}</td>
    </tr>
  );
}

/** The notice and the progress table as printed: A4, merged chapter/section cells, the header row repeated on each page. */
export function NoticePrintPage() {
  const roundId = Number(useParams().roundId);
  const { message } = App.useApp();
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  // 报送情况统计 is the office's own, never part of the notice: hidden until asked for.
  const [showStatistics, setShowStatistics] = useState(false);
  const [options, setOptions] = useState<TableOptions>(rememberedOptions);
  const choose = (change: Partial<TableOptions>) =>
    setOptions((current) => {
      const next = { ...current, ...change };
      remember(next);
      return next;
    });
  // The view shows what the export with these options writes: same compilation, same marks.
  const query = useQuery({
    queryKey: ['rounds', roundId, 'compiled', options],
    queryFn: () => api.GET('/api/rounds/{roundId}/compiled', { params: { path: { roundId }, query: queryParams(options) } }),
    placeholderData: (previous) => previous,
  });

  const runExport = async (format: ExportFormat) => {
    setExporting(format);
    try {
      await exportRoundFile(roundId, format, options);
    } catch (error) {
      void message.error(describeError(error));
    } finally {
      setExporting(null);
    }
  };

  return (
    <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
      {() => {
        const { notice, table, draft, imported } = query.data!;
        const columns = tableColumns(table.rows, hasDueColumn(table));
        return (
          <>
            <div className="notice-print-toolbar">
              <Breadcrumb
                items={[
                  { title: <Link to="/rounds">调度轮次</Link> },
                  { title: <Link to={`/rounds/${roundId}`}>{table.roundLabel}</Link> },
                  { title: '通报打印' },
                ]}
              />
              <Space wrap style={{ marginTop: 12 }}>
                <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
                  打印
                </Button>
                <LinkButton icon={<EditOutlined />} to={`/rounds/${roundId}/notice`}>
                  编辑通报
                </LinkButton>
                {FORMATS.map(({ format, label }) => (
                  <Button
                    key={format}
                    loading={exporting === format}
                    disabled={exporting !== null && exporting !== format}
                    onClick={() => void runExport(format)}
                  >
                    {label}
                  </Button>
                ))}
                <Space size={6}>
                  <Switch id="notice-show-statistics" checked={showStatistics} onChange={setShowStatistics} />
                  <label htmlFor="notice-show-statistics">显示报送情况统计（不随通报印发）</label>
                </Space>
              </Space>
              <div className="notice-export-options" role="group" aria-label="导出选项">
                <label>
                  文稿
                  <NativeSelect
                    aria-label="文稿"
                    value={options.version}
                    options={choices(EXPORT_VERSIONS, EXPORT_VERSION_LABELS)}
                    disabled={imported}
                    onChange={(version) => choose({ version: version ?? DEFAULT_TABLE_OPTIONS.version })}
                  />
                </label>
                <label>
                  无人报送的任务
                  <NativeSelect
                    aria-label="无人报送的任务"
                    value={options.unanswered}
                    options={choices(UNANSWERED_DISPLAYS, UNANSWERED_DISPLAY_LABELS)}
                    disabled={imported}
                    onChange={(unanswered) => choose({ unanswered: unanswered ?? DEFAULT_TABLE_OPTIONS.unanswered })}
                  />
                </label>
                <label>
                  滞后、暂缓及原因
                  <NativeSelect
                    aria-label="滞后、暂缓及原因"
                    value={options.statusMarks}
                    options={choices(STATUS_MARK_PLACEMENTS, STATUS_MARK_LABELS)}
                    onChange={(statusMarks) => choose({ statusMarks: statusMarks ?? DEFAULT_TABLE_OPTIONS.statusMarks })}
                  />
                </label>
                {imported && <span className="notice-export-note">导入的轮次按原文件导出：正式稿，无人报送处留空。</span>}
              </div>
            </div>
            <NoticeDocument notice={notice} draft={draft} />
            <section className="notice-print notice-table-page" aria-label="调度表">
              <h2 className="notice-title">{draft ? `${table.title}（${DRAFT_MARK}）` : table.title}</h2>
              {/* Focusable, so a keyboard can scroll a table wider than a phone. */}
              <div className="notice-table-scroll" tabIndex={0} role="group" aria-label="调度表（可左右滚动）">
                <table className="notice-table">
                  <colgroup>
                    {columns.widths.map((width, i) => (
                      <col key={i} style={{ width }} />
                    ))}
                  </colgroup>
                  <thead>
                    <tr>
                      <th colSpan={2}>工作目标</th>
                      {table.header.slice(2).map((cell) => (
                        <th key={cell}>{cell}</th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {table.rows.map((row, i) => (
                      <TableRow key={i} row={row} chars={columns.chars} withDue={hasDueColumn(table)} />
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
            {showStatistics && <SubmissionStatistics roundId={roundId} />}
          </>
        );
      }}
    </QueryState>
  );
}
