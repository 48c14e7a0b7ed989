import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupBy } from './group-by.ts';

describe('groupBy', () => {
  it('groups items by key, keys and items in the order they come', () => {
    const rows = [
      { taskId: 2, name: '李岳东' },
      { taskId: 1, name: '张敏' },
      { taskId: 2, name: '王强' },
    ];
    assert.deepEqual(
      [...groupBy(rows, (row) => row.taskId)],
      [
        [2, [rows[0], rows[2]]],
        [1, [rows[1]]],
      ],
    );
  });

  it('keeps only what `value` takes of each item', () => {
    const rows = [
      { taskId: 2, name: '李岳东' },
      { taskId: 2, name: '王强' },
    ];
    assert.deepEqual(
      groupBy(
        rows,
        (row) => row.taskId,
        (row) => row.name,
      ),
      new Map([[2, ['李岳东', '王强']]]),
    );
    assert.equal(groupBy([], (row: { taskId: number }) => row.taskId).size, 0);
  });
});
