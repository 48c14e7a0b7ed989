import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import type { Io } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { systemActor } from '../../src/domain/actor.ts';
import { compileTable } from '../../src/domain/compiled-table.ts';
import { isDomainError } from '../../src/domain/errors.ts';
import { readPlanDocument } from '../../src/server/documents/read-plan-document.ts';
import { renderNoticeDocx } from '../../src/server/documents/writers/notice-docx.ts';
import { renderTableXlsx } from '../../src/server/documents/writers/table-xlsx.ts';
import { createPlanFileService } from '../../src/server/services/plan-file.service.ts';
import { createPlanImportService } from '../../src/server/services/plan-import.service.ts';
import { excelFile, handMadeNoticeDocx, HEADER_CELLS, SEED_PATH, tbl, tc, tr, wordFile, xrow, zipOf } from '../fixtures/import/office-files.ts';
import { forEachEngine, type TestDatabase } from '../support/databases.ts';
import { countRows } from '../support/db-inspection.ts';

const actor = systemActor('test');
const root = fileURLToPath(new URL('../../', import.meta.url));
const seed = readPlanDocument(readFileSync(SEED_PATH), 'seed.txt');
/** The data of a document: warnings are what a reader says about its file; unitAliases are not in an exported table (decision 008). */
const data = (json: string) => JSON.parse(json, (key, value) => (key === 'warnings' || key === 'unitAliases' ? undefined : value));

async function diaodu(database: TestDatabase, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (text) => void (stdout += text), err: (text) => void (stderr += text), env: { DIAODU_DATABASE_URL: database.url }, cwd: root };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

async function inFolder(body: (folder: string) => Promise<void>) {
  const folder = mkdtempSync(path.join(tmpdir(), 'diaodu-office-'));
  try {
    await body(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Bad .docx/.xlsx files, each with the error code and the words (file, and where in it) it must be refused with. */
function badFiles(): [string, Uint8Array, string, RegExp][] {
  const row = ['一、总体要求', '(一) 主要目标', '任务。', '环境保护厅', '李岳东', '生态处', '推进。'];
  return [
    ['renamed.docx', new TextEncoder().encode('%PDF-1.7\n1 0 obj\n'), 'import_pdf_unsupported', /renamed\.docx：这是 PDF 文件/],
    ['old.xlsx', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'import_legacy_office', /old\.xlsx.*旧版 Office/],
    ['bomb.docx', zipOf([{ name: 'word/document.xml', data: '<w:document/>', declaredSize: 300 * 1024 * 1024 }]), 'import_zip_too_large', /bomb\.docx.*300 MB/],
    ['liar.docx', zipOf([{ name: 'word/document.xml', data: Buffer.alloc(4 * 1024 * 1024), declaredSize: 100 }]), 'import_zip_bomb', /liar\.docx.*不符/],
    [
      'ratio.xlsx',
      zipOf([{ name: 'xl/workbook.xml', data: Buffer.alloc(4 * 1024 * 1024), compressed: deflateRawSync(Buffer.alloc(4 * 1024 * 1024)) }]),
      'import_zip_bomb',
      /ratio\.xlsx.*压缩炸弹/,
    ],
    [
      'many.docx',
      zipOf(Array.from({ length: 10_001 }, (_, i) => ({ name: `p/${i}`, data: '', method: 0 as const }))),
      'import_zip_entries',
      /many\.docx.*10001/,
    ],
    ['cut.docx', wordFile(tbl(7, [tr(HEADER_CELLS.map((c) => tc(c)))])).subarray(0, 300), 'import_zip_corrupt', /cut\.docx：文件已损坏/],
    [
      'doctype.docx',
      wordFile('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "e">]><d>&e;</d>', { wholeDocument: true }),
      'import_xml_doctype',
      /doctype\.docx.*DOCTYPE/,
    ],
    ['no-header.docx', wordFile(tbl(3, [tr([tc('序号'), tc('事项'), tc('进展')])])), 'import_no_table', /no-header\.docx.*表头/],
    [
      'wide.docx',
      wordFile(tbl(7, [tr(HEADER_CELLS.map((c) => tc(c))), tr([tc('', { span: 3 }), ...row.slice(2).map((c) => tc(c))])])),
      'import_docx_grid',
      /wide\.docx：第1个表格第2行第6个单元格横跨 1 列，从第 8 列起超出表格的 7 列/,
    ],
    [
      'merge.docx',
      wordFile(tbl(7, [tr([tc('', { vMerge: 'continue' }), ...row.slice(1).map((c) => tc(c))])])),
      'import_docx_merge',
      /merge\.docx：第1个表格第1行第1个单元格/,
    ],
    ['empty.docx', wordFile(tbl(7, [tr(new Array(7).fill(tc('')))])), 'import_table_empty', /empty\.docx.*表格是空的/],
    [
      'overlap.xlsx',
      excelFile([{ name: '表', rows: [xrow(1, HEADER_CELLS), xrow(2, row)].join(''), merges: ['A2:B2', 'B2:C2'] }]),
      'import_xlsx_merge',
      /overlap\.xlsx.*重叠/,
    ],
    ['unknown.docx', zipOf([{ name: 'mimetype', data: 'application/epub+zip' }]), 'import_zip_unknown', /unknown\.docx.*不是 Word/],
  ];
}

forEachEngine('importing .docx and .xlsx files', (it) => {
  it('imports our own Word export of the seed round through the CLI and exports the json export’s data', async (database) => {
    await inFolder(async (folder) => {
      const file = path.join(folder, '通报.docx');
      writeFileSync(file, await renderNoticeDocx({ notice: seed.document.notice!, table: compileTable(seed.document) }));
      const dryRun = await diaodu(database, 'import', file, '--dry-run', '--json');
      assert.equal(dryRun.code, 0, dryRun.stderr);
      assert.equal((await countRows(database)).tasks, 0, 'a dry run touches no database');
      assert.deepEqual(data(dryRun.stdout), data(JSON.stringify(seed.document)));

      const run = await diaodu(database, 'import', file);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /111 项任务/);
      const exported = await diaodu(database, 'export', '--format', 'json');
      assert.deepEqual(data(exported.stdout), data(JSON.stringify(seed.document)));

      const again = await diaodu(database, 'import', file);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /未变更|unchanged/i, 'the same file again changes nothing');
    });
  });

  it('imports our own Excel export of the seed round, notice sheet included, and exports the json export’s data', async (database) => {
    await inFolder(async (folder) => {
      const file = path.join(folder, '调度表.xlsx');
      writeFileSync(file, await renderTableXlsx(compileTable(seed.document), seed.document.notice));
      const run = await diaodu(database, 'import', file);
      assert.equal(run.code, 0, run.stderr);
      const exported = await diaodu(database, 'export', '--format', 'json');
      assert.deepEqual(data(exported.stdout), data(JSON.stringify(seed.document)));
      assert.deepEqual(JSON.parse(exported.stdout).notice, seed.document.notice);
    });
  });

  it('imports a hand-made Word table like the original into the seed’s plan and round', async (database) => {
    await inFolder(async (folder) => {
      const file = path.join(folder, 'handmade.docx');
      writeFileSync(file, await handMadeNoticeDocx());
      const run = await diaodu(database, 'import', file, '--json');
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).status, 'created');
      assert.match(run.stderr, /警告 warning: 第1个表格第13行：单元格错位/);
      const exported = await diaodu(database, 'export', '--format', 'json');
      assert.deepEqual(data(exported.stdout), data(JSON.stringify(seed.document)));
    });
  });

  it('refuses every bad .docx/.xlsx with its own error (exit 2) and stores nothing', async (database) => {
    assert.equal((await diaodu(database, 'import', path.join(root, 'fixtures/seed/sichuan-2017-q2-notice.txt'))).code, 0);
    const before = await countRows(database);
    const files = createPlanFileService({ planImport: createPlanImportService({ database }) });
    await inFolder(async (folder) => {
      for (const [name, bytes, code, message] of badFiles()) {
        const file = path.join(folder, name);
        writeFileSync(file, bytes);
        const run = await diaodu(database, 'import', file);
        assert.equal(run.code, 2, `${name}: ${run.stderr}`);
        assert.match(run.stderr, message, name);
        await assert.rejects(
          files.importFile(actor, { fileName: name, bytes }),
          (error: unknown) => isDomainError(error) && error.code === code,
          `${name}: ${code}`,
        );
      }
    });
    assert.deepEqual(await countRows(database), before, 'not a row of any table changed, the audit log included');
  });
});
