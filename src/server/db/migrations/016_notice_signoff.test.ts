import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { person } from '../../../../tests/support/people.ts';
import { importSeed } from '../../../../tests/support/seeded-plan.ts';
import { down, up } from './016_notice_signoff.ts';

forEachEngine('migration 016 (notice sign-off)', (it) => {
  it('goes down and up again: the two tables dropped and made again, empty and usable, one row per round', async (database) => {
    const { roundId } = await importSeed(database);
    const drafter = await person(database, 'office', { name: '张敏' });
    const at = '2017-10-11T01:00:00.000Z';
    const row = {
      round_id: roundId,
      state: 'reviewing',
      version: 1,
      copies: 30,
      drafter_user_id: drafter.userId,
      drafter_name: '张敏',
      drafted_at: at,
      updated_at: at,
    };
    await database.db.insertInto('notice_signoffs').values(row).execute();

    const db = database.db as unknown as Kysely<unknown>;
    await down(db);
    const tables = async () => (await tablesHere(db)).map((table) => table.name);
    assert.ok(!(await tables()).includes('notice_signoffs'));
    assert.ok(!(await tables()).includes('notice_signoff_events'));

    await up(db);
    assert.deepEqual(await database.db.selectFrom('notice_signoffs').selectAll().execute(), []);
    await database.db.insertInto('notice_signoffs').values(row).execute();
    await assert.rejects(database.db.insertInto('notice_signoffs').values(row).execute(), 'one sign-off per round');
    await assert.rejects(
      database.db
        .insertInto('notice_signoffs')
        .values({ ...row, round_id: 999_999 })
        .execute(),
      'a sign-off of no round is refused',
    );
    await database.db
      .insertInto('notice_signoff_events')
      .values({
        round_id: roundId,
        action: 'submit',
        from_state: 'drafting',
        to_state: 'reviewing',
        actor_user_id: drafter.userId,
        actor_name: '张敏',
        comment: null,
        at,
      })
      .execute();
    assert.equal((await database.db.selectFrom('notice_signoff_events').selectAll().execute()).length, 1);
  });
});
