import assert from 'node:assert/strict';
import { PROGRESS_STATUSES } from '../../src/domain/limits.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, testClock, type SignedInClient, type TestServer } from '../support/test-server.ts';

/**
 * Bad input found by probing the API (issue 12), over the real HTTP app: each answered wrongly
 * before (a 500, a stored impossible date, a silently dropped field, a refused empty action, a
 * "too long" number, ids in any spelling, a locked account told nothing, raw UTC in messages).
 */

type Opened = { office: SignedInClient; reporter: SignedInClient; roundId: number; unitId: number; taskIds: number[]; answerPath: (taskId: number) => string };

async function openRound(server: TestServer, body: Record<string, unknown> = {}): Promise<Opened> {
  const office = await server.as('office');
  const reporter = await server.as('huanping');
  const opened = await office.post(`/api/plans/${server.planId}/rounds`, {
    label: '2017年第三季度',
    periodStart: '2017-07-01',
    periodEnd: '2017-09-30',
    deadline: '2099-10-10',
    note: null,
    ...body,
  });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const roundId = opened.body.id as number;
  const unitId = reporter.session.user.unit!.id;
  const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
  const taskIds = (todo.body.items as { task: { id: number } }[]).map((item) => item.task.id);
  return { office, reporter, roundId, unitId, taskIds, answerPath: (taskId) => `/api/rounds/${roundId}/tasks/${taskId}/units/${unitId}/answer` };
}

/** json-body.ts MAX_BODY_DEPTH, stated here so the test reads alone (and runs against older code). */
const MAX_BODY_DEPTH = 64;

/** The fields an error names (`body.deadline`, `params.roundId` …). */
const fieldsOf = (body: { error: { details?: { issues?: { field: string }[] } } }) => (body.error.details?.issues ?? []).map((issue) => issue.field);

/** Words of three or more Latin letters in a message, once the field paths it names are taken out. */
const englishIn = (message: string, fields: string[] = []) => fields.reduce((text, field) => text.split(field).join(''), message).match(/[A-Za-z]{3,}/g) ?? [];

forEachEngine('API strictness (issue 12 bad input)', (it) => {
  it('a body nested 10,000 levels deep around a surrogate pair, and 100,000 levels deep, is 400 in Chinese, not a stack overflow', async (database) => {
    const server = await createTestServer(database);
    try {
      const { reporter, taskIds, answerPath } = await openRound(server);
      const path = answerPath(taskIds[0]!);
      for (const [depth, inner] of [
        [10_000, '"\\ud83d\\ude00"'],
        [100_000, '1'],
      ] as const) {
        const nested = '['.repeat(depth) + inner + ']'.repeat(depth);
        const response = await reporter.put(path, nested);
        assert.equal(response.status, 400, `${depth}: ${response.text.slice(0, 200)}`);
        assert.equal(response.body.error.code, 'body_too_deep');
        assert.equal(response.body.error.message, `提交的内容嵌套层级过深（超过 ${MAX_BODY_DEPTH} 层），未保存`);
      }
      const objects = '{"text":'.repeat(100_000) + '"x"' + '}'.repeat(100_000);
      assert.equal((await reporter.put(path, objects)).body.error.code, 'body_too_deep');
      // Lone surrogates are still found, now without recursion, at any depth up to the cap.
      const lone = await reporter.put(
        path,
        `{"text":"好","status":null,"reason":null,"version":0,"x":${'['.repeat(MAX_BODY_DEPTH - 2)}"\\ud800"${']'.repeat(MAX_BODY_DEPTH - 2)}}`,
      );
      assert.equal(lone.status, 400);
      assert.equal(lone.body.error.code, 'lone_surrogate');
      assert.equal(lone.body.error.details.field, `body.x${'.0'.repeat(MAX_BODY_DEPTH - 2)}`);
      assert.equal(
        (await reporter.put(path, { text: '正常的😀', status: 'on_track', reason: null, version: 0 })).status,
        200,
        'a well-formed body still saves',
      );
    } finally {
      await server.close();
    }
  });

  it('impossible dates are 400 naming the field in every route with a date, and nothing is stored; typed forms are read', async (database) => {
    const server = await createTestServer(database);
    try {
      const { office, roundId } = await openRound(server);
      const before = (await office.get(`/api/rounds/${roundId}`)).body;
      for (const bad of ['2017-13-45', '2017-02-30', '0000-00-00', '2017-02-30T10:00:00+08:00', '2017-13-01T00:00:00Z', 'soon']) {
        const patched = await office.patch(`/api/rounds/${roundId}`, { deadline: bad });
        assert.equal(patched.status, 400, `${bad}: ${patched.text}`);
        assert.deepEqual(fieldsOf(patched.body), ['body.deadline'], bad);
        assert.match(patched.body.error.message, /body\.deadline/);
        assert.deepEqual(
          englishIn(patched.body.error.message, ['body.deadline', bad]).filter((word) => word !== 'ISO'),
          [],
          patched.body.error.message,
        );
      }
      assert.deepEqual((await office.get(`/api/rounds/${roundId}`)).body, before, 'the round is unchanged');

      for (const field of ['periodStart', 'periodEnd', 'deadline'] as const) {
        const refused = await office.post(`/api/plans/${server.planId}/rounds`, { label: `坏日期 ${field}`, [field]: '2017-02-30' });
        assert.equal(refused.status, 400, refused.text);
        assert.deepEqual(fieldsOf(refused.body), [`body.${field}`]);
      }
      const rounds = (await office.get(`/api/plans/${server.planId}/rounds`)).body as { label: string }[];
      assert.ok(!rounds.some((round) => round.label.startsWith('坏日期')), 'no round opened with a bad date');

      // The forms people type are stored as the calendar day; a day-only deadline ends that day in the department.
      const typed = await office.post(`/api/plans/${server.planId}/rounds`, {
        label: '2017年第四季度',
        periodStart: '2017年10月1日',
        periodEnd: '２０１７／１２／３１',
        deadline: '2099/1/5',
      });
      assert.equal(typed.status, 201, typed.text);
      assert.deepEqual([typed.body.periodStart, typed.body.periodEnd, typed.body.deadline], ['2017-10-01', '2017-12-31', '2099-01-05T23:59:59+08:00']);
      const moved = await office.patch(`/api/rounds/${typed.body.id}`, { deadline: '2099年2月28日' });
      assert.equal(moved.body.deadline, '2099-02-28T23:59:59+08:00');
      assert.equal((await office.patch(`/api/rounds/${typed.body.id}`, { deadline: '2099-02-29' })).status, 400, '2099 is no leap year');

      // The notice's two dates.
      const notice = (await office.get(`/api/rounds/${roundId}/notice`)).body.notice;
      const badNotice = await office.put(`/api/rounds/${roundId}/notice`, { notice: { ...notice, date: '2017-02-30' }, version: 0 });
      assert.deepEqual([badNotice.status, fieldsOf(badNotice.body)], [400, ['body.notice.date']]);
      const badPrinted = await office.put(`/api/rounds/${roundId}/notice`, {
        notice: { ...notice, printed: { by: '办公室', date: '0000-00-00' } },
        version: 0,
      });
      assert.deepEqual([badPrinted.status, fieldsOf(badPrinted.body)], [400, ['body.notice.printed.date']]);
      const saved = await office.put(`/api/rounds/${roundId}/notice`, {
        notice: { ...notice, date: '2017年10月16日', printed: { by: '办公室', date: '2017/10/17' } },
        version: 0,
      });
      assert.equal(saved.status, 200, saved.text);
      assert.deepEqual([saved.body.notice.date, saved.body.notice.printed.date], ['2017-10-16', '2017-10-17']);

      // The audit filter's instants (query string).
      const auditor = await server.as('auditor');
      const audit = await auditor.get(`/api/audit?from=${encodeURIComponent('2017-02-30T00:00:00Z')}`);
      assert.deepEqual([audit.status, fieldsOf(audit.body)], [400, ['querystring.from']]);
      assert.equal((await auditor.get(`/api/audit?from=${encodeURIComponent('2017-02-28T00:00:00Z')}`)).status, 200);
    } finally {
      await server.close();
    }
  });

  it('a field the route does not know is refused naming it (bodies, nested objects, bodiless actions, query strings); nothing is saved', async (database) => {
    const server = await createTestServer(database);
    try {
      const { office, reporter, roundId, unitId, taskIds, answerPath } = await openRound(server);
      const path = answerPath(taskIds[0]!);
      const typo = await reporter.put(path, { text: '已完成。', stauts: 'completed', version: 0 });
      assert.equal(typo.status, 400, typo.text);
      assert.equal(typo.body.error.code, 'validation_failed');
      assert.deepEqual(fieldsOf(typo.body), ['body.stauts']);
      assert.match(typo.body.error.message, /body\.stauts/);
      const todo = await reporter.get(`/api/rounds/${roundId}/units/${unitId}/todo`);
      assert.deepEqual([todo.body.items[0].answer.text, todo.body.items[0].answer.version], ['', 0], 'nothing saved');

      const notice = (await office.get(`/api/rounds/${roundId}/notice`)).body.notice;
      const nested = await office.put(`/api/rounds/${roundId}/notice`, { notice: { ...notice, contact: { ...notice.contact, fax: '028-1' } }, version: 0 });
      assert.deepEqual([nested.status, fieldsOf(nested.body)], [400, ['body.notice.contact.fax']]);

      const close = await office.post(`/api/rounds/${roundId}/close`, { force: true });
      assert.deepEqual([close.status, fieldsOf(close.body)], [400, ['body.force']]);
      assert.equal((await office.get(`/api/rounds/${roundId}`)).body.status, 'open', 'not closed');
      const submit = await reporter.post(`/api/rounds/${roundId}/units/${unitId}/submit`, { urgent: true });
      assert.deepEqual([submit.status, fieldsOf(submit.body)], [400, ['body.urgent']]);
      // A comment is read only where it is used (return, reopen): elsewhere it would be dropped unread.
      for (const action of ['submit', 'approve', 'accept', 'approve-for-head']) {
        const commented = await office.post(`/api/rounds/${roundId}/units/${unitId}/${action}`, { comment: '请尽快' });
        assert.deepEqual([commented.status, fieldsOf(commented.body)], [400, ['body.comment']], action);
      }

      // Uploads (multipart): a text field the route does not read is refused by name, like a JSON field.
      const boundary = '----diaodu-strict';
      const part = (headers: string, body: string) => `--${boundary}\r\n${headers}\r\n\r\n${body}\r\n`;
      const form = (extra: string) =>
        Buffer.from(
          `${extra}${part('Content-Disposition: form-data; name="file"; filename="a.docx"\r\nContent-Type: application/octet-stream', 'PK')}--${boundary}--\r\n`,
        );
      const upload = (url: string, extra: string) =>
        server.app.inject({
          method: 'POST',
          url,
          headers: { cookie: office.cookie, 'x-csrf-token': office.session.csrfToken, 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload: form(extra),
        });
      const withField = await upload('/api/imports?dryRun=1', part('Content-Disposition: form-data; name="dryrun"', '1'));
      assert.equal(withField.statusCode, 400, withField.body);
      assert.deepEqual(fieldsOf(JSON.parse(withField.body)), ['body.dryrun']);
      const misspeltQuery = await upload('/api/imports?dryrun=1', '');
      assert.deepEqual([misspeltQuery.statusCode, fieldsOf(JSON.parse(misspeltQuery.body))], [400, ['querystring.dryrun']]);
      const returned = await server.app.inject({
        method: 'POST',
        url: `/api/rounds/${roundId}/units/${unitId}/returned-table?mode=apply`,
        headers: { cookie: reporter.cookie, 'x-csrf-token': reporter.session.csrfToken, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: form(part('Content-Disposition: form-data; name="expectedVersion"', '{}')),
      });
      assert.deepEqual([returned.statusCode, fieldsOf(JSON.parse(returned.body))], [400, ['body.expectedVersion']]);

      // Query strings: a misspelt filter would otherwise show everything as if filtered.
      const search = await office.get(`/api/search?q=${encodeURIComponent('环评')}&planid=1`);
      assert.deepEqual([search.status, fieldsOf(search.body)], [400, ['querystring.planid']]);
      assert.equal((await office.get(`/api/search?q=${encodeURIComponent('环评')}&planId=${server.planId}`)).status, 200);
    } finally {
      await server.close();
    }
  });

  it('a POST action without a body (empty JSON, or no content type at all) is accepted when its fields are optional', async (database) => {
    const server = await createTestServer(database);
    try {
      const { office, reporter, roundId, unitId, taskIds, answerPath } = await openRound(server);
      for (const taskId of taskIds)
        assert.equal((await reporter.put(answerPath(taskId), { text: '按期推进。', status: 'on_track', reason: null, version: 0 })).status, 200);
      const reminded = await office.request('POST', `/api/rounds/${roundId}/units/${unitId}/reminders`);
      assert.equal(reminded.status, 201, reminded.text);
      const submitted = await reporter.request('POST', `/api/rounds/${roundId}/units/${unitId}/submit`, '', { 'content-type': 'application/json' });
      assert.equal(submitted.status, 200, submitted.text);
      assert.equal(submitted.body.state, 'submitted');
      const accepted = await office.request('POST', `/api/rounds/${roundId}/units/${unitId}/accept`);
      assert.equal(accepted.status, 200, accepted.text);
      assert.equal(accepted.body.state, 'accepted');
      // A route that needs fields names the missing one, instead of "expected object, received null".
      const empty = await reporter.request('PUT', answerPath(taskIds[0]!), '', { 'content-type': 'application/json' });
      assert.equal(empty.status, 400);
      assert.deepEqual(fieldsOf(empty.body), ['body.text']);
      assert.equal(empty.body.error.details.issues[0].message, '必填');
    } finally {
      await server.close();
    }
  });

  it('a huge version is 400 naming body.version, not "内容超过长度上限"', async (database) => {
    const server = await createTestServer(database);
    try {
      const { reporter, office, roundId, taskIds, answerPath } = await openRound(server);
      for (const version of ['1e308', '99999999999999999999', '9007199254740992', '-1', '1.5']) {
        const response = await reporter.put(answerPath(taskIds[0]!), `{"text":"好","status":null,"reason":null,"version":${version}}`);
        assert.equal(response.status, 400, `${version}: ${response.text}`);
        assert.equal(response.body.error.code, 'validation_failed');
        assert.deepEqual([...new Set(fieldsOf(response.body))], ['body.version'], version);
      }
      const notice = (await office.get(`/api/rounds/${roundId}/notice`)).body.notice;
      const noticeVersion = await office.put(`/api/rounds/${roundId}/notice`, `{"notice":${JSON.stringify(notice)},"version":1e308}`);
      assert.deepEqual([noticeVersion.status, [...new Set(fieldsOf(noticeVersion.body))]], [400, ['body.version']]);
    } finally {
      await server.close();
    }
  });

  it('path and query ids are read only in their canonical decimal form', async (database) => {
    const server = await createTestServer(database);
    try {
      const { office, roundId } = await openRound(server);
      assert.equal((await office.get(`/api/rounds/${roundId}`)).status, 200);
      const spellings = [
        `0x${roundId.toString(16)}`,
        `${roundId}e0`,
        `%20${roundId}`,
        `%2B${roundId}`,
        `0${roundId}`,
        `${roundId}.0`,
        '0',
        '-1',
        '9007199254740993',
        '1e1',
      ];
      for (const spelling of spellings) {
        const response = await office.get(`/api/rounds/${spelling}`);
        assert.equal(response.status, 400, `${spelling}: ${response.text}`);
        assert.deepEqual(fieldsOf(response.body), ['params.roundId'], spelling);
      }
      const tree = await office.get(`/api/plans/${server.planId}/tree?roundId=0x${roundId.toString(16)}`);
      assert.deepEqual([tree.status, fieldsOf(tree.body)], [400, ['querystring.roundId']]);
      const auditor = await server.as('auditor');
      assert.deepEqual(fieldsOf((await auditor.get('/api/audit?page=0x2')).body), ['querystring.page']);
    } finally {
      await server.close();
    }
  });

  it('times in server messages are on the department clock (DIAODU_TIME_ZONE) as 2017年10月16日 17:00, and a deadline day ends at its midnight', async (database) => {
    const server = await createTestServer(database);
    try {
      const { office, roundId, unitId } = await openRound(server, { deadline: '2099-10-16T09:00:00Z' });
      assert.equal((await office.post(`/api/rounds/${roundId}/units/${unitId}/reminders`, {})).status, 201);
      const reporter = await server.as('huanping');
      const reminder = ((await reporter.get('/api/notifications')).body as { kind: string; message: string }[]).find((row) => row.kind === 'reminder');
      assert.equal(reminder?.message, '请于 2099年10月16日 17:00 前完成“2017年第三季度”推进情况填报并提交。');
    } finally {
      await server.close();
    }
    // Another department clock: Ürümqi (UTC+6).
    const urumqi = await createTestServer(database, { config: { timeZone: 'Asia/Urumqi' } });
    try {
      const office = await urumqi.as('office');
      const opened = await office.post(`/api/plans/${urumqi.planId}/rounds`, { label: '乌鲁木齐时间', deadline: '2099-10-16' });
      assert.equal(opened.body.deadline, '2099-10-16T23:59:59+06:00');
      const unitId = (await urumqi.as('huanping')).session.user.unit!.id;
      assert.equal((await office.post(`/api/rounds/${opened.body.id}/units/${unitId}/reminders`, {})).status, 201);
      const messages = ((await (await urumqi.as('huanping')).get('/api/notifications')).body as { roundId: number; message: string }[]).filter(
        (row) => row.roundId === opened.body.id,
      );
      assert.deepEqual(
        messages.map((row) => row.message).sort(),
        ['办公室发起了调度“乌鲁木齐时间”，请于2099年10月16日 23:59前填报并提交。', '请于 2099年10月16日 23:59 前完成“乌鲁木齐时间”推进情况填报并提交。'].sort(),
      );
    } finally {
      await urumqi.close();
    }
  });

  it('a locked account says until when in the department time zone, the same to a right and a wrong password', async (database) => {
    const clock = testClock('2026-03-02T08:00:00.000Z');
    const server = await createTestServer(database, { now: clock, config: { timeZone: 'Asia/Urumqi' } });
    try {
      const anonymous = server.anonymous();
      for (let attempt = 1; attempt <= 5; attempt += 1) await anonymous.post('/api/auth/login', { username: 'shuichu', password: `Wrong@${attempt}` });
      const wrong = await anonymous.post('/api/auth/login', { username: 'shuichu', password: 'Wrong@9' });
      const right = await anonymous.post('/api/auth/login', { username: 'shuichu', password: 'Diaodu@2017' });
      assert.equal(right.status, 422);
      assert.equal(right.body.error.code, 'account_locked');
      assert.equal(right.body.error.message, '该账户因连续多次登录失败已被锁定，请于 2026年3月2日 14:30 后再登录，或请系统管理员解锁');
      assert.deepEqual(wrong.body, right.body, 'the answer does not tell a right password from a wrong one');
    } finally {
      await server.close();
    }
  });

  it('refusals carry no English: zod, framework and policy messages are Chinese, codes unchanged', async (database) => {
    const server = await createTestServer(database);
    try {
      const { reporter, roundId, taskIds, answerPath } = await openRound(server);
      const wrongType = await reporter.put(answerPath(taskIds[0]!), { text: 42, status: 'later', reason: null, version: 0 });
      assert.equal(wrongType.body.error.code, 'validation_failed');
      const [textIssue, statusIssue] = wrongType.body.error.details.issues as { field: string; message: string }[];
      assert.deepEqual(textIssue, { field: 'body.text', message: '应为文字' });
      assert.deepEqual(statusIssue, { field: 'body.status', message: `应为以下之一：${PROGRESS_STATUSES.join('、')}` });

      const malformed = await reporter.put(answerPath(taskIds[0]!), '{"text":');
      assert.deepEqual([malformed.status, malformed.body.error.code], [400, 'bad_request']);
      assert.equal(malformed.body.error.message, '提交的内容不是有效的 JSON，未保存');
      const xml = await reporter.put(answerPath(taskIds[0]!), '<text/>', { 'content-type': 'application/xml' });
      assert.deepEqual([xml.status, xml.body.error.code], [415, 'unsupported_media_type']);
      assert.deepEqual(englishIn(xml.body.error.message, ['JSON']), []);

      // Every kind of refusal the policies make: a role, an admin function, another unit's data read and written.
      const { office, unitId } = await openRound(server, { label: '2017年第四季度' });
      const guicai = await server.as('guicai');
      const refusals = [
        await reporter.post(`/api/rounds/${roundId}/close`),
        await office.get('/api/admin/accounts'),
        await office.get('/api/admin/password-policy'),
        await guicai.get(`/api/rounds/${roundId}/units/${unitId}/todo`),
        await guicai.put(answerPath(taskIds[0]!), { text: '别的处写的', status: null, reason: null, version: 0 }),
      ];
      for (const denied of refusals) {
        assert.equal(denied.status, 403, denied.text);
        assert.deepEqual(englishIn(denied.body.error.message), [], denied.body.error.message);
      }
      const missing = await reporter.get('/api/nothing-here');
      assert.deepEqual(englishIn(missing.body.error.message), []);
    } finally {
      await server.close();
    }
  });
});
