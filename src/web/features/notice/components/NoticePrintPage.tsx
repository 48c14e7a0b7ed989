import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Breadcrumb, Button, Space } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { CompiledRoundView } from '../../../../domain/api/notice-view.ts';
import { QueryState } from '../../../components/QueryState.tsx';
import { api, describeError } from '../../../lib/api.ts';
import './notice-print.css';

type ExportFormat = 'docx' | 'xlsx' | 'pdf';
const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'docx', label: '导出 Word' },
  { format: 'xlsx', label: '导出 Excel' },
  { format: 'pdf', label: '导出 PDF' },
];

/** Asks the export endpoint for a file, waits for the job, then downloads it. */
async function exportRound(roundId: number, format: ExportFormat): Promise<void> {
  const { jobId } = await api.post<{ jobId: string }>(`/api/rounds/${roundId}/exports`, { format });
  for (let attempt = 0; attempt < 120; attempt++) {
    const job = await api.get<{ status: string; error?: string }>(`/api/exports/${jobId}`);
    if (job.status === 'done' || job.status === 'succeeded' || job.status === 'completed') {
      window.location.assign(`/api/exports/${jobId}/file`);
      return;
    }
    if (job.status === 'failed') throw new Error(job.error ?? '导出失败');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error('导出超时，请稍后重试');
}

/** The notice and the progress table as printed: A4, merged chapter/section cells, the header row repeated on each page. */
export function NoticePrintPage() {
  const roundId = Number(useParams().roundId);
  const { message } = App.useApp();
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
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
                {FORMATS.map(({ format, label }) => (
                  <Button key={format} loading={exporting === format} disabled={exporting !== null && exporting !== format} onClick={() => void runExport(format)}>
                    {label}
                  </Button>
                ))}
              </Space>
            </div>
            <article className="notice-print" aria-label="通报">
              {notice.issuingOffice && <h1 className="notice-office">{notice.issuingOffice}</h1>}
              {notice.docNumber && <p className="notice-doc-number">{notice.docNumber}</p>}
              <hr className="notice-rule" />
              {notice.title && <h2 className="notice-title">{notice.title}</h2>}
              {notice.recipients && <p className="notice-recipients">{notice.recipients}</p>}
              {notice.body.map((paragraph, i) => (
                <p key={i} className="notice-paragraph">
                  {paragraph}
                </p>
              ))}
              {notice.attachment && <p className="notice-paragraph">{notice.attachment}</p>}
              <p className="notice-signature">{notice.issuer}</p>
              {notice.date && <p className="notice-signature">{notice.date}</p>}
              {(notice.contact.name || notice.contact.phone) && (
                <p className="notice-paragraph">
                  （联系人：{[notice.contact.unit, notice.contact.name].filter(Boolean).join(' ')}
                  {notice.contact.phone ? `，电话：${notice.contact.phone}` : ''}）
                </p>
              )}
              {notice.cc.length > 0 && <p className="notice-footer">抄送：{notice.cc.join('，')}</p>}
              {(notice.printed.by || notice.printed.date) && (
                <p className="notice-footer">
                  {notice.printed.by} {notice.printed.date ? `${notice.printed.date}印发` : '印发'}
                </p>
              )}
            </article>
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
          </>
        );
      }}
    </QueryState>
  );
}
