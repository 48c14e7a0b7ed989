import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse as parseContentDisposition } from 'content-disposition';
import { systemActor } from '../../src/domain/actor.ts';
import type { ExportJobView } from '../../src/domain/api/export-view.ts';
import { findSoffice } from '../../src/server/documents/pdf/docx-to-pdf.ts';
import { generatePlanDocument } from '../../scripts/generate-plan-document.ts';
import { forEachEngine } from '../support/databases.ts';
import { findAll, readXmlPart, readZipEntries, textOf } from '../support/ooxml-read.ts';
import { createTestServer, testClock, type SignedInClient, type TestServer } from '../support/test-server.ts';

/**
 * Export jobs through the API on both engines, with the real render worker and (where installed,
 * as in CI) the real LibreOffice: each format of the seeded Q2 2017 round read back by a real
 * parser; who may export; limits; a failing job; the server answering while a big export renders.
 */

const FILE_BASE = '川环办发〔2017〕102号-2017年第二季度工作推进情况通报';
const TITLE = /四川省环境保护厅办公室关于《.+》2017年第二季度工作推进情况的通报/;
const KNOWN_TASK = '到 2020 年，资源节约型、环境友好型社会建设取得重大进展';

async function waitForJob(client: SignedInClient, jobId: string): Promise<ExportJobView> {
  for (;;) {
    const job = await client.get<ExportJobView>(`/api/exports/${jobId}`);
    assert.equal(job.status, 200, job.text);
    if (job.body.status === 'done' || job.body.status === 'failed') return job.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function exportFile(client: SignedInClient, roundId: number, format: string) {
  const started = await client.post<ExportJobView>(`/api/rounds/${roundId}/exports`, { format });
  assert.equal(started.status, 202, started.text);
  assert.ok(['queued', 'running'].includes(started.body.status));
  const job = await waitForJob(client, started.body.jobId);
  assert.equal(job.status, 'done', `${format}: ${job.error ?? ''}`);
  const file = await client.get(`/api/exports/${job.jobId}/file`);
  assert.equal(file.status, 200, file.text);
  return { job, file, bytes: new Uint8Array(file.raw) };
}

const docxText = (bytes: Uint8Array) =>
  findAll(readXmlPart(readZipEntries(bytes), 'word/document.xml'), 'w:p')
    .map((p) => textOf(p))
    .join('\n');

async function exportAudits(server: TestServer) {
  const rows = await server.services.audit.list(systemActor('test'), { action: 'round.export', sort: 'id', order: 'asc', page: 1, pageSize: 100 });
  return rows.events;
}

forEachEngine('export jobs API', (it) => {
  it('exports the seed round as Word, the table alone, Excel and JSON: each file read back, named in UTF-8, never cached, audited once per download', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const roundId = server.roundId!;

      const docx = await exportFile(office, roundId, 'docx');
      assert.equal(docx.job.fileName, `${FILE_BASE}.docx`);
      assert.equal(docx.file.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      assert.equal(docx.file.headers['cache-control'], 'no-store');
      const disposition = String(docx.file.headers['content-disposition']);
      assert.match(disposition, /^attachment; filename="?diaodu-export\.docx"?; filename\*=UTF-8''/);
      assert.equal(parseContentDisposition(disposition).parameters.filename, `${FILE_BASE}.docx`, 'the RFC 5987 name wins over the ASCII fallback');
      assert.equal(docx.job.bytes, docx.bytes.byteLength);
      const text = docxText(docx.bytes);
      assert.match(text, /^四川省环境保护厅办公室文件\n川环办发〔2017〕102号\n/);
      assert.match(text, TITLE);
      assert.match(text, /具体工作任务\n省级牵头部门\n牵头厅领导\n责任部门\n推进情况/);
      assert.ok(text.includes(KNOWN_TASK));

      const table = await exportFile(office, roundId, 'table-docx');
      assert.equal(table.job.fileName, `${FILE_BASE}-调度表.docx`);
      const tableText = docxText(table.bytes);
      assert.doesNotMatch(tableText, /川环办发〔2017〕102号/, 'the table alone has no notice');
      assert.ok(tableText.includes(KNOWN_TASK));

      const xlsx = await exportFile(office, roundId, 'xlsx');
      assert.equal(xlsx.file.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(xlsx.bytes) as unknown as ArrayBuffer);
      assert.deepEqual(
        workbook.worksheets.map((sheet) => sheet.name),
        ['2017年第二季度调度表', '通报', '报送情况'],
      );
      // The seed's round was imported: nobody submitted in the app, and the sheet says so rather than counting.
      assert.match(String(workbook.getWorksheet('报送情况')!.getCell('A3').value), /没有在系统中报送的记录/);
      const cells: string[] = [];
      workbook.worksheets[0]!.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
      assert.ok(cells.includes('具体工作任务'));
      assert.ok(cells.some((cell) => cell.startsWith(KNOWN_TASK)));
      const noticeValues: string[] = [];
      workbook.getWorksheet('通报')!.eachRow((row) => noticeValues.push(String(row.getCell(2).value)));
      assert.ok(noticeValues.includes('川环办发〔2017〕102号'));

      const json = await exportFile(office, roundId, 'json');
      assert.equal(json.file.headers['content-type'], 'application/json; charset=utf-8');
      const expected = await server.services.planExport.exportDocument(systemActor('test'), { roundLabel: '2017年第二季度' });
      assert.equal(json.file.text, `${JSON.stringify(expected, null, 2)}\n`, 'the same text as the CLI’s json export');

      // A second download of the same file is another file handed out: audited again.
      assert.equal((await office.get(`/api/exports/${docx.job.jobId}/file`)).status, 200);
      const audits = await exportAudits(server);
      assert.deepEqual(
        audits.map((row) => [row.username, row.objectId, row.result, row.detail.format, row.detail.fileName]),
        [
          ['office', String(roundId), 'success', 'docx', `${FILE_BASE}.docx`],
          ['office', String(roundId), 'success', 'table-docx', `${FILE_BASE}-调度表.docx`],
          ['office', String(roundId), 'success', 'xlsx', `${FILE_BASE}.xlsx`],
          ['office', String(roundId), 'success', 'json', `${FILE_BASE}.json`],
          ['office', String(roundId), 'success', 'docx', `${FILE_BASE}.docx`],
        ],
      );
      const { createHash } = await import('node:crypto');
      assert.equal(audits[0]!.detail.sha256, createHash('sha256').update(docx.bytes).digest('hex'));
      assert.equal(audits[0]!.detail.jobId, docx.job.jobId);

      // Leaders export too.
      const leader = await server.as('leader');
      assert.match(docxText((await exportFile(leader, roundId, 'docx')).bytes), TITLE);
    } finally {
      await server.close();
    }
  });

  it('an app round’s Excel file carries 报送情况: on time, 逾期 with its submit time, missing and accepted units, as GET /statistics counts them', async (database) => {
    const clock = testClock('2026-03-02T01:00:00.000Z');
    const server = await createTestServer(database, { now: clock });
    try {
      const office = await server.as('office');
      // The deadline is the end of 2 March in the department's zone: 2026-03-02T15:59:59Z.
      const opened = await office.post(`/api/plans/${server.planId}/rounds`, { label: '2026年第一季度', deadline: '2026-03-02', note: null });
      assert.equal(opened.status, 201, opened.text);
      const roundId = opened.body.id as number;
      const fillAndSubmit = async (username: string) => {
        const reporter = await server.as(username);
        const unitId = reporter.session.user.unit!.id;
        const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
        for (const item of todo.body.items as { task: { id: number } }[]) {
          const saved = await reporter.put(`/api/rounds/${roundId}/tasks/${item.task.id}/units/${unitId}/answer`, {
            text: '已按期推进。',
            status: 'on_track',
            reason: null,
            version: 0,
          });
          assert.equal(saved.status, 200, saved.text);
        }
        const submitted = await reporter.post(`/api/rounds/${roundId}/units/${unitId}/submit`, {});
        assert.equal(submitted.status, 200, submitted.text);
        return { unitId, unitName: submitted.body.unitName as string, late: submitted.body.late as boolean };
      };
      const onTime = await fillAndSubmit('huanping');
      assert.equal(onTime.late, false);
      assert.equal((await office.post(`/api/rounds/${roundId}/units/${onTime.unitId}/accept`, {})).status, 200);
      clock.set('2026-03-03T09:00:00.000Z'); // 17:00 on 3 March in Chengdu, a day late
      const late = await fillAndSubmit('guicai');
      assert.equal(late.late, true);

      const officeNow = await server.as('office');
      const statistics = await officeNow.get(`/api/rounds/${roundId}/statistics`);
      assert.equal(statistics.status, 200, statistics.text);
      const { totals, units } = statistics.body as { totals: Record<string, number>; units: { unitName: string }[] };
      assert.deepEqual([totals.onTime, totals.late, totals.accepted, totals.notSubmitted], [1, 1, 1, units.length - 2]);
      assert.ok(units.length > 2, 'other units have not submitted');
      assert.equal((await (await server.as('huanping')).get(`/api/rounds/${roundId}/statistics`)).status, 403, 'units do not read the statistics');

      const xlsx = await exportFile(officeNow, roundId, 'xlsx');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(xlsx.bytes) as unknown as ArrayBuffer);
      assert.deepEqual(
        workbook.worksheets.map((sheet) => sheet.name),
        ['2026年第一季度调度表', '通报', '报送情况'],
      );
      const sheet = workbook.getWorksheet('报送情况')!;
      const rows: string[][] = [];
      sheet.eachRow((row) => rows.push(Array.from({ length: 8 }, (_, column) => String(row.getCell(column + 1).value ?? ''))));
      const total = (label: string) => rows.find((row) => row[0] === label)?.[2];
      assert.deepEqual(['参与报送单位', '按时报送', '逾期报送', '未报送', '已采纳'].map(total), [
        String(units.length),
        '1',
        '1',
        String(units.length - 2),
        '1',
      ]);
      const unitRow = (name: string) => rows.find((row) => row[1] === name)!;
      assert.deepEqual(unitRow(late.unitName).slice(2, 5), ['已提交', '2026年3月3日 17:00', '逾期（2026年3月3日 17:00 提交）']);
      assert.deepEqual([unitRow(onTime.unitName)[4], unitRow(onTime.unitName)[6]], ['按时报送', '已采纳']);
      assert.ok(!rows.some((row) => /各处|直属单位/.test(row[1]!)), 'collective names are not units of the statistics');

      // The Word notice is the official document: no statistics in it.
      assert.doesNotMatch(docxText((await exportFile(officeNow, roundId, 'docx')).bytes), /报送情况|逾期/);
    } finally {
      await server.close();
    }
  });

  it('exports a PDF through LibreOffice when it is installed (pdftotext finds the title); without it the job fails pdf_unavailable and says so', async (database) => {
    const server = await createTestServer(database);
    // A second server over the same database whose LibreOffice is not where it is said to be.
    const missing = await createTestServer(database, {
      config: { exports: { perMinute: 20, timeoutMs: 300_000, soffice: '/nonexistent/libreoffice/soffice' } },
    });
    const folder = mkdtempSync(path.join(tmpdir(), 'diaodu-export-pdf-'));
    try {
      const roundId = server.roundId!;
      if (findSoffice() !== null) {
        const pdf = await exportFile(await server.as('office'), roundId, 'pdf');
        assert.equal(pdf.file.headers['content-type'], 'application/pdf');
        assert.equal(pdf.job.fileName, `${FILE_BASE}.pdf`);
        assert.equal(Buffer.from(pdf.bytes.subarray(0, 5)).toString('latin1'), '%PDF-');
        const file = path.join(folder, 'notice.pdf');
        writeFileSync(file, pdf.bytes);
        const text = execFileSync('pdftotext', ['-f', '1', '-l', '2', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
        assert.match(text, /2017年第二季度工作推进情况的通报/);
      } else {
        const office = await server.as('office');
        const started = await office.post(`/api/rounds/${roundId}/exports`, { format: 'pdf' });
        assert.equal((await waitForJob(office, started.body.jobId)).errorCode, 'pdf_unavailable', 'no LibreOffice on this machine');
      }

      const office = await missing.as('office');
      const auditedBefore = (await exportAudits(missing)).length;
      const started = await office.post<ExportJobView>(`/api/rounds/${missing.roundId}/exports`, { format: 'pdf' });
      assert.equal(started.status, 202);
      const job = await waitForJob(office, started.body.jobId);
      assert.equal(job.status, 'failed');
      assert.equal(job.errorCode, 'pdf_unavailable');
      assert.match(job.error!, /找不到 LibreOffice 程序 \/nonexistent\/libreoffice\/soffice，无法生成 PDF；请下载 Word 文件/);
      const file = await office.get(`/api/exports/${job.jobId}/file`);
      assert.equal(file.status, 409);
      assert.equal(file.body.error.code, 'export_failed');
      assert.equal(file.body.error.details.cause, 'pdf_unavailable');
      // The failure was this job's only: the next export of the same server works.
      assert.match(docxText((await exportFile(office, missing.roundId!, 'docx')).bytes), TITLE);
      assert.deepEqual(
        (await exportAudits(missing)).slice(auditedBefore).map((row) => row.detail.format),
        ['docx'],
        'no file, no export audit row',
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
      await missing.close();
      await server.close();
    }
  });

  it('a job is its starter’s: another user gets 404; units and the three admins get 403 and start nothing; a bad format or id is 400; no CSRF token is 403', async (database) => {
    const server = await createTestServer(database);
    try {
      const roundId = server.roundId!;
      const office = await server.as('office');
      const { job } = await exportFile(office, roundId, 'json');
      const leader = await server.as('leader');
      for (const url of [`/api/exports/${job.jobId}`, `/api/exports/${job.jobId}/file`]) {
        const other = await leader.get(url);
        assert.equal(other.status, 404, url);
        assert.equal(other.body.error.code, 'export_job_not_found');
      }
      assert.equal((await office.get('/api/exports/00000000-0000-4000-8000-000000000000')).status, 404);
      assert.equal((await office.get('/api/exports/not-a-job')).status, 400);

      const before = server.services.exports.stats().jobs;
      for (const username of ['huanping', 'huanping-head', 'sysadmin', 'secadmin', 'auditor']) {
        const refused = await (await server.as(username)).post(`/api/rounds/${roundId}/exports`, { format: 'docx' });
        assert.equal(refused.status, 403, username);
      }
      assert.equal(server.services.exports.stats().jobs, before, 'a refused export queues nothing');

      const unknown = await office.post(`/api/rounds/${roundId}/exports`, { format: 'doc' });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.error.code, 'validation_failed');
      assert.equal((await office.post(`/api/rounds/${roundId}/exports`, {})).status, 400);
      const noRound = await office.post('/api/rounds/999999/exports', { format: 'docx' });
      assert.equal(noRound.status, 404);
      assert.equal(noRound.body.error.code, 'round_not_found');
      const noCsrf = await office.post(`/api/rounds/${roundId}/exports`, { format: 'docx' }, { 'x-csrf-token': '' });
      assert.equal(noCsrf.status, 403);
      assert.equal(noCsrf.body.error.code, 'csrf_failed');
      assert.equal((await server.anonymous().get(`/api/exports/${job.jobId}`)).status, 401);
    } finally {
      await server.close();
    }
  });

  it('limits exports per user a minute (429 with Retry-After), and forgets a job 15 minutes after it finished', async (database) => {
    const clock = testClock();
    const server = await createTestServer(database, { now: clock, config: { exports: { perMinute: 2, timeoutMs: 300_000, soffice: null } } });
    try {
      const office = await server.as('office');
      const roundId = server.roundId!;
      const first = await exportFile(office, roundId, 'json');
      assert.equal((await office.post(`/api/rounds/${roundId}/exports`, { format: 'json' })).status, 202);
      const limited = await office.post(`/api/rounds/${roundId}/exports`, { format: 'json' });
      assert.equal(limited.status, 429);
      // One refusal with one clear message (decision 043), whichever check would have refused first.
      assert.equal(limited.body.error.code, 'export_too_often');
      assert.match(limited.body.error.message, /^导出过于频繁：每人每分钟最多导出 2 次（通报、调度表与审计日志合计），请 \d+ 秒后再试$/);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.equal(limited.headers['retry-after'], String(limited.body.error.details.retryAfterSeconds));
      assert.equal((await (await server.as('leader')).post(`/api/rounds/${roundId}/exports`, { format: 'json' })).status, 202, 'the limit is per user');

      assert.equal(first.job.expiresAt, new Date(new Date(first.job.finishedAt!).getTime() + 15 * 60_000).toISOString());
      clock.advance(15 * 60_000);
      const gone = await office.get(`/api/exports/${first.job.jobId}/file`);
      assert.equal(gone.status, 404);
      assert.match(gone.body.error.message, /不存在或已过期/);
    } finally {
      await server.close();
    }
  });

  it('runs at most 3 exports of one user at once: a fourth is 429 export_busy before the round is read, and the three finish in order', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const roundId = server.roundId!;
      // Word files of the seed queue behind each other in the one worker for a second or more.
      const started = [];
      for (const format of ['docx', 'xlsx', 'table-docx']) started.push(await office.post<ExportJobView>(`/api/rounds/${roundId}/exports`, { format }));
      assert.deepEqual(
        started.map((answer) => answer.status),
        [202, 202, 202],
      );
      const busy = await office.post(`/api/rounds/${roundId}/exports`, { format: 'json' });
      assert.equal(busy.status, 429, busy.text);
      assert.equal(busy.body.error.code, 'export_busy');
      assert.equal(busy.headers['retry-after'], '5');
      assert.equal((await (await server.as('leader')).post(`/api/rounds/${roundId}/exports`, { format: 'json' })).status, 202, 'another user is not held up');
      const jobs = await Promise.all(started.map((answer) => waitForJob(office, answer.body.jobId)));
      assert.deepEqual(
        jobs.map((job) => job.status),
        ['done', 'done', 'done'],
      );
      const finished = jobs.map((job) => job.finishedAt!);
      assert.deepEqual([...finished].sort(), finished, 'first in, first out');
      assert.equal((await office.post(`/api/rounds/${roundId}/exports`, { format: 'json' })).status, 202, 'room again once they are done');
    } finally {
      await server.close();
    }
  });

  it('answers health and to-do requests while a big export renders in the worker; its file is refused 409 until it is done', async (database) => {
    const server = await createTestServer(database);
    try {
      // A plan of its own (another document number than the seed's plan), 1,500 tasks.
      const text = generatePlanDocument({ tasks: 1500, seed: 3 }).text.replaceAll('川环办发〔2016〕144号', '川环办发〔2016〕999号');
      const imported = await server.services.planFile.importFile(systemActor('test'), { fileName: 'big.txt', bytes: new TextEncoder().encode(text) });
      const bigRoundId = imported.outcome.roundId!;
      const office = await server.as('office');
      // A round in progress on the seed's plan, so that the reporter has a to-do list to read.
      const opened = await office.post(`/api/plans/${server.planId}/rounds`, { label: '2017年第三季度', deadline: '2099-10-10' });
      assert.equal(opened.status, 201, opened.text);
      const reporter = await server.as('huanping');
      const unitId = reporter.session.user.unit!.id;

      const started = await office.post<ExportJobView>(`/api/rounds/${bigRoundId}/exports`, { format: 'docx' });
      assert.equal(started.status, 202, started.text);
      const jobId = started.body.jobId;
      let status = started.body.status;
      while (status === 'queued') {
        // Injected requests never leave the process: pause so the worker's messages get their turn.
        await new Promise((resolve) => setTimeout(resolve, 20));
        status = (await office.get<ExportJobView>(`/api/exports/${jobId}`)).body.status;
      }
      assert.equal(status, 'running', 'the worker took the job');

      const early = await office.get(`/api/exports/${jobId}/file`);
      assert.equal(early.status, 409);
      assert.equal(early.body.error.code, 'export_not_ready');

      // Requests answered while the export was still running: the event loop was free.
      let answeredWhileRunning = 0;
      for (;;) {
        const health = await server.anonymous().get('/api/health');
        assert.equal(health.status, 200);
        const todo = await reporter.get(`/api/rounds/${opened.body.id}/units/${unitId}/todo`);
        assert.equal(todo.status, 200, todo.text);
        const job = await office.get<ExportJobView>(`/api/exports/${jobId}`);
        if (job.body.status !== 'running') {
          assert.equal(job.body.status, 'done', job.body.error);
          break;
        }
        answeredWhileRunning += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(answeredWhileRunning >= 1, `health and to-do answered ${answeredWhileRunning} times before the export finished`);
      const file = await office.get(`/api/exports/${jobId}/file`);
      assert.equal(file.status, 200);
      assert.ok(docxText(new Uint8Array(file.raw)).includes('具体工作任务'));
    } finally {
      await server.close();
    }
  });
});
