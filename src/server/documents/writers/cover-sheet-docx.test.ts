import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findAll, readXmlPart, readZipEntries, textOf } from '../../../../tests/support/ooxml-read.ts';
import { convertDocxToPdf, findSoffice } from '../pdf/docx-to-pdf.ts';
import { renderCoverSheetDocx, type CoverSheet } from './cover-sheet-docx.ts';

const sheet: CoverSheet = {
  issuingOffice: '四川省环境保护厅办公室',
  docNumber: '川环办发〔2017〕102号',
  title: '四川省环境保护厅办公室关于2017年第二季度环境保护工作推进情况的通报',
  recipients: '厅机关各处（室），直属各单位',
  cc: ['厅领导'],
  attachment: '2017年第二季度工作推进情况调度表',
  hostUnit: '厅办公室',
  copies: 30,
  signer: { name: '李岳东', opinion: '同意印发', date: '2017年7月20日' },
  reviewer: { name: '王芳', opinion: null, date: '2017年7月19日' },
  drafter: { name: '张敏', date: '2017年7月18日' },
};

test('the 发文稿纸 is one bordered table with every field filled from the notice and its sign-off', async () => {
  const bytes = await renderCoverSheetDocx(sheet);
  const document = readXmlPart(readZipEntries(bytes), 'word/document.xml');
  const tables = findAll(document, 'w:tbl');
  assert.equal(tables.length, 1);
  const rows = findAll(tables[0]!, 'w:tr').map((row) => findAll(row, 'w:tc').map((cell) => textOf(cell)));
  assert.deepEqual(
    rows.map((cells) => cells[0]),
    ['签　发', '核　稿', '拟　稿', '文　号', '主　送', '抄　送', '标　题', '附　件'],
  );
  assert.deepEqual(rows[0], ['签　发', '同意印发李岳东　2017年7月20日']);
  assert.deepEqual(rows[1], ['核　稿', '王芳　2017年7月19日']);
  assert.deepEqual(rows[2], ['拟　稿', '张敏　2017年7月18日', '主办单位', '厅办公室']);
  assert.deepEqual(rows[3], ['文　号', '川环办发〔2017〕102号', '印　数', '30份']);
  assert.equal(rows[6]![1], sheet.title);
  assert.match(textOf(document), /四川省环境保护厅办公室发文稿纸/);
  // Every cell has all four borders (a form as offices print it).
  for (const cell of findAll(tables[0]!, 'w:tcBorders'))
    assert.deepEqual(cell.children.map((side) => side.name).sort(), ['w:bottom', 'w:left', 'w:right', 'w:top']);
});

test('steps not yet taken leave their cells blank for the pen', async () => {
  const bytes = await renderCoverSheetDocx({ ...sheet, signer: null, reviewer: null, copies: null });
  const document = readXmlPart(readZipEntries(bytes), 'word/document.xml');
  const rows = findAll(findAll(document, 'w:tbl')[0]!, 'w:tr').map((row) => findAll(row, 'w:tc').map((cell) => textOf(cell)));
  assert.deepEqual(rows[0], ['签　发', '']);
  assert.deepEqual(rows[1], ['核　稿', '']);
  assert.equal(rows[3]![3], '');
});

test('text that XML cannot hold (a lone surrogate, control characters) is left out, so the file still opens', async () => {
  const bytes = await renderCoverSheetDocx({
    ...sheet,
    title: '关于\uD800调度\u0007的通报',
    signer: { name: '李岳\uFFFE东', opinion: '同意\u000b印发', date: '2017年7月20日' },
  });
  const document = readXmlPart(readZipEntries(bytes), 'word/document.xml');
  const rows = findAll(findAll(document, 'w:tbl')[0]!, 'w:tr').map((row) => findAll(row, 'w:tc').map((cell) => textOf(cell)));
  assert.deepEqual(rows[0], ['签　发', '同意印发李岳东　2017年7月20日']);
  assert.equal(rows[6]![1], '关于调度的通报');
});

test('LibreOffice lays the 发文稿纸 out on one A4 page (kept as a PNG)', { skip: findSoffice() === null ? 'LibreOffice not installed' : false }, async () => {
  const pdf = await convertDocxToPdf(await renderCoverSheetDocx(sheet));
  const dir = fileURLToPath(new URL('../../../../test-artifacts/documents/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'cover-sheet.pdf');
  writeFileSync(file, pdf);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  assert.match(info, /Pages:\s+1\n/);
  assert.match(info, /Page size:\s+595\.\d+ x 841\.\d+/);
  // LibreOffice spaces Chinese from digits (2017 年): compare without white space.
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  for (const word of ['发文稿纸', '签', '李岳东', '王芳', '张敏', '30份', '川环办发〔2017〕102号']) assert.ok(text.includes(word), `${word} on the page`);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, path.join(dir, 'cover-sheet')]);
});
