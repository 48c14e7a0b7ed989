import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluationScore, notDue, scoreState, statusLight } from './evaluation.ts';

describe('evaluation score', () => {
  it('is the answered share, a stale answer counting nothing and one without facts half, minus 10 when late', () => {
    assert.equal(evaluationScore({ tasks: 4, answered: 4, stale: 0, noNewFacts: 0, onTime: true, due: true }), 100);
    assert.equal(evaluationScore({ tasks: 4, answered: 3, stale: 0, noNewFacts: 0, onTime: null, due: true }), 75);
    assert.equal(evaluationScore({ tasks: 4, answered: 4, stale: 1, noNewFacts: 1, onTime: true, due: true }), 63);
    assert.equal(evaluationScore({ tasks: 4, answered: 4, stale: 0, noNewFacts: 0, onTime: false, due: true }), 90);
  });

  it('stays within 0–100 and is null when nothing was asked', () => {
    assert.equal(evaluationScore({ tasks: 2, answered: 0, stale: 0, noNewFacts: 0, onTime: false, due: true }), 0);
    assert.equal(evaluationScore({ tasks: 0, answered: 0, stale: 0, noNewFacts: 0, onTime: true, due: true }), null);
  });

  it('gives none yet while an open round waits for the unit before its deadline (未到截止), not a 0', () => {
    const waiting = { tasks: 3, answered: 0, stale: 0, noNewFacts: 0, onTime: null, due: notDue('open', null) === false };
    assert.equal(waiting.due, false);
    assert.equal(evaluationScore(waiting), null);
    assert.equal(scoreState(waiting), 'not_due');
    // Late, submitted, closed or imported: due, and scored.
    assert.deepEqual([notDue('open', false), notDue('open', true), notDue('closed', null), notDue('imported', null)], [false, false, false, false]);
    assert.equal(scoreState({ tasks: 3, due: true }), 'scored');
    assert.equal(scoreState({ tasks: 0, due: false }), 'not_asked');
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
