import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { systemActor } from '../../../domain/actor.ts';
import { forEachEngine, type TestDatabase } from '../../../../tests/support/databases.ts';
import { buildPlanDocument } from '../../../../tests/support/factories.ts';
import { createPlanImportService } from '../../services/plan-import.service.ts';
import { down, up } from './012_round_safety.ts';

/** The columns of a table that has rows (kysely's introspector would list every PostgreSQL schema's tables). */
async function columnsOf(database: TestDatabase, table: 'units'): Promise<string[]> {
  const rows = await database.db.selectFrom(table).selectAll().limit(1).execute();
  return Object.keys(rows[0]!);
}

forEachEngine('migration 012 (round safety)', (it) => {
  it('goes down and up again, marks units stored under a collective name, and leaves the unit deadline of 011 alone', async (database) => {
    await createPlanImportService({ database }).importDocument(systemActor('test'), buildPlanDocument(), { fileName: 'test.txt', contentHash: 'sha256:test' });
    const now = new Date().toISOString();
    const db = database.db as unknown as Kysely<unknown>;
    // unit_submissions.deadline is 011's (the late-submit workflow): down and up leave it as it was.
    const round = await database.db.selectFrom('rounds').select('id').executeTakeFirstOrThrow();
    const unit = await database.db.selectFrom('units').select('id').executeTakeFirstOrThrow();
    await database.db
      .insertInto('unit_submissions')
      .values({ round_id: round.id, unit_id: unit.id, state: 'draft', version: 1, updated_at: now, deadline: '2017-10-20T23:59:59+08:00' } as never)
      .execute();
    await down(db);
    assert.ok(!(await columnsOf(database, 'units')).includes('collective'), 'down removed the mark');
    await database.db
      .insertInto('units')
      .values([{ name: '厅机关各处（室）', created_at: now } as never, { name: '某某测试处', created_at: now } as never])
      .execute();

    await up(db);
    const units = await database.db
      .selectFrom('units')
      .select(['name', 'collective'])
      .where('name', 'in', ['厅机关各处（室）', '某某测试处'])
      .orderBy('name')
      .execute();
    assert.deepEqual(Object.fromEntries(units.map((u) => [u.name, Number(u.collective)])), { '厅机关各处（室）': 1, 某某测试处: 0 });
    assert.deepEqual(await database.db.selectFrom('round_task_units').selectAll().execute(), []);
    const rounds = await database.db.selectFrom('rounds').select(['voided_at', 'voided_by', 'void_reason']).execute();
    assert.ok(rounds.every((r) => r.voided_at === null && r.voided_by === null && r.void_reason === null));
    assert.deepEqual(await database.db.selectFrom('unit_submissions').select('deadline').execute(), [{ deadline: '2017-10-20T23:59:59+08:00' }]);
  });
});
