import assert from 'node:assert/strict';
import type { ExportJobView } from '../../src/domain/api/export-view.ts';
import { findSoffice } from '../../src/server/documents/pdf/docx-to-pdf.ts';
import { forEachEngine } from '../support/databases.ts';
import { findAll, readXmlPart, readZipEntries, textOf } from '../support/ooxml-read.ts';
import { createTestServer, type SignedInClient, type TestResponse } from '../support/test-server.ts';

/**
 * Who may read and move a notice through 拟稿 → 核稿 → 签发 over HTTP (decision 025): every role
 * × every action. The drafter is `office` (张敏), the reviewer `office2` (王芳), the signer
 * `leader` (李岳东). A step is allowed for the person it is waiting for only.
 */
const PEOPLE = ['office', 'office2', 'leader', 'huanping', 'huanping-head', 'sysadmin', 'secadmin', 'auditor'] as const;
type Person = (typeof PEOPLE)[number];

forEachEngine('notice sign-off API: permission matrix and bad input', (it) => {
  it('every role × action: read (office, leaders), submit (either office account), review (the chosen reviewer), sign and return (the one holding it), reopen (office)', async (database) => {
    const server = await createTestServer(database);
    try {
      const clients = Object.fromEntries(await Promise.all(PEOPLE.map(async (name) => [name, await server.as(name)] as const))) as Record<
        Person,
        SignedInClient
      >;
      const opened = await clients.office.post(`/api/plans/${server.planId!}/rounds`, {
        label: '2099年第三季度',
        periodStart: '2099-07-01',
        periodEnd: '2099-09-30',
        deadline: '2099-10-10',
        note: null,
      });
      assert.equal(opened.status, 201, opened.text);
      const roundId = opened.body.id as number;
      const base = `/api/rounds/${roundId}/notice/signoff`;
      const version = async () => (await clients.office.get(base)).body.version as number;
      const userId = (name: Person) => clients[name].session.user.id;

      type Call = (c: SignedInClient, v: number) => Promise<TestResponse>;
      // Either office account may draft; it sends to the other one (never itself).
      const submit: Call = (c, v) => c.post(`${base}/submit`, { version: v, reviewerUserId: userId(c === clients.office2 ? 'office' : 'office2'), copies: 30 });
      // In the order of the path: each row is tried by everyone else first (refused, nothing moves), then by those allowed.
      const rows: { name: string; allowed: Person[]; call: Call }[] = [
        { name: 'read', allowed: ['office', 'office2', 'leader'], call: (c) => c.get(base) },
        { name: 'submit', allowed: ['office', 'office2'], call: submit },
        { name: 'return at 核稿', allowed: ['office2'], call: (c, v) => c.post(`${base}/return`, { version: v, comment: '请核对数字' }) },
        { name: 'submit again', allowed: ['office', 'office2'], call: submit },
        { name: 'review', allowed: ['office2'], call: (c, v) => c.post(`${base}/review`, { version: v, signerUserId: userId('leader'), opinion: null }) },
        { name: 'return at 签发', allowed: ['leader'], call: (c, v) => c.post(`${base}/return`, { version: v, comment: '请补充原因' }) },
        { name: 'submit a third time', allowed: ['office', 'office2'], call: submit },
        {
          name: 'review again',
          allowed: ['office2'],
          call: (c, v) => c.post(`${base}/review`, { version: v, signerUserId: userId('leader'), opinion: '已核' }),
        },
        { name: 'sign', allowed: ['leader'], call: (c, v) => c.post(`${base}/sign`, { version: v, opinion: '同意' }) },
        { name: 'reopen', allowed: ['office', 'office2'], call: (c, v) => c.post(`${base}/reopen`, { version: v, comment: '文号有误' }) },
      ];
      for (const row of rows) {
        for (const person of PEOPLE.filter((p) => !row.allowed.includes(p))) {
          const answer = await row.call(clients[person], await version());
          assert.equal(answer.status, 403, `${row.name} as ${person}: ${answer.text}`);
        }
        const answer = await row.call(clients[row.allowed[0]!], await version());
        assert.equal(answer.status, 200, `${row.name} as ${row.allowed[0]}: ${answer.text}`);
      }
      const final = (await clients.office.get(base)).body;
      assert.equal(final.state, 'drafting');
      assert.deepEqual(
        final.history.map((event: { action: string; actor: string }) => `${event.action}:${event.actor}`),
        ['submit:张敏', 'return:王芳', 'submit:张敏', 'review:王芳', 'return:李岳东', 'submit:张敏', 'review:王芳', 'sign:李岳东', 'reopen:张敏'],
      );
    } finally {
      await server.close();
    }
  });

  it('refuses bad input with stable codes, locks the notice text with a Chinese 409, and exports the 发文稿纸', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const office2 = await server.as('office2');
      const leader = await server.as('leader');
      const opened = await office.post(`/api/plans/${server.planId!}/rounds`, {
        label: '2099年第四季度',
        periodStart: '2099-10-01',
        periodEnd: '2099-12-31',
        deadline: '2099-12-31',
        note: null,
      });
      const roundId = opened.body.id as number;
      const base = `/api/rounds/${roundId}/notice/signoff`;
      const expect = (answer: TestResponse, status: number, code: string) => {
        assert.equal(answer.status, status, answer.text);
        assert.equal(answer.body.error.code, code, answer.text);
      };

      expect(await office.post(`${base}/submit`, { version: 0, reviewerUserId: office.session.user.id, copies: null }), 409, 'reviewer_is_drafter');
      expect(await office.post(`${base}/submit`, { version: 0, reviewerUserId: leader.session.user.id, copies: null }), 422, 'reviewer_invalid');
      assert.equal((await office.post(`${base}/submit`, { version: 0, reviewerUserId: office2.session.user.id, copies: 0 })).status, 400, 'copies below 1');
      assert.equal((await office.post(`${base}/submit`, { version: 0, reviewerUserId: '2', copies: null })).status, 400, 'a string id');
      assert.equal((await office.post(`${base}/submit`, { reviewerUserId: office2.session.user.id })).status, 400, 'no version');
      assert.equal((await office.post(`${base}/submit`, { version: 0, reviewerUserId: office2.session.user.id, extra: 1 })).status, 400, 'an unknown field');
      assert.equal((await office.get(`/api/rounds/999999/notice/signoff`)).status, 404);

      const notice = (await office.get(`/api/rounds/${roundId}/notice`)).body;
      let view = (await office.post(`${base}/submit`, { version: 0, reviewerUserId: office2.session.user.id, copies: 30 })).body;
      expect(await office.post(`${base}/submit`, { version: 0, reviewerUserId: office2.session.user.id, copies: 30 }), 409, 'signoff_version_conflict');
      const locked = await office.put(`/api/rounds/${roundId}/notice`, { notice: notice.notice, version: notice.version });
      expect(locked, 409, 'notice_in_review');
      assert.match(locked.body.error.message, /正在由王芳核稿，不能修改/);
      expect(await office2.post(`${base}/return`, { version: view.version, comment: '   ' }), 400, 'validation_failed');

      view = (await office2.post(`${base}/review`, { version: view.version, signerUserId: leader.session.user.id, opinion: '已核' })).body;
      view = (await leader.post(`${base}/sign`, { version: view.version, opinion: '同意印发' })).body;
      assert.equal(view.isSigned, true);

      const exported = async (format: string) => {
        const started = await office.post<ExportJobView>(`/api/rounds/${roundId}/exports`, { format });
        assert.equal(started.status, 202, started.text);
        let job = started.body;
        while (job.status !== 'done' && job.status !== 'failed') {
          await new Promise((resolve) => setTimeout(resolve, 50));
          job = (await office.get<ExportJobView>(`/api/exports/${job.jobId}`)).body;
        }
        assert.equal(job.status, 'done', job.error);
        return { job, file: await office.get(`/api/exports/${job.jobId}/file`) };
      };
      const { job, file } = await exported('cover-docx');
      assert.match(job.fileName, /-发文稿纸\.docx$/);
      const document = readXmlPart(readZipEntries(new Uint8Array(file.raw)), 'word/document.xml');
      const cells = findAll(document, 'w:tc').map((cell) => textOf(cell));
      assert.ok(
        cells.some((text) => text.startsWith('同意印发') && text.includes('李岳东')),
        cells.join('|'),
      );
      assert.ok(cells.some((text) => text.startsWith('已核') && text.includes('王芳')));
      assert.ok(cells.some((text) => text.startsWith('张敏')));
      assert.ok(cells.includes('30份'));
      if (findSoffice() !== null) {
        const pdf = await exported('cover-pdf');
        assert.match(pdf.job.fileName, /-发文稿纸\.pdf$/);
        assert.equal(pdf.file.raw.subarray(0, 5).toString('latin1'), '%PDF-');
      }
    } finally {
      await server.close();
    }
  });
});
