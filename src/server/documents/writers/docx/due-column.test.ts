import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { compileTable, DUE_HEADER } from '../../../../domain/compiled-table.ts';
import { wordsOf } from '../../../../domain/organisation-profile.ts';
import { tasksOf, type PlanDocument } from '../../../../domain/plan-document.ts';
import { findAll, readXmlPart, readZipEntries, textOf } from '../../../../../tests/support/ooxml-read.ts';
import { readPlanDocument } from '../../read-plan-document.ts';
import { renderTableXlsx } from '../table-xlsx.ts';
import { renderTableDocx } from '../notice-docx.ts';
import { progressTableLayout } from './progress-table.ts';
import { findSoffice } from '../../pdf/docx-to-pdf.ts';
import { docxToPdf, readPdfLayout } from '../../../../../tests/support/pdf-layout.ts';
import { progressTableLayoutOf } from '../../../../../tests/support/progress-table-layout-of.ts';

/**
 * Issue 14: a task's 完成时限 (tasks.due) reaches the progress table. Word and Excel get a 完成时限
 * column before 推进情况 only when some task of the plan has one — the seed has none, and its table
 * keeps its seven columns — and the readers give every due date back.
 */
const seed = readPlanDocument(
  readFileSync(fileURLToPath(new URL('../../../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url))),
  'seed.txt',
).document;
const words = wordsOf({ leaderWord: '局领导', unitWords: ['科', '室'] });
const DUES = ['2018年6月底前', '长期坚持', '2017年12月底前完成并持续推进落实到位'];

/** The seed with a due date on its first three tasks (a long one too, which wraps). */
function withDues(): PlanDocument {
  const document = structuredClone(seed);
  [...tasksOf(document)].slice(0, DUES.length).forEach(({ task }, index) => (task.due = DUES[index]!));
  return document;
}

const headerCells = (bytes: Uint8Array) => {
  const xml = readXmlPart(readZipEntries(bytes), 'word/document.xml');
  const firstRow = findAll(findAll(xml, 'w:tbl')[0]!, 'w:tr')[0]!;
  return findAll(firstRow, 'w:tc').map((cell) =>
    findAll(cell, 'w:p')
      .map((p) => textOf(p))
      .join(''),
  );
};

test('the seed (no due dates) keeps its seven columns in Word, Excel and the compiled model', async () => {
  const table = compileTable(seed, { words });
  assert.equal(table.header.length, 7);
  assert.ok(!table.header.includes(DUE_HEADER));
  assert.ok(
    table.rows.every((row) => !('due' in row)),
    'no due key: a signed table fingerprints as before',
  );
  assert.equal(progressTableLayout(table).columns.length, 7);
  assert.deepEqual(headerCells(await renderTableDocx(table)).slice(2), ['具体工作任务', '省级牵头部门', '牵头局领导', '责任科室', '推进情况']);
});

test('with due dates: a 完成时限 column before 推进情况 in Word and Excel, every due date read back', async () => {
  const document = withDues();
  const table = compileTable(document, { words });
  assert.deepEqual(table.header.slice(2), ['具体工作任务', '省级牵头部门', '牵头局领导', '责任科室', '完成时限', '推进情况']);
  assert.deepEqual(
    table.rows.slice(0, 4).map((row) => row.due),
    [...DUES, undefined],
  );

  const layout = progressTableLayout(table);
  assert.equal(layout.columns.length, 8);
  assert.ok(layout.ems[6]! >= 4 && layout.ems[6]! <= 8, `完成时限 ${layout.ems[6]} characters wide`);
  assert.deepEqual(layout.pages[0]!.rows[0]!.due, [DUES[0]], 'the first row carries its due date on one line');
  assert.ok(layout.pages[0]!.rows[2]!.due.length > 1, 'a long due date wraps within its column');

  const docx = await renderTableDocx(table);
  assert.deepEqual(headerCells(docx).slice(2), ['具体工作任务', '省级牵头部门', '牵头局领导', '责任科室', '完成时限', '推进情况']);
  const fromWord = readPlanDocument(docx, '调度表.docx').document;
  assert.deepEqual(
    [...tasksOf(fromWord)].map(({ task }) => task.due),
    [...tasksOf(document)].map(({ task }) => task.due),
    'Word: every due date back, none invented',
  );

  const xlsx = await renderTableXlsx(table);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(xlsx) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  assert.deepEqual(Array.from({ length: 8 }, (_, column) => String(sheet.getRow(2).getCell(column + 1).value ?? '')).slice(2), [
    '具体工作任务',
    '省级牵头部门',
    '牵头局领导',
    '责任科室',
    '完成时限',
    '推进情况',
  ]);
  assert.equal(sheet.getRow(3).getCell(7).value, DUES[0]);
  assert.equal(sheet.getRow(6).getCell(7).value, null, 'a task without a due date: an empty cell');
  const fromExcel = readPlanDocument(xlsx, '调度表.xlsx').document;
  assert.deepEqual(
    [...tasksOf(fromExcel)].map(({ task }) => task.due),
    [...tasksOf(document)].map(({ task }) => task.due),
    'Excel: every due date back',
  );
});

test('with due dates through LibreOffice: every table page holds what the layout planned, 完成时限 on its line', { skip: findSoffice() === null }, async () => {
  const table = compileTable(withDues(), { words });
  const docx = await renderTableDocx(table);
  const layout = [true, false]
    .map((afterLabel) => {
      try {
        return progressTableLayoutOf(docx, table, afterLabel);
      } catch {
        return null;
      }
    })
    .find((found) => found !== null)!;
  assert.ok(layout, 'the file is laid out as planned');
  const { pages } = await readPdfLayout(await docxToPdf(docx));
  const tablePages = pages.filter((page) => page.width > page.height);
  assert.equal(tablePages.length, layout.pages.length, 'no table runs over its page');
  const first = tablePages[0]!.lines.map((line) => line.text.replace(/\s+/g, '')).join('\n');
  assert.match(first, /完成时限/);
  assert.ok(
    tablePages[0]!.lines.some((line) => line.text.replace(/\s+/g, '').includes('2018年6月底前')),
    '2018年6月底前 on one line',
  );
});
