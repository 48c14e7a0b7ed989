import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nearDuplicates, normaliseForSimilarity, SAME_ANSWER, similarityOf } from './similarity.ts';

/** Deterministic pseudo-random Chinese prose (no two alike). */
function prose(seed: number, length = 80): string {
  const pool = '环境保护监测治理污染排放水质空气土壤生态修复工程项目推进落实规划建设管理制度考核评估督察执法企业园区流域断面达标整改';
  let state = seed * 2654435761 + 1;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out += pool[state % pool.length];
  }
  return out;
}

describe('similarity of answers', () => {
  it('ignores punctuation, spacing and dates', () => {
    assert.equal(normaliseForSimilarity('截至 2017 年 6 月，全省淘汰黄标车 5.16 万辆。'), '全省淘汰黄标车516万辆');
    assert.equal(normaliseForSimilarity('1-6 月，上半年、第二季度：目前已完成。'), '已完成');
    // Full-width figures, dates in Chinese numerals or with dots, months listed, 截止到.
    assert.equal(normaliseForSimilarity('截止到２０１７年６月底，二〇一七年九月、十二月，8、9月份，2017.6.30，2017-09-30：完成１２个。'), '完成12个');
    // Amounts are not dates: 2017.6 万元 keeps its figures.
    assert.equal(normaliseForSimilarity('投资 2017.6 万元'), '投资20176万元');
    const june = '截至2017年6月，全省已实施项目 774 个，其中已完成 188 个。';
    const september = '截至 2017 年 9 月底，全省已实施项目774个，其中已完成188个';
    assert.equal(similarityOf(normaliseForSimilarity(june), normaliseForSimilarity(september)), 1);
    const rewritten = '截至2017年9月，全省已实施项目 774 个，其中已完成 301 个、在建 240 个。';
    assert.ok(similarityOf(normaliseForSimilarity(june), normaliseForSimilarity(rewritten)) < 0.9);
  });

  it('holds short answers the same only when identical', () => {
    assert.equal(similarityOf('正在推进落实', '正在按期推进落实'), 0);
    assert.equal(similarityOf('正在推进落实', '正在推进落实'), 1);
  });

  it('finds near-duplicates across tasks without comparing every pair', () => {
    const n = 4000;
    const items = Array.from({ length: n }, (_, i) => ({ text: prose(i), task: i }));
    // Plant: item 3000 is item 10 with two characters changed; item 3500 repeats item 20 on the same task.
    items[3000] = { text: `${items[10]!.text.slice(0, 40)}工程${items[10]!.text.slice(42)}`, task: 3000 };
    items[3500] = { text: items[20]!.text, task: 20 };
    const stats = { comparisons: 0 };
    const found = nearDuplicates(items, stats);
    const pairs = found.flatMap((f, i) => (f.other === -1 ? [] : [[i, f.other]]));
    assert.deepEqual(pairs, [[3000, 10]]);
    assert.ok(found[3000]!.similarity >= 0.9);
    assert.ok(stats.comparisons < n, `${stats.comparisons} exact comparisons for ${n} answers`);
  });

  it('finds among answers of one template, figures varied, the same pairs as comparing every pair', () => {
    // Answers alike at 0.5–0.8 crowd the same buckets: each is met often, and must be checked once and cheaply.
    const items = Array.from({ length: 300 }, (_, i) => {
      const n = (k: number) => ((i * 7919 + k * 104729) % 97) + 10;
      const text =
        i % 3 === 0
          ? `全省已实施城镇污水厂新建扩建项目${n(1) + n(2) + n(3)}个其中已完成${n(1)}个正在调试${n(2)}个在建${n(3)}个`
          : `${n(5)}个国家断面有${n(6)}个水质为III类及以上占比${n(7)}同比上升${n(8)}个百分点印发了川环函${n(9)}号`;
      return { text, task: i % 120 };
    });
    const found = nearDuplicates(items);
    const expected = items.map((item, i) => {
      for (let j = 0; j < i; j++) {
        if (items[j]!.task === item.task) continue;
        const similarity = similarityOf(item.text, items[j]!.text);
        if (similarity >= SAME_ANSWER) return { other: j, similarity };
      }
      return { other: -1, similarity: 0 };
    });
    assert.ok(expected.filter((e) => e.other !== -1).length > 100, 'the template repeats itself');
    assert.deepEqual(found, expected);
  });
});
