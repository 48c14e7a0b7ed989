import assert from 'node:assert/strict';
import { test } from 'node:test';
import { titleLines, widthInCharacters } from './gb-t-9704.ts';
import { finishStylesXml } from './word-xml.ts';

const SEED_TITLE = '四川省环境保护厅办公室关于《贯彻落实〈中共四川省委关于推进绿色发展建设美丽四川的决定〉厅内分工方案》2017年第二季度工作推进情况的通报';
const TABLE_TITLE = '《贯彻落实〈中共四川省委关于推进绿色发展建设美丽四川的决定〉厅内分工方案》2017年第二季度工作推进情况调度表';

/** Every property a title's lines must have, whatever the title. */
function assertTitleShape(text: string, max: number) {
  const lines = titleLines(text, max);
  assert.equal(lines.join(''), text.replace(/\s+/g, ''), 'nothing lost or added');
  for (const line of lines) assert.ok(widthInCharacters(line) <= max, `“${line}” fits ${max} characters`);
  for (const line of lines.slice(1)) assert.ok(!/^[》〉）」』、，。：；！？]/.test(line), `“${line}” does not begin with closing punctuation`);
  for (const line of lines.slice(0, -1)) assert.ok(!/[《〈（「『]$/.test(line), `“${line}” does not end with opening punctuation`);
  // 梯形 or 菱形: once the lines get shorter (by more than a character) they never get longer again.
  const widths = lines.map(widthInCharacters);
  let falling = false;
  for (let index = 1; index < widths.length; index += 1) {
    if (widths[index]! < widths[index - 1]! - 1) falling = true;
    else if (falling) assert.ok(widths[index]! <= widths[index - 1]! + 1, `no 沙漏 shape: ${widths}`);
  }
  return lines;
}

test('the seed title: 4 lines of 20 characters at most, broken between words, the long 《…》 name broken once at its outer level', () => {
  assert.deepEqual(assertTitleShape(SEED_TITLE, 20), [
    '四川省环境保护厅办公室关于',
    '《贯彻落实〈中共四川省委关于推进绿色',
    '发展建设美丽四川的决定〉厅内分工方案》',
    '2017年第二季度工作推进情况的通报',
  ]);
});

test('the attachment title on a landscape line (28 characters): 2 lines, no word broken, 的 kept with the word before', () => {
  const lines = assertTitleShape(TABLE_TITLE, 28);
  assert.equal(lines.length, 2);
  assert.ok(!lines[1]!.startsWith('的'));
});

test('short titles stay on one line; 《…》 names shorter than a line are not broken; a word longer than a line is cut', () => {
  assert.deepEqual(titleLines('关于开展2017年度环境执法大检查的通知', 20), ['关于开展2017年度环境执法大检查的通知']);
  const lines = assertTitleShape('四川省环境保护厅办公室关于印发《2018年全省环境监察工作要点》的通知', 20);
  assert.deepEqual(lines, ['四川省环境保护厅办公室关于印发', '《2018年全省环境监察工作要点》的通知']);
  assertTitleShape('一二三四五六七八九十一二三四五六七八九十一二三四五', 10);
  assert.deepEqual(titleLines('', 20), []);
  assert.deepEqual(titleLines('关于\n测试的通报', 20), ['关于测试的通报']);
});

test('styles.xml: no automatic Chinese–digit spacing by default, the title style off the grid, properties in schema order', () => {
  const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  const xml = finishStylesXml(
    `<w:styles ${W}><w:docDefaults><w:pPrDefault><w:pPr><w:spacing w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults>` +
      `<w:style w:type="paragraph" w:styleId="GbTitle"><w:name w:val="公文标题"/><w:pPr><w:keepNext/><w:spacing w:line="579"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="44"/></w:rPr></w:style>` +
      `<w:style w:type="paragraph" w:styleId="Other"><w:name w:val="x"/><w:rPr/></w:style></w:styles>`,
    ['GbTitle'],
  );
  assert.match(xml, /<w:pPrDefault><w:pPr><w:autoSpaceDE w:val="0"\/><w:autoSpaceDN w:val="0"\/><w:spacing w:after="0"\/><\/w:pPr>/);
  assert.match(xml, /<w:pPr><w:keepNext\/><w:snapToGrid w:val="0"\/><w:spacing w:line="579"\/><w:jc w:val="center"\/><\/w:pPr><w:rPr>/);
  assert.match(xml, /<w:style w:type="paragraph" w:styleId="Other"><w:name w:val="x"\/><w:rPr\/><\/w:style>/, 'other styles untouched');
  // Without docDefaults at all, they are created first.
  assert.match(
    finishStylesXml(`<w:styles ${W}><w:style w:styleId="GbTitle"><w:name w:val="t"/></w:style></w:styles>`, ['GbTitle']),
    /^<w:styles [^>]*><w:docDefaults><w:pPrDefault><w:pPr><w:autoSpaceDE w:val="0"\/><w:autoSpaceDN w:val="0"\/><\/w:pPr><\/w:pPrDefault><\/w:docDefaults><w:style w:styleId="GbTitle"><w:name w:val="t"\/><w:pPr><w:snapToGrid w:val="0"\/><\/w:pPr><\/w:style>/,
  );
});
