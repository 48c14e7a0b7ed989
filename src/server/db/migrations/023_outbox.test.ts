import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { importSeed } from '../../../../tests/support/seeded-plan.ts';
import { down, up } from './023_outbox.ts';

forEachEngine('migration 023 (outbox and reminder rows)', (it) => {
  it('keeps one outbox row per dedupe key and one due row per round, unit, rung and occurrence; refuses a row for nobody or in no known state; goes down and up again', async (database) => {
    const { roundId } = await importSeed(database);
    const unit = await database.db.selectFrom('units').select('id').orderBy('id').executeTakeFirstOrThrow();
    const at = '2017-10-11T01:00:00.000Z';
    const message = {
      event: 'urge',
      round_id: roundId,
      unit_id: unit.id,
      user_id: null,
      channel: 'email',
      address: '{"channel":"email","to":"a@b.cn"}',
      subject: '催办',
      body: '请提交',
      link: null,
      dedupe_key: 'k1',
      state: 'queued',
      next_attempt_at: at,
      created_at: at,
    };
    await database.db.insertInto('outbox').values(message).execute();
    await assert.rejects(database.db.insertInto('outbox').values(message).execute(), 'the same dedupe key twice is refused');
    await assert.rejects(
      database.db
        .insertInto('outbox')
        .values({ ...message, dedupe_key: 'k2', unit_id: null })
        .execute(),
      'a message for nobody is refused',
    );
    await assert.rejects(
      database.db
        .insertInto('outbox')
        .values({ ...message, dedupe_key: 'k3', user_id: 1 })
        .execute(),
      'a message for a unit and a person at once is refused',
    );
    await assert.rejects(
      database.db
        .insertInto('outbox')
        .values({ ...message, dedupe_key: 'k4', state: 'lost' })
        .execute(),
      'an unknown state is refused',
    );
    const stored = await database.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    assert.equal(stored.attempts, 0);

    await database.db.insertInto('reminder_rungs').values({ round_id: roundId, rung: 'before:3d', set_by: '张敏', set_at: at }).execute();
    await assert.rejects(database.db.insertInto('reminder_rungs').values({ round_id: roundId, rung: 'before:3d', set_by: '张敏', set_at: at }).execute());
    const rung = await database.db.selectFrom('reminder_rungs').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([rung.quiet_hours, rung.weekends], [1, 0], 'quiet hours kept and weekends skipped unless the office says otherwise');
    const due = { round_id: roundId, unit_id: unit.id, rung: 'before:3d', occurrence: '1', due_at: at, state: 'pending' };
    await database.db.insertInto('reminder_due').values(due).execute();
    await assert.rejects(database.db.insertInto('reminder_due').values(due).execute());
    await assert.rejects(
      database.db
        .insertInto('reminder_due')
        .values({ ...due, occurrence: '2', state: 'sent' })
        .execute(),
    );

    const db = database.db as unknown as Kysely<unknown>;
    await down(db);
    const names = (await tablesHere(db)).map((table) => table.name);
    assert.ok(!names.includes('outbox') && !names.includes('reminder_rungs') && !names.includes('reminder_due'));
    await up(db);
    await database.db.insertInto('outbox').values(message).execute();
    await assert.rejects(database.db.insertInto('outbox').values(message).execute());
  });
});
