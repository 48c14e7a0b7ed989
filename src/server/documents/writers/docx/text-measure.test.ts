import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakBetweenWords, layoutNames, nameWidth, textWidth, wrapParagraph, wrapText } from './text-measure.ts';

test('full-width characters are one em, ASCII wider than half (conservative), a gap where scripts meet', () => {
  assert.equal(textWidth('环评处'), 3);
  assert.ok(textWidth('2015') > 2, 'digits are counted wider than half an em');
  assert.ok(textWidth('年2015年') > textWidth('年年') + textWidth('2015'), 'autospace between Chinese and digits');
});

test('lines put together give the paragraph back; no line starts with closing punctuation', () => {
  const text = '到 2020 年，资源节约型、环境友好型社会建设取得重大进展，生态环境质量明显改善。';
  for (const width of [3, 5, 8, 13]) {
    const lines = wrapParagraph(text, width);
    assert.equal(lines.join(''), text, `width ${width}`);
    for (const line of lines) assert.ok(!/^[，。、；：）》”]/.test(line), `“${line}” at width ${width}`);
    for (const line of lines) assert.ok(textWidth(line.trimEnd()) <= width || line.trim().length === 1, `“${line}” fits ${width}`);
  }
  assert.deepEqual(wrapParagraph('甲乙丙丁，戊', 4), ['甲乙丙', '丁，戊'], 'the comma takes the character before it down');
  assert.deepEqual(wrapParagraph('PM2.5浓度', 4), ['PM2.5', '浓度'], 'a Latin run is not cut when it fits a line');
  assert.equal(wrapText('甲乙\n丙丁戊', 2).length, 3, 'paragraphs start new lines');
});

test('names laid out whole, the 、 after each but the last; a department name wider than its column breaks between words', () => {
  assert.deepEqual(layoutNames(['李岳东', '钟勤建', '高洁'], 4), ['李岳东、', '钟勤建、', '高洁']);
  assert.deepEqual(layoutNames(['水处', '大气处'], 6), ['水处、大气处']);
  assert.equal(nameWidth(['机关服务中心', '水处']), 7);
  assert.deepEqual(breakBetweenWords('省生态文明建设领导小组办公室', 7), ['省生态文明建设', '领导小组办公室']);
  for (const line of breakBetweenWords('省经济和信息化委', 5)) assert.ok(textWidth(line) <= 5);
  assert.deepEqual(breakBetweenWords('环境保护厅', 5), ['环境保护厅']);
});
