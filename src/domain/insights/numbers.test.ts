import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decimalsOf, formatSum, oneDigitMore, readCount, roundsTo } from './numbers.ts';

describe('figures as written', () => {
  it('knows the precision a figure was written to and rounds to it', () => {
    assert.equal(decimalsOf('72.4'), 1);
    assert.equal(decimalsOf('35'), 0);
    assert.equal(decimalsOf('86.59'), 2);
    assert.ok(roundsTo((63 / 87) * 100, 72.4, 1)); // 72.41
    assert.ok(roundsTo((235 / 672) * 100, 35, 0)); // 34.97
    assert.ok(!roundsTo((63 / 87) * 100, 72.5, 1));
    assert.ok(roundsTo(0.125 * 100, 12.5, 1));
    assert.equal(oneDigitMore((63 / 87) * 100, 1), '72.41');
    assert.equal(formatSum(774, 0), '774');
    assert.equal(formatSum(885.92, 2), '885.92');
  });

  it('reads counts in Arabic figures and Chinese numerals', () => {
    assert.equal(readCount('6'), 6);
    assert.equal(readCount('六'), 6);
    assert.equal(readCount('两'), 2);
    assert.equal(readCount('十二'), 12);
    assert.equal(readCount('甲'), null);
  });
});
