import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileTable } from '../../src/domain/compiled-table.ts';
import { ImportLimits } from '../../src/domain/limits.ts';
import { readPlanDocument } from '../../src/server/documents/read-plan-document.ts';
import { renderNoticeDocx } from '../../src/server/documents/writers/notice-docx.ts';
import { renderTableXlsx } from '../../src/server/documents/writers/table-xlsx.ts';
import { SEED_PATH } from '../fixtures/import/office-files.ts';
import { forEachEngine } from '../support/databases.ts';
import { countRows, dataRows } from '../support/db-inspection.ts';
import { createTestServer, type TestServer } from '../support/test-server.ts';

const seed = readPlanDocument(readFileSync(SEED_PATH), 'seed.txt');
const BOUNDARY = '----diaodu-test-boundary';

/** A multipart/form-data body with one file part, as a browser's FormData sends it. */
function multipart(fileName: string, bytes: Uint8Array, type = 'application/octet-stream'): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`),
    Buffer.from(bytes),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** POSTs an upload as `username` (with its CSRF token unless `csrf` is false). */
async function upload(server: TestServer, username: string, body: Buffer, options: { query?: string; csrf?: boolean; contentType?: string } = {}) {
  const client = await server.as(username);
  const headers: Record<string, string> = { cookie: client.cookie, 'content-type': options.contentType ?? `multipart/form-data; boundary=${BOUNDARY}` };
  if (options.csrf !== false) headers['x-csrf-token'] = client.session.csrfToken;
  const response = await server.app.inject({ method: 'POST', url: `/api/imports${options.query ?? ''}`, headers, payload: body });
  return { status: response.statusCode, body: response.json() };
}

forEachEngine('POST /api/imports', (it) => {
  it('reads a Word file as a dry run (nothing stored), then imports it with an audit row like the CLI’s', async (database) => {
    const server = await createTestServer(database, { demoPlan: false });
    try {
      const docx = multipart('通报.docx', await renderNoticeDocx({ notice: seed.document.notice!, table: compileTable(seed.document) }));
      const before = await countRows(database);
      const dryRun = await upload(server, 'office', docx, { query: '?dryRun=1' });
      assert.equal(dryRun.status, 200, JSON.stringify(dryRun.body));
      assert.equal(dryRun.body.dryRun, true);
      assert.equal(dryRun.body.format, 'docx');
      assert.deepEqual(dryRun.body.summary, {
        planTitle: seed.document.plan.title,
        planDocNumber: '川环办发〔2016〕144号',
        roundLabel: '2017年第二季度',
        chapters: 8,
        sections: 32,
        tasks: 111,
        progressEntries: seed.document.chapters.flatMap((c) => c.sections.flatMap((s) => s.tasks.flatMap((t) => t.progress))).length,
        warnings: dryRun.body.warnings.length,
      });
      assert.equal(dryRun.body.outcome, null);
      assert.deepEqual(dataRows(await countRows(database)), dataRows(before), 'a dry run stores nothing');

      const stored = await upload(server, 'office', docx);
      assert.equal(stored.status, 200, JSON.stringify(stored.body));
      assert.equal(stored.body.outcome.status, 'created');
      assert.equal((await countRows(database)).tasks, 111);
      const audit = await database.db.selectFrom('audit_events').selectAll().where('action', '=', 'plan.import').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.result, 'created');
      assert.equal(audit[0]!.actor_kind, 'user');
      assert.equal(audit[0]!.actor_name, 'office', 'the office account that uploaded');
      assert.equal(audit[0]!.actor_display_name, '张敏');
      assert.equal(JSON.parse(audit[0]!.detail).fileName, '通报.docx');
      assert.equal(JSON.parse(audit[0]!.detail).contentHash, stored.body.contentHash);
    } finally {
      await server.close();
    }
  });

  it('imports an Excel file; refuses a reporter (403), a PDF (422), a non-upload (422) and a missing CSRF token, storing nothing', async (database) => {
    const server = await createTestServer(database, { demoPlan: false });
    try {
      const xlsx = multipart('调度表.xlsx', await renderTableXlsx(compileTable(seed.document), seed.document.notice));
      const before = await countRows(database);

      const reporter = await upload(server, 'huanping', xlsx);
      assert.equal(reporter.status, 403);
      assert.equal(reporter.body.error.code, 'forbidden_role');
      assert.equal((await upload(server, 'huanping', xlsx, { query: '?dryRun=1' })).status, 403, 'no dry run for units either');
      const noToken = await upload(server, 'office', xlsx, { csrf: false });
      assert.equal(noToken.status, 403);
      assert.equal(noToken.body.error.code, 'csrf_failed');

      const pdf = await upload(
        server,
        'office',
        multipart('通报.docx', new TextEncoder().encode('%PDF-1.7\n1 0 obj\n'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
      );
      assert.equal(pdf.status, 422);
      assert.equal(pdf.body.error.code, 'import_pdf_unsupported');
      assert.match(pdf.body.error.message, /通报\.docx：这是 PDF 文件，PDF 无法导入/);

      const json = await upload(server, 'office', Buffer.from('{}'), { contentType: 'application/json' });
      assert.equal(json.status, 422);
      assert.equal(json.body.error.code, 'import_upload_not_multipart');
      const raw = await upload(server, 'office', Buffer.from('%PDF-1.7'), { contentType: 'application/pdf' });
      assert.equal(raw.status, 415);
      assert.deepEqual(dataRows(await countRows(database)), dataRows(before), 'nothing stored by any refusal');

      const stored = await upload(server, 'office', xlsx);
      assert.equal(stored.status, 200, JSON.stringify(stored.body));
      assert.equal(stored.body.format, 'xlsx');
      assert.equal(stored.body.outcome.status, 'created');
    } finally {
      await server.close();
    }
  });

  it('shows the client’s file name cleaned: no path, no control or bidi characters, at most 100 characters', async (database) => {
    const server = await createTestServer(database, { demoPlan: false });
    try {
      const docx = await renderNoticeDocx({ notice: seed.document.notice!, table: compileTable(seed.document) });
      const answer = await upload(server, 'office', multipart('../../etc/\u202e通报x\u0007.docx', docx), { query: '?dryRun=1' });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.fileName, '通报x.docx');
      const long = await upload(server, 'office', multipart(`${'调'.repeat(300)}.docx`, docx), { query: '?dryRun=1' });
      assert.equal([...long.body.fileName].length, 100);
    } finally {
      await server.close();
    }
  });

  it('a NUL byte in the file name is dropped, never cuts the name short, and reaches neither the answer nor anything stored (bad input 13)', async (database) => {
    const server = await createTestServer(database, { demoPlan: false });
    try {
      const docx = await renderNoticeDocx({ notice: seed.document.notice!, table: compileTable(seed.document) });
      for (const [sent, shown] of [
        ['通\u0000报.docx', '通报.docx'],
        // A layer that ends strings at NUL would read "evil.exe"; the name is shown whole, without it.
        ['evil.exe\u0000.docx', 'evil.exe.docx'],
        ['\u0000', '上传的文件'],
      ] as const) {
        const answer = await upload(server, 'office', multipart(sent, docx), { query: '?dryRun=1' });
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        assert.equal(answer.body.fileName, shown, JSON.stringify(sent));
      }
      const stored = await upload(server, 'office', multipart('evil.exe\u0000.docx', docx));
      assert.equal(stored.status, 200, JSON.stringify(stored.body));
      assert.equal(stored.body.fileName, 'evil.exe.docx');
      const audit = await database.db.selectFrom('audit_events').select('detail').where('action', '=', 'plan.import').execute();
      assert.equal(audit.length, 1);
      assert.match(audit[0]!.detail, /evil\.exe\.docx/, 'the audit row names the file as shown');
      const written = JSON.stringify([audit, await database.db.selectFrom('imports').selectAll().execute()]);
      assert.ok(!written.includes('\u0000') && !written.includes('\\u0000'), 'no NUL stored anywhere the name goes');
    } finally {
      await server.close();
    }
  });
});

forEachEngine('POST /api/imports of a text whose first table page lost its header', (it) => {
  const lines = readFileSync(SEED_PATH, 'utf8').split('\n');
  const header = lines.findIndex((line) => line.includes('具体工作任务'));
  const headerless = [...lines.slice(0, header), ...lines.slice(header + 1)];

  it('reads all 111 tasks and names the lines read without a header; a garbled row there is refused by its line, touching nothing stored', async (database) => {
    const server = await createTestServer(database);
    try {
      const before = await countRows(database);
      const garbled = [...headerless];
      garbled[header + 1] = garbled[header + 1]!.split('\t').slice(0, 3).join('\t');
      const refused = await upload(server, 'office', multipart('通报.txt', Buffer.from(garbled.join('\n'))));
      assert.equal(refused.status, 422, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'import_row_columns');
      assert.match(refused.body.error.message, new RegExp(`第${header + 2}行：表格行有 3 列，应为 7 列`));
      assert.deepEqual(dataRows(await countRows(database)), dataRows(before), 'a refused import stores nothing and changes nothing stored');

      const dryRun = await upload(server, 'office', multipart('通报.txt', Buffer.from(headerless.join('\n'))), { query: '?dryRun=1' });
      assert.equal(dryRun.status, 200, JSON.stringify(dryRun.body));
      assert.equal(dryRun.body.summary.tasks, 111);
      assert.equal(dryRun.body.summary.chapters, 8);
      assert.ok(
        dryRun.body.warnings.some((w: string) => w.startsWith(`第${header + 1}行：表格第一页没有表头行`)),
        JSON.stringify(dryRun.body.warnings.slice(0, 3)),
      );
      assert.deepEqual(dataRows(await countRows(database)), dataRows(before));
    } finally {
      await server.close();
    }
  });
});

forEachEngine('POST /api/imports cut off', (it, engine) => {
  if (engine !== 'sqlite') return; // the upload's handling is the server's, not the database's
  it('answers an upload cut off half way with a clear error, and stores nothing', async (database) => {
    const server = await createTestServer(database, { demoPlan: false });
    try {
      const before = await countRows(database);
      const whole = multipart('通报.docx', await renderNoticeDocx({ notice: seed.document.notice!, table: compileTable(seed.document) }));
      const cut = await upload(server, 'office', whole.subarray(0, whole.length >> 1));
      assert.equal(cut.status, 422, JSON.stringify(cut.body));
      assert.equal(cut.body.error.code, 'import_upload_incomplete');
      assert.match(cut.body.error.message, /通报\.docx：上传不完整/);
      assert.deepEqual(dataRows(await countRows(database)), dataRows(before));
    } finally {
      await server.close();
    }
  });
});

forEachEngine('POST /api/imports over the size cap', (it, engine) => {
  if (engine !== 'sqlite') return; // the cap is the server's, not the database's: one engine is enough
  it('answers 413 for a file over the cap and stores nothing', async (database) => {
    const server = await createTestServer(database, { demoPlan: false });
    try {
      const before = await countRows(database);
      const big = await upload(server, 'office', multipart('big.docx', new Uint8Array(ImportLimits.fileBytes + 1)));
      assert.equal(big.status, 413);
      assert.equal(big.body.error.code, 'payload_too_large');
      assert.deepEqual(dataRows(await countRows(database)), dataRows(before));
    } finally {
      await server.close();
    }
  });
});
