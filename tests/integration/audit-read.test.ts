import assert from 'node:assert/strict';
import { systemActor } from '../../src/domain/actor.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

/**
 * 等保 8.1.5.2 a: the audit admin's own operations are audited. Each query of the log
 * (GET /api/audit) writes an `audit.read` row saying who looked, from where, and at what
 * (the filter, sort and page, how many rows matched); decision 009, "Reading the log".
 */

type Row = {
  id: number;
  actor: string;
  userId: number | null;
  ip: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  result: string;
  detail: Record<string, unknown>;
};

forEachEngine('reading the audit log is audited', (it) => {
  it('each query of the log writes audit.read with who, where and the filter, after the page it read; a refused read writes access.denied only; the chain still verifies', async (database) => {
    const server = await createTestServer(database);
    try {
      const auditor = await server.as('auditor');
      const office = await server.as('office');
      const reads = async () => (await database.db.selectFrom('audit_events').select('id').where('action', '=', 'audit.read').execute()).length;
      assert.equal(await reads(), 0, 'nothing read yet');

      const first = await auditor.get('/api/audit?action=auth.login&result=success&sort=at&order=asc&page=1&pageSize=5');
      assert.equal(first.status, 200, first.text);
      assert.ok(!first.body.events.some((event: Row) => event.action === 'audit.read'), 'a query is not on the page it reads');
      assert.equal(await reads(), 1);

      const mine = await auditor.get('/api/audit?action=audit.read');
      assert.equal(mine.status, 200, mine.text);
      assert.equal(mine.body.total, 1, 'the second query sees the first, not itself');
      const row: Row = mine.body.events[0];
      assert.equal(row.actor, auditor.session.user.username);
      assert.equal(row.userId, auditor.session.user.id);
      assert.equal(row.ip, '127.0.0.1');
      assert.equal(row.objectType, 'audit_log');
      assert.equal(row.objectId, null);
      assert.equal(row.result, 'success');
      assert.deepEqual(row.detail, {
        filter: { action: 'auth.login', result: 'success' },
        sort: 'at',
        order: 'asc',
        page: 1,
        pageSize: 5,
        total: first.body.total,
        shown: first.body.events.length,
      });
      assert.equal(await reads(), 2);

      // A refused reader is audited as every 403 is, and reads nothing: no audit.read.
      const refused = await office.get('/api/audit');
      assert.equal(refused.status, 403);
      assert.equal(await reads(), 2, 'no audit.read for a refused query');
      const denied = await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'access.denied')
        .where('object_id', '=', '/api/audit')
        .execute();
      assert.equal(denied.length, 1);
      assert.equal(denied[0]!.user_id, office.session.user.id);

      // The filter values and the chain check are not reads of events: they write nothing.
      assert.equal((await auditor.get('/api/audit/vocabulary')).status, 200);
      assert.equal(await reads(), 2);
      const report = await server.services.audit.verify(systemActor('test'));
      assert.equal(report.ok, true, JSON.stringify(report));
    } finally {
      await server.close();
    }
  });
});
