import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import type { CompiledTable } from '../../src/domain/compiled-table.ts';
import type { Notice } from '../../src/domain/plan-document.ts';
import { renderNoticeDocx } from '../../src/server/documents/writers/notice-docx.ts';
import { renderTableXlsx } from '../../src/server/documents/writers/table-xlsx.ts';
import type { TestServer } from './test-server.ts';

/**
 * Returned tables (回传表) for tests: the round's table made by our own writers, then edited the
 * way a unit does it offline — a cell changed in Excel with exceljs, or the compiled table
 * rewritten before it is rendered to Word.
 */

export const RETURNED_BOUNDARY = '----diaodu-returned-table';

/** Opens `2017年第三季度` over every task of the seed plan, as the office. */
export async function openRound(server: TestServer, label = '2017年第三季度'): Promise<number> {
  const office = await server.as('office');
  const opened = await office.post(`/api/plans/${server.planId}/rounds`, { label, periodStart: null, periodEnd: null, deadline: '2099-10-10', note: null });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  return opened.body.id as number;
}

/** The round's notice and compiled table, as the office compiles it. */
export async function compiledRound(server: TestServer, roundId: number): Promise<{ notice: Notice; table: CompiledTable }> {
  const office = await server.as('office');
  // The draft (征求意见稿): the table the office sends a unit back holds the answers it has not accepted, marked 【未审核】.
  const compiled = await office.get(`/api/rounds/${roundId}/compiled?version=draft`);
  assert.equal(compiled.status, 200, JSON.stringify(compiled.body));
  return { notice: compiled.body.notice, table: compiled.body.table };
}

/** The row of a task in a compiled table, by its exact text. */
export function rowOf(table: CompiledTable, taskText: string) {
  const row = table.rows.find((r) => r.task === taskText);
  assert.ok(row, `no row for task ${taskText.slice(0, 20)}`);
  return row;
}

/** The table as Word (the whole notice with the table as its attachment), progress cells rewritten first. */
export async function docxWithEdits(compiled: { notice: Notice; table: CompiledTable }, progressByTask: ReadonlyMap<string, string>): Promise<Uint8Array> {
  const rows = compiled.table.rows.map((row) => (progressByTask.has(row.task) ? { ...row, progress: progressByTask.get(row.task)! } : row));
  for (const task of progressByTask.keys()) rowOf(compiled.table, task);
  return renderNoticeDocx({ notice: compiled.notice, table: { ...compiled.table, rows } });
}

/** The table as our Excel export, then the progress cells of some tasks typed over in "Excel" (exceljs). */
export async function xlsxWithEdits(compiled: { notice: Notice; table: CompiledTable }, progressByTask: ReadonlyMap<string, string>): Promise<Uint8Array> {
  const exported = await renderTableXlsx(compiled.table, compiled.notice);
  return editXlsx(exported, progressByTask);
}

/** Opens an .xlsx, finds each task's row by the text in the task column (C) and sets its progress cell (G). */
export async function editXlsx(bytes: Uint8Array, progressByTask: ReadonlyMap<string, string>): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const done = new Set<string>();
  sheet.eachRow((row) => {
    const task = String(row.getCell(3).value ?? '');
    const progress = progressByTask.get(task);
    if (progress === undefined) return;
    row.getCell(7).value = progress;
    done.add(task);
  });
  assert.deepEqual(
    [...progressByTask.keys()].filter((task) => !done.has(task)),
    [],
    'every edited task has a row in the sheet',
  );
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A multipart/form-data body: text fields first, then one file part, as the web app's FormData sends it. */
export function multipartBody(fileName: string, bytes: Uint8Array, fields: Record<string, string> = {}): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(Buffer.from(`--${RETURNED_BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(
    Buffer.from(
      `--${RETURNED_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.from(bytes),
    Buffer.from(`\r\n--${RETURNED_BOUNDARY}--\r\n`),
  );
  return Buffer.concat(parts);
}
