import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unavailable, type DomainError } from '../../domain/errors.ts';
import { createExportJobStore } from './export-jobs.ts';

function clock(start = '2026-03-02T08:00:00.000Z') {
  let current = new Date(start).getTime();
  return Object.assign(() => new Date(current), { advance: (ms: number) => (current += ms) });
}

const codeOf = (action: () => unknown) => {
  try {
    action();
  } catch (error) {
    return (error as DomainError).code;
  }
  return assert.fail('expected an error');
};

const input = { roundId: 1, format: 'docx' as const, fileName: '通报.docx' };

describe('export job store', () => {
  test('a job is found only by its owner; it and its file are forgotten 15 minutes after it finished', () => {
    const now = clock();
    const store = createExportJobStore({ now });
    const job = store.add('user:1', input);
    assert.equal(codeOf(() => store.get('user:2', job.id)), 'export_job_not_found', 'another user’s job is not found');
    assert.equal(store.present(job).status, 'queued');
    store.running(job);
    now.advance(60 * 60_000);
    assert.equal(store.get('user:1', job.id).status, 'running', 'a running job never expires');
    store.finish(job, new Uint8Array([1, 2, 3]));
    const view = store.present(store.get('user:1', job.id));
    assert.deepEqual([view.status, view.bytes, view.finishedAt, view.expiresAt], ['done', 3, '2026-03-02T09:00:00.000Z', '2026-03-02T09:15:00.000Z']);
    now.advance(15 * 60_000 - 1);
    assert.equal(store.get('user:1', job.id).status, 'done');
    now.advance(1);
    assert.equal(codeOf(() => store.get('user:1', job.id)), 'export_job_not_found');
    assert.equal(store.size(), 0, 'the file is gone from memory');
  });

  test('a failed job says why, with the code', () => {
    const store = createExportJobStore({ now: clock() });
    const job = store.add('user:1', input);
    store.fail(job, unavailable('pdf_unavailable', '服务器未安装 LibreOffice'));
    assert.deepEqual(
      (({ status, error, errorCode, bytes }) => ({ status, error, errorCode, bytes }))(store.present(job)),
      { status: 'failed', error: '服务器未安装 LibreOffice', errorCode: 'pdf_unavailable', bytes: undefined },
    );
  });

  test('a user runs at most 3 at once (429 export_busy), the server queues at most 30 (503 export_queue_full)', () => {
    const store = createExportJobStore({ now: clock(), limits: { queued: 4 } });
    const mine = [1, 2, 3].map(() => store.add('user:1', input));
    assert.equal(codeOf(() => store.add('user:1', input)), 'export_busy');
    store.add('user:2', input);
    assert.equal(codeOf(() => store.add('user:3', input)), 'export_queue_full');
    store.finish(mine[0]!, new Uint8Array(1));
    assert.doesNotThrow(() => store.add('user:1', input), 'a finished job frees its place');
  });

  test('a user keeps at most 10 jobs: a new one pushes out the oldest finished one', () => {
    const store = createExportJobStore({ now: clock() });
    const done = Array.from({ length: 10 }, () => {
      const job = store.add('user:1', input);
      store.finish(job, new Uint8Array(1));
      return job;
    });
    const newest = store.add('user:1', input);
    assert.equal(codeOf(() => store.get('user:1', done[0]!.id)), 'export_job_not_found');
    assert.equal(store.get('user:1', done[1]!.id).status, 'done');
    assert.equal(store.get('user:1', newest.id).status, 'queued');
    assert.equal(store.size(), 10);
  });
});
