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

const BUREAU = {
  ...DEMO_PROFILE,
  fullName: '某某市生态环境局',
  officeName: '某某市生态环境局办公室',
  issuerMark: '某某市生态环境局办公室',
  docPrefixes: ['某环办'],
  leaderWord: '局领导',
  unitWords: ['科', '室'],
};

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

const docxText = (bytes: Uint8Array) =>
  findAll(readXmlPart(readZipEntries(bytes), 'word/document.xml'), 'w:p')
    .map((p) => textOf(p))
    .join('\n');

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
      assert.deepEqual((await xlsxRow(await exportFile(office, roundId, 'xlsx'), 2)).slice(2, 7), [
        '具体工作任务',
        '省级牵头部门',
        '牵头局领导',
        '责任科室',
        '推进情况',
      ]);
      const print = await office.get(`/api/rounds/${roundId}/compiled`);
      assert.equal(print.status, 200, print.text);
      assert.deepEqual(print.body.table.header.slice(2, 7), ['具体工作任务', '省级牵头部门', '牵头局领导', '责任科室', '推进情况']);
    } finally {
      await server.close();
    }
  });

  it('the profile’s time zone is the department’s clock: deadlines, notifications and the exported statistics; the configured one without it', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const planId = server.planId!;
      const open = async (label: string) => {
        const opened = await office.post(`/api/plans/${planId}/rounds`, { label, periodStart: null, periodEnd: null, deadline: '2099-10-10', note: null });
        assert.equal(opened.status, 201, opened.text);
        return opened.body as { id: number; deadline: string };
      };
      const notice = async (roundId: number) =>
        (
          await database.db
            .selectFrom('notifications')
            .select('message')
            .where('round_id', '=', roundId)
            .where('kind', '=', 'round_opened')
            .executeTakeFirstOrThrow()
        ).message;
      const deadlineLine = async (roundId: number) => {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(Buffer.from(await exportFile(office, roundId, 'xlsx')) as unknown as ArrayBuffer);
        return String(workbook.getWorksheet('报送情况')!.getCell('A2').value);
      };

      // No zone in the profile: the configured one (Asia/Shanghai, +08:00) ends the day.
      const shanghai = await open('2099年第三季度');
      assert.equal(shanghai.deadline, '2099-10-10T23:59:59+08:00');
      assert.match(await notice(shanghai.id), /请于2099年10月10日 23:59前填报并提交/);

      await server.services.organisationProfile.update(systemActor('test'), { ...DEMO_PROFILE, timeZone: 'Asia/Urumqi' });
      assert.equal((await office.get<OrganisationProfileView>('/api/organisation-profile')).body.timeZone, 'Asia/Urumqi');
      const urumqi = await open('2099年第四季度');
      assert.equal(urumqi.deadline, '2099-10-10T23:59:59+06:00', 'the same typed day ends on the profile’s clock');
      assert.match(await notice(urumqi.id), /请于2099年10月10日 23:59前填报并提交/);
      assert.equal(await deadlineLine(urumqi.id), '截止时间：2099年10月10日 23:59');
      assert.equal(await deadlineLine(shanghai.id), '截止时间：2099年10月10日 21:59', 'the Shanghai deadline read on the Urumqi clock');
      const extended = await office.put(`/api/rounds/${urumqi.id}/units/${(await server.as('huanping')).session.user.unit!.id}/deadline`, {
        deadline: '2099-10-20',
      });
      assert.equal(extended.status, 200, extended.text);
      const unitDeadline = await database.db
        .selectFrom('unit_submissions')
        .select('deadline')
        .where('round_id', '=', urumqi.id)
        .where('deadline', 'is not', null)
        .executeTakeFirstOrThrow();
      assert.equal(unitDeadline.deadline, '2099-10-20T23:59:59+06:00', 'an extension too');

      await server.services.organisationProfile.update(systemActor('test'), { ...DEMO_PROFILE, timeZone: null });
      assert.equal(await deadlineLine(urumqi.id), '截止时间：2099年10月11日 01:59', 'back on the configured clock');
    } finally {
      await server.close();
    }
  });

  it('a task’s 完成时限 is shown: the plan tree, the task page and the unit’s to-do carry it; null where the plan gives none', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const reporter = await server.as('huanping');
      const unitId = reporter.session.user.unit!.id;
      const opened = await office.post(`/api/plans/${server.planId!}/rounds`, {
        label: '2099年第三季度',
        periodStart: null,
        periodEnd: null,
        deadline: '2099-10-10',
        note: null,
      });
      const roundId = opened.body.id as number;
      const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
      const [first, second] = todo.body.items as { task: { id: number; due: string | null } }[];
      assert.equal(first!.task.due, null, 'the seed gives no due dates');
      await database.db.updateTable('tasks').set({ due: '2018年6月底前' }).where('id', '=', first!.task.id).execute();

      const again = (await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`)).body.items as { task: { id: number; due: string | null } }[];
      assert.deepEqual([again[0]!.task.due, again[1]!.task.due], ['2018年6月底前', null]);
      assert.equal(second!.task.due, null);
      const detail = await office.get(`/api/tasks/${first!.task.id}`);
      assert.equal(detail.status, 200, detail.text);
      assert.equal(detail.body.task.due, '2018年6月底前');
      const tree = await office.get(`/api/plans/${server.planId!}/tree`);
      const rows = (tree.body.chapters as { sections: { tasks: { id: number; due: string | null }[] }[] }[]).flatMap((c) => c.sections.flatMap((s) => s.tasks));
      assert.equal(rows.find((row) => row.id === first!.task.id)!.due, '2018年6月底前');
      assert.equal(rows.filter((row) => row.due !== null).length, 1);
    } finally {
      await server.close();
    }
  });

  it('no profile set: neutral words (领导, 单位) and the configured clock', async (database) => {
    const server = await createTestServer(database, { demoPlan: false });
    try {
      const office = await server.as('office');
      const view = await office.get<OrganisationProfileView>('/api/organisation-profile');
      assert.equal(view.body.profile, null);
      assert.deepEqual(view.body.words, { leader: '领导', unit: '单位', leadersColumn: '牵头领导', unitsColumn: '责任单位' });
      assert.equal(view.body.timeZone, 'Asia/Shanghai');
    } finally {
      await server.close();
    }
  });
});
