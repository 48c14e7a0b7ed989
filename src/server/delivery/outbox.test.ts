import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { importSeed } from '../../../tests/support/seeded-plan.ts';
import { openDatabase } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Channel, ChannelKind, DeliveryAddress, DeliveryMessage, DeliveryResult } from './channel.ts';
import {
  createDeliveryWorker,
  dueTimesOf,
  enqueueIn,
  instantAt,
  nextAllowedTime,
  nextAttemptDelay,
  parseRung,
  startDeliveryWorker,
  type OutboxMessage,
} from './outbox.ts';

const ZONE = 'Asia/Shanghai';

/** A real Channel that records what it was given and answers as told (a test double of our interface). */
class RecordingChannel implements Channel {
  readonly calls: { address: DeliveryAddress; message: DeliveryMessage }[] = [];
  constructor(
    readonly kind: ChannelKind,
    private answer: (address: DeliveryAddress, call: number) => DeliveryResult | Promise<DeliveryResult> = () => ({ ok: true }),
  ) {}
  async send(address: DeliveryAddress, message: DeliveryMessage): Promise<DeliveryResult> {
    this.calls.push({ address, message });
    return this.answer(address, this.calls.length);
  }
}

/** A clock the test moves. */
function testClock(start: string) {
  let now = new Date(start);
  return { now: () => new Date(now), set: (at: string) => (now = new Date(at)), advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

function email(unitId: number, to: string, key: string, roundId: number | null = null): OutboxMessage {
  return {
    event: 'urge',
    roundId,
    recipient: { unitId },
    channel: 'email',
    address: JSON.stringify({ channel: 'email', to }),
    message: { subject: '催办：2017年第三季度', body: '请尽快提交。', link: null },
    dedupeKey: key,
  };
}

/** The seed imported (its units exist from then on); the first `count` units that answer. */
async function unitsOf(database: TestDatabase, count: number): Promise<{ id: number; name: string }[]> {
  await importSeed(database);
  return database.db.selectFrom('units').select(['id', 'name']).where('collective', '=', 0).orderBy('id').limit(count).execute();
}

/** The seed's round, opened with `deadline` and a submission row per unit. */
async function openRound(database: TestDatabase, deadline: string, units: { id: number }[]): Promise<number> {
  const { id: roundId } = await database.db.selectFrom('rounds').select('id').orderBy('id').executeTakeFirstOrThrow();
  await database.db.updateTable('rounds').set({ status: 'open', deadline, opened_at: '2017-09-20T00:00:00.000Z' }).where('id', '=', roundId).execute();
  await database.db.deleteFrom('unit_submissions').where('round_id', '=', roundId).execute();
  await database.db
    .insertInto('unit_submissions')
    .values(units.map((u) => ({ round_id: roundId, unit_id: u.id, state: 'not_started', version: 1, updated_at: '2017-09-20T00:00:00.000Z' })))
    .execute();
  return roundId;
}

describe('the reminder ladder and retry times (pure)', () => {
  test('reads the rungs the office can set and nothing else', () => {
    assert.deepEqual(parseRung('before:7d'), { kind: 'before', days: 7 });
    assert.deepEqual(parseRung('due_day:09:00'), { kind: 'due_day', time: '09:00' });
    assert.deepEqual(parseRung('overdue_daily:18:30'), { kind: 'overdue_daily', time: '18:30' });
    for (const bad of ['before:0d', 'before:99d', 'due_day:24:00', 'due_day:9:00', 'overdue_daily', 'after:1d', '']) assert.equal(parseRung(bad), null, bad);
  });

  test('places a step in the time zone, out of quiet hours and off weekends unless allowed', () => {
    const keep = { quietHours: false, weekends: false };
    // 2017-10-16 is a Monday; the deadline is its 17:00 in Beijing.
    const deadline = instantAt('2017-10-16', '17:00', ZONE);
    assert.equal(deadline.toISOString(), '2017-10-16T09:00:00.000Z');
    const at = (rung: string, allow = keep, zone = ZONE) =>
      dueTimesOf(parseRung(rung)!, deadline, zone, allow, new Date('2017-10-21T04:00:00Z')).map((d) => `${d.occurrence} ${d.dueAt.toISOString()}`);
    assert.deepEqual(at('before:7d'), ['1 2017-10-09T01:00:00.000Z'], 'Monday 09:00 in Beijing');
    assert.deepEqual(at('before:2d'), ['1 2017-10-16T01:00:00.000Z'], 'Saturday moves to Monday, same time of day');
    assert.deepEqual(at('before:2d', { quietHours: false, weekends: true }), ['1 2017-10-14T01:00:00.000Z'], 'unless weekends are allowed');
    assert.deepEqual(at('due_day:23:30'), ['1 2017-10-17T00:00:00.000Z'], 'quiet hours: 08:00 the next morning');
    assert.deepEqual(at('due_day:06:00'), ['1 2017-10-16T00:00:00.000Z'], 'before 08:00: 08:00 the same morning');
    assert.deepEqual(at('due_day:23:30', { quietHours: true, weekends: false }), ['1 2017-10-16T15:30:00.000Z'], 'unless quiet hours are allowed');
    // Daily while overdue: Tue–Fri up to the horizon (Saturday 12:00 Beijing), none on Saturday.
    assert.deepEqual(
      at('overdue_daily:09:00'),
      ['2017-10-17', '2017-10-18', '2017-10-19', '2017-10-20'].map((d) => `${d} ${d}T01:00:00.000Z`),
    );
    assert.equal(at('overdue_daily:09:00', { quietHours: false, weekends: true }).length, 5, 'Saturday too when weekends are allowed');
    // Another zone: the deadline's day there is still the 16th; 09:00 in New York (EDT, UTC−4).
    assert.deepEqual(at('due_day:09:00', keep, 'America/New_York'), ['1 2017-10-16T13:00:00.000Z']);
    // Friday 23:00 → Saturday 08:00 → Monday 08:00.
    assert.equal(nextAllowedTime(instantAt('2017-10-20', '23:00', ZONE), ZONE, keep).toISOString(), '2017-10-23T00:00:00.000Z');
  });

  test('retries back off exponentially with jitter, capped, honour a retry-after, and give up after the last attempt', () => {
    const policy = { baseMs: 1000, capMs: 10_000, maxAttempts: 5 };
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => nextAttemptDelay(n, policy, () => 1)),
      [1000, 2000, 4000, 8000],
    );
    assert.equal(
      nextAttemptDelay(4, { ...policy, capMs: 5000 }, () => 1),
      5000,
    );
    assert.equal(
      nextAttemptDelay(3, policy, () => 0),
      2000,
      'jitter keeps at least half',
    );
    assert.equal(
      nextAttemptDelay(1, policy, () => 1, 60_000),
      60_000,
      'a rate limit asks for longer',
    );
    assert.equal(
      nextAttemptDelay(5, policy, () => 1),
      null,
    );
  });
});

forEachEngine('the outbox and its worker', (it, engine) => {
  it('stores a message only when its transaction commits, and each dedupe key once', async (database) => {
    const [unit] = await unitsOf(database, 1);
    await assert.rejects(
      inTransaction(database, async (r) => {
        await enqueueIn(r, [email(unit!.id, 'a@example.cn', 'urge:1')], new Date());
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.equal((await database.db.selectFrom('outbox').selectAll().execute()).length, 0, 'a rolled-back change leaves no message');
    assert.equal(await inTransaction(database, (r) => enqueueIn(r, [email(unit!.id, 'a@example.cn', 'urge:1')], new Date())), 1);
    assert.equal(
      await inTransaction(database, (r) => enqueueIn(r, [email(unit!.id, 'a@example.cn', 'urge:1'), email(unit!.id, 'b@example.cn', 'urge:2')], new Date())),
      1,
    );
    assert.deepEqual(await database.db.selectFrom('outbox').select(['dedupe_key', 'state']).orderBy('id').execute(), [
      { dedupe_key: 'urge:1', state: 'queued' },
      { dedupe_key: 'urge:2', state: 'queued' },
    ]);
  });

  it('sends once, retries with backoff, gives up with the reason, and one failure does not stop the rest', async (database) => {
    const units = await unitsOf(database, 2);
    const clock = testClock('2017-10-16T02:00:00.000Z');
    const mail = new RecordingChannel('email', (address) => {
      if (address.channel === 'email' && address.to === 'down@example.cn') return { ok: false, reason: '邮件服务器拒绝连接', retry: true };
      if (address.channel === 'email' && address.to === 'throws@example.cn') throw new Error('连接被重置');
      if (address.channel === 'email' && address.to === 'bad') return { ok: false, reason: '邮箱地址格式不正确', retry: false };
      return { ok: true };
    });
    await inTransaction(database, (r) =>
      enqueueIn(
        r,
        [
          email(units[0]!.id, 'down@example.cn', 'a'),
          email(units[0]!.id, 'throws@example.cn', 'b'),
          email(units[0]!.id, 'bad', 'c'),
          {
            ...email(units[1]!.id, 'x', 'd'),
            channel: 'dingtalk',
            address: JSON.stringify({ channel: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send' }),
          },
          { ...email(units[1]!.id, 'x', 'e'), address: '{not json' },
          email(units[1]!.id, 'ok@example.cn', 'f'),
        ],
        clock.now(),
      ),
    );
    const worker = createDeliveryWorker({
      database,
      channels: new Map([['email', mail]]),
      clock: clock.now,
      workerId: 'w1',
      timeZone: ZONE,
      retry: { baseMs: 1000, capMs: 60_000, maxAttempts: 3 },
      random: () => 1,
    });
    const state = async () =>
      Object.fromEntries(
        (await database.db.selectFrom('outbox').select(['dedupe_key', 'state', 'attempts', 'last_error', 'next_attempt_at']).execute()).map((row) => [
          row.dedupe_key,
          row,
        ]),
      );

    const first = await worker.tick();
    assert.deepEqual([first.sent, first.retried, first.failed], [1, 2, 3]);
    let rows = await state();
    assert.equal(rows.f!.state, 'sent');
    assert.equal(rows.c!.state, 'failed');
    assert.equal(rows.c!.last_error, '邮箱地址格式不正确');
    assert.equal(rows.d!.last_error, '该发送渠道未配置');
    assert.equal(rows.e!.last_error, '地址无法读取');
    assert.deepEqual(
      [rows.a!.state, rows.a!.attempts, rows.a!.next_attempt_at, rows.a!.last_error],
      ['queued', 1, '2017-10-16T02:00:01.000Z', '邮件服务器拒绝连接'],
    );
    assert.equal(rows.b!.last_error, '发送出错：连接被重置');
    assert.equal(mail.calls.length, 4, 'the two robot rows never reached the mail channel');

    clock.advance(500);
    await worker.tick();
    assert.equal(mail.calls.length, 4, 'nothing is tried again before its time');
    clock.advance(500);
    await worker.tick();
    assert.equal(mail.calls.length, 6);
    assert.equal((await state()).a!.next_attempt_at, '2017-10-16T02:00:03.000Z', 'the second wait is twice the first');
    clock.advance(2000);
    const last = await worker.tick();
    assert.equal(last.failed, 2);
    rows = await state();
    assert.deepEqual([rows.a!.state, rows.a!.attempts, rows.a!.last_error], ['failed', 3, '邮件服务器拒绝连接（已尝试3次，不再重试）']);
    clock.advance(3_600_000);
    await worker.tick();
    assert.equal(mail.calls.filter((call) => call.address.channel === 'email' && call.address.to === 'ok@example.cn').length, 1, 'the good one was sent once');
    assert.equal(mail.calls.length, 8);

    const board = await inTransaction(database, (r) => r.outbox.listRoundDelivery(0));
    assert.deepEqual(board, [], 'no round, nothing on a board');
  });

  it('sends again, once, a message whose sender crashed mid-send once its claim has expired', async (database) => {
    const [unit] = await unitsOf(database, 1);
    const clock = testClock('2017-10-16T02:00:00.000Z');
    await inTransaction(database, (r) => enqueueIn(r, [email(unit!.id, 'a@example.cn', 'a'), email(unit!.id, 'b@example.cn', 'b')], clock.now()));
    // The dead worker claimed both, then the process died before recording anything.
    const claimed = await inTransaction(database, (r) =>
      r.outbox.claimDue({ now: clock.now().toISOString(), workerId: 'dead', claimedUntil: new Date(clock.now().getTime() + 60_000).toISOString(), limit: 10 }),
    );
    assert.equal(claimed.length, 2);
    const mail = new RecordingChannel('email');
    const worker = createDeliveryWorker({
      database,
      channels: new Map([['email', mail]]),
      clock: clock.now,
      workerId: 'alive',
      timeZone: ZONE,
      leaseMs: 60_000,
    });
    await worker.tick();
    assert.equal(mail.calls.length, 0, 'a claim still held is left alone');
    clock.advance(61_000);
    const report = await worker.tick();
    assert.equal(report.sent, 2);
    await worker.tick();
    clock.advance(3_600_000);
    await worker.tick();
    assert.equal(mail.calls.length, 2, 'each sent once more, not again');
    assert.equal(
      await inTransaction(database, (r) => r.outbox.markSent(claimed[0]!.id, 'dead', clock.now().toISOString())),
      false,
      'the dead worker cannot record over it',
    );
  });

  it('with two workers (on PostgreSQL two servers) claiming at once, each message is sent exactly once', async (database) => {
    const units = await unitsOf(database, 3);
    const messages = Array.from({ length: 60 }, (_, i) => email(units[i % 3]!.id, `u${i}@example.cn`, `m${i}`));
    await inTransaction(database, (r) => enqueueIn(r, messages, new Date('2017-10-16T02:00:00.000Z')));
    // PostgreSQL: a second pool, as a second server would have. SQLite is one server (decision 035):
    // two workers there share its one handle (a second handle in the same process would block the
    // event loop on the write lock the first holds).
    const other = engine === 'postgres' ? await openDatabase(database.url) : database;
    try {
      const sent: string[] = [];
      const channel = (name: string) =>
        new RecordingChannel('email', async (address) => {
          sent.push(`${name}:${address.channel === 'email' ? address.to : ''}`);
          await new Promise((resolve) => setTimeout(resolve, 2));
          return { ok: true };
        });
      const clock = () => new Date('2017-10-16T02:00:00.000Z');
      const a = createDeliveryWorker({ database, channels: new Map([['email', channel('a')]]), clock, workerId: 'a', timeZone: ZONE, batchSize: 5 });
      const b = createDeliveryWorker({ database: other, channels: new Map([['email', channel('b')]]), clock, workerId: 'b', timeZone: ZONE, batchSize: 5 });
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
      const recipients = sent.map((s) => s.split(':')[1]);
      assert.equal(recipients.length, 60);
      assert.equal(new Set(recipients).size, 60, 'no message went out twice');
      if (engine === 'postgres') assert.ok(sent.some((s) => s.startsWith('a:')) && sent.some((s) => s.startsWith('b:')), 'both servers took a share');
      const states = await database.db.selectFrom('outbox').select('state').execute();
      assert.ok(states.every((row) => row.state === 'sent'));
    } finally {
      if (other !== database) await other.close();
    }
  });

  it('turns the ladder into due rows for units not handed in, and enqueues each due reminder once: in the app, and to the addresses a unit has', async (database) => {
    const units = await unitsOf(database, 3);
    const [a, b, c] = units as [{ id: number; name: string }, { id: number; name: string }, { id: number; name: string }];
    // Deadline Monday 2017-10-16 17:00 Beijing.
    const roundId = await openRound(database, '2017-10-16T09:00:00.000Z', units);
    await database.db.updateTable('unit_submissions').set({ state: 'submitted' }).where('round_id', '=', roundId).where('unit_id', '=', c.id).execute();
    await inTransaction(database, (r) =>
      r.outbox.setLadder(
        roundId,
        ['before:3d', 'before:2d', 'due_day:09:00', 'overdue_daily:09:00'].map((rung) => ({ rung, quietHours: false, weekends: false })),
        '张敏',
        '2017-10-01T00:00:00.000Z',
      ),
    );
    const clock = testClock('2017-10-12T00:00:00.000Z');
    const mail = new RecordingChannel('email');
    const robot = new RecordingChannel('wecom');
    const addresses = new Map([
      [
        a.id,
        [
          { channel: 'email' as const, address: JSON.stringify({ channel: 'email', to: 'a@example.cn' }) },
          { channel: 'wecom' as const, address: JSON.stringify({ channel: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' }) },
        ],
      ],
    ]);
    const options = {
      database,
      channels: new Map<ChannelKind, Channel>([
        ['email', mail],
        ['wecom', robot],
      ]),
      clock: clock.now,
      timeZone: ZONE,
      publicUrl: 'https://diaodu.example.cn/',
      addressesOfUnit: async (_r: unknown, unitId: number) => addresses.get(unitId) ?? [],
    };
    const worker = createDeliveryWorker({ ...options, workerId: 'w1' });
    await worker.tick();
    const due = await inTransaction(database, (r) => r.outbox.listDueOfRound(roundId));
    assert.ok(!due.some((row) => row.unit_id === c.id), 'none for a unit that has handed in');
    assert.deepEqual(
      due.filter((row) => row.unit_id === a.id).map((row) => `${row.rung} ${row.due_at}`),
      ['before:3d 2017-10-13T01:00:00.000Z', 'before:2d 2017-10-16T01:00:00.000Z', 'due_day:09:00 2017-10-16T01:00:00.000Z'],
      'Friday 09:00; Saturday moved to Monday; the day itself; no overdue day within the horizon yet',
    );
    assert.equal(mail.calls.length, 0, 'nothing due yet');

    // The office moves the deadline a week later and back: pending rows follow it.
    await database.db.updateTable('rounds').set({ deadline: '2017-10-23T09:00:00.000Z' }).where('id', '=', roundId).execute();
    await worker.tick();
    assert.deepEqual(
      (await inTransaction(database, (r) => r.outbox.listDueOfRound(roundId))).filter((row) => row.unit_id === a.id).map((row) => `${row.rung} ${row.due_at}`),
      ['before:3d 2017-10-20T01:00:00.000Z', 'before:2d 2017-10-23T01:00:00.000Z', 'due_day:09:00 2017-10-23T01:00:00.000Z'],
    );
    await database.db.updateTable('rounds').set({ deadline: '2017-10-16T09:00:00.000Z' }).where('id', '=', roundId).execute();
    await worker.tick();
    assert.deepEqual(await inTransaction(database, (r) => r.outbox.listDueOfRound(roundId)), due);

    // Friday 09:00 Beijing: the 3-day reminder goes to a (mail and robot) and, with no address, to b in the app only.
    clock.set('2017-10-13T01:00:00.000Z');
    await worker.tick();
    assert.equal(mail.calls.length, 1);
    assert.equal(robot.calls.length, 1);
    assert.deepEqual(robot.calls[0]!.message, {
      subject: '【提醒】2017年第二季度还有 3 天截止',
      body: `${a.name}：“2017年第二季度”将于 2017年10月16日 17:00 截止，还有 3 天，请尽快填报并提交。`,
      link: `https://diaodu.example.cn/todo/${roundId}`,
    });
    const inApp = async () =>
      (
        await database.db.selectFrom('notifications').select(['unit_id', 'kind', 'message']).where('kind', '=', 'deadline_reminder').orderBy('id').execute()
      ).map((n) => [n.unit_id, n.message]);
    assert.deepEqual(
      await inApp(),
      [a, b].map((u) => [u.id, `${u.name}：“2017年第二季度”将于 2017年10月16日 17:00 截止，还有 3 天，请尽快填报并提交。`]),
      'each unit sees it in the app, b without any address too',
    );

    // b hands in over the weekend; the server is down from Friday to Tuesday 10:00.
    await database.db.updateTable('unit_submissions').set({ state: 'submitted' }).where('round_id', '=', roundId).where('unit_id', '=', b.id).execute();
    clock.set('2017-10-17T02:00:00.000Z');
    const restarted = createDeliveryWorker({ ...options, workerId: 'w2' });
    const report = await restarted.tick();
    assert.equal(report.remindersEnqueued, 1, 'a: one message for Monday ×2 (two rungs) and Tuesday, the latest; nothing for b');
    assert.deepEqual(
      (await inTransaction(database, (r) => r.outbox.listDueOfRound(roundId)))
        .filter((row) => row.unit_id === a.id)
        .map((row) => `${row.rung} ${row.occurrence} ${row.state}`),
      [
        'before:3d 1 enqueued',
        'before:2d 1 skipped',
        'due_day:09:00 1 skipped',
        'overdue_daily:09:00 2017-10-17 enqueued',
        'overdue_daily:09:00 2017-10-18 pending',
      ],
      "Monday's two went unsent, overtaken by Tuesday's: a unit is not sent three reminders in one go",
    );
    assert.deepEqual(
      (await inTransaction(database, (r) => r.outbox.listDueOfRound(roundId))).filter((row) => row.unit_id === b.id).map((row) => `${row.rung} ${row.state}`),
      ['before:3d enqueued'],
      "b's pending Monday reminders went when it handed in",
    );
    const toA = mail.calls.filter((call) => call.address.channel === 'email' && call.address.to === 'a@example.cn');
    assert.equal(toA.length, 2, 'a: Friday, then once on Tuesday for all it missed');
    assert.deepEqual(
      toA.slice(1).map((call) => call.message.subject),
      ['【逾期】2017年第二季度已逾期 1 天'],
      'sent on Tuesday, it says so',
    );
    await restarted.tick();
    await worker.tick();
    assert.equal(mail.calls.length, 2, 'ticking again sends nothing more');
    assert.equal((await inApp()).filter(([unitId]) => unitId === a.id).length, 2, 'nor shows anything twice in the app');

    const board = await inTransaction(database, (r) => r.outbox.listRoundDelivery(roundId));
    assert.deepEqual(
      board.map((row) => [row.unitId, row.channel, row.state]),
      [
        [a.id, 'email', 'sent'],
        [a.id, 'wecom', 'sent'],
      ],
    );

    // The office drops the daily rung: its pending rows go, the others stay.
    await inTransaction(database, (r) =>
      r.outbox.setLadder(roundId, [{ rung: 'before:3d', quietHours: false, weekends: false }], '张敏', clock.now().toISOString()),
    );
    assert.ok((await inTransaction(database, (r) => r.outbox.listDueOfRound(roundId))).every((row) => row.state !== 'pending'));
  });

  it('a started worker polls until stopped, and stops cleanly', async (database) => {
    const [unit] = await unitsOf(database, 1);
    const mail = new RecordingChannel('email');
    const worker = startDeliveryWorker({ database, channels: new Map([['email', mail]]), workerId: 'loop', timeZone: ZONE, pollMs: 10 });
    await inTransaction(database, (r) => enqueueIn(r, [email(unit!.id, 'a@example.cn', 'a')], new Date(Date.now() - 1000)));
    for (let i = 0; i < 200 && mail.calls.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await worker.stop();
    assert.equal(mail.calls.length, 1);
    await inTransaction(database, (r) => enqueueIn(r, [email(unit!.id, 'b@example.cn', 'b')], new Date(Date.now() - 1000)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(mail.calls.length, 1, 'nothing is sent after stop');
  });
});
