import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluationScore, statusLight } from './evaluation.ts';

describe('evaluation score', () => {
  it('is the answered share, a stale answer counting nothing and one without facts half, minus 10 when late', () => {
    assert.equal(evaluationScore({ tasks: 4, answered: 4, stale: 0, noNewFacts: 0, onTime: true }), 100);
    assert.equal(evaluationScore({ tasks: 4, answered: 3, stale: 0, noNewFacts: 0, onTime: null }), 75);
    assert.equal(evaluationScore({ tasks: 4, answered: 4, stale: 1, noNewFacts: 1, onTime: true }), 63);
    assert.equal(evaluationScore({ tasks: 4, answered: 4, stale: 0, noNewFacts: 0, onTime: false }), 90);
  });

  it('stays within 0–100 and is null when nothing was asked', () => {
    assert.equal(evaluationScore({ tasks: 2, answered: 0, stale: 0, noNewFacts: 0, onTime: false }), 0);
    assert.equal(evaluationScore({ tasks: 0, answered: 0, stale: 0, noNewFacts: 0, onTime: true }), null);
  });
});

describe('status light', () => {
  it('reads stored words and the document’s Chinese alike', () => {
    assert.deepEqual(['on_track', 'completed', '按期推进', '已完成'].map(statusLight), ['green', 'green', 'green', 'green']);
    assert.deepEqual(['not_started', '未启动'].map(statusLight), ['yellow', 'yellow']);
    assert.deepEqual(['delayed', 'suspended', '滞后', '暂缓'].map(statusLight), ['red', 'red', 'red', 'red']);
    assert.deepEqual([null, '', '其他'].map(statusLight), ['none', 'none', 'none']);
  });
});
