import assert from 'node:assert/strict';
import { csvCell } from '../../src/server/services/audit.service.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer, type TestServer } from '../support/test-server.ts';

/**
 * The audit admin's API (三员分立: only audit_admin reads the log): filters, paging, an
 * allowlisted sort, the CSV export (formula injection defused, itself audited, rate limited
 * per user), and that each audited row carries time, user, IP, action, object and result.
 */

/**
 * A signed-in client; an admin account that must first enrol its second factor (decision 010)
 * enrols here with a code computed from the secret, as an authenticator app would.
 */
const auditor = (server: TestServer) => server.as('auditor');

forEachEngine('audit API', (it) => {
  it('lets only the audit admin read or export the log; every other role gets 403, and the refusal is audited', async (database) => {
    const server = await createTestServer(database);
    try {
      const reader = await auditor(server);
      assert.equal((await reader.get('/api/audit')).status, 200);
      for (const username of ['office', 'leader', 'huanping', 'huanping-head', 'sysadmin', 'secadmin', 'supervisor']) {
        const client = await server.as(username);
        for (const path of ['/api/audit', '/api/audit/vocabulary', '/api/audit/export']) {
          const response = await client.get(path);
          assert.equal(response.status, 403, `${username} ${path}`);
          assert.equal(response.body.error.code, 'forbidden_role');
        }
      }
      assert.equal((await server.anonymous().get('/api/audit')).status, 401);
      const denied = await reader.get('/api/audit?action=access.denied&pageSize=200');
      assert.ok(denied.body.events.some((e: { actor: string; objectId: string }) => e.actor === 'sysadmin' && e.objectId === '/api/audit/export'));
    } finally {
      await server.close();
    }
  });

  it('records time, user, IP, action, object and result for logins, failures and business changes', async (database) => {
    const server = await createTestServer(database);
    try {
      await server.anonymous().post('/api/auth/login', { username: 'office', password: 'wrong-password-1' });
      const office = await server.as('office');
      const opened = await office.post(`/api/plans/${server.planId}/rounds`, { label: '审计测试轮次', deadline: '2099-01-01' });
      assert.equal(opened.status, 201);
      const reader = await auditor(server);

      const failures = (await reader.get('/api/audit?action=auth.login&result=failure')).body;
      assert.ok(failures.total >= 1);
      assert.equal(failures.events[0].ip, '127.0.0.1');

      const open = (await reader.get('/api/audit?action=round.open')).body;
      assert.equal(open.total, 1);
      const row = open.events[0];
      assert.equal(row.userId, office.session.user.id);
      assert.equal(row.username, 'office');
      assert.equal(row.objectType, 'round');
      assert.equal(row.objectId, String(opened.body.id));
      assert.equal(row.ip, '127.0.0.1');
      assert.ok(row.result.length > 0);
      assert.ok(!Number.isNaN(Date.parse(row.at)));
      assert.match(row.hash, /^[0-9a-f]{64}$/);
    } finally {
      await server.close();
    }
  });

  it('filters by time, user, action, object and result, pages, and sorts only by allowed columns', async (database) => {
    const server = await createTestServer(database);
    try {
      await server.as('office');
      await server.as('leader');
      const reader = await auditor(server);

      const logins = (await reader.get('/api/audit?action=auth.login&result=success&sort=at&order=asc')).body;
      assert.ok(logins.total >= 3);
      assert.ok(logins.events.every((e: { action: string; result: string }) => e.action === 'auth.login' && e.result === 'success'));
      const times = logins.events.map((e: { at: string }) => e.at);
      assert.deepEqual(times, [...times].sort());

      const byUser = (await reader.get('/api/audit?user=LEAD')).body;
      assert.ok(byUser.total >= 1);
      assert.ok(byUser.events.every((e: { actor: string }) => e.actor.includes('leader')));
      // % is a letter in the user filter, not a wildcard.
      assert.equal((await reader.get('/api/audit?user=%25')).body.total, 0);

      const onePage = (await reader.get('/api/audit?pageSize=2&page=2&sort=id&order=asc')).body;
      assert.equal(onePage.events.length, 2);
      assert.equal(onePage.page, 2);
      const all = (await reader.get('/api/audit?pageSize=200&sort=id&order=asc')).body;
      assert.deepEqual(
        onePage.events.map((e: { id: number }) => e.id),
        all.events.slice(2, 4).map((e: { id: number }) => e.id),
      );

      const future = (await reader.get(`/api/audit?from=${encodeURIComponent('2099-01-01T00:00:00Z')}`)).body;
      assert.equal(future.total, 0);
      const past = (await reader.get(`/api/audit?to=${encodeURIComponent('2000-01-01T00:00:00+08:00')}`)).body;
      assert.equal(past.total, 0);

      const objects = (await reader.get(`/api/audit?objectType=plan&objectId=${server.planId}`)).body;
      assert.ok(objects.total >= 1);

      for (const bad of ['sort=detail', 'sort=id;drop table audit_events', 'order=sideways', 'from=yesterday', 'pageSize=1000']) {
        const response = await reader.get(`/api/audit?${bad}`);
        assert.equal(response.status, 400, bad);
        assert.equal(response.body.error.code, 'validation_failed');
      }

      const vocabulary = (await reader.get('/api/audit/vocabulary')).body;
      assert.ok(vocabulary.actions.includes('auth.login'));
      assert.ok(vocabulary.results.includes('success'));
    } finally {
      await server.close();
    }
  });

  it('exports CSV with formula starts defused, audits the export, and limits exports per user (429)', async (database) => {
    const server = await createTestServer(database, { config: { exports: { perMinute: 3, timeoutMs: 300_000, soffice: null } } });
    try {
      // Attacker-chosen text lands in the log: an unknown user name is recorded as typed.
      for (const username of ["=cmd|' /C calc'!A0", '+1+1', '@SUM(1)', '＝1', '-2'])
        await server.anonymous().post('/api/auth/login', { username, password: 'whatever-1A' });
      const reader = await auditor(server);
      const response = await reader.get('/api/audit/export?action=auth.login');
      assert.equal(response.status, 200);
      assert.match(String(response.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(String(response.headers['content-disposition']), /filename\*=UTF-8''/);
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.ok(response.text.startsWith('\uFEFF"编号","时间(UTC)","用户"'), response.text.slice(0, 40));
      const cells = response.text.split(/[\r\n,]+/);
      for (const cell of cells) assert.doesNotMatch(cell, /^"[=+\-@＝＋－＠\t]/, `no cell starts a formula: ${cell}`);
      assert.ok(response.text.includes(`"'=cmd|' /c calc'!a0"`), 'the text is kept (as the login form lower-cased it), prefixed');

      const exports = (await reader.get('/api/audit?action=audit.export')).body;
      assert.equal(exports.total, 1);
      assert.equal(exports.events[0].actor, 'auditor');

      assert.equal((await reader.get('/api/audit/export')).status, 200);
      assert.equal((await reader.get('/api/audit/export')).status, 200);
      const limited = await reader.get('/api/audit/export');
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error.code, 'export_too_often');
      assert.match(limited.body.error.message, /每人每分钟最多导出 3 次/);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      // The list is not an export: still answered.
      assert.equal((await reader.get('/api/audit')).status, 200);
    } finally {
      await server.close();
    }
  });
});

forEachEngine('audit CSV cells', (it) => {
  it('prefix formula starts with an apostrophe, quote every cell and drop control characters', async () => {
    assert.equal(csvCell('=1+1'), `"'=1+1"`);
    assert.equal(csvCell('@SUM(1)'), `"'@SUM(1)"`);
    assert.equal(csvCell('＝1'), `"'＝1"`);
    assert.equal(csvCell('\tx'), `"'\tx"`);
    assert.equal(csvCell('他说"好"'), '"他说""好"""');
    assert.equal(csvCell('a\u000bb'), '"ab"');
    assert.equal(csvCell('正常'), '"正常"');
  });
});
