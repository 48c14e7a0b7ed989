import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { ReturnedTableView } from '../../src/domain/api/returned-table-view.ts';
import { AnswerLimits } from '../../src/domain/limits.ts';
import type { Database } from '../../src/server/db/database.ts';
import { zipOf } from '../fixtures/import/office-files.ts';
import { forEachEngine } from '../support/databases.ts';
import { RETURNED_BOUNDARY, compiledRound, docxWithEdits, multipartBody, openRound, rowOf, xlsxWithEdits } from '../support/returned-table.ts';
import { createTestServer, type SignedInClient, type TestServer } from '../support/test-server.ts';

/**
 * A unit's returned table (回传表, decision 015) over HTTP, on both engines: made by our own
 * writers from a real round and edited as a unit does offline, then previewed (nothing stored)
 * and applied (drafts, audit rows), and every refusal leaving every answer as it was.
 */

type Item = { task: { id: number; text: string; role: 'lead' | 'co' }; answer: { text: string; version: number; status: string | null } };

async function upload(
  server: TestServer,
  client: SignedInClient,
  roundId: number,
  unitId: number,
  mode: string,
  fileName: string,
  bytes: Uint8Array,
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const response = await server.app.inject({
    method: 'POST',
    url: `/api/rounds/${roundId}/units/${unitId}/returned-table?mode=${mode}`,
    headers: {
      cookie: client.cookie,
      'x-csrf-token': client.session.csrfToken,
      'content-type': `multipart/form-data; boundary=${RETURNED_BOUNDARY}`,
      ...headers,
    },
    payload: multipartBody(fileName, bytes, fields),
  });
  return { status: response.statusCode, body: response.json() };
}

const versionsOf = (view: ReturnedTableView) => JSON.stringify(Object.fromEntries(view.items.map((item) => [item.taskId, item.version])));

/** Every answer and submission as stored, and how many audit rows: what "nothing written" compares. */
async function stored(database: Database) {
  const answers = await database.db
    .selectFrom('progress_entries')
    .select(['round_id', 'task_id', 'unit_id', 'text', 'status', 'version'])
    .orderBy('id')
    .execute();
  const submissions = await database.db.selectFrom('unit_submissions').select(['round_id', 'unit_id', 'state', 'version']).orderBy('id').execute();
  return { answers, submissions };
}

async function todoOf(client: SignedInClient, roundId: number): Promise<Item[]> {
  const todo = await client.get(`/api/rounds/${roundId}/units/${client.session.user.unit!.id}/todo`);
  assert.equal(todo.status, 200, JSON.stringify(todo.body));
  return todo.body.items;
}

/** The reporter answers every task and submits (so the office's compiled table carries the unit's texts). */
async function answerAllAndSubmit(client: SignedInClient, roundId: number, items: Item[]): Promise<void> {
  const unitId = client.session.user.unit!.id;
  for (const [index, item] of items.entries()) {
    const saved = await client.put(`/api/rounds/${roundId}/tasks/${item.task.id}/units/${unitId}/answer`, {
      text: `第${index + 1}项：按期推进，已完成年度计划的一半。`,
      status: 'on_track',
      reason: null,
      version: 0,
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  }
  const submitted = await client.post(`/api/rounds/${roundId}/units/${unitId}/submit`, {}, { 'idempotency-key': `submit-${roundId}-${unitId}` });
  assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
}

forEachEngine('returned table API', (it) => {
  it('an Excel table returned after the office sent the answers back: the preview shows exactly the edited cells and stores nothing; apply writes them as drafts, keeps a cleared one, and audits', async (database) => {
    const server = await createTestServer(database);
    try {
      const roundId = await openRound(server);
      const reporter = await server.as('huanping');
      const office = await server.as('office');
      const unitId = reporter.session.user.unit!.id;
      const items = await todoOf(reporter, roundId);
      await answerAllAndSubmit(reporter, roundId, items);
      const compiled = await compiledRound(server, roundId);
      assert.equal((await office.post(`/api/rounds/${roundId}/units/${unitId}/return`, { comment: '请补充完成比例' })).body.state, 'returned');

      const [a, b, c] = [items[0]!, items[1]!, items[2]!];
      const notMine = compiled.table.rows.find((row) => !row.units.split('、').includes('环评处'))!;
      const aText = '第1项：已完成规划环评审查 12 件，完成年度计划的 60%。';
      const bText = '第2项：按期推进，已完成年度计划的一半，下一步开展督查。';
      const file = await xlsxWithEdits(
        compiled,
        new Map([
          [a.task.text, `${aText}（环评处）`],
          [b.task.text, `${bText}（环评处）`],
          [c.task.text, ''],
          // A row of a task 环评处 is not on: its cell is not this unit's to import.
          [notMine.task, '规财处在别处写的文字（规财处）'],
        ]),
      );

      const before = await stored(database);
      const preview = await upload(server, reporter, roundId, unitId, 'preview', '环评处回传.xlsx', file);
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      const view = preview.body as ReturnedTableView;
      assert.equal(view.mode, 'preview');
      assert.equal(view.format, 'xlsx');
      assert.equal(view.fileName, '环评处回传.xlsx');
      assert.deepEqual(view.submission, { state: 'returned', editable: true });
      assert.deepEqual(view.counts, {
        rows: compiled.table.rows.length,
        unchanged: items.length - 3,
        changed: 2,
        new: 0,
        cleared: 1,
        unmatched: 0,
        ignored: compiled.table.rows.length - items.length,
        missing: 0,
      });
      assert.deepEqual(
        view.items.filter((item) => item.change !== 'unchanged').map((item) => [item.taskId, item.change, item.after]),
        [
          [a.task.id, 'changed', aText],
          [b.task.id, 'changed', bText],
          [c.task.id, 'cleared', ''],
        ],
      );
      const changedB = view.items.find((item) => item.taskId === b.task.id)!;
      assert.equal(changedB.before, '第2项：按期推进，已完成年度计划的一半。');
      assert.deepEqual(
        changedB.segments.filter((s) => s.kind !== 'same').map((s) => [s.kind, s.text]),
        [['added', '，下一步开展督查']],
        'only the typed words are marked',
      );
      assert.deepEqual(
        view.items.map((item) => item.number),
        items.map((_, i) => i + 1),
        'every task of the unit, in to-do order',
      );
      assert.deepEqual(await stored(database), before, 'a preview stores nothing');

      // Someone saves task a in the editor after the preview: apply with the preview's versions is refused whole.
      const moved = await reporter.put(`/api/rounds/${roundId}/tasks/${a.task.id}/units/${unitId}/answer`, {
        text: '编辑器里刚改过',
        status: 'on_track',
        reason: null,
        version: a.answer.version + 1,
      });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      const afterEdit = await stored(database);
      const stale = await upload(server, reporter, roundId, unitId, 'apply', '环评处回传.xlsx', file, { expectedVersions: versionsOf(view) });
      assert.equal(stale.status, 409, JSON.stringify(stale.body));
      assert.equal(stale.body.error.code, 'returned_table_stale');
      assert.deepEqual(
        stale.body.error.details.tasks.map((t: { taskId: number }) => t.taskId),
        [a.task.id],
      );
      assert.match(stale.body.error.message, /第1项.*已被修改.*未导入/);
      assert.deepEqual(await stored(database), afterEdit, 'a stale apply writes nothing, not even task b');

      const again = (await upload(server, reporter, roundId, unitId, 'preview', '环评处回传.xlsx', file)).body as ReturnedTableView;
      assert.equal(again.items.find((item) => item.taskId === a.task.id)!.before, '编辑器里刚改过');
      const applied = await upload(server, reporter, roundId, unitId, 'apply', '环评处回传.xlsx', file, { expectedVersions: versionsOf(again) });
      assert.equal(applied.status, 200, JSON.stringify(applied.body));
      assert.equal(applied.body.mode, 'apply');
      assert.equal(applied.body.written, 2);

      const answers = await todoOf(reporter, roundId);
      const answerOf = (taskId: number) => answers.find((item) => item.task.id === taskId)!.answer;
      assert.equal(answerOf(a.task.id).text, aText);
      assert.equal(answerOf(a.task.id).status, 'on_track', 'the status chosen in the editor stays');
      assert.equal(answerOf(b.task.id).text, bText);
      assert.equal(answerOf(c.task.id).text, '第3项：按期推进，已完成年度计划的一半。', 'a cell emptied offline deletes nothing');
      const submission = await database.db
        .selectFrom('unit_submissions')
        .select('state')
        .where('round_id', '=', roundId)
        .where('unit_id', '=', unitId)
        .executeTakeFirstOrThrow();
      assert.equal(submission.state, 'returned', 'still the unit’s to review and submit');

      const audit = await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', 'in', ['answer.save', 'answers.import_returned'])
        .orderBy('id', 'desc')
        .limit(3)
        .execute();
      assert.deepEqual(audit.map((row) => row.action).sort(), ['answer.save', 'answer.save', 'answers.import_returned']);
      const importRow = audit.find((row) => row.action === 'answers.import_returned')!;
      assert.equal(importRow.actor_name, reporter.session.user.username);
      assert.equal(importRow.actor_display_name, reporter.session.user.displayName);
      assert.equal(importRow.object_id, `${roundId}/${unitId}`);
      assert.deepEqual(
        { ...JSON.parse(importRow.detail), contentHash: undefined },
        {
          fileName: '环评处回传.xlsx',
          format: 'xlsx',
          contentHash: undefined,
          written: 2,
          changed: 2,
          new: 0,
          unchanged: items.length - 3,
          cleared: 1,
          unmatched: 0,
          ignored: compiled.table.rows.length - items.length,
          missing: 0,
        },
      );
      for (const row of audit.filter((r) => r.action === 'answer.save')) assert.equal(JSON.parse(row.detail).source, 'returned_table');

      // The same file applied twice: everything is now unchanged, nothing is written.
      const afterApply = await stored(database);
      const twice = await upload(server, reporter, roundId, unitId, 'apply', '环评处回传.xlsx', file, { expectedVersions: versionsOf(again) });
      assert.equal(twice.status, 200, JSON.stringify(twice.body));
      assert.equal(twice.body.written, 0);
      assert.equal(twice.body.counts.changed, 0);
      assert.deepEqual(await stored(database), afterApply);
    } finally {
      await server.close();
    }
  });

  it('a Word table of a unit that has not started: unattributed text in a led task and attributed text in a co-task become drafts; unattributed text in a co-task is not taken; another unit sees only its own rows', async (database) => {
    const server = await createTestServer(database);
    try {
      const roundId = await openRound(server);
      const reporter = await server.as('guicai');
      const unitId = reporter.session.user.unit!.id;
      const items = await todoOf(reporter, roundId);
      const led = items.find((item) => item.task.role === 'lead')!;
      const co = items.filter((item) => item.task.role === 'co');
      assert.ok(co.length >= 2, 'the seed has 规财处 co-tasks');
      const compiled = await compiledRound(server, roundId);
      const ledText = '省级环保专项资金 3.2 亿元已下达，完成全年的 80%。';
      const coText = '配合完成生态补偿资金测算。';
      const file = await docxWithEdits(
        compiled,
        new Map([
          [led.task.text, ledText],
          [co[0]!.task.text, `${coText}（规财处）`],
          [co[1]!.task.text, '没有署名的一段文字'],
        ]),
      );

      const preview = await upload(server, reporter, roundId, unitId, 'preview', '规财处.docx', file);
      assert.equal(preview.status, 200, JSON.stringify(preview.body));
      const view = preview.body as ReturnedTableView;
      assert.equal(view.format, 'docx');
      assert.deepEqual(view.submission, { state: 'not_started', editable: true });
      assert.equal(view.counts.new, 2);
      assert.equal(view.counts.unchanged, items.length - 2);
      assert.equal(view.counts.ignored, compiled.table.rows.length - items.length);
      const itemOf = (taskId: number) => view.items.find((item) => item.taskId === taskId)!;
      assert.equal(itemOf(led.task.id).after, ledText);
      assert.match(itemOf(led.task.id).notes.join(' '), /没有署名.*牵头单位/);
      assert.equal(itemOf(co[0]!.task.id).after, coText);
      assert.equal(itemOf(co[1]!.task.id).change, 'unchanged');
      assert.match(itemOf(co[1]!.task.id).notes.join(' '), /配合单位，未归入.*（规财处）/);

      const applied = await upload(server, reporter, roundId, unitId, 'apply', '规财处.docx', file, { expectedVersions: versionsOf(view) });
      assert.equal(applied.status, 200, JSON.stringify(applied.body));
      assert.equal(applied.body.written, 2);
      assert.deepEqual(applied.body.submission, { state: 'draft', editable: true });
      const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
      assert.equal(todo.body.submission.state, 'draft', 'drafts, never submitted');
      const answerOf = (taskId: number) => todo.body.items.find((item: Item) => item.task.id === taskId).answer;
      assert.deepEqual([answerOf(led.task.id).text, answerOf(led.task.id).version, answerOf(led.task.id).status], [ledText, 1, null]);
      assert.equal(answerOf(co[0]!.task.id).text, coText);
      assert.equal(answerOf(co[1]!.task.id).text, '');

      // The same file uploaded by 环评处: only unattributed text of tasks 环评处 leads is its own; 规财处's signed text never is.
      const other = await server.as('huanping');
      const theirs = (await upload(server, other, roundId, other.session.user.unit!.id, 'preview', '规财处.docx', file)).body as ReturnedTableView;
      assert.equal(theirs.unit.name, '环评处');
      const ledByHuanping = [led, co[1]!].filter((item) => rowOf(compiled.table, item.task.text).units.split('、')[0] === '环评处').map((item) => item.task.id);
      assert.equal(ledByHuanping.length, 1, 'the seed: 环评处 leads one of the two edited tasks');
      assert.deepEqual(
        theirs.items.filter((item) => item.change !== 'unchanged').map((item) => item.taskId),
        theirs.items.map((item) => item.taskId).filter((id) => ledByHuanping.includes(id)),
      );
      assert.ok(!theirs.items.some((item) => item.after.includes(coText)));
      assert.equal(theirs.counts.ignored, compiled.table.rows.length - theirs.items.length);
    } finally {
      await server.close();
    }
  });

  it('refuses, storing nothing: a table of another round, a submitted unit, an over-long cell (naming the task), a renamed PDF, a zip bomb, an upload cut off, another unit, the office, a leader, no CSRF token, no versions, no upload', async (database) => {
    const server = await createTestServer(database);
    try {
      const roundId = await openRound(server);
      const reporter = await server.as('huanping');
      const unitId = reporter.session.user.unit!.id;
      const items = await todoOf(reporter, roundId);
      const compiled = await compiledRound(server, roundId);
      const good = await xlsxWithEdits(compiled, new Map([[items[0]!.task.text, '新的进展（环评处）']]));
      const before = await stored(database);
      const expect = async (
        response: { status: number; body: { error?: { code: string; message: string } } },
        status: number,
        code: string,
        message?: RegExp,
      ) => {
        assert.equal(response.status, status, JSON.stringify(response.body));
        assert.equal(response.body.error?.code, code);
        if (message) assert.match(response.body.error!.message, message);
        assert.deepEqual(await stored(database), before, `${code}: nothing stored changed`);
      };

      const lastQuarter = await compiledRound(server, server.roundId!);
      await expect(
        await upload(server, reporter, roundId, unitId, 'preview', '二季度.xlsx', await xlsxWithEdits(lastQuarter, new Map())),
        422,
        'returned_table_wrong_round',
        /二季度\.xlsx：这是“2017年第二季度”的调度表，不是本轮“2017年第三季度”的/,
      );

      const long = await xlsxWithEdits(compiled, new Map([[items[1]!.task.text, `${'长'.repeat(AnswerLimits.text.max + 1)}（环评处）`]]));
      for (const mode of ['preview', 'apply'])
        await expect(
          await upload(server, reporter, roundId, unitId, mode, '超长.xlsx', long, { expectedVersions: '{}' }),
          422,
          'returned_table_answer_too_long',
          /超长\.xlsx：第2项任务“.+”的推进情况有 20001 字，超过 20000 字/,
        );

      await expect(
        await upload(server, reporter, roundId, unitId, 'preview', '回传.xlsx', new TextEncoder().encode('%PDF-1.7\n1 0 obj\n')),
        422,
        'import_pdf_unsupported',
        /回传\.xlsx：这是 PDF 文件/,
      );
      const bomb = zipOf([{ name: 'xl/workbook.xml', data: '<workbook/>', declaredSize: 300 * 1024 * 1024 }]);
      await expect(
        await upload(server, reporter, roundId, unitId, 'apply', 'bomb.xlsx', bomb, { expectedVersions: '{}' }),
        422,
        'import_zip_too_large',
        /bomb\.xlsx/,
      );

      for (const username of ['guicai', 'office', 'leader']) {
        const someone = await server.as(username);
        for (const mode of ['preview', 'apply'])
          await expect(await upload(server, someone, roundId, unitId, mode, '回传.xlsx', good, { expectedVersions: '{}' }), 403, 'forbidden');
      }
      await expect(await upload(server, reporter, roundId, unitId, 'apply', '回传.xlsx', good, {}, { 'x-csrf-token': 'wrong' }), 403, 'csrf_failed');
      await expect(await upload(server, reporter, roundId, unitId, 'apply', '回传.xlsx', good), 422, 'returned_table_versions_invalid', /expectedVersions/);
      await expect(
        await upload(server, reporter, roundId, unitId, 'apply', '回传.xlsx', good, { expectedVersions: '{"x":1}' }),
        422,
        'returned_table_versions_invalid',
      );
      const whole = multipartBody('回传.xlsx', good, { expectedVersions: '{}' });
      const cut = await server.app.inject({
        method: 'POST',
        url: `/api/rounds/${roundId}/units/${unitId}/returned-table?mode=apply`,
        headers: { cookie: reporter.cookie, 'x-csrf-token': reporter.session.csrfToken, 'content-type': `multipart/form-data; boundary=${RETURNED_BOUNDARY}` },
        payload: whole.subarray(0, whole.length >> 1),
      });
      await expect({ status: cut.statusCode, body: cut.json() }, 422, 'returned_table_upload_incomplete', /回传\.xlsx：上传不完整/);
      const notUpload = await reporter.post(`/api/rounds/${roundId}/units/${unitId}/returned-table?mode=preview`, {});
      await expect(notUpload, 422, 'returned_table_upload_not_multipart');
      await expect(await upload(server, reporter, 999_999, unitId, 'preview', '回传.xlsx', good), 404, 'round_not_found');

      // Submitted: the preview still shows the differences, apply is refused whole.
      await answerAllAndSubmit(reporter, roundId, items);
      const submitted = await stored(database);
      const preview = (await upload(server, reporter, roundId, unitId, 'preview', '回传.xlsx', good)).body as ReturnedTableView;
      assert.deepEqual(preview.submission, { state: 'submitted', editable: false });
      assert.match(preview.notes.join(' '), /已提交，只能预览/);
      const refused = await upload(server, reporter, roundId, unitId, 'apply', '回传.xlsx', good, { expectedVersions: versionsOf(preview) });
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'submission_not_editable');
      assert.match(refused.body.error.message, /环评处在“2017年第三季度”的填报已提交，回传表未导入/);
      assert.deepEqual(await stored(database), submitted);
    } finally {
      await server.close();
    }
  });
});

forEachEngine('returned table racing a submit', (it, engine) => {
  // SQLite runs one write transaction at a time; PostgreSQL is where an apply and a submit interleave.
  if (engine !== 'postgres') return;
  it('an apply that meets a submit committed under it is refused whole: the answers stay as submitted', async (database) => {
    const server = await createTestServer(database);
    try {
      const roundId = await openRound(server);
      const reporter = await server.as('huanping');
      const unitId = reporter.session.user.unit!.id;
      const items = await todoOf(reporter, roundId);
      const compiled = await compiledRound(server, roundId);
      const file = await xlsxWithEdits(compiled, new Map([[items[0]!.task.text, '离线写的进展（环评处）']]));
      const view = (await upload(server, reporter, roundId, unitId, 'preview', '回传.xlsx', file)).body as ReturnedTableView;
      assert.equal(view.counts.new, 1);

      // Another session's submit holds the submission row, not yet committed.
      const submit = await database.db.startTransaction().execute();
      await submit
        .updateTable('unit_submissions')
        .set((eb) => ({ state: 'submitted', version: eb('version', '+', 1) }))
        .where('round_id', '=', roundId)
        .where('unit_id', '=', unitId)
        .execute();
      const submitPid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(submit)).rows[0]!.pid;
      const before = await stored(database);
      const applying = upload(server, reporter, roundId, unitId, 'apply', '回传.xlsx', file, { expectedVersions: versionsOf(view) });
      // Wait until the apply is blocked on that row (it read the submission as not started): a session
      // the submit blocks, not any lock wait in the database, which other test processes share.
      for (let waited = 0; ; waited++) {
        const rows = await sql<{ n: string }>`select count(*) as n from pg_stat_activity where ${submitPid} = any(pg_blocking_pids(pid))`.execute(database.db);
        if (Number(rows.rows[0]!.n) > 0) break;
        assert.ok(waited < 600, 'the apply never waited for the submission row');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await submit.commit().execute();
      const refused = await applying;
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'submission_not_editable');
      assert.match(refused.body.error.message, /填报状态刚被更改/);
      const after = await stored(database);
      assert.deepEqual(after.answers, before.answers, 'the answer written inside the refused apply was rolled back');
      assert.equal(after.submissions.find((s) => s.round_id === roundId && s.unit_id === unitId)!.state, 'submitted');
    } finally {
      await server.close();
    }
  });
});
