import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildChapters, buildPlanDocument } from '../../../tests/support/factories.ts';
import { describeDifference, firstDifference, structureOf } from './plan-document-diff.ts';

describe('firstDifference', () => {
  test('equal values, including nested arrays and nulls, have none', () => {
    assert.equal(firstDifference(buildPlanDocument(), buildPlanDocument()), null);
    assert.equal(firstDifference({ a: [1, null, { b: 'x' }] }, { a: [1, null, { b: 'x' }] }), null);
  });

  test('reports the first difference in document order with both values', () => {
    assert.deepEqual(firstDifference({ a: 1, b: [1, 2], c: 3 }, { a: 1, b: [1, 5], c: 4 }), { path: 'b[1]', stored: 2, incoming: 5 });
  });

  test('a longer or shorter array differs at the first missing element', () => {
    assert.deepEqual(firstDifference([1, 2], [1, 2, 3]), { path: '[2]', stored: undefined, incoming: 3 });
    assert.deepEqual(firstDifference({ xs: [1, 2] }, { xs: [1] }), { path: 'xs[1]', stored: 2, incoming: undefined });
  });

  test('null against an object, and the same keys in another order, differ', () => {
    assert.equal(firstDifference({ notice: null }, { notice: {} })?.path, 'notice');
    assert.deepEqual(firstDifference({ m: { a: '1', b: '2' } }, { m: { b: '2', a: '1' } }), { path: 'm', stored: ['a', 'b'], incoming: ['b', 'a'] });
  });
});

describe('structureOf', () => {
  test('ignores progress, warnings, the round and the notice', () => {
    const other = buildPlanDocument({ round: { label: '2017年第三季度' }, notice: null, warnings: [] });
    for (const chapter of other.chapters)
      for (const section of chapter.sections) for (const task of section.tasks) Object.assign(task, { progress: [], warnings: ['x'] });
    assert.equal(firstDifference(structureOf(buildPlanDocument()), structureOf(other)), null);
  });
});

describe('describeDifference', () => {
  test('names the task by its number in the whole plan and an excerpt of its text', () => {
    const chapters = buildChapters();
    const message = describeDifference(chapters, { path: 'chapters[1].sections[1].tasks[1].leaders[0]', stored: '李岳东', incoming: '张金汉' });
    assert.equal(message, '第 5 项任务「建立生态保护红线监管平台。」 leaders[0]：已存 "李岳东"，导入 "张金汉"');
  });

  test('names chapters and sections, and says when one side has nothing', () => {
    const chapters = buildChapters();
    assert.match(describeDifference(chapters, { path: 'chapters[1].title', stored: 'a', incoming: 'b' }), /^第 2 章 title/);
    assert.match(describeDifference(chapters, { path: 'chapters[0].sections[0].number', stored: 1, incoming: 2 }), /^第 1 章第 1 节/);
    assert.match(describeDifference(chapters, { path: 'chapters[2]', stored: undefined, incoming: { number: 3 } }), /已存 （无）/);
  });
});
