import assert from 'node:assert/strict';
import type { DeliveryFailureView, UnitView } from '../../src/domain/api/admin.ts';
import type { RoundDeliveryView } from '../../src/domain/api/round-view.ts';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import type { Channel, ChannelKind, DeliveryMessage } from '../../src/server/delivery/channel.ts';
import { createDeliveryWorker, enqueueIn, type OutboxMessage } from '../../src/server/delivery/outbox.ts';
import { forEachEngine } from '../support/databases.ts';
import { createTestServer } from '../support/test-server.ts';

/**
 * Issue 16, what the office and the admin see of the outbox: the board's per-unit delivery states
 * (sent, waiting — also while retrying, with why —, failed with the reason) and the system admin's
 * list of failing addresses (GET /api/admin/delivery-failures): every unit or person address whose
 * messages on a channel failed for good since the last one that went through, with the last
 * reason, when, and how many; an address whose later message went through drops off the list.
 * Messages are delivered by the real worker through channels that answer as each subject says.
 */

/** A channel that fails for good on "坏", asks to be retried on "忙", and sends anything else. */
function scriptedChannel(kind: ChannelKind): Channel {
  return {
    kind,
    async send(_address, message: DeliveryMessage) {
      if (message.subject.includes('坏')) return { ok: false, reason: `${kind}：收件地址不存在`, retry: false };
      if (message.subject.includes('忙')) return { ok: false, reason: `${kind}：对方系统繁忙`, retry: true };
      return { ok: true };
    },
  };
}

forEachEngine('delivery failures', (it) => {
  it('lists the addresses failing since their last success (units and people), clears one on a later success or once the address is saved again, and is the system admin’s only; the board shows each state', async (database) => {
    const server = await createTestServer(database);
    try {
      const sysadmin = await server.as('sysadmin');
      const office = await server.as('office');
      const units = (await sysadmin.get<UnitView[]>('/api/admin/units')).body;
      const huanping = units.find((u) => u.name === '环评处')!;
      const guicai = units.find((u) => u.name === '规财处')!;
      const shuichu = units.find((u) => u.name === '水处')!;
      const chenJing = await database.db.selectFrom('users').select('id').where('username', '=', 'huanping').executeTakeFirstOrThrow();
      const planId = (await office.get('/api/plans')).body[0].id as number;
      const roundId = (await office.post(`/api/plans/${planId}/rounds`, { label: '送达状态测试', deadline: '2099-01-01' })).body.id as number;

      // Nothing failed yet: an empty list.
      const empty = await sysadmin.get<DeliveryFailureView[]>('/api/admin/delivery-failures');
      assert.equal(empty.status, 200, empty.text);
      assert.deepEqual(empty.body, []);

      let clock = Date.parse('2026-12-07T02:00:00.000Z');
      const tick = () => new Date((clock += 1_000));
      const worker = createDeliveryWorker({
        database,
        channels: new Map((['email', 'wecom', 'dingtalk'] as const).map((kind) => [kind, scriptedChannel(kind)])),
        workerId: 'failures-test',
        timeZone: 'Asia/Shanghai',
        clock: tick,
        retry: { baseMs: 3_600_000, capMs: 3_600_000, maxAttempts: 8 },
        random: () => 1,
      });
      let key = 0;
      const message = (recipient: OutboxMessage['recipient'], channel: ChannelKind, subject: string): OutboxMessage => ({
        event: 'urge',
        roundId: 'unitId' in recipient ? roundId : null,
        recipient,
        channel,
        address: JSON.stringify(
          channel === 'email' ? { channel, to: 'someone@example.gov.cn' } : { channel, url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' },
        ),
        message: { subject, body: '请提交。', link: null },
        dedupeKey: `failures-test:${++key}`,
      });
      const send = async (...messages: OutboxMessage[]) => {
        await enqueueIn(createRepositories(database.db), messages, tick());
        await worker.tick();
      };

      // 环评处's e-mail: went through once, then failed twice. Its robot failed, then went through.
      await send(message({ unitId: huanping.id }, 'email', '催办一'), message({ unitId: huanping.id }, 'wecom', '催办一（坏）'));
      await send(message({ unitId: huanping.id }, 'email', '催办二（坏）'));
      await send(message({ unitId: huanping.id }, 'email', '催办三（坏）'), message({ unitId: huanping.id }, 'wecom', '催办三'));
      // 规财处: sent only. 水处's robot: busy, being retried (not failed for good). 陈静's own e-mail failed.
      await send(
        message({ unitId: guicai.id }, 'email', '催办一'),
        message({ unitId: shuichu.id }, 'dingtalk', '催办一（忙）'),
        message({ userId: chenJing.id }, 'email', '退回（坏）'),
      );

      const listed = await sysadmin.get<DeliveryFailureView[]>('/api/admin/delivery-failures');
      assert.equal(listed.status, 200, listed.text);
      const failedRows = await database.db
        .selectFrom('outbox')
        .select(['unit_id', 'user_id', 'next_attempt_at'])
        .where('state', '=', 'failed')
        .orderBy('id')
        .execute();
      assert.equal(failedRows.length, 4, 'four messages failed for good');
      assert.deepEqual(
        listed.body,
        [
          {
            unitId: huanping.id,
            unitName: '环评处',
            userId: null,
            personName: null,
            channel: 'email',
            reason: 'email：收件地址不存在',
            failedAt: failedRows[2]!.next_attempt_at,
            failures: 2,
          },
          {
            unitId: null,
            unitName: null,
            userId: chenJing.id,
            personName: '陈静',
            channel: 'email',
            reason: 'email：收件地址不存在',
            failedAt: failedRows[3]!.next_attempt_at,
            failures: 1,
          },
        ],
        '环评处’s robot went through after its failure; 水处’s robot is only being retried; 规财处 never failed',
      );

      // The board: per unit, the last message's state per channel — a retry shows as waiting, with why.
      const board = await office.get<RoundDeliveryView>(`/api/rounds/${roundId}/delivery`);
      assert.equal(board.status, 200, board.text);
      const states = board.body.units.map((u) => [u.unitName, u.channels.map((c) => [c.channel, c.state, c.reason])]);
      assert.deepEqual(
        states.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
        [
          ['水处', [['dingtalk', 'queued', 'dingtalk：对方系统繁忙']]],
          [
            '环评处',
            [
              ['email', 'failed', 'email：收件地址不存在'],
              ['wecom', 'sent', null],
            ],
          ],
          ['规财处', [['email', 'sent', null]]],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );

      // 环评处's address fixed: the next e-mail goes through and it is no longer listed; 陈静 still is.
      await send(message({ unitId: huanping.id }, 'email', '催办四'));
      const after = (await sysadmin.get<DeliveryFailureView[]>('/api/admin/delivery-failures')).body;
      assert.deepEqual(
        after.map((f) => [f.unitName ?? f.personName, f.channel, f.failures]),
        [['陈静', 'email', 1]],
      );
      const sentNow = (await office.get<RoundDeliveryView>(`/api/rounds/${roundId}/delivery`)).body.units.find((u) => u.unitId === huanping.id)!;
      assert.deepEqual(
        sentNow.channels.map((c) => [c.channel, c.state, c.reason]),
        [
          ['email', 'sent', null],
          ['wecom', 'sent', null],
        ],
      );

      // 陈静 saves her e-mail again after it failed (corrected): the failure was the old address's, no longer listed.
      await createRepositories(database.db).deliveryAddresses.putUserDelivery(
        chenJing.id,
        { email: 'chenjing@example.gov.cn', emailEnabled: true },
        tick().toISOString(),
      );
      assert.deepEqual(
        (await sysadmin.get<DeliveryFailureView[]>('/api/admin/delivery-failures')).body,
        [],
        'a corrected address is not flagged until it fails again',
      );
      // …and flagged again when the corrected address fails too.
      await send(message({ userId: chenJing.id }, 'email', '退回二（坏）'));
      assert.deepEqual(
        (await sysadmin.get<DeliveryFailureView[]>('/api/admin/delivery-failures')).body.map((f) => [f.personName, f.failures]),
        [['陈静', 1]],
      );

      // The system admin's only (三员分立): the office, the security admin, a reporter are refused.
      for (const who of ['office', 'secadmin', 'huanping', 'leader']) {
        const denied = await (await server.as(who)).get('/api/admin/delivery-failures');
        assert.equal(denied.status, 403, `${who}: ${denied.text}`);
      }
    } finally {
      await server.close();
    }
  });
});
