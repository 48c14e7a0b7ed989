import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { compileTable } from '../../domain/compiled-table.ts';
import { isDomainError, type DomainError } from '../../domain/errors.ts';
import { readSeedDocument } from '../../../tests/support/seeded-plan.ts';
import { findAll, readXmlPart, readZipEntries, textOf } from '../../../tests/support/ooxml-read.ts';
import { createRenderPool, type RenderPool } from './render-pool.ts';
import { renderExport } from './render.ts';

/**
 * The render pool with its real worker thread (started through render.worker.mjs under the test
 * runner's `node --import tsx`; the CLI process test starts it under bin/diaodu.js's register()).
 */

const seed = readSeedDocument();
const notice = seed.notice!;
const table = compileTable(seed);
/** 4,440 rows: far more than the seed, enough to exhaust a small heap. */
const bigTable = { ...table, rows: Array.from({ length: 40 }, () => table.rows).flat() };

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => assert.fail('expected the job to fail'),
    (error: unknown) => {
      assert.ok(isDomainError(error), `a DomainError, got ${String(error)}`);
      return error as DomainError;
    },
  );

/** Workers the pool started or took over from a pool closed before it (the runner runs several test files in one process). */
const workers = (pool: RenderPool) => pool.stats().workersStarted + pool.stats().workersReused;

const documentText = (docx: Uint8Array) =>
  findAll(readXmlPart(readZipEntries(docx), 'word/document.xml'), 'w:p')
    .map((p) => textOf(p))
    .join('\n');

describe('render pool', () => {
  const pool = createRenderPool();
  after(() => pool.close());

  test('renders in the worker thread what the writers render here: the json byte for byte, the docx with its title and table', async () => {
    const json = await pool.run({ kind: 'json', document: seed });
    assert.deepEqual(json, await renderExport({ kind: 'json', document: seed }));
    const docx = await pool.run({ kind: 'docx', notice, table });
    const text = documentText(docx);
    assert.match(text, /川环办发〔2017〕102号\n四川省环境保护厅办公室关于《.+》2017年第二季度工作推进情况的通报\n/);
    assert.match(text, /具体工作任务/);
    assert.equal(workers(pool), 1, 'one worker for both jobs');
  });

  test('runs jobs one at a time in the order they came, telling each when it starts', async () => {
    const started: string[] = [];
    const waiting: number[] = [];
    const finished: string[] = [];
    // A job ahead of them, so that the three are all queued when the first of them starts.
    const ahead = pool.run({ kind: 'docx', notice, table });
    const jobs = (['xlsx', 'table-docx', 'docx'] as const).map((kind) =>
      pool
        .run({ kind, notice, table }, () => {
          started.push(kind);
          // When a job starts, the ones after it are still waiting: one job in the worker at a time.
          waiting.push(pool.stats().queued);
        })
        .then(() => finished.push(kind)),
    );
    await Promise.all([ahead, ...jobs]);
    assert.deepEqual(started, ['xlsx', 'table-docx', 'docx']);
    assert.deepEqual(waiting, [2, 1, 0]);
    assert.deepEqual(finished, ['xlsx', 'table-docx', 'docx']);
  });

  test('a writer’s own error keeps its code across the thread, and the worker lives on', async () => {
    const badDate = { ...notice, date: '2017年13月45日' };
    const error = await failure(pool.run({ kind: 'xlsx', notice: badDate, table }));
    assert.equal(error.kind, 'invalid', error.message);
    const started = workers(pool);
    assert.ok((await pool.run({ kind: 'json', document: seed })).byteLength > 0);
    assert.equal(workers(pool), started, 'the same worker');
  });
});

describe('render pool: failures', () => {
  test('a worker that runs out of its heap fails only its own job; the job queued behind it gets a fresh worker', async () => {
    // 64 MB renders the seed (it needs about 40) but not 40 times the seed (which needs more than 96).
    const pool = createRenderPool({ resourceLimits: { maxOldGenerationSizeMb: 64 } });
    try {
      const big = pool.run({ kind: 'docx', notice, table: bigTable });
      const small = pool.run({ kind: 'docx', notice, table });
      const error = await failure(big);
      assert.equal(error.code, 'export_worker_crashed');
      assert.match(error.message, /工作线程意外退出（内存超出上限 out of memory）.*其他导出不受影响/);
      assert.match(documentText(await small), /具体工作任务/);
      assert.equal(workers(pool), 2, 'the crashed worker was replaced');
    } finally {
      await pool.close();
    }
  });

  test('a job past the timeout is stopped and fails export_timeout; the next job runs in a new worker', async () => {
    const pool = createRenderPool({ timeoutMs: 300 });
    try {
      const slow = pool.run({ kind: 'docx', notice, table: bigTable });
      const next = pool.run({ kind: 'json', document: seed });
      const error = await failure(slow);
      assert.equal(error.code, 'export_timeout');
      assert.equal(error.kind, 'unavailable');
      assert.match(error.message, /超过 0\.3 秒/);
      assert.deepEqual(await next, await renderExport({ kind: 'json', document: seed }));
      assert.equal(workers(pool), 2);
    } finally {
      await pool.close();
    }
  });

  test('close fails what is queued and running with export_shutdown, and refuses new jobs', async () => {
    const pool = createRenderPool();
    const running = failure(pool.run({ kind: 'docx', notice, table: bigTable }));
    const queued = failure(pool.run({ kind: 'json', document: seed }));
    await pool.close();
    const refused = failure(pool.run({ kind: 'json', document: seed }));
    for (const error of await Promise.all([running, queued, refused])) assert.equal(error.code, 'export_shutdown');
  });

  test('a closed pool’s idle worker goes on in the next pool with the same heap limits, never in one with others; parked, it ends after the idle time', async () => {
    const json = await renderExport({ kind: 'json', document: seed });
    const used = async (options: Parameters<typeof createRenderPool>[0] = {}) => {
      const pool = createRenderPool(options);
      assert.deepEqual(await pool.run({ kind: 'json', document: seed }), json);
      const { workersStarted, workersReused } = pool.stats();
      await pool.close();
      return { workersStarted, workersReused };
    };
    await used(); // parks its worker (in place of any a test before left)
    assert.deepEqual(await used(), { workersStarted: 0, workersReused: 1 }, 'taken over');
    const other = { resourceLimits: { maxOldGenerationSizeMb: 512 } };
    assert.deepEqual(await used(other), { workersStarted: 1, workersReused: 0 }, 'other limits start their own');
    assert.deepEqual(await used(other), { workersStarted: 0, workersReused: 1 });
    assert.deepEqual(await used(), { workersStarted: 1, workersReused: 0 }, 'the parked worker had the other limits');
    await used({ idleMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(await used(), { workersStarted: 1, workersReused: 0 }, 'ended after the idle time');
    // A pool closed while its worker renders ends it: the next pool starts a fresh one.
    const busy = createRenderPool();
    const running = failure(busy.run({ kind: 'docx', notice, table: bigTable }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await busy.close();
    assert.equal((await running).code, 'export_shutdown');
    assert.deepEqual(await used(), { workersStarted: 1, workersReused: 0 }, 'a busy worker is never parked');
  });
});
