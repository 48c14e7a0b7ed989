import assert from 'node:assert/strict';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, type Json, type TestServer } from '../support/test-server.ts';
import type { TestDatabase } from '../support/databases.ts';
import type { NoticeView } from '../../src/domain/api/notice-view.ts';
import { NoticeLimits } from '../../src/domain/limits.ts';

forEachEngine('notice API', (it) => {
  it('gives the office and leaders the compiled round with its notice; units and 三员 get 403, an unknown round 404', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const planId = (await office.get('/api/plans')).body[0].id as number;
      const rounds = await office.get(`/api/plans/${planId}/rounds`);
      const roundId = rounds.body[0].id as number;

      const compiled = await office.get(`/api/rounds/${roundId}/compiled`);
      assert.equal(compiled.status, 200, JSON.stringify(compiled.body));
      assert.equal(compiled.body.notice.docNumber, '川环办发〔2017〕102号');
      assert.equal(compiled.body.fileBaseName, '川环办发〔2017〕102号-2017年第二季度工作推进情况通报');
      assert.equal(compiled.body.table.rows.length, 111);
      assert.equal(compiled.body.table.header.length, 7);

      assert.equal((await (await server.as('leader')).get(`/api/rounds/${roundId}/compiled`)).status, 200);
      for (const user of ['huanping', 'sysadmin', 'auditor'] as const)
        assert.equal((await (await server.as(user)).get(`/api/rounds/${roundId}/compiled`)).status, 403, user);
      const next = await office.get(`/api/rounds/${roundId}/notice/next-number?year=2017`);
      assert.equal(next.status, 200, JSON.stringify(next.body));
      assert.equal(next.body.docNumber, '川环办发〔2017〕103号');
      assert.equal(
        (await office.get(`/api/rounds/${roundId}/notice/next-number?year=2017&prefix=${encodeURIComponent('川环发')}`)).body.docNumber,
        '川环发〔2017〕1号',
      );
      assert.equal(
        (await office.get(`/api/rounds/${roundId}/notice/next-number?year=abc`)).status,
        400,
        'a year that is not a number is refused by the schema',
      );
      assert.equal((await (await server.as('leader')).get(`/api/rounds/${roundId}/notice/next-number?year=2017`)).status, 403);
      const missing = await office.get('/api/rounds/999999/compiled');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'round_not_found');
    } finally {
      await server.close();
    }
  });

  it('a new round has the default notice (version 0, stored false) and a suggested number; the first save stores version 1, the next version 2, each audited', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const roundId = await openRound(server, '2017年第三季度');
      const fresh = await office.get<NoticeView>(`/api/rounds/${roundId}/notice`);
      assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
      assert.deepEqual([fresh.body.stored, fresh.body.version, fresh.body.notice.docNumber], [false, 0, null]);
      assert.match(fresh.body.notice.title!, /2017年第三季度工作推进情况的通报$/);
      assert.equal(fresh.body.suggestedDocNumber.prefix, '川环办发', 'the plan’s own number gives the series');
      assert.equal(fresh.body.placeholders['{轮次}'], '2017年第三季度');
      assert.equal(fresh.body.placeholders['{方案文号}'], '川环办发〔2016〕144号');

      const edited = {
        ...fresh.body.notice,
        docNumber: '川环办发〔2017〕150号',
        title: '关于{方案标题}{轮次}工作推进情况的通报',
        body: ['按照（{方案文号}）要求，现将{轮次}工作推进情况通报如下。'],
        date: '2017-10-31',
        cc: ['省委深改办'],
        printed: { by: '四川省环境保护厅办公室', date: '2017-10-31' },
      };
      const saved = await office.put(`/api/rounds/${roundId}/notice`, { notice: edited, version: 0 });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.deepEqual([saved.body.stored, saved.body.version, saved.body.updatedBy], [true, 1, '张敏'], 'the person who saved, by name');
      assert.match(saved.body.notice.title, /^关于《?贯彻落实.*2017年第三季度工作推进情况的通报$/, 'placeholders are expanded on save');
      assert.equal(saved.body.notice.body[0], '按照（川环办发〔2016〕144号）要求，现将2017年第三季度工作推进情况通报如下。');
      assert.ok(
        saved.body.notes.some((note: string) => note.includes('{轮次}')),
        'the expansion is said',
      );

      const again = await office.put(`/api/rounds/${roundId}/notice`, { notice: { ...saved.body.notice, title: '第二次保存的标题' }, version: 1 });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.version, 2);
      const leaderView = await (await server.as('leader')).get(`/api/rounds/${roundId}/notice`);
      assert.deepEqual([leaderView.status, leaderView.body.notice.title, leaderView.body.version], [200, '第二次保存的标题', 2], 'leaders read');

      const audits = await noticeAudits(database);
      assert.deepEqual(
        audits.map((row) => [row.object_type, row.object_id, row.user_id, row.result, JSON.parse(row.detail).version]),
        [
          ['notice', String(roundId), office.session.user.id, 'ok', 1],
          ['notice', String(roundId), office.session.user.id, 'ok', 2],
        ],
      );
      assert.equal(JSON.parse(audits[0]!.detail).docNumber, '川环办发〔2017〕150号');
      assert.deepEqual(JSON.parse(audits[1]!.detail).changed, ['title']);
    } finally {
      await server.close();
    }
  });

  it('a stale or missing version is 409 version_conflict carrying the stored notice and the unsaved text; nothing changes', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const roundId = server.roundId!;
      const seed = (await office.get<NoticeView>(`/api/rounds/${roundId}/notice`)).body;
      assert.deepEqual([seed.stored, seed.version, seed.notice.docNumber], [true, 1, '川环办发〔2017〕102号'], 'the imported notice is version 1');
      const first = await office.put(`/api/rounds/${roundId}/notice`, { notice: { ...seed.notice, title: '甲先保存的标题' }, version: 1 });
      assert.equal(first.status, 200, JSON.stringify(first.body));

      const before = await noticeRow(database, roundId);
      const auditsBefore = (await noticeAudits(database)).length;
      const mine = { ...seed.notice, title: '乙的标题，不能丢' };
      const stale = await office.put(`/api/rounds/${roundId}/notice`, { notice: mine, version: 1 });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.code, 'version_conflict');
      assert.match(stale.body.error.message, /第 2 版/);
      assert.equal(stale.body.error.details.current.version, 2);
      assert.equal(stale.body.error.details.current.notice.title, '甲先保存的标题');
      assert.equal(stale.body.error.details.yours.title, '乙的标题，不能丢', 'the unsaved text comes back byte for byte');

      const missing = await office.put(`/api/rounds/${roundId}/notice`, { notice: mine });
      assert.deepEqual([missing.status, missing.body.error.code], [409, 'version_conflict']);
      assert.match(missing.body.error.message, /缺少版本号/);
      assert.deepEqual(await noticeRow(database, roundId), before);
      assert.equal((await noticeAudits(database)).length, auditsBefore);
    } finally {
      await server.close();
    }
  });

  it('document numbers: the form is checked, leading zeros and other brackets normalised and said, another round’s number is 409 doc_number_taken naming it', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const roundId = await openRound(server, '2017年第三季度');
      const base = (await office.get<NoticeView>(`/api/rounds/${roundId}/notice`)).body.notice;

      for (const bad of ['川环办发2017102号', '川环办发〔17〕102号', '〔2017〕102号', '川环办发〔2017〕0号', '川环办发〔1999〕3号']) {
        const refused = await office.put(`/api/rounds/${roundId}/notice`, { notice: { ...base, docNumber: bad }, version: 0 });
        assert.equal(refused.status, 422, bad);
        assert.deepEqual([refused.body.error.code, refused.body.error.details.field], ['doc_number_invalid', 'docNumber'], bad);
        assert.match(refused.body.error.message, /文号/);
      }

      const taken = await office.put(`/api/rounds/${roundId}/notice`, { notice: { ...base, docNumber: '川环办发〔2017〕0102号' }, version: 0 });
      assert.equal(taken.status, 409);
      assert.deepEqual(
        [taken.body.error.code, taken.body.error.details.roundLabel, taken.body.error.details.field],
        ['doc_number_taken', '2017年第二季度', 'docNumber'],
      );
      assert.match(taken.body.error.message, /已用于调度“2017年第二季度”/);
      assert.equal(await noticeRow(database, roundId), undefined, 'nothing stored on a refused save');

      const saved = await office.put(`/api/rounds/${roundId}/notice`, { notice: { ...base, docNumber: '川环办发[2017]０103号' }, version: 0 });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.notice.docNumber, '川环办发〔2017〕103号');
      assert.ok(
        saved.body.notes.some((note: string) => note.includes('前导零') && note.includes('0103 → 103')),
        JSON.stringify(saved.body.notes),
      );
      assert.ok(saved.body.notes.some((note: string) => note.includes('〔〕')));
      assert.equal((await office.get(`/api/rounds/${roundId}/notice/next-number?year=2017`)).body.docNumber, '川环办发〔2017〕104号');

      const reuse = await office.put(`/api/rounds/${server.roundId}/notice`, { notice: { ...base, docNumber: '川环办发〔2017〕103号' }, version: 1 });
      assert.deepEqual([reuse.status, reuse.body.error.details.roundLabel], [409, '2017年第三季度']);

      // The partial unique index backs the service: even a direct write cannot give one number to two rounds.
      await assert.rejects(
        database.db.updateTable('notices').set({ doc_number: '川环办发〔2017〕103号' }).where('round_id', '=', server.roundId!).execute(),
        (error: Json) => /unique|UNIQUE/.test(String(error?.message)),
      );
      const free = await database.db.updateTable('notices').set({ doc_number: null }).where('round_id', '=', server.roundId!).executeTakeFirst();
      assert.equal(Number(free.numUpdatedRows), 1, 'rows without a number are not constrained');
    } finally {
      await server.close();
    }
  });

  it('bad content: over a limit 422 field_too_long, impossible dates and unknown placeholders 422 naming the field; control characters stripped, text trimmed', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const roundId = await openRound(server, '2017年第三季度');
      const base = (await office.get<NoticeView>(`/api/rounds/${roundId}/notice`)).body.notice;
      const put = (notice: Json, version = 0) => office.put(`/api/rounds/${roundId}/notice`, { notice, version });

      const long = await put({ ...base, title: '标'.repeat(NoticeLimits.title.max + 1) });
      assert.deepEqual([long.status, long.body.error.code], [422, 'field_too_long']);
      assert.match(long.body.error.message, /title/);
      const tooMany = await put({ ...base, body: Array.from({ length: NoticeLimits.body.paragraphs + 1 }, (_, i) => `第${i + 1}段`) });
      assert.deepEqual([tooMany.status, tooMany.body.error.code], [422, 'field_too_long']);
      const ccLong = await put({ ...base, cc: Array.from({ length: NoticeLimits.cc.count + 1 }, () => '厅领导') });
      assert.deepEqual([ccLong.status, ccLong.body.error.code], [422, 'field_too_long']);
      // A placeholder that makes the text longer than allowed is caught after expansion.
      const grown = await put({ ...base, attachment: `${'附'.repeat(NoticeLimits.attachment.max - '{方案标题}'.length)}{方案标题}` });
      assert.deepEqual([grown.status, grown.body.error.code, grown.body.error.details.field], [422, 'field_too_long', 'attachment']);

      // Impossible days are refused by the request's date schema (400 naming the field); the
      // forms people type (2017/7/31, 2017年7月31日) are read, not refused.
      for (const [field, notice] of [
        ['body.notice.date', { ...base, date: '2017-02-30' }],
        ['body.notice.date', { ...base, date: '7/31/2017' }],
        ['body.notice.printed.date', { ...base, printed: { by: '办公室', date: '2017-13-01' } }],
      ] as const) {
        const refused = await put(notice);
        assert.deepEqual(
          [refused.status, refused.body.error.code, refused.body.error.details.issues[0].field],
          [400, 'validation_failed', field],
          JSON.stringify(notice),
        );
      }
      const unknown = await put({ ...base, body: ['正文', '按照{文号}要求'] });
      assert.deepEqual([unknown.status, unknown.body.error.code, unknown.body.error.details.field], [422, 'notice_placeholder_unknown', 'body.1']);
      assert.equal(await noticeRow(database, roundId), undefined, 'nothing stored by any refused save');

      const messy = await put({
        ...base,
        title: '  关于\u000b第三季度\r\n的通报\u3000',
        body: ['\u3000\u3000第一段\u0007', '', '第二段\n第三段'],
        contact: { unit: ' 办公室 ', name: '', phone: '028-80589030\u200b' },
        cc: ['  ', '省委深改办'],
        attachment: '附件：《厅内分工方案》2017年第三季度工作推进情况调度表',
        date: ' 2017-10-31 ',
      });
      assert.equal(messy.status, 200, JSON.stringify(messy.body));
      const stored = messy.body.notice;
      assert.equal(stored.title, '关于第三季度的通报');
      assert.deepEqual(stored.body, ['第一段', '第二段', '第三段']);
      assert.deepEqual(stored.contact, { unit: '办公室', name: null, phone: '028-80589030' });
      assert.deepEqual(stored.cc, ['省委深改办']);
      assert.equal(stored.date, '2017-10-31');
      assert.equal(stored.attachment, '《厅内分工方案》2017年第三季度工作推进情况调度表', 'the layout adds 附件： itself');
      assert.ok(messy.body.notes.some((note: string) => note.includes('段落')));
    } finally {
      await server.close();
    }
  });

  it('only the office saves: leaders, reporters and 三员 get 403 and nothing changes; an unknown round is 404', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const roundId = server.roundId!;
      const view = (await office.get<NoticeView>(`/api/rounds/${roundId}/notice`)).body;
      const before = await noticeRow(database, roundId);
      for (const user of ['leader', 'huanping', 'huanping-head', 'sysadmin', 'secadmin', 'auditor'] as const) {
        const client = await server.as(user);
        const answer = await client.put(`/api/rounds/${roundId}/notice`, { notice: { ...view.notice, title: `${user} 改的` }, version: view.version });
        assert.equal(answer.status, 403, user);
      }
      for (const user of ['huanping', 'sysadmin', 'auditor'] as const)
        assert.equal((await (await server.as(user)).get(`/api/rounds/${roundId}/notice`)).status, 403, user);
      assert.deepEqual(await noticeRow(database, roundId), before);
      assert.equal((await noticeAudits(database)).length, 0);
      const missing = await office.put('/api/rounds/999999/notice', { notice: view.notice, version: 0 });
      assert.deepEqual([missing.status, missing.body.error.code], [404, 'round_not_found']);
    } finally {
      await server.close();
    }
  });

  it('saves at the same moment: one first save wins, the rest are 409 version_conflict; one number given to two rounds at once goes to one of them', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const third = await openRound(server, '2017年第三季度');
      const fourth = await openRound(server, '2017年第四季度');
      const base = (await office.get<NoticeView>(`/api/rounds/${third}/notice`)).body.notice;
      const firsts = await Promise.all(
        Array.from({ length: 5 }, (_, i) => office.put(`/api/rounds/${third}/notice`, { notice: { ...base, title: `第${i}个窗口` }, version: 0 })),
      );
      assert.deepEqual(firsts.map((answer) => answer.status).sort(), [200, 409, 409, 409, 409], JSON.stringify(firsts.map((answer) => answer.body)));
      for (const answer of firsts.filter((a) => a.status === 409)) assert.equal(answer.body.error.code, 'version_conflict');
      const winner = firsts.find((answer) => answer.status === 200)!.body.notice.title;
      assert.equal((await noticeRow(database, third))?.title, winner);

      const same = { ...base, docNumber: '川环办发〔2017〕160号' };
      const both = await Promise.all([
        office.put(`/api/rounds/${third}/notice`, { notice: same, version: 1 }),
        office.put(`/api/rounds/${fourth}/notice`, { notice: same, version: 0 }),
      ]);
      assert.deepEqual(both.map((answer) => answer.status).sort(), [200, 409], JSON.stringify(both.map((answer) => answer.body)));
      const refused = both.find((answer) => answer.status === 409)!;
      assert.equal(refused.body.error.code, 'doc_number_taken');
      const holders = await database.db.selectFrom('notices').select('round_id').where('doc_number', '=', '川环办发〔2017〕160号').execute();
      assert.equal(holders.length, 1);
    } finally {
      await server.close();
    }
  });

  it('the compiled round — what Word, Excel, PDF and print show — carries the saved notice', async (database) => {
    const server = await createTestServer(database);
    try {
      const office = await server.as('office');
      const roundId = server.roundId!;
      const view = (await office.get<NoticeView>(`/api/rounds/${roundId}/notice`)).body;
      const saved = await office.put(`/api/rounds/${roundId}/notice`, {
        notice: { ...view.notice, docNumber: '川环办发〔2017〕110号', title: '关于{轮次}工作推进情况的通报（修订）' },
        version: view.version,
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const compiled = await office.get(`/api/rounds/${roundId}/compiled`);
      assert.equal(compiled.body.notice.docNumber, '川环办发〔2017〕110号');
      assert.equal(compiled.body.notice.title, '关于2017年第二季度工作推进情况的通报（修订）');
      assert.equal(compiled.body.fileBaseName, '川环办发〔2017〕110号-2017年第二季度工作推进情况通报');
    } finally {
      await server.close();
    }
  });
});

async function openRound(server: TestServer, label: string): Promise<number> {
  const office = await server.as('office');
  const opened = await office.post(`/api/plans/${server.planId}/rounds`, { label, deadline: '2099-10-10' });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  return opened.body.id as number;
}

async function noticeRow(database: TestDatabase, roundId: number) {
  return database.db.selectFrom('notices').selectAll().where('round_id', '=', roundId).executeTakeFirst();
}

async function noticeAudits(database: TestDatabase) {
  return database.db.selectFrom('audit_events').selectAll().where('action', '=', 'notice.update').orderBy('id').execute();
}
