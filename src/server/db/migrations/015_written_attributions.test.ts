import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { importSeed } from '../../../../tests/support/seeded-plan.ts';
import { down, up } from './015_written_attributions.ts';

forEachEngine('migration 015 (written attributions)', (it) => {
  it('goes down and up again over stored data: entries kept, the written names gone and then empty', async (database) => {
    await importSeed(database);
    const written = async () =>
      (await database.db.selectFrom('progress_entries').select('attribution').where('attribution', 'is not', null).execute()).map((row) => row.attribution);
    assert.deepEqual(await written(), Array(7).fill('总队'), 'the seed writes 总队 in seven brackets');
    const entries = (await database.db.selectFrom('progress_entries').select('id').execute()).length;

    const db = database.db as unknown as Kysely<unknown>;
    await down(db);
    const columns = (await tablesHere(db)).find((table) => table.name === 'progress_entries')!.columns.map((column) => column.name);
    assert.ok(!columns.includes('attribution'));
    assert.equal((await database.db.selectFrom('progress_entries').select('id').execute()).length, entries);

    await up(db);
    assert.deepEqual(await written(), []);
  });
});
