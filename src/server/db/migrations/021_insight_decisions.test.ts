import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { importSeed } from '../../../../tests/support/seeded-plan.ts';
import { down, up } from './021_insight_decisions.ts';

forEachEngine('migration 021 (insight decisions)', (it) => {
  it('goes down and up again; one decision per lineage and key, one actual per round, lineage, key and unit — NULL unit included', async (database) => {
    const { roundId } = await importSeed(database);
    const unitId = (await database.db.selectFrom('units').select('id').executeTakeFirstOrThrow()).id;
    const at = '2017-10-11T01:00:00.000Z';
    const db = database.db as unknown as Kysely<unknown>;
    await down(db);
    const tables = async () => (await tablesHere(db)).map((table) => table.name);
    assert.ok(!(await tables()).includes('indicator_decisions'));
    assert.ok(!(await tables()).includes('actual_decisions'));
    await up(db);

    const indicator = { task_lineage: 7, key: 'k1', state: 'confirmed', name: null, target: null, decided_by: '张敏', decided_at: at };
    await database.db.insertInto('indicator_decisions').values(indicator).execute();
    await assert.rejects(database.db.insertInto('indicator_decisions').values(indicator).execute(), 'one decision per lineage and key');
    await database.db
      .insertInto('indicator_decisions')
      .values({ ...indicator, key: 'k2' })
      .execute();
    await assert.rejects(
      database.db
        .insertInto('indicator_decisions')
        .values({ ...indicator, key: 'k3', state: 'maybe' })
        .execute(),
      'state is confirmed or rejected',
    );

    const actual = { round_id: roundId, task_lineage: 7, key: 'k1', unit_id: unitId, state: 'rejected', actual: null, decided_by: '张敏', decided_at: at };
    await database.db.insertInto('actual_decisions').values(actual).execute();
    await assert.rejects(database.db.insertInto('actual_decisions').values(actual).execute(), 'one actual per unit');
    await database.db
      .insertInto('actual_decisions')
      .values({ ...actual, unit_id: null })
      .execute();
    await assert.rejects(
      database.db
        .insertInto('actual_decisions')
        .values({ ...actual, unit_id: null })
        .execute(),
      'one unattributed actual too',
    );
    await assert.rejects(
      database.db
        .insertInto('actual_decisions')
        .values({ ...actual, round_id: 999_999 })
        .execute(),
      'a decision in no round is refused',
    );
    assert.equal((await database.db.selectFrom('actual_decisions').selectAll().execute()).length, 2);
  });
});
