import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { systemActor } from '../../../domain/actor.ts';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { buildPlanDocument } from '../../../../tests/support/factories.ts';
import { createPlanImportService } from '../../services/plan-import.service.ts';
import { down, up } from './011_review_per_answer.ts';

forEachEngine('migration 011 (review per answer)', (it) => {
  it('adds the review and late columns, carries whole-unit reviews onto the answers, and goes down again', async (database) => {
    const imported = await createPlanImportService({ database }).importDocument(systemActor('test'), buildPlanDocument(), {
      fileName: 'test.txt',
      contentHash: 'sha256:test',
    });
    const db = database.db as unknown as Kysely<unknown>;
    const columnsOf = async (table: string) => (await tablesHere(db)).find((t) => t.name === table)!.columns.map((c) => c.name);
    await down(db);
    assert.ok(!(await columnsOf('progress_entries')).includes('review_state'));
    assert.ok(!(await columnsOf('unit_submissions')).includes('submitted_late'));

    // Before 011: a round whose units were reviewed as a whole.
    const at = '2017-10-01T00:00:00.000Z';
    const units = await database.db.selectFrom('units').select('id').orderBy('id').limit(3).execute();
    const tasks = await database.db.selectFrom('tasks').select('id').where('plan_id', '=', imported.planId).orderBy('id').limit(3).execute();
    const states = ['accepted', 'returned', 'submitted'];
    await database.db.deleteFrom('progress_entries').where('unit_id', 'is not', null).execute();
    for (const [i, unit] of units.entries()) {
      await db
        .insertInto('unit_submissions' as never)
        .values({ round_id: imported.roundId, unit_id: unit.id, state: states[i], version: 1, updated_at: at } as never)
        .execute();
      await db
        .insertInto('progress_entries' as never)
        .values({
          round_id: imported.roundId,
          task_id: tasks[i]!.id,
          unit_id: unit.id,
          position: 90 + i,
          text: `第${i}项`,
          version: 1,
          created_at: at,
          updated_at: at,
        } as never)
        .execute();
    }

    await up(db);
    assert.ok((await columnsOf('progress_entries')).includes('review_state'));
    const submissions = await database.db.selectFrom('unit_submissions').select(['submitted_late', 'deadline', 'note']).execute();
    assert.ok(submissions.every((s) => Number(s.submitted_late) === 0 && s.deadline === null && s.note === null));
    const reviews = await database.db
      .selectFrom('progress_entries')
      .select(['unit_id', 'review_state'])
      .where('round_id', '=', imported.roundId)
      .where(
        'unit_id',
        'in',
        units.map((u) => u.id),
      )
      .orderBy('unit_id')
      .execute();
    assert.deepEqual(
      reviews.map((r) => r.review_state),
      ['accepted', 'returned', null],
      'an accepted unit’s answers are accepted, a returned unit’s returned (all editable, as before), a submitted one’s open',
    );
    const others = await database.db.selectFrom('progress_entries').select('review_state').where('review_state', 'is not', null).execute();
    assert.equal(others.length, 2, 'answers of units without a reviewed submission (and imported text without a unit) are left alone');
  });
});
