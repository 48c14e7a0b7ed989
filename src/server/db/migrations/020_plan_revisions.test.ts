import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { importSeed } from '../../../../tests/support/seeded-plan.ts';
import { down, up } from './020_plan_revisions.ts';

forEachEngine('migration 020 (plan revisions)', (it) => {
  it('every stored task is its own lineage; down and up again keep every task, chapter and plan', async (database) => {
    const { planId } = await importSeed(database);
    const tasks = await database.db.selectFrom('tasks').select(['id', 'lineage', 'retired_at', 'replaced_by']).orderBy('id').execute();
    assert.equal(tasks.length, 111);
    assert.ok(
      tasks.every((task) => task.lineage === task.id && task.retired_at === null && task.replaced_by === null),
      'imported tasks: lineage = id, current',
    );

    const db = database.db as unknown as Kysely<unknown>;
    await down(db);
    const columnsOf = async (name: string) => (await tablesHere(db)).find((table) => table.name === name)?.columns.map((column) => column.name);
    assert.ok(!(await columnsOf('tasks'))!.includes('lineage'));
    assert.ok(!(await columnsOf('plans'))!.includes('archived_at'));
    assert.equal(await columnsOf('plan_revisions'), undefined);

    await up(db);
    const again = await database.db.selectFrom('tasks').select(['id', 'lineage']).orderBy('id').execute();
    assert.deepEqual(
      again.map((task) => task.lineage),
      tasks.map((task) => task.id),
    );
    const plan = await database.db.selectFrom('plans').select(['archived_at', 'copied_from_plan_id']).where('id', '=', planId).executeTakeFirstOrThrow();
    assert.deepEqual(plan, { archived_at: null, copied_from_plan_id: null });
    assert.ok((await columnsOf('plan_revisions'))!.includes('last_round_id'));
  });
});
