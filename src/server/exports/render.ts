import type { CompiledTable } from '../../domain/compiled-table.ts';
import type { Notice, PlanDocument } from '../../domain/plan-document.ts';
import { renderCoverSheetDocx, type CoverSheet } from '../documents/writers/cover-sheet-docx.ts';
import { renderNoticeDocx, renderTableDocx } from '../documents/writers/notice-docx.ts';
import type { XlsxStatistics } from '../documents/writers/table-xlsx.ts';

/**
 * What the render worker is asked to make, as plain data (it crosses the thread boundary by
 * structured clone). PDF is not here: the worker renders its .docx and the main thread hands that
 * to LibreOffice, a child process that blocks no thread (decision 012).
 */
export type RenderTask =
  // `draft`: a 征求意见稿 (decision 024: asked for; decision 025: not signed): the document is marked so.
  | { kind: 'docx' | 'table-docx'; notice: Notice; table: CompiledTable; draft?: boolean }
  // The 发文稿纸 (decision 025); its PDF is converted like the notice's.
  | { kind: 'cover-docx'; cover: CoverSheet }
  // The Excel file adds the sheet 报送情况 (issue 12); the Word notice is the official document and never does.
  | { kind: 'xlsx'; notice: Notice; table: CompiledTable; statistics?: XlsxStatistics | null; draft?: boolean }
  | { kind: 'json'; document: PlanDocument };

/** Renders one file. Runs in the worker thread; tests call it directly too. */
export async function renderExport(task: RenderTask): Promise<Uint8Array> {
  switch (task.kind) {
    case 'docx':
      return renderNoticeDocx({ notice: task.notice, table: task.table, draft: task.draft ?? false });
    case 'table-docx':
      return renderTableDocx(task.table, { draft: task.draft ?? false });
    case 'xlsx': {
      // exceljs is loaded at the first Excel file, not with the worker: it is half of the worker's
      // start (0.6 of 1.6 s of CPU from the sources), which a Word or PDF export never needs.
      const { renderTableXlsx } = await import('../documents/writers/table-xlsx.ts');
      return renderTableXlsx(task.table, task.notice, task.statistics, { draft: task.draft ?? false });
    }
    case 'cover-docx':
      return renderCoverSheetDocx(task.cover);
    case 'json':
      // Byte for byte what `diaodu export --format json` has always written.
      return new TextEncoder().encode(`${JSON.stringify(task.document, null, 2)}\n`);
  }
}
