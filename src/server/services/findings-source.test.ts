import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Finding } from '../../domain/insights/types.ts';
import type { Repositories } from '../db/repositories/index.ts';
import { cachedFindings } from './findings-source.ts';

const repositories = {} as Repositories;

it('keeps findings per round under one change stamp, within a budget of findings, the rounds read last first', async () => {
  const runs: number[] = [];
  const sizes = new Map([
    [1, 3],
    [2, 3],
    [3, 3],
  ]);
  const source = cachedFindings(async (_repositories, roundId) => {
    runs.push(roundId);
    return Array.from({ length: sizes.get(roundId)! }, () => ({ kind: 'silent_unit', taskId: roundId }) as unknown as Finding);
  }, 7);
  const first = await source(repositories, 1, 's1');
  assert.equal(await source(repositories, 1, 's1'), first, 'the same stamp: the kept findings');
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first[0]), 'shared, so frozen');
  await source(repositories, 1, 's2');
  assert.deepEqual(runs, [1, 1], 'a write since: computed again');
  await source(repositories, 1, null);
  assert.deepEqual(runs, [1, 1, 1], 'no stamp (PostgreSQL): always computed');

  // 3 + 3 findings fit the budget of 7: a third round is not kept (a dashboard reads the rounds in
  // turn: pushing out the first for the third would leave neither when it comes round again).
  await source(repositories, 2, 's2');
  await source(repositories, 3, 's2');
  runs.length = 0;
  await source(repositories, 1, 's2');
  await source(repositories, 2, 's2');
  await source(repositories, 3, 's2');
  assert.deepEqual(runs, [3], 'rounds 1 and 2 kept, 3 computed');
  // After a write, the entries of the old stamp make room.
  await source(repositories, 3, 's3');
  await source(repositories, 1, 's3');
  runs.length = 0;
  await source(repositories, 3, 's3');
  await source(repositories, 1, 's3');
  assert.deepEqual(runs, [], 'rounds 3 and 1 kept under the new stamp');
});
