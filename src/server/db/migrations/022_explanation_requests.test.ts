import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { importSeed } from '../../../../tests/support/seeded-plan.ts';
import { down, up } from './022_explanation_requests.ts';

forEachEngine('migration 022 (explanation requests)', (it) => {
  it('keeps one open request per round, task, unit and kind; a replied one does not block a new one; goes down and up again', async (database) => {
    const { planId, roundId } = await importSeed(database);
    const task = await database.db.selectFrom('tasks').select('id').where('plan_id', '=', planId).orderBy('position').executeTakeFirstOrThrow();
    const unit = await database.db.selectFrom('units').select('id').orderBy('id').executeTakeFirstOrThrow();
    const at = '2017-10-11T01:00:00.000Z';
    const row = {
      round_id: roundId,
      task_id: task.id,
      unit_id: unit.id,
      kind: 'stale',
      message: '请说明',
      requested_by: '张敏',
      requested_by_user_id: null,
      requested_at: at,
    };
    const first = await database.db.insertInto('explanation_requests').values(row).returning('id').executeTakeFirstOrThrow();
    await assert.rejects(database.db.insertInto('explanation_requests').values(row).execute(), 'a second open request is refused');
    await database.db
      .insertInto('explanation_requests')
      .values({ ...row, kind: 'no_new_facts' })
      .execute();
    await database.db.updateTable('explanation_requests').set({ reply: '已更新', replied_by: '王芳', replied_at: at }).where('id', '=', first.id).execute();
    await database.db.insertInto('explanation_requests').values(row).execute();
    await assert.rejects(
      database.db
        .insertInto('explanation_requests')
        .values({ ...row, kind: 'x', round_id: 999_999 })
        .execute(),
      'a request of no round is refused',
    );

    const db = database.db as unknown as Kysely<unknown>;
    await down(db);
    assert.ok(!(await tablesHere(db)).some((table) => table.name === 'explanation_requests'));
    await up(db);
    assert.deepEqual(await database.db.selectFrom('explanation_requests').selectAll().execute(), []);
    await database.db.insertInto('explanation_requests').values(row).execute();
    await assert.rejects(database.db.insertInto('explanation_requests').values(row).execute());
  });
});
