import assert from 'node:assert/strict';
// Beside the seed reader: it checks the compiled table against the real document it reads.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readPlanDocument } from './read-plan-document.ts';
import { compileTable, mergeProgress, NO_ANSWER_TEXT, tableTitle, withoutExportMarks, withStatusMark, type MarkedEntry } from '../../domain/compiled-table.ts';
import { tasksOf } from '../../domain/plan-document.ts';
import { wordsOf } from '../../domain/organisation-profile.ts';
import { headerLayout } from './plan-table.reader.ts';

const seed = readPlanDocument(readFileSync(fileURLToPath(new URL('../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url))), 'seed.txt').document;

test('the compiled table has every task in plan order with merged chapter and section cells', () => {
  const table = compileTable(seed, { words: wordsOf({ leaderWord: '厅领导', unitWords: ['处', '室'] }) });
  assert.equal(table.rows.length, 111);
  assert.equal(table.title, '《贯彻落实〈中共四川省委关于推进绿色发展建设美丽四川的决定〉厅内分工方案》2017年第二季度工作推进情况调度表');
  assert.deepEqual(table.header.slice(2), ['具体工作任务', '省级牵头部门', '牵头厅领导', '责任部门', '推进情况']);
  const spans = (key: 'chapterSpan' | 'sectionSpan') => table.rows.reduce((sum, row) => sum + row[key], 0);
  assert.equal(spans('chapterSpan'), 111, 'chapter cells cover every row once');
  assert.equal(spans('sectionSpan'), 111, 'section cells cover every row once');
  assert.equal(table.rows[0]!.chapterLabel, '一、牢固树立绿色发展理念，把握推进绿色发展的总体要求');
  assert.equal(table.rows[0]!.sectionLabel, '(一) 主要目标');
  assert.equal(table.rows[0]!.sectionSpan, 5);
  const chengdu = table.rows.find((row) => row.task.startsWith('推动成都平原经济区'))!;
  assert.equal(chengdu.units, '环评处、规财处');
  assert.equal(chengdu.leaders, '高洁、钟勤建');
  assert.match(chengdu.progress, /开展规划环评。（环评处）\n指导天府新区.*试点工作。（规财处）$/s);
  // The seed's numbering skips sections 8 and 29: the table keeps the document's numbers.
  assert.ok(!table.rows.some((row) => row.sectionNumber === 8));
});

test('the header speaks the organisation’s words: a bureau’s, or neutral ones with no profile', () => {
  const bureau = compileTable(seed, { words: wordsOf({ leaderWord: '局领导', unitWords: ['科', '室'] }) });
  assert.deepEqual(bureau.header.slice(2), ['具体工作任务', '省级牵头部门', '牵头局领导', '责任科室', '推进情况']);
  assert.deepEqual(compileTable(seed).header.slice(2), ['具体工作任务', '省级牵头部门', '牵头领导', '责任单位', '推进情况']);
  assert.deepEqual(wordsOf({ leaderWord: '委领导', unitWords: ['中心'] }), {
    leader: '委领导',
    unit: '中心',
    leadersColumn: '牵头委领导',
    unitsColumn: '责任单位',
  });
});

test('every header we write, in any organisation’s words, is one the table reader maps back', () => {
  const profiles = ['厅领导', '局领导', '委领导', '领导'].flatMap((leaderWord) =>
    [['处', '室'], ['科', '室'], ['室'], ['中心'], ['所'], []].map((unitWords) => ({ leaderWord, unitWords })),
  );
  for (const profile of [...profiles, null]) {
    const header = compileTable(seed, { words: wordsOf(profile) }).header;
    const layout = headerLayout(header);
    assert.ok(layout.ok, `${JSON.stringify(profile)} → ${header.join('|')}: ${JSON.stringify(layout)}`);
    assert.deepEqual(layout.columns.slice(2, 6), ['task', 'department', 'leaders', 'units'], JSON.stringify(profile));
  }
});

test('a task nobody answered is blank unless the office asks for （未报送）; answers go lead unit first, control characters stripped', () => {
  const [first] = tasksOf(seed);
  const document = structuredClone(seed);
  const task = document.chapters[0]!.sections[0]!.tasks[0]!;
  task.progress = [];
  assert.equal(compileTable(document).rows[0]!.progress, '', 'nothing invented by default');
  assert.equal(compileTable(document, { unanswered: 'marked' }).rows[0]!.progress, NO_ANSWER_TEXT);
  assert.equal(compileTable(document).rows[0]!.answered, false);
  assert.ok(first);
  assert.equal(
    mergeProgress(
      [
        { unit: '规财处', text: '资金\u000b已下达。' },
        { unit: null, text: '总体推进。' },
        { unit: '环评处', text: '审查完成。' },
      ],
      ['环评处', '规财处'],
    ),
    '总体推进。\n审查完成。（环评处）\n资金已下达。（规财处）',
  );
  assert.equal(tableTitle('《已有书名号》', '2017年第三季度'), '《已有书名号》2017年第三季度工作推进情况调度表');
});

/** Occurrences of `needle` in `text`. */
const count = (text: string, needle: string | RegExp) => text.split(needle).length - 1;
const seedText = readFileSync(fileURLToPath(new URL('../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url)), 'utf8');

test('the seed compiles as it was written: （总队） as often as the original, no （监察总队）, no （未报送）', () => {
  const text = compileTable(seed)
    .rows.map((row) => row.progress)
    .join('\n');
  // The original writes 总队 in 7 brackets (5 full-width, 2 half-width); the table writes brackets full-width.
  assert.equal(count(seedText, /[（(]总队[）)]/), 7);
  assert.equal(count(text, '（总队）'), 7);
  assert.equal(count(text, '（监察总队）'), count(seedText, /[（(]监察总队[）)]/));
  assert.equal(count(text, NO_ANSWER_TEXT), 0);
  assert.equal(count(seedText, NO_ANSWER_TEXT), 0);
  assert.equal(compileTable(seed).rows.filter((row) => !row.answered).length, 4, 'the four tasks the original left blank stay blank');
  // The entries still belong to 监察总队 for everything else.
  const zongdui = [...tasksOf(seed)].flatMap(({ task }) => task.progress).filter((entry) => entry.attribution === '总队');
  assert.equal(zongdui.length, 7);
  assert.ok(zongdui.every((entry) => entry.unit === '监察总队'));
});

test('滞后 and 暂缓 carry their reason where the office puts them; 【未审核】 marks a draft’s unaccepted answer', () => {
  const entries: MarkedEntry[] = [
    { unit: '规财处', text: '资金已下达。', status: 'on_track', reason: null },
    { unit: '环评处', text: '审查推迟。', status: 'delayed', reason: '专家\n未到齐', unreviewed: true },
    { unit: '监察总队', attribution: '总队', text: '暂停检查。', status: 'suspended', reason: '汛期' },
  ];
  const order = ['环评处', '规财处', '监察总队'];
  assert.equal(
    mergeProgress(entries, order),
    '【未审核】审查推迟。【滞后】原因：专家 未到齐（环评处）\n资金已下达。（规财处）\n暂停检查。【暂缓】原因：汛期（总队）',
  );
  assert.equal(
    mergeProgress(entries, order, 'before'),
    '【未审核】【滞后：专家 未到齐】审查推迟。（环评处）\n资金已下达。（规财处）\n【暂缓：汛期】暂停检查。（总队）',
  );
  assert.equal(mergeProgress(entries, order, 'none'), '【未审核】审查推迟。（环评处）\n资金已下达。（规财处）\n暂停检查。（总队）');
  assert.equal(withStatusMark('无原因。', { status: 'delayed', reason: null }, 'after'), '无原因。【滞后】');

  const document = structuredClone(seed);
  const task = document.chapters[0]!.sections[0]!.tasks[0]!;
  task.progress = [{ unit: task.units[0]!.name, text: '推进缓慢。', status: 'delayed', reason: '资金未到位' } as MarkedEntry];
  const row = compileTable(document).rows[0]!;
  assert.equal(row.progress, `推进缓慢。【滞后】原因：资金未到位（${task.units[0]!.name}）`);
  assert.equal(row.lagging, true);
  assert.equal(row.unreviewed, undefined);
  assert.equal(
    compileTable(seed).rows.some((r) => r.lagging || r.unreviewed),
    false,
    'an imported document has no statuses to mark',
  );
});

test('a table sent back to a unit: the marks an export added come off, the unit’s own words stay', () => {
  const entry = { status: 'delayed', reason: '专家未到齐' } as const;
  for (const placement of ['after', 'before', 'none'] as const)
    assert.equal(withoutExportMarks(`【未审核】${withStatusMark('审查推迟。', entry, placement)}`), '审查推迟。', placement);
  assert.equal(withoutExportMarks(withStatusMark('第一段。\n第二段。', { status: 'suspended', reason: null }, 'after')), '第一段。\n第二段。');
  // Brackets of the unit's own are not marks.
  assert.equal(withoutExportMarks('【重点】推进中，原因：资金到位（部分）。'), '【重点】推进中，原因：资金到位（部分）。');
});
