import type { ExportFormat } from '../../domain/api/export-view.ts';

/** What each export format is handed out as: its content type and how its file name ends. */
export const EXPORT_FILE_TYPES: Record<ExportFormat, { contentType: string; suffix: string }> = {
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', suffix: '.docx' },
  'table-docx': { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', suffix: '-调度表.docx' },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', suffix: '.xlsx' },
  pdf: { contentType: 'application/pdf', suffix: '.pdf' },
  json: { contentType: 'application/json; charset=utf-8', suffix: '.json' },
  'cover-docx': { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', suffix: '-发文稿纸.docx' },
  'cover-pdf': { contentType: 'application/pdf', suffix: '-发文稿纸.pdf' },
};

/** `某环办发〔2017〕102号-2017年第二季度工作推进情况通报.docx` from the compiled round's base name. */
export function exportFileName(fileBaseName: string, format: ExportFormat): string {
  return `${fileBaseName}${EXPORT_FILE_TYPES[format].suffix}`;
}
