import assert from 'node:assert/strict';
import type { UnitView } from '../../src/domain/api/admin.ts';
import { loadConfig } from '../../src/server/config.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

/**
 * Issue 16, the wiring: the services the app runs on hand 催办 the units' addresses, so it goes into
 * the outbox in the same transaction for each address the unit has — and for a unit with none, nowhere.
 * The robot's URL and secret stay sealed in the outbox row; the worker opens them when it sends.
 */

const KEY = 'b2'.repeat(32);
const DING_URL = 'https://oapi.dingtalk.com/robot/send?access_token=ding-token-0123456789';
const DING_SECRET = 'SECf0e1d2c3b4a5968778695a4b3c2d1e0f';

forEachEngine('delivery wiring', (it) => {
  it('催办 to a unit with an e-mail and a robot queues one message per address; a unit without addresses gets none', async (database) => {
    const base = loadConfig({});
    const server = await createTestServer(database, { config: { totpKey: KEY, delivery: { ...base.delivery, publicUrl: 'https://diaodu.example.gov.cn/' } } });
    try {
      const sysadmin = await server.as('sysadmin');
      const office = await server.as('office');
      const units = (await sysadmin.get<UnitView[]>('/api/admin/units')).body;
      const huanping = units.find((u) => u.name === '环评处')!;
      const guicai = units.find((u) => u.name === '规财处')!;
      const set = await sysadmin.put(`/api/admin/units/${huanping.id}`, {
        email: 'huanping@example.gov.cn',
        webhook: { kind: 'dingtalk', url: DING_URL, secret: DING_SECRET },
      });
      assert.equal(set.status, 200, set.text);

      const planId = (await office.get('/api/plans')).body[0].id as number;
      const opened = await office.post(`/api/plans/${planId}/rounds`, { label: '催办送达测试', deadline: '2099-01-01' });
      assert.equal(opened.status, 201, opened.text);
      const roundId = opened.body.id as number;

      for (const unit of [huanping, guicai]) {
        const sent = await office.post(`/api/rounds/${roundId}/units/${unit.id}/reminders`, { message: null });
        assert.equal(sent.status, 201, sent.text);
      }

      // Opening the round told 环评处 too (round_opened); the 催办 rows are these.
      const rows = await database.db.selectFrom('outbox').selectAll().where('round_id', '=', roundId).where('event', '=', 'urge').orderBy('channel').execute();
      assert.deepEqual(
        rows.map((r) => [Number(r.unit_id), r.channel, r.event, r.state]),
        [
          [huanping.id, 'dingtalk', 'urge', 'queued'],
          [huanping.id, 'email', 'urge', 'queued'],
        ],
        'one queued row per address of 环评处, none for 规财处',
      );
      const email = rows.find((r) => r.channel === 'email')!;
      assert.deepEqual(JSON.parse(email.address), { channel: 'email', to: 'huanping@example.gov.cn' });
      assert.equal(email.subject, '【催办】催办送达测试');
      assert.match(email.body, /^环评处：请于/);
      assert.equal(email.link, `https://diaodu.example.gov.cn/todo/${roundId}`);

      const robot = rows.find((r) => r.channel === 'dingtalk')!;
      assert.ok(!robot.address.includes('ding-token') && !robot.address.includes(DING_SECRET), 'the robot URL and secret stay sealed in the outbox');
      assert.deepEqual(server.services.deliveryAddresses.openOutboxAddress(robot.address), { channel: 'dingtalk', url: DING_URL, secret: DING_SECRET });

      // The board's delivery state: the last row per unit and channel, for the office only.
      const queued = await office.get(`/api/rounds/${roundId}/delivery`);
      assert.equal(queued.status, 200, queued.text);
      assert.deepEqual(queued.body, {
        roundId,
        units: [
          {
            unitId: huanping.id,
            unitName: '环评处',
            channels: [
              { channel: 'dingtalk', event: 'urge', state: 'queued', reason: null, at: robot.created_at },
              { channel: 'email', event: 'urge', state: 'queued', reason: null, at: email.created_at },
            ],
          },
        ],
      });
      await database.db.updateTable('outbox').set({ state: 'sent', sent_at: '2026-12-06T01:00:00.000Z' }).where('id', '=', email.id).execute();
      await database.db.updateTable('outbox').set({ state: 'failed', last_error: '钉钉机器人拒绝：签名不匹配' }).where('id', '=', robot.id).execute();
      const settled = (await office.get(`/api/rounds/${roundId}/delivery`)).body.units[0].channels;
      assert.deepEqual(
        settled.map((c: { channel: string; state: string; reason: string | null; at: string }) => [c.channel, c.state, c.reason, c.at]),
        [
          ['dingtalk', 'failed', '钉钉机器人拒绝：签名不匹配', robot.created_at],
          ['email', 'sent', null, '2026-12-06T01:00:00.000Z'],
        ],
      );
      // A second 催办 is the last row for its channels: queued again.
      assert.equal((await office.post(`/api/rounds/${roundId}/units/${huanping.id}/reminders`, { message: null })).status, 201);
      const again = (await office.get(`/api/rounds/${roundId}/delivery`)).body.units[0].channels;
      assert.deepEqual(
        again.map((c: { state: string }) => c.state),
        ['queued', 'queued'],
      );

      for (const who of ['leader', 'huanping', 'sysadmin']) {
        const denied = await (await server.as(who)).get(`/api/rounds/${roundId}/delivery`);
        assert.equal(denied.status, 403, `${who}: ${denied.text}`);
      }
      assert.equal((await office.get('/api/rounds/999999/delivery')).status, 404);
    } finally {
      await server.close();
    }
  });
});
