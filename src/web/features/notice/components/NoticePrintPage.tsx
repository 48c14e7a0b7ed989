import { EditOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Breadcrumb, Button, Space, Switch } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ExportJobView } from '../../../../domain/api/export-view.ts';
import type { CompiledRoundView } from '../../../../domain/api/notice-view.ts';
import { LinkButton } from '../../../components/LinkButton.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { api, ApiError, describeError } from '../../../lib/api.ts';
import { NoticeDocument } from './NoticeDocument.tsx';
import { SubmissionStatistics } from './SubmissionStatistics.tsx';
import './notice-print.css';

type ExportFormat = 'docx' | 'xlsx' | 'pdf';
const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'docx', label: '导出 Word' },
  { format: 'xlsx', label: '导出 Excel' },
  { format: 'pdf', label: '导出 PDF' },
];

/**
 * Asks the export endpoint for a file, waits for the job (rendered in a worker on the server,
 * decision 012), then downloads it. A failed job's message (LibreOffice missing, a timeout …) is
 * shown as the server wrote it.
 */
async function exportRound(roundId: number, format: ExportFormat): Promise<void> {
  const { jobId } = await api.post<ExportJobView>(`/api/rounds/${roundId}/exports`, { format });
  // The server gives a job at most 5 minutes (DIAODU_EXPORT_TIMEOUT_SECONDS); a PDF may take that again.
  for (let attempt = 0; attempt < 1_200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, attempt < 10 ? 300 : 1_000));
    const job = await api.get<ExportJobView>(`/api/exports/${jobId}`);
    if (job.status === 'done') {
      window.location.assign(`/api/exports/${jobId}/file`);
      return;
    }
    if (job.status === 'failed') throw new ApiError(500, job.errorCode ?? 'export_failed', job.error ?? '导出失败，请重试');
  }
  throw new Error('导出超时，请稍后重试');
}

/** The notice and the progress table as printed: A4, merged chapter/section cells, the header row repeated on each page. */
export function NoticePrintPage() {
  const roundId = Number(useParams().roundId);
  const { message } = App.useApp();
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  // 报送情况统计 is the office's own, never part of the notice: hidden until asked for.
  const [showStatistics, setShowStatistics] = useState(false);
  const query = useQuery({ queryKey: ['rounds', roundId, 'compiled'], queryFn: () => api.get<CompiledRoundView>(`/api/rounds/${roundId}/compiled`) });

  const runExport = async (format: ExportFormat) => {
    setExporting(format);
    try {
      await exportRound(roundId, format);
    } catch (error) {
      void message.error(describeError(error));
    } finally {
      setExporting(null);
    }
  };

  return (
    <QueryState isPending={query.isPending} error={query.error} retry={() => void query.refetch()}>
      {() => {
        const { notice, table } = query.data!;
        return (
          <>
            <div className="notice-print-toolbar">
              <Breadcrumb items={[{ title: <Link to="/rounds">调度轮次</Link> }, { title: <Link to={`/rounds/${roundId}`}>{table.roundLabel}</Link> }, { title: '通报打印' }]} />
              <Space wrap style={{ marginTop: 12 }}>
                <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
                  打印
                </Button>
                <LinkButton icon={<EditOutlined />} to={`/rounds/${roundId}/notice`}>
                  编辑通报
                </LinkButton>
                {FORMATS.map(({ format, label }) => (
                  <Button key={format} loading={exporting === format} disabled={exporting !== null && exporting !== format} onClick={() => void runExport(format)}>
                    {label}
                  </Button>
                ))}
                <Space size={6}>
                  <Switch id="notice-show-statistics" checked={showStatistics} onChange={setShowStatistics} />
                  <label htmlFor="notice-show-statistics">显示报送情况统计（不随通报印发）</label>
                </Space>
              </Space>
            </div>
            <NoticeDocument notice={notice} />
            <section className="notice-print notice-table-page" aria-label="调度表">
              <h2 className="notice-title">{table.title}</h2>
              <table className="notice-table">
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
                    <tr key={i}>
                      {row.chapterSpan > 0 && <td rowSpan={row.chapterSpan}>{row.chapterLabel}</td>}
                      {row.sectionSpan > 0 && <td rowSpan={row.sectionSpan}>{row.sectionLabel}</td>}
                      <td>{row.task}</td>
                      <td>{row.leadDepartment}</td>
                      <td>{row.leaders}</td>
                      <td>{row.units}</td>
                      <td className={row.answered ? undefined : 'notice-unanswered'}>{row.progress}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            {showStatistics && <SubmissionStatistics roundId={roundId} />}
          </>
        );
      }}
    </QueryState>
  );
}
