import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { importSeed } from '../../../../tests/support/seeded-plan.ts';
import { down, up } from './017_task_due.ts';

forEachEngine('migration 017 (task due dates)', (it) => {
  it('goes down and up again over stored tasks: tasks kept, the column gone and then empty', async (database) => {
    await importSeed(database);
    const tasks = (await database.db.selectFrom('tasks').select('id').execute()).length;
    await database.db.updateTable('tasks').set({ due: '2018年6月底前' }).execute();

    const db = database.db as unknown as Kysely<unknown>;
    await down(db);
    const columns = (await tablesHere(db)).find((table) => table.name === 'tasks')!.columns.map((column) => column.name);
    assert.ok(!columns.includes('due'));
    assert.equal((await database.db.selectFrom('tasks').select('id').execute()).length, tasks);

    await up(db);
    const dues = await database.db.selectFrom('tasks').select('due').execute();
    assert.equal(dues.length, tasks);
    assert.ok(dues.every((row) => row.due === null));
  });
});
