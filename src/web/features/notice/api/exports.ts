import type { TableOptions } from '../../../../domain/export-options.ts';
import { api, ApiError, type ApiBody } from '../../../lib/api.ts';

type ExportFormat = ApiBody<'/api/rounds/{roundId}/exports', 'post'>['format'];

/**
 * Asks the export endpoint for a file (the notice, its table, the 发文稿纸), waits for the job
 * (rendered in a worker on the server, decision 012), then downloads it. A failed job's message
 * (LibreOffice missing, a timeout …) is shown as the server wrote it.
 */
export async function exportRoundFile(roundId: number, format: ExportFormat, options: Partial<TableOptions> = {}): Promise<void> {
  const { jobId } = await api.POST('/api/rounds/{roundId}/exports', { params: { path: { roundId } }, body: { format, ...options } });
  // The server gives a job at most 5 minutes (DIAODU_EXPORT_TIMEOUT_SECONDS); a PDF may take that again.
  for (let attempt = 0; attempt < 1_200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, attempt < 10 ? 300 : 1_000));
    const job = await api.GET('/api/exports/{jobId}', { params: { path: { jobId } } });
    if (job.status === 'done') {
      window.location.assign(`/api/exports/${jobId}/file`);
      return;
    }
    if (job.status === 'failed') throw new ApiError(500, job.errorCode ?? 'export_failed', job.error ?? '导出失败，请重试');
  }
  throw new Error('导出超时，请稍后重试');
}
