import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it as plainIt } from 'node:test';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import type { Io } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { findSoffice } from '../../src/server/documents/pdf/docx-to-pdf.ts';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';
import { findAll, readXmlPart, readZipEntries, textOf } from '../support/ooxml-read.ts';

/**
 * `diaodu export --format docx|table-docx|xlsx|pdf|json --out FILE`: in-process on both engines
 * (each file read back, audited, nothing half-written), and once as a user runs it, the bin script
 * in a child process, which also shows that the render worker loads its TypeScript there and that
 * the process ends when the export is written.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const seedPath = path.join(root, 'fixtures/seed/sichuan-2017-q2-notice.txt');
const TITLE = /四川省环境保护厅办公室关于《.+》2017年第二季度工作推进情况的通报/;
const KNOWN_TASK = '到 2020 年，资源节约型、环境友好型社会建设取得重大进展';

async function diaodu(database: TestDatabase, cwd: string, argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (text) => void (stdout += text), err: (text) => void (stderr += text), env: { DIAODU_DATABASE_URL: database.url, ...env }, cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const docxText = (file: string) =>
  findAll(readXmlPart(readZipEntries(readFileSync(file)), 'word/document.xml'), 'w:p')
    .map((p) => textOf(p))
    .join('\n');

forEachEngine('diaodu export documents', (it) => {
  it('writes Word, the table alone, Excel, PDF (where LibreOffice is) and JSON files of a round, each read back and audited as round.export', async (database) => {
    const folder = mkdtempSync(path.join(tmpdir(), 'diaodu-cli-export-'));
    try {
      assert.equal((await diaodu(database, folder, ['import', seedPath])).code, 0);
      const formats = ['docx', 'table-docx', 'xlsx', 'json', ...(findSoffice() ? ['pdf'] : [])];
      for (const format of formats) {
        const run = await diaodu(database, folder, ['export', '--format', format, '--round', '2017年第二季度', '--out', `round.${format}`]);
        assert.equal(run.code, 0, `${format}: ${run.stderr}`);
        assert.match(run.stderr, new RegExp(`已导出 exported: round\\.${format} \\(\\d+ bytes\\)`));
      }
      assert.deepEqual(readdirSync(folder).sort(), formats.map((format) => `round.${format}`).sort(), 'no temporary file left beside them');

      const notice = docxText(path.join(folder, 'round.docx'));
      assert.match(notice, /川环办发〔2017〕102号/);
      assert.match(notice, TITLE);
      assert.ok(notice.includes(KNOWN_TASK));
      const table = docxText(path.join(folder, 'round.table-docx'));
      assert.ok(table.includes(KNOWN_TASK) && !table.includes('川环办发〔2017〕102号'));
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(readFileSync(path.join(folder, 'round.xlsx')) as unknown as ArrayBuffer);
      assert.deepEqual(
        workbook.worksheets.map((sheet) => sheet.name),
        ['2017年第二季度调度表', '通报', '报送情况'],
      );
      const stdoutJson = await diaodu(database, folder, ['export', '--format', 'json']);
      assert.equal(readFileSync(path.join(folder, 'round.json'), 'utf8'), stdoutJson.stdout, 'the json file is what stdout gets');
      if (formats.includes('pdf')) {
        const text = execFileSync('pdftotext', ['-f', '1', '-l', '2', path.join(folder, 'round.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
        assert.match(text, /2017年第二季度工作推进情况的通报/);
      }

      const audits = await database.db
        .selectFrom('audit_events')
        .select(['actor_name', 'object_type', 'detail'])
        .where('action', '=', 'round.export')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audits.map((row) => [row.actor_name, row.object_type, JSON.parse(row.detail).format]),
        formats.filter((format) => format !== 'json').map((format) => ['system:cli', 'round', format]),
        'each document written is audited (json keeps its plan.export row)',
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses without --out, an unknown round, a missing LibreOffice and an unknown option value with their own errors, writing nothing', async (database) => {
    const folder = mkdtempSync(path.join(tmpdir(), 'diaodu-cli-export-'));
    try {
      assert.equal((await diaodu(database, folder, ['import', seedPath])).code, 0);
      const noOut = await diaodu(database, folder, ['export', '--format', 'xlsx']);
      assert.equal(noOut.code, 2);
      assert.match(noOut.stderr, /--out FILE is required for xlsx/);
      const unknown = await diaodu(database, folder, ['export', '--format', 'docx', '--round', '2099年第一季度', '--out', 'x.docx']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /没有调度“2099年第一季度”，已有：“2017年第二季度”/);
      const noPdf = await diaodu(database, folder, ['export', '--format', 'pdf', '--out', 'x.pdf'], { DIAODU_SOFFICE: '/nonexistent/program/soffice' });
      assert.equal(noPdf.code, 1);
      assert.match(noPdf.stderr, /找不到 LibreOffice 程序 \/nonexistent\/program\/soffice/);
      const badMarks = await diaodu(database, folder, ['export', '--format', 'xlsx', '--status-marks', 'column', '--out', 'x.xlsx']);
      assert.notEqual(badMarks.code, 0);
      assert.match(badMarks.stderr, /导出选项“滞后与暂缓的标注”不支持“column”，可用：after、before、none/);
      const badUnanswered = await diaodu(database, folder, ['export', '--format', 'docx', '--unanswered', 'hide', '--out', 'x.docx']);
      assert.match(badUnanswered.stderr, /导出选项“无人报送的任务”不支持“hide”，可用：blank、marked/);
      assert.deepEqual(readdirSync(folder), []);
      // The options reach the file: an imported round stays as written whatever is asked (decision 024).
      const asked = await diaodu(database, folder, [
        'export',
        '--format',
        'docx',
        '--draft',
        '--unanswered',
        'marked',
        '--status-marks',
        'before',
        '--out',
        'asked.docx',
      ]);
      assert.equal(asked.code, 0, asked.stderr);
      const text = docxText(path.join(folder, 'asked.docx'));
      assert.equal(text.split('（总队）').length - 1, 7);
      assert.equal(text.split('（未报送）').length - 1, 0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('diaodu export as a process', () => {
  plainIt('bin/diaodu.js renders a .docx in its worker thread (TypeScript loaded there too) and exits when it is written', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'diaodu-cli-export-process-'));
    try {
      const env = { ...process.env, DIAODU_DATABASE_URL: `sqlite:${path.join(folder, 'diaodu.db')}` };
      const run = (args: string[]) =>
        spawnSync(process.execPath, [path.join(root, 'bin/diaodu.js'), ...args], { cwd: folder, env, encoding: 'utf8', timeout: 240_000 });
      const imported = run(['import', seedPath]);
      assert.equal(imported.status, 0, imported.stderr);
      const exported = run(['export', '--format', 'docx', '--out', 'notice.docx']);
      assert.equal(exported.error, undefined, 'the process ended by itself');
      assert.equal(exported.status, 0, exported.stderr);
      assert.match(docxText(path.join(folder, 'notice.docx')), TITLE);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
