import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { forEachEngine } from '../../../../tests/support/databases.ts';
import { tablesHere } from '../../../../tests/support/db-inspection.ts';
import { down, up } from './026_export_jobs.ts';

forEachEngine('migration 026 (export jobs and rate-limit counters)', (it) => {
  it('holds a job’s file exactly once done and only then; refuses an unknown state and a second counter for one key; goes down and up again', async (database) => {
    const at = '2026-12-06T01:00:00.000Z';
    const job = { id: 'j1', owner: 'user:1', round_id: 1, format: 'docx', file_name: '通报.docx', options: null, state: 'queued', created_at: at };
    await database.db.insertInto('export_jobs').values(job).execute();
    await assert.rejects(
      database.db
        .insertInto('export_jobs')
        .values({ ...job, id: 'j2', state: 'lost' })
        .execute(),
      'an unknown state is refused',
    );
    await assert.rejects(
      database.db
        .insertInto('export_jobs')
        .values({ ...job, id: 'j3', state: 'done' })
        .execute(),
      'done without a file is refused',
    );
    await assert.rejects(
      database.db
        .insertInto('export_jobs')
        .values({ ...job, id: 'j4', content: new Uint8Array([1]) })
        .execute(),
      'a file before done is refused',
    );
    const bytes = new Uint8Array([0, 1, 2, 0xff, 0xfe, 0, 0x80]);
    await database.db
      .updateTable('export_jobs')
      .set({ state: 'done', content: bytes, bytes: bytes.byteLength, finished_at: at })
      .where('id', '=', 'j1')
      .execute();
    const stored = await database.db.selectFrom('export_jobs').select('content').where('id', '=', 'j1').executeTakeFirstOrThrow();
    assert.deepEqual(new Uint8Array(stored.content!), bytes, 'the bytes come back exactly, on both engines');

    await database.db.insertInto('rate_limit_hits').values({ key: 'k', hits: 1, window_ends_at: at }).execute();
    await assert.rejects(database.db.insertInto('rate_limit_hits').values({ key: 'k', hits: 1, window_ends_at: at }).execute());

    const db = database.db as unknown as Kysely<unknown>;
    await down(db);
    const names = (await tablesHere(db)).map((table) => table.name);
    assert.ok(!names.includes('export_jobs') && !names.includes('rate_limit_hits'));
    await up(db);
    await database.db.insertInto('export_jobs').values(job).execute();
  });
});
