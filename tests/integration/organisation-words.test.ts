import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { systemActor } from '../../src/domain/actor.ts';
import type { ExportJobView } from '../../src/domain/api/export-view.ts';
import type { OrganisationProfileView } from '../../src/domain/api/organisation-profile.ts';
import { DEMO_PROFILE } from '../../src/server/services/demo-accounts.ts';
import { forEachEngine } from '../support/databases.ts';
import { findAll, readXmlPart, readZipEntries, textOf } from '../support/ooxml-read.ts';
import { createTestServer, type SignedInClient } from '../support/test-server.ts';

/**
 * Issue 14: the organisation profile's words reach every reader. The demo (seed) profile reads as
 * the seed did; a bureau's profile (局领导, 科室) makes the exported table say 牵头局领导 / 责任科室.
 */

const BUREAU = { ...DEMO_PROFILE, fullName: '某某市生态环境局', officeName: '某某市生态环境局办公室', issuerMark: '某某市生态环境局办公室', docPrefixes: ['某环办'], leaderWord: '局领导', unitWords: ['科', '室'] };

async function exportFile(client: SignedInClient, roundId: number, format: string): Promise<Uint8Array> {
  const started = await client.post<ExportJobView>(`/api/rounds/${roundId}/exports`, { format });
  assert.equal(started.status, 202, started.text);
  for (;;) {
    const job = await client.get<ExportJobView>(`/api/exports/${started.body.jobId}`);
    assert.equal(job.status, 200, job.text);
    if (job.body.status === 'failed') assert.fail(`${format}: ${job.body.error ?? ''}`);
    if (job.body.status === 'done') return new Uint8Array((await client.get(`/api/exports/${job.body.jobId}/file`)).raw);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const docxText = (bytes: Uint8Array) => findAll(readXmlPart(readZipEntries(bytes), 'word/document.xml'), 'w:p').map((p) => textOf(p)).join('\n');

async function xlsxRow(bytes: Uint8Array, row: number): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  return Array.from({ length: sheet.columnCount }, (_, column) => String(sheet.getRow(row).getCell(column + 1).value ?? ''));
}

forEachEngine('organisation words', (it) => {
  it('every signed-in user reads the words; the seed’s read as before, a bureau’s reach the exported table', async (database) => {
    const server = await createTestServer(database);
    try {
      const reporter = await server.as('huanping');
      const seen = await reporter.get<OrganisationProfileView>('/api/organisation-profile');
      assert.equal(seen.status, 200, seen.text);
      assert.deepEqual(seen.body.words, { leader: '厅领导', unit: '处室', leadersColumn: '牵头厅领导', unitsColumn: '责任部门' });

      const office = await server.as('office');
      const roundId = server.roundId!;
      assert.match(docxText(await exportFile(office, roundId, 'table-docx')), /具体工作任务\n省级牵\n头部门\n牵头厅领导\n责任部门\n推进情况/);

      await server.services.organisationProfile.update(systemActor('test'), BUREAU);
      const bureau = await reporter.get<OrganisationProfileView>('/api/organisation-profile');
      assert.deepEqual(bureau.body.words, { leader: '局领导', unit: '科室', leadersColumn: '牵头局领导', unitsColumn: '责任科室' });
      assert.match(docxText(await exportFile(office, roundId, 'table-docx')), /具体工作任务\n省级牵\n头部门\n牵头局领导\n责任科室\n推进情况/);
      assert.deepEqual((await xlsxRow(await exportFile(office, roundId, 'xlsx'), 2)).slice(2, 7), ['具体工作任务', '省级牵头部门', '牵头局领导', '责任科室', '推进情况']);
      const print = await office.get(`/api/rounds/${roundId}/compiled`);
      assert.equal(print.status, 200, print.text);
      assert.deepEqual(print.body.table.header.slice(2, 7), ['具体工作任务', '省级牵头部门', '牵头局领导', '责任科室', '推进情况']);
    } finally {
      await server.close();
    }
  });
});
