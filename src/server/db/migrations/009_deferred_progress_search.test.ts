import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase } from '../../../../tests/support/databases.ts';
import { importSeed } from '../../../../tests/support/seeded-plan.ts';
import { down, up } from './009_deferred_progress_search.ts';

test('migration 009 down catches the progress index up and puts the immediate triggers back; up again defers', async () => {
  const database = await createTestDatabase('sqlite');
  try {
    await importSeed(database);
    const db = database.db as unknown as Kysely<unknown>;
    const integrity = () => sql`insert into progress_entries_fts (progress_entries_fts, rank) values ('integrity-check', 1)`.execute(db);
    const pending = async () => Number((await sql<{ n: number }>`select count(*) as n from progress_entries_fts_pending`.execute(db)).rows[0]!.n);
    const first = await database.db.selectFrom('progress_entries').select('id').orderBy('id').executeTakeFirstOrThrow();

    const imported = await database.db
      .selectFrom('progress_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(await pending(), Number(imported.n), 'every imported answer was noted, none indexed yet');
    await database.db.updateTable('progress_entries').set({ text: '迁移前改写的推进情况。' }).where('id', '=', first.id).execute();
    assert.equal(await pending(), Number(imported.n), 'a row noted once stays noted once');
    await down(db);
    await integrity();
    await database.db.updateTable('progress_entries').set({ text: '迁移回退后改写。' }).where('id', '=', first.id).execute();
    await integrity();
    const { rows } = await sql<{ rowid: number }>`select rowid from progress_entries_fts where progress_entries_fts match '"迁移回退后"'`.execute(db);
    assert.deepEqual(rows, [{ rowid: first.id }], 'the immediate triggers index at once again');

    await up(db);
    await database.db.deleteFrom('progress_entries').where('id', '=', first.id).execute();
    assert.equal(await pending(), 1);
  } finally {
    await database.dispose();
  }
});
