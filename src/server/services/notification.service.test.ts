import assert from 'node:assert/strict';
import { isDomainError } from '../../domain/errors.ts';
import { forEachEngine, type TestDatabase } from '../../../tests/support/databases.ts';
import { person } from '../../../tests/support/people.ts';
import { importSeed, unitIdOf } from '../../../tests/support/seeded-plan.ts';
import { createRepositories } from '../db/repositories/index.ts';
import { createNotificationService } from './notification.service.ts';
import { createRoundService } from './round.service.ts';

const NOW = new Date('2017-09-20T01:00:00.000Z');

async function setUp(database: TestDatabase) {
  const { planId } = await importSeed(database);
  const huanpingId = await unitIdOf(database, '环评处');
  const guicaiId = await unitIdOf(database, '规财处');
  const people = {
    reporter: await person(database, 'reporter', { unitId: huanpingId, name: '张敏' }),
    reporter2: await person(database, 'reporter', { unitId: huanpingId, name: '王芳' }),
    head: await person(database, 'unit_head', { unitId: huanpingId, name: '刘强' }),
    otherUnit: await person(database, 'reporter', { unitId: guicaiId, name: '赵磊' }),
    otherHead: await person(database, 'unit_head', { unitId: guicaiId, name: '孙丽' }),
    office: await person(database, 'office', { name: '陈静' }),
    office2: await person(database, 'office', { name: '周杰' }),
    leader: await person(database, 'leader', { name: '李岳东' }),
    leader2: await person(database, 'leader', { name: '杨帆' }),
  };
  const insert = (row: { unitId: number | null; userId: number | null; kind: string; message: string }) =>
    createRepositories(database.db).roundWork.insertNotification({ ...row, roundId: null, now: NOW.toISOString() });
  const service = createNotificationService({ database, now: () => NOW });
  const kinds = async (actor: (typeof people)[keyof typeof people]) => (await service.list(actor)).map((n) => n.kind).sort();
  return { planId, huanpingId, guicaiId, people, insert, service, kinds };
}

forEachEngine('notifications: who sees which row, read per user', (it) => {
  it('the kind decides the audience: heads only, the unit, every office account, one user; another unit never sees a row', async (database) => {
    const { huanpingId, people, insert, service, kinds } = await setUp(database);
    await insert({ unitId: huanpingId, userId: null, kind: 'awaiting_approval', message: '环评处的填报待您审核。' });
    await insert({ unitId: huanpingId, userId: null, kind: 'returned', message: '办公室退回了本单位的填报。' });
    await insert({ unitId: null, userId: null, kind: 'forwarded_to_office', message: '督查办无处室负责人账户，填报已直接报送办公室。' });
    await insert({ unitId: null, userId: people.leader.userId, kind: 'instruction_feedback', message: '环评处反馈了落实情况。' });
    // An office-wide row that names the unit it is about is still the office's only.
    await insert({ unitId: huanpingId, userId: null, kind: 'forwarded_to_office', message: '环评处无处室负责人账户，填报已直接报送办公室。' });

    assert.deepEqual(await kinds(people.head), ['awaiting_approval', 'returned'], 'the head sees what waits for approval');
    assert.deepEqual(await kinds(people.reporter), ['returned'], 'a reporter of that unit does not see awaiting_approval');
    assert.deepEqual(await kinds(people.otherUnit), [], 'another unit sees nothing');
    assert.deepEqual(await kinds(people.otherHead), [], "another unit's head sees nothing either");
    assert.deepEqual(await kinds(people.office), ['forwarded_to_office', 'forwarded_to_office']);
    assert.deepEqual(await kinds(people.office2), ['forwarded_to_office', 'forwarded_to_office'], 'every office account');
    assert.deepEqual(await kinds(people.leader), ['instruction_feedback']);
    assert.deepEqual(await kinds(people.leader2), [], 'another leader does not see it');

    assert.equal((await service.unread(people.head)).unread, 2);
    assert.equal((await service.unread(people.reporter)).unread, 1);
    assert.equal((await service.unread(people.otherUnit)).unread, 0);
  });

  it('reading is per user: A reading does not mark it for B; twice keeps the first time; a row one cannot see is 404', async (database) => {
    const { huanpingId, people, insert, service } = await setUp(database);
    await insert({ unitId: huanpingId, userId: null, kind: 'reminder', message: '请尽快填报。' });
    await insert({ unitId: huanpingId, userId: null, kind: 'awaiting_approval', message: '待审核。' });
    const [awaiting, reminder] = await service.list(people.head);
    assert.equal(reminder!.kind, 'reminder');

    assert.deepEqual(await service.markRead(people.reporter, reminder!.id), { unread: 0 });
    const mine = (await service.list(people.reporter)).find((n) => n.id === reminder!.id)!;
    assert.equal(mine.readAt, NOW.toISOString());
    assert.equal((await service.list(people.reporter2)).find((n) => n.id === reminder!.id)!.readAt, null, 'another reporter of the unit still has it unread');
    assert.equal((await service.unread(people.head)).unread, 2, "the head's bell is untouched");

    const later = new Date(NOW.getTime() + 3_600_000);
    const again = createNotificationService({ database, now: () => later });
    assert.deepEqual(await again.markRead(people.reporter, reminder!.id), { unread: 0 });
    assert.equal((await service.list(people.reporter)).find((n) => n.id === reminder!.id)!.readAt, NOW.toISOString(), 'marking twice keeps the first time');
    assert.equal((await database.db.selectFrom('notification_reads').selectAll().execute()).length, 1);

    for (const [actor, id] of [
      [people.reporter, awaiting!.id],
      [people.otherUnit, reminder!.id],
      [people.office, reminder!.id],
      [people.reporter, 999_999],
    ] as const)
      await assert.rejects(
        service.markRead(actor, id),
        (error) => isDomainError(error) && error.kind === 'not_found' && error.code === 'notification_not_found',
      );

    assert.deepEqual(await service.markAllRead(people.head), { unread: 0 });
    assert.ok((await service.list(people.head)).every((n) => n.readAt !== null));
    assert.equal((await service.unread(people.reporter2)).unread, 1, 'marking all read is per user too');
    assert.deepEqual(await service.markAllRead(people.head), { unread: 0 }, 'and harmless twice');
  });

  it('opening a round tells each of its units, naming the round and the deadline; the office is not told', async (database) => {
    const { planId, guicaiId, people, service } = await setUp(database);
    const rounds = createRoundService({ database, now: () => NOW });
    const round = await rounds.openRound(people.office, planId, {
      label: '2017年第三季度',
      periodStart: null,
      periodEnd: null,
      deadline: '2017-10-10',
      note: null,
      requiresApproval: false,
    });
    const rows = await database.db.selectFrom('notifications').selectAll().where('kind', '=', 'round_opened').execute();
    const submissions = await database.db.selectFrom('unit_submissions').select('unit_id').where('round_id', '=', round.id).execute();
    assert.deepEqual(
      rows.map((r) => r.unit_id).sort((a, b) => a! - b!),
      submissions.map((s) => s.unit_id).sort((a, b) => a - b),
    );
    const told = (await service.list(people.otherUnit)).find((n) => n.kind === 'round_opened')!;
    assert.equal(told.roundId, round.id);
    assert.equal(told.message, '办公室发起了调度“2017年第三季度”，请于2017年10月10日 23:59前填报并提交。');
    assert.ok(rows.some((r) => r.unit_id === guicaiId));
    assert.deepEqual(await service.list(people.office), []);
  });

  it('the system actor has no notifications and cannot mark any', async (database) => {
    const { service } = await setUp(database);
    const system = { kind: 'system', name: 'cli', userId: null } as const;
    assert.deepEqual(await service.list(system), []);
    await assert.rejects(service.markAllRead(system), (error) => isDomainError(error) && error.kind === 'forbidden');
  });
});
