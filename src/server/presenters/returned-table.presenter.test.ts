import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIFF_MAX_EDIT_LENGTH, segmentsOf } from './returned-table.presenter.ts';

/** `length` characters that share no run with another seed's beyond chance. */
function prose(length: number, seed: number): string {
  const characters = '推进情况已完成项目环评审批技术评估下半年将剩余件的督办落实整改验收监测排放治理';
  let state = seed;
  let text = '';
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    text += characters[state % characters.length];
  }
  return text;
}

describe('segmentsOf: what a returned table changed, character by character', () => {
  it('marks only the words added to an answer, the rest kept', () => {
    assert.deepEqual(segmentsOf('完成项目环评审批 35 件。', '完成项目环评审批 35 件。下半年将完成剩余 4 件的技术评估。'), [
      { kind: 'same', text: '完成项目环评审批 35 件。' },
      { kind: 'added', text: '下半年将完成剩余 4 件的技术评估。' },
    ]);
    assert.deepEqual(segmentsOf('已召开协调会。', '已召开推进会。'), [
      { kind: 'same', text: '已召开' },
      { kind: 'removed', text: '协调' },
      { kind: 'added', text: '推进' },
      { kind: 'same', text: '会。' },
    ]);
  });

  it('marks a long addition inside a long answer exactly up to the bound on what a diff may find, and one character more shows as replaced', () => {
    const answer = prose(20_000, 1);
    const withAdded = (length: number) => answer.slice(0, 10_000) + prose(length, 7) + answer.slice(10_000);
    const segments = segmentsOf(answer, withAdded(DIFF_MAX_EDIT_LENGTH));
    assert.ok(
      segments.every((segment) => segment.kind !== 'removed'),
      'nothing removed',
    );
    assert.equal(
      segments.filter((segment) => segment.kind === 'added').reduce((sum, segment) => sum + segment.text.length, 0),
      DIFF_MAX_EDIT_LENGTH,
    );
    assert.deepEqual(segmentsOf(answer, withAdded(DIFF_MAX_EDIT_LENGTH + 1)), [
      { kind: 'removed', text: answer },
      { kind: 'added', text: withAdded(DIFF_MAX_EDIT_LENGTH + 1) },
    ]);
  });

  it('shows a text rewritten past the bound as the old one removed and the new one added, the same way every time', () => {
    const before = prose(2_000, 1);
    const after = prose(2_000, 2);
    const replaced = [
      { kind: 'removed', text: before },
      { kind: 'added', text: after },
    ];
    // Unrelated texts: far more than the bound of characters differ. The answer does not depend on how busy the machine is.
    for (let run = 0; run < 3; run++) assert.deepEqual(segmentsOf(before, after), replaced);
    assert.deepEqual(segmentsOf('', '新填写的推进情况'), [{ kind: 'added', text: '新填写的推进情况' }]);
    assert.deepEqual(segmentsOf('清空前的推进情况', ''), [{ kind: 'removed', text: '清空前的推进情况' }]);
  });
});
