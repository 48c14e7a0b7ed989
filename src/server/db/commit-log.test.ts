import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommitLog, type NotedWrite } from './commit-log.ts';

const submission = (roundId: number, unitId: number): NotedWrite => ({ table: 'unit_submissions', roundId, unitId });

describe('CommitLog: the known commits between two change stamps', () => {
  test('collects the writes of every link between the two stamps, in the order they committed', () => {
    const log = new CommitLog();
    log.record('0/1', '0/3', [submission(1, 1)]);
    log.record('0/3', '0/5', [submission(2, 2), submission(3, 3)]);
    assert.deepEqual(log.writesBetween('0/1', '0/5'), [submission(1, 1), submission(2, 2), submission(3, 3)]);
    assert.deepEqual(log.writesBetween('0/3', '0/5'), [submission(2, 2), submission(3, 3)]);
    assert.deepEqual(log.writesBetween('0/5', '0/5'), [], 'nothing committed since');
  });

  test('a commit it does not know (another write, another process) breaks the chain: null, never a guess', () => {
    const log = new CommitLog();
    log.record('0/1', '0/3', [submission(1, 1)]);
    // '0/3' → '1/3': another connection committed; then a known group commit.
    log.record('1/3', '1/4', [submission(2, 2)]);
    assert.equal(log.writesBetween('0/1', '1/4'), null);
    assert.equal(log.writesBetween('0/0', '0/3'), null, 'a stamp before the first link');
    assert.deepEqual(log.writesBetween('1/3', '1/4'), [submission(2, 2)]);
  });

  test('a commit that changed nothing is no link, and the oldest links are let go', () => {
    const log = new CommitLog();
    log.record('0/1', '0/1', [submission(1, 1)]);
    assert.equal(log.writesBetween('0/0', '0/1'), null);
    for (let i = 0; i < 1_001; i++) log.record(`0/${i}`, `0/${i + 1}`, []);
    assert.equal(log.writesBetween('0/0', '0/1001'), null, 'the first link was let go');
    assert.deepEqual(log.writesBetween('0/1', '0/1001'), []);
  });
});
