import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { systemActor } from '../../src/domain/actor.ts';
import type { ExportJobView } from '../../src/domain/api/export-view.ts';
import { tasksOf, type PlanDocument } from '../../src/domain/plan-document.ts';
import { findSoffice } from '../../src/server/documents/pdf/docx-to-pdf.ts';
import { readPlanDocument } from '../../src/server/documents/read-plan-document.ts';
import { forEachEngine } from '../support/databases.ts';
import { findAll, readXmlPart, readZipEntries, textOf } from '../support/ooxml-read.ts';
import { createTestServer, type SignedInClient } from '../support/test-server.ts';

/**
 * The export options of decision 024 through the API on both engines, each file read back by a
 * real parser: the seed round says what was written (（总队） as in the original, no （未报送）, no
 * marks whatever is asked) and comes back as the same data; a live round's official file holds
 * only accepted answers, its draft the rest marked 【未审核】 and 征求意见稿, 滞后 with its reason
 * where asked, （未报送） only when asked; unknown values refused naming the option.
 */

async function exportBytes(client: SignedInClient, roundId: number, body: Record<string, unknown>) {
  const started = await client.post<ExportJobView>(`/api/rounds/${roundId}/exports`, body);
  assert.equal(started.status, 202, started.text);
  for (;;) {
    const job = (await client.get<ExportJobView>(`/api/exports/${started.body.jobId}`)).body;
    if (job.status === 'failed') assert.fail(job.error);
    if (job.status === 'done') {
      const file = await client.get(`/api/exports/${job.jobId}/file`);
      assert.equal(file.status, 200, file.text);
      return { bytes: new Uint8Array(file.raw), fileName: job.fileName };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const docxText = (bytes: Uint8Array) =>
  findAll(readXmlPart(readZipEntries(bytes), 'word/document.xml'), 'w:p')
    .map((p) => textOf(p))
    .join('\n');

/** Every cell of the first sheet, row by row, and the title in A1. */
async function xlsxText(bytes: Uint8Array): Promise<{ title: string; text: string }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const lines: string[] = [];
  sheet.eachRow((row) => row.eachCell((cell) => lines.push(String(cell.value ?? ''))));
  return { title: String(sheet.getCell('A1').value), text: lines.join('\n') };
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

/** The data of a document, without what a reader adds about the file itself. */
const data = (document: PlanDocument) => ({
  ...document,
  warnings: [],
  chapters: document.chapters.map((c) => ({ ...c, sections: c.sections.map((s) => ({ ...s, tasks: s.tasks.map((t) => ({ ...t, warnings: [] })) })) })),
});

forEachEngine('export options', (it) => {
  it('exports the imported seed round as it was written, whatever is asked, and reads it back as the same data', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const roundId = server.roundId!;
      const json = await exportBytes(office, roundId, { format: 'json' });
      const stored = JSON.parse(new TextDecoder().decode(json.bytes)) as PlanDocument;
      const zongdui = [...tasksOf(stored)].flatMap(({ task }) => task.progress).filter((entry) => entry.attribution !== undefined);
      assert.equal(zongdui.length, 7, 'the json carries the 7 brackets written 总队');
      assert.ok(zongdui.every((entry) => entry.unit === '监察总队' && entry.attribution === '总队'));

      for (const asked of [{}, { version: 'draft', unanswered: 'marked', statusMarks: 'before' }]) {
        const docx = await exportBytes(office, roundId, { format: 'docx', ...asked });
        assert.doesNotMatch(docx.fileName, /征求意见稿/, 'an imported round is an issued notice');
        const text = docxText(docx.bytes);
        assert.equal(count(text, '（总队）'), 7, 'as often as the original writes 总队');
        assert.equal(count(text, '（监察总队）'), 0);
        assert.equal(count(text, '（未报送）'), 0, 'nothing invented where the original is blank');
        assert.equal(count(text, '【未审核】'), 0);
        assert.equal(count(text, '征求意见稿'), 1, 'only where a task of the original says it (…征求意见稿…)');

        const xlsx = await exportBytes(office, roundId, { format: 'xlsx', ...asked });
        const sheet = await xlsxText(xlsx.bytes);
        assert.doesNotMatch(sheet.title, /征求意见稿/);
        assert.equal(count(sheet.text, '（总队）'), 7);
        assert.equal(count(sheet.text, '（未报送）'), 0);

        // Round trip: each file read back gives the json export's data, 总队 and its alias included.
        for (const [bytes, name] of [
          [docx.bytes, '通报.docx'],
          [xlsx.bytes, '调度表.xlsx'],
        ] as const)
          assert.deepEqual(data(readPlanDocument(bytes, name).document), data(stored), name);
      }

      // The PDF is the .docx through LibreOffice: the same words (checked once, on SQLite: the engine does not matter to it).
      if (database.engine === 'sqlite' && findSoffice() !== null) {
        const folder = mkdtempSync(path.join(tmpdir(), 'diaodu-export-options-'));
        try {
          const file = path.join(folder, 'notice.pdf');
          writeFileSync(file, (await exportBytes(office, roundId, { format: 'pdf', unanswered: 'marked' })).bytes);
          const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).replace(/\s+/g, '');
          // （总队） as often as the seed writes it is counted in the table's own column by the layout test
          // (progress-table-layout.test.ts): pdftotext runs a bracket broken over two lines into the next cell's words.
          assert.equal(count(text, '（监察总队）'), 0);
          assert.equal(count(text, '（未报送）'), 0);
        } finally {
          rmSync(folder, { recursive: true, force: true });
        }
      }

      // And the json imports again as the same round: nothing differs from what is stored, 总队 included.
      // (A .docx or .xlsx carries the same data, checked above; its reader's warnings name other lines.)
      const again = await server.services.planFile.importFile(systemActor('test'), { fileName: 'round.json', bytes: json.bytes });
      assert.equal(again.outcome.status, 'unchanged');
    } finally {
      await server.close();
    }
  });

  it('a live round: official holds accepted answers only; the draft marks the rest 未审核 and itself 征求意见稿; 滞后 and （未报送） as asked', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const reporter = await server.as('huanping');
      const planId = (await office.get('/api/plans')).body[0].id as number;
      const opened = await office.post(`/api/plans/${planId}/rounds`, {
        label: '2017年第三季度',
        periodStart: '2017-07-01',
        periodEnd: '2017-09-30',
        deadline: '2099-10-10',
        note: null,
      });
      assert.equal(opened.status, 201, opened.text);
      const roundId = opened.body.id as number;
      const unitId = reporter.session.user.unit!.id;
      const items = (await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`)).body.items as { task: { id: number } }[];
      const answer = (taskId: number, body: Record<string, unknown>) =>
        reporter.put(`/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/answer`, { version: 0, ...body });
      assert.equal((await answer(items[0]!.task.id, { text: '环评审查推迟。', status: 'delayed', reason: '专家未到齐' })).status, 200);
      for (const item of items.slice(1))
        assert.equal((await answer(item.task.id, { text: '按期推进第三季度工作。', status: 'on_track', reason: null })).status, 200);
      assert.equal((await reporter.post(`/api/rounds/${roundId}/units/${unitId}/submit`, {})).status, 200);

      // Submitted, nothing accepted yet: the official file has none of it; the draft has all of it, marked.
      const official = docxText((await exportBytes(office, roundId, { format: 'docx' })).bytes);
      assert.equal(count(official, '环评审查推迟。'), 0);
      assert.equal(count(official, '按期推进第三季度工作。'), 0);
      const draftDocx = await exportBytes(office, roundId, { format: 'docx', version: 'draft' });
      assert.match(draftDocx.fileName, /（征求意见稿）\.docx$/);
      const draft = docxText(draftDocx.bytes);
      assert.equal(count(draft, '【未审核】环评审查推迟。【滞后】原因：专家未到齐（环评处）'), 1);
      assert.equal(count(draft, '【未审核】按期推进第三季度工作。（环评处）'), items.length - 1);
      const draftXlsx = await xlsxText((await exportBytes(office, roundId, { format: 'xlsx', version: 'draft', statusMarks: 'before' })).bytes);
      assert.match(draftXlsx.title, /2017年第三季度工作推进情况调度表（征求意见稿）$/);
      assert.equal(count(draftXlsx.text, '【未审核】【滞后：专家未到齐】环评审查推迟。（环评处）'), 1);

      // The office accepts the 滞后 answer: official now, unmarked but for 滞后 and its reason (or not, as asked).
      const accepted = await office.post(`/api/rounds/${roundId}/units/${unitId}/answers/review`, {
        decision: 'accept',
        taskIds: [items[0]!.task.id],
        comment: null,
      });
      assert.equal(accepted.status, 200, accepted.text);
      // Official but not yet signed (decision 025): still marked 征求意见稿; signed (拟稿 → 核稿 → 签发), it is not.
      const unsigned = await exportBytes(office, roundId, { format: 'xlsx' });
      assert.match(unsigned.fileName, /（征求意见稿）\.xlsx$/);
      assert.match((await xlsxText(unsigned.bytes)).title, /（征求意见稿）$/);
      const [office2, leader] = [await server.as('office2'), await server.as('leader')];
      const signoff = `/api/rounds/${roundId}/notice/signoff`;
      assert.equal((await office.post(`${signoff}/submit`, { version: 0, reviewerUserId: office2.session.user.id, copies: 30 })).status, 200);
      assert.equal((await office2.post(`${signoff}/review`, { version: 1, signerUserId: leader.session.user.id, opinion: null })).status, 200);
      const signed = await leader.post(`${signoff}/sign`, { version: 2, opinion: '同意印发' });
      assert.equal(signed.status, 200, signed.text);
      const afterExport = await exportBytes(office, roundId, { format: 'xlsx' });
      assert.doesNotMatch(afterExport.fileName, /征求意见稿/);
      const after = await xlsxText(afterExport.bytes);
      assert.doesNotMatch(after.title, /征求意见稿/);
      assert.equal(count(after.text, '环评审查推迟。【滞后】原因：专家未到齐（环评处）'), 1);
      assert.equal(count(after.text, '【未审核】'), 0);
      assert.equal(count(after.text, '按期推进第三季度工作。'), 0);
      assert.equal(count(after.text, '（未报送）'), 0, 'blank by default');
      const none = docxText((await exportBytes(office, roundId, { format: 'table-docx', statusMarks: 'none', unanswered: 'marked' })).bytes);
      assert.equal(count(none, '环评审查推迟。（环评处）'), 1);
      assert.ok(count(none, '（未报送）') > 50, 'asked for: every task nobody answered says so');

      // The print view shows the same text as the export with the same options.
      const view = await office.get(`/api/rounds/${roundId}/compiled?version=draft&statusMarks=before`);
      assert.equal(view.status, 200, view.text);
      assert.equal(view.body.draft, true);
      assert.ok(
        view.body.table.rows.some(
          (row: { progress: string; lagging?: boolean }) => row.lagging && row.progress === '【滞后：专家未到齐】环评审查推迟。（环评处）',
        ),
      );

      // The audit row records what the file was made with.
      const audits = await database.db.selectFrom('audit_events').select('detail').where('action', '=', 'round.export').orderBy('id', 'desc').execute();
      assert.deepEqual(JSON.parse(audits[0]!.detail!).options, { version: 'official', unanswered: 'marked', statusMarks: 'none' });
    } finally {
      await server.close();
    }
  });

  it('refuses an unknown option value, naming the option in Chinese', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const roundId = server.roundId!;
      for (const [body, name] of [
        [{ format: 'docx', version: 'final' }, '文稿'],
        [{ format: 'xlsx', unanswered: 'hide' }, '无人报送的任务'],
        [{ format: 'pdf', statusMarks: 'column' }, '滞后与暂缓的标注'],
      ] as const) {
        const refused = await office.post(`/api/rounds/${roundId}/exports`, body);
        assert.equal(refused.status, 400, refused.text);
        assert.match(refused.body.error.message, new RegExp(`${name}应为以下之一`));
        assert.doesNotMatch(refused.body.error.message, /Invalid|expected/);
      }
      const view = await office.get(`/api/rounds/${roundId}/compiled?statusMarks=middle`);
      assert.equal(view.status, 400);
      assert.match(view.body.error.message, /滞后与暂缓的标注应为以下之一：after（文末：【滞后】原因：…）、before（文前：【滞后：…】）、none（不显示）/);
    } finally {
      await server.close();
    }
  });
});
