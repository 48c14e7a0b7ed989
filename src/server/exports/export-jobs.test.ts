import assert from 'node:assert/strict';
import { forEachEngine } from '../../../tests/support/databases.ts';
import { openDatabase } from '../db/database.ts';
import { unavailable, type DomainError } from '../../domain/errors.ts';
import { createExportJobStore, type ExportJob } from './export-jobs.ts';

function clock(start = '2026-03-02T08:00:00.000Z') {
  let current = new Date(start).getTime();
  return Object.assign(() => new Date(current), { advance: (ms: number) => (current += ms) });
}

async function codeOf(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    return (error as DomainError).code;
  }
  return assert.fail('expected an error');
}

const input = { roundId: 1, format: 'docx' as const, fileName: '通报.docx' };

forEachEngine('export jobs in the database (decision 040)', (it, engine) => {
  it('a job is its owner’s, says why it failed, keeps its file 15 minutes and is then deleted; the limits are counted from the table', async (database) => {
    const now = clock();
    const store = createExportJobStore({ database, now, workerId: 'a' });
    const job = await store.add('user:1', input);
    assert.equal(await codeOf(() => store.get('user:2', job.id)), 'export_job_not_found', 'another user’s job is not found');
    assert.equal(store.present(await store.get('user:1', job.id)).status, 'queued');
    await store.running(job);
    now.advance(60 * 60_000);
    assert.equal((await store.get('user:1', job.id)).status, 'running', 'a running job never expires');
    assert.equal(await store.finish(job, new Uint8Array([1, 2, 0, 3])), true);
    const done = await store.get('user:1', job.id);
    const view = store.present(done);
    assert.deepEqual([view.status, view.bytes, view.finishedAt, view.expiresAt], ['done', 4, '2026-03-02T09:00:00.000Z', '2026-03-02T09:15:00.000Z']);
    assert.deepEqual(await store.content(done), new Uint8Array([1, 2, 0, 3]), 'the file’s bytes come back exactly');
    now.advance(15 * 60_000 - 1);
    assert.equal((await store.get('user:1', job.id)).status, 'done');
    now.advance(1);
    assert.equal(await codeOf(() => store.get('user:1', job.id)), 'export_job_not_found');
    await store.tick();
    assert.equal((await database.db.selectFrom('export_jobs').select('id').execute()).length, 0, 'the row and its file are deleted');

    const failing = await store.add('user:1', input);
    await store.fail(failing, unavailable('pdf_unavailable', '服务器未安装 LibreOffice', { soffice: null }));
    const failed = await store.get('user:1', failing.id);
    assert.deepEqual((({ status, error, errorCode, bytes }) => ({ status, error, errorCode, bytes }))(store.present(failed)), {
      status: 'failed',
      error: '服务器未安装 LibreOffice',
      errorCode: 'pdf_unavailable',
      bytes: undefined,
    });
    assert.deepEqual([failed.error?.kind, failed.error?.details], ['unavailable', { soffice: null }], 'the error keeps its kind and details');

    // At most 3 at once per user (429), 30 on all servers (503, here 4); how many a minute is the route's limit alone.
    const limited = createExportJobStore({ database, now, workerId: 'a', limits: { queued: 4 } });
    const mine = await Promise.all([1, 2, 3].map(() => limited.add('user:3', input)));
    assert.equal(await codeOf(() => limited.add('user:3', input)), 'export_busy');
    await limited.add('user:4', input);
    assert.equal(await codeOf(() => limited.add('user:5', input)), 'export_queue_full');
    await limited.finish(mine[0]!, new Uint8Array(1));
    await limited.add('user:3', input);
    await limited.finish(mine[1]!, new Uint8Array(1));
    await limited.add('user:3', input);
    await limited.finish(mine[2]!, new Uint8Array(1));
    // A sixth in one minute: no second per-minute count here (decision 043), the route's limiter refuses it.
    await limited.add('user:3', input);
  });

  it('a job finished or failed at the moment it is recorded as such, not when its transaction got a connection', async (database) => {
    // The render worker ends jobs one after another: their times must keep that order, though on
    // PostgreSQL the later job's transaction may start first (export-api: "first in, first out").
    const now = clock();
    const store = createExportJobStore({ database, now, workerId: 'a' });
    const [rendered, refused] = [await store.add('user:1', input), await store.add('user:1', input)];
    const finishing = store.finish(rendered, new Uint8Array(1));
    const failing = store.fail(refused, unavailable('pdf_unavailable', '服务器未安装 LibreOffice', {}));
    now.advance(60_000);
    assert.deepEqual([await finishing, await failing], [true, true]);
    assert.deepEqual(
      [store.present(await store.get('user:1', rendered.id)).finishedAt, store.present(await store.get('user:1', refused.id)).finishedAt],
      ['2026-03-02T08:00:00.000Z', '2026-03-02T08:00:00.000Z'],
    );
  });

  it('a user keeps at most 10 jobs: a new one pushes out the oldest finished one', async (database) => {
    const now = clock();
    const store = createExportJobStore({ database, now, workerId: 'a' });
    const done: ExportJob[] = [];
    for (let i = 0; i < 10; i++) {
      const job = await store.add('user:1', input);
      now.advance(1000);
      await store.finish(job, new Uint8Array(1));
      done.push(job);
    }
    const newest = await store.add('user:1', input);
    assert.equal(await codeOf(() => store.get('user:1', done[0]!.id)), 'export_job_not_found');
    assert.equal((await store.get('user:1', done[1]!.id)).status, 'done');
    assert.equal((await store.get('user:1', newest.id)).status, 'queued');
    assert.equal((await database.db.selectFrom('export_jobs').select('id').execute()).length, 10);
  });

  it('another server answers the poll and the download; a job whose server died is taken over once, and the dead server cannot record over it', async (database) => {
    // PostgreSQL: a second pool, as a second server would have. SQLite is one server (decision 035).
    const other = engine === 'postgres' ? await openDatabase(database.url) : database;
    try {
      const now = clock();
      const a = createExportJobStore({ database, now, workerId: 'a' });
      const b = createExportJobStore({ database: other, now, workerId: 'b' });
      const c = createExportJobStore({ database: other, now, workerId: 'c' });
      const asked = await a.add('user:1', input);
      assert.equal((await b.get('user:1', asked.id)).status, 'queued', 'server B sees the job server A took');
      await a.finish(asked, new Uint8Array([7, 8]));
      const seen = await b.get('user:1', asked.id);
      assert.deepEqual([seen.status, await b.content(seen)], ['done', new Uint8Array([7, 8])], 'and hands out its file');

      const orphan = await a.add('user:1', input);
      await a.running(orphan);
      assert.deepEqual(await Promise.all([b.claimAbandoned(5), c.claimAbandoned(5)]), [[], []], 'a live claim is not taken');
      now.advance(60_000);
      await a.tick();
      now.advance(100_000);
      assert.deepEqual(await Promise.all([b.claimAbandoned(5), c.claimAbandoned(5)]), [[], []], 'a renewed claim is not taken');
      // Server A dies: no more renewals.
      now.advance(121_000);
      const [byB, byC] = await Promise.all([b.claimAbandoned(5), c.claimAbandoned(5)]);
      assert.equal(byB.length + byC.length, 1, 'exactly one server takes the job over');
      const taker = byB.length === 1 ? b : c;
      const taken = (byB[0] ?? byC[0])!;
      assert.equal(taken.id, orphan.id);
      assert.equal(await a.finish(orphan, new Uint8Array([1])), false, 'the dead server cannot record over the new claim');
      assert.equal(await a.fail(orphan, unavailable('export_timeout', '超时')), false);
      assert.equal(await taker.finish(taken, new Uint8Array([9])), true);
      assert.deepEqual(await b.content(await b.get('user:1', orphan.id)), new Uint8Array([9]));

      // A server that stops releases its claims: another takes the job over at once.
      const left = await a.add('user:1', input);
      await a.release();
      const takenOver = await b.claimAbandoned(5);
      assert.deepEqual(
        takenOver.map((job) => job.id),
        [left.id],
      );
    } finally {
      if (other !== database) await other.close();
    }
  });
});
