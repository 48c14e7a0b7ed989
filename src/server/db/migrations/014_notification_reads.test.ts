import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { person } from '../../../../tests/support/people.ts';
import { importSeed, taskIdContaining } from '../../../../tests/support/seeded-plan.ts';
import { down, up } from './014_notification_reads.ts';

forEachEngine('migration 014 (notification reads, 落实反馈)', (it) => {
  it('goes down and up again over stored data: notifications kept, the new tables and column empty and usable', async (database) => {
    const { planId } = await importSeed(database);
    const taskId = await taskIdContaining(database, planId, '饮用水');
    const reader = await person(database, 'reporter', { unitId: 1 });
    const at = '2017-08-01T00:00:00.000Z';
    const notification = await database.db
      .insertInto('notifications')
      .values({ unit_id: 1, user_id: null, round_id: null, kind: 'reminder', message: '请填报。', created_at: at, task_id: taskId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.insertInto('notification_reads').values({ notification_id: notification.id, user_id: reader.userId, read_at: at }).execute();
    const instruction = await database.db
      .insertInto('instructions')
      .values({ task_id: taskId, round_id: null, author_user_id: null, author_name: '李岳东', text: '批示。', created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('instruction_feedback')
      .values({ instruction_id: instruction.id, unit_id: 1, author_user_id: reader.userId, author_name: '张敏', text: '已落实。', created_at: at })
      .execute();

    const db = database.db as unknown as Kysely<unknown>;
    await down(db);
    const tables = async () => (await tablesHere(db)).map((table) => table.name);
    assert.ok(!(await tables()).includes('notification_reads'));
    assert.ok(!(await tables()).includes('instruction_feedback'));
    const columns = (await tablesHere(db)).find((table) => table.name === 'notifications')!.columns.map((column) => column.name);
    assert.ok(!columns.includes('task_id'));
    assert.equal((await database.db.selectFrom('notifications').select('id').execute()).length, 1, 'the notification itself stays');

    await up(db);
    assert.equal((await database.db.selectFrom('notifications').select(['id', 'task_id']).executeTakeFirstOrThrow()).task_id, null);
    assert.deepEqual(await database.db.selectFrom('notification_reads').selectAll().execute(), []);
    await database.db.insertInto('notification_reads').values({ notification_id: notification.id, user_id: reader.userId, read_at: at }).execute();
    await assert.rejects(
      database.db.insertInto('notification_reads').values({ notification_id: notification.id, user_id: reader.userId, read_at: at }).execute(),
      'one read per notification and user',
    );
    await assert.rejects(
      database.db.insertInto('notification_reads').values({ notification_id: 999_999, user_id: reader.userId, read_at: at }).execute(),
      'a read of no notification is refused',
    );
  });
});
