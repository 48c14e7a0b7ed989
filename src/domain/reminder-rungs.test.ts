import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalRung, rungLabel, rungOf, rungOrder, rungProblem } from './reminder-rungs.ts';

describe('reminder rungs as people read and type them', () => {
  test('accepts what the scheduler reads (parseRung) and says why anything else is refused', () => {
    for (const good of ['before:1d', 'before:07d', 'before:60d', 'due_day:00:00', 'due_day:09:00', 'overdue_daily:23:59'])
      assert.equal(rungProblem(good), null, good);
    // The same refusals as parseRung's test in src/server/delivery/outbox.test.ts.
    assert.equal(rungProblem('before:0d'), '提前天数应为 1–60');
    assert.equal(rungProblem('before:99d'), '提前天数应为 1–60');
    assert.equal(rungProblem('before:007d'), '提前天数应为 1–60');
    for (const bad of ['due_day:24:00', 'due_day:9:00', 'overdue_daily:09:60']) assert.equal(rungProblem(bad), '时刻应为 00:00–23:59，如 09:00', bad);
    for (const bad of ['overdue_daily', 'after:1d', '', 'before:7', 'BEFORE:7d']) assert.match(rungProblem(bad)!, /^应为 before:7d/, bad);
  });

  test('labels, the form’s fields, and time order', () => {
    assert.deepEqual(['before:7d', 'before:07d', 'due_day:18:30', 'overdue_daily:09:00', 'after:1d'].map(rungLabel), [
      '截止前 7 天 09:00',
      '截止前 7 天 09:00',
      '截止当天 18:30',
      '逾期后每天 09:00',
      'after:1d',
    ]);
    assert.deepEqual(['before:07d', 'before:7d', 'before:99d', 'due_day:09:00'].map(canonicalRung), ['before:7d', 'before:7d', 'before:99d', 'due_day:09:00']);
    assert.deepEqual(
      [rungOf('before', ' 3 '), rungOf('due_day', '09:00'), rungOf('overdue_daily', '17:00')],
      ['before:3d', 'due_day:09:00', 'overdue_daily:17:00'],
    );
    const ladder = ['overdue_daily:09:00', 'due_day:18:30', 'before:2d', 'due_day:09:00', 'before:7d'];
    assert.deepEqual(
      [...ladder].sort((a, b) => rungOrder(a) - rungOrder(b)),
      ['before:7d', 'before:2d', 'due_day:09:00', 'due_day:18:30', 'overdue_daily:09:00'],
    );
  });
});
