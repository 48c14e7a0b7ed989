import assert from 'node:assert/strict';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { importSeed } from '../../../tests/support/seeded-plan.ts';
import { createDeliveryWorker } from './outbox.ts';
import { pruneDelivered } from './prune.ts';

const DAY = 24 * 60 * 60_000;

/** A clock the test moves. */
function testClock(start: string) {
  let now = new Date(start);
  return { now: () => new Date(now), advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

forEachEngine('pruning old delivery rows (DIAODU_OUTBOX_KEEP_DAYS)', (it) => {
  it('the worker tick deletes sent messages and settled reminders of closed rounds once older than the kept days, a batch at a time; failed, queued and pending rows stay', async (database) => {
    const { roundId: closedRound } = await importSeed(database);
    const units = await database.db.selectFrom('units').select('id').where('collective', '=', 0).orderBy('id').limit(3).execute();
    const [a, b, c] = units.map((u) => u.id) as [number, number, number];
    // A second round, still open, beside the seed's (closed) one.
    const open = await database.db
      .insertInto('rounds')
      .values({
        ...(await database.db.selectFrom('rounds').selectAll().where('id', '=', closedRound).executeTakeFirstOrThrow()),
        id: undefined,
        label: '进行中',
        status: 'open',
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.updateTable('rounds').set({ status: 'closed' }).where('id', '=', closedRound).execute();

    const at = '2026-01-05T01:00:00.000Z';
    const message = (key: string, state: string, sentAt: string | null) => ({
      event: 'urge',
      round_id: closedRound,
      unit_id: a,
      user_id: null,
      channel: 'email',
      address: '{"channel":"email","to":"a@example.cn"}',
      subject: '催办',
      body: '请提交',
      link: null,
      dedupe_key: key,
      state,
      next_attempt_at: at,
      created_at: at,
      sent_at: sentAt,
      last_error: state === 'failed' ? '邮箱地址格式不正确' : null,
    });
    await database.db
      .insertInto('outbox')
      .values([
        message('sent-old-1', 'sent', at),
        message('sent-old-2', 'sent', at),
        message('sent-old-3', 'sent', at),
        message('sent-new', 'sent', '2026-05-01T01:00:00.000Z'),
        message('failed-old', 'failed', null),
        message('queued-old', 'queued', null),
      ])
      .execute();
    const due = (roundId: number, unitId: number, state: string, settledAt: string | null) => ({
      round_id: roundId,
      unit_id: unitId,
      rung: 'before:3d',
      occurrence: '1',
      due_at: at,
      state,
      settled_at: settledAt,
    });
    await database.db
      .insertInto('reminder_due')
      .values([due(closedRound, a, 'enqueued', at), due(closedRound, b, 'skipped', at), due(closedRound, c, 'pending', null), due(open.id, a, 'enqueued', at)])
      .execute();
    const keys = async () => (await database.db.selectFrom('outbox').select('dedupe_key').orderBy('id').execute()).map((row) => row.dedupe_key);
    const dueRows = async () =>
      (await database.db.selectFrom('reminder_due').select(['round_id', 'unit_id', 'state']).orderBy('id').execute()).map(
        (row) => `${row.round_id === closedRound ? 'closed' : 'open'} ${row.unit_id === a ? 'a' : row.unit_id === b ? 'b' : 'c'} ${row.state}`,
      );

    const clock = testClock('2026-07-01T01:00:00.000Z'); // 177 days after `at`
    const worker = createDeliveryWorker({ database, channels: new Map(), clock: clock.now, workerId: 'w', timeZone: 'Asia/Shanghai', keepDays: 180 });
    await worker.tick();
    assert.equal((await keys()).length, 6, 'nothing is old enough yet');
    assert.equal((await dueRows()).length, 4);

    clock.advance(4 * DAY); // 181 days
    assert.deepEqual(
      await pruneDelivered(database, clock.now(), { keepDays: 180, batchSize: 2, maxBatches: 1 }),
      { sent: 2, reminders: 2 },
      'one bounded batch of each',
    );
    assert.deepEqual(await keys(), ['sent-old-3', 'sent-new', 'failed-old', 'queued-old']);
    await worker.tick();
    assert.deepEqual(await keys(), ['sent-new', 'failed-old', 'queued-old'], 'the tick takes the rest; failed and queued ones stay');
    assert.deepEqual(await dueRows(), ['closed c pending', 'open a enqueued'], 'a pending reminder and the open round’s stay');

    // With the default (180 days) and the clock moved on, the newer sent message goes too.
    clock.advance(120 * DAY);
    await createDeliveryWorker({ database, channels: new Map(), clock: clock.now, workerId: 'w', timeZone: 'Asia/Shanghai' }).tick();
    assert.deepEqual(await keys(), ['failed-old', 'queued-old']);
  });
});
