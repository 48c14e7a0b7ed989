import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { systemActor } from '../../../domain/actor.ts';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { buildPlanDocument } from '../../../../tests/support/factories.ts';
import { createPlanImportService } from '../../services/plan-import.service.ts';
import { down, up } from './013_answer_copies_and_attachments.ts';

forEachEngine('migration 013 (answer copies and attachments)', (it) => {
  it('down removes the copy columns and the attachment table, keeping every answer; up brings them back with answers not copied', async (database) => {
    await createPlanImportService({ database }).importDocument(systemActor('test'), buildPlanDocument(), { fileName: 'test.txt', contentHash: 'sha256:test' });
    const db = database.db as unknown as Kysely<unknown>;
    const answersBefore = await database.db.selectFrom('progress_entries').select(['id', 'text']).orderBy('id').execute();
    assert.ok(answersBefore.length > 0);
    const columnsOf = async (name: string) => (await tablesHere(db)).find((table) => table.name === name)?.columns.map((column) => column.name);

    await down(db);
    assert.equal(await columnsOf('answer_attachments'), undefined, 'the table is gone');
    assert.ok(!(await columnsOf('progress_entries'))!.includes('copied_from_round_id'));

    await up(db);
    assert.ok((await columnsOf('answer_attachments'))!.includes('content'));
    const answers = await database.db.selectFrom('progress_entries').select(['id', 'text', 'copied_from_round_id', 'copied_unchanged']).orderBy('id').execute();
    assert.deepEqual(
      answers.map((row) => ({ id: row.id, text: row.text })),
      answersBefore,
      'every answer kept as it was',
    );
    assert.ok(
      answers.every((row) => row.copied_from_round_id === null && row.copied_unchanged === null),
      'stored answers are not copies',
    );
    // The blob column holds bytes exactly, on both engines.
    const round = await database.db.selectFrom('rounds').select('id').executeTakeFirstOrThrow();
    const task = await database.db.selectFrom('tasks').select('id').executeTakeFirstOrThrow();
    const unit = await database.db.selectFrom('units').select('id').executeTakeFirstOrThrow();
    const bytes = new Uint8Array([0, 1, 2, 0xff, 0xfe, 0, 0x80]);
    await database.db
      .insertInto('answer_attachments')
      .values({
        round_id: round.id,
        task_id: task.id,
        unit_id: unit.id,
        file_name: 'a.pdf',
        kind: 'pdf',
        content_type: 'application/pdf',
        size_bytes: bytes.length,
        sha256: 'x',
        content: bytes,
        uploaded_at: '2017-09-20T01:00:00.000Z',
        uploaded_by_user_id: null,
        uploaded_by_name: '测试',
      })
      .execute();
    const stored = await database.db.selectFrom('answer_attachments').select('content').executeTakeFirstOrThrow();
    assert.deepEqual(new Uint8Array(stored.content), bytes);
  });
});
