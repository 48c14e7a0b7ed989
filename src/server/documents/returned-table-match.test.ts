import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlanDocument, ProgressEntry } from '../../domain/plan-document.ts';
import { changeOf, clip, fileRows, matchRows, sameTitle, similarity, taskKey, unitTextOf, type FileRow, type RoundTask } from './returned-table-match.ts';

const WATER = '深入实施水污染防治行动计划，全面推行河长制，开展城市黑臭水体整治。';
const AIR = '持续推进大气污染防治，完成燃煤锅炉淘汰任务，加强重污染天气应急。';
const SOIL = '开展土壤污染状况详查，建立建设用地土壤环境调查评估制度。';

function roundTask(id: number, text: string, chapterNumber: number, sectionNumber: number, place: number): RoundTask {
  return { id, text, key: taskKey(text), chapterNumber, sectionNumber, place };
}

function row(number: number, text: string, chapterNumber: number, sectionNumber: number, place: number, progress: ProgressEntry[] = []): FileRow {
  return { row: number, chapterNumber, sectionNumber, place, text, key: taskKey(text), progress };
}

describe('returned table matching', () => {
  it('numbers the file’s task rows in order, with each one’s place in its section', () => {
    const task = (text: string) => ({ text, leadDepartment: null, leaders: [], units: [], progress: [], warnings: [] });
    const document = {
      chapters: [
        { number: 1, title: '一', sections: [{ number: 1, title: '（一）', tasks: [task(WATER), task(AIR)] }] },
        { number: 2, title: '二', sections: [{ number: 1, title: '（一）', tasks: [task(SOIL)] }] },
      ],
    } as unknown as PlanDocument;
    assert.deepEqual(
      fileRows(document).map((r) => [r.row, r.chapterNumber, r.sectionNumber, r.place, r.text]),
      [
        [1, 1, 1, 1, WATER],
        [2, 1, 1, 2, AIR],
        [3, 2, 1, 1, SOIL],
      ],
    );
  });

  it('keys a task text without spaces, tags or control characters, full width folded', () => {
    assert.equal(taskKey(' 深入实施　水污染<b>防治</b>\u0007行动（ＡＢＣ） '), '深入实施水污染防治行动(ABC)');
    assert.ok(sameTitle('《分工方案》', '分工 方案'));
    assert.ok(!sameTitle('2017年分工方案', '2018年分工方案'));
  });

  it('matches rows by text first, preferring the row’s own chapter and section for a text the plan has twice', () => {
    const tasks = [roundTask(10, WATER, 1, 1, 1), roundTask(11, WATER, 2, 1, 1), roundTask(12, AIR, 1, 1, 2)];
    const { matches, unmatched } = matchRows([row(1, AIR, 1, 1, 2), row(2, ` ${WATER} `, 2, 1, 1), row(3, WATER, 1, 1, 1)], tasks);
    assert.deepEqual(
      matches.map((m) => [m.row.row, m.taskId, m.matchedBy]),
      [
        [1, 12, 'text'],
        [2, 11, 'text'],
        [3, 10, 'text'],
      ],
    );
    assert.deepEqual(unmatched, []);
  });

  it('matches an edited text by its place only while it stays similar; reports a repeated row and a foreign one, never guesses', () => {
    const tasks = [roundTask(10, WATER, 1, 1, 1), roundTask(12, AIR, 1, 1, 2)];
    const edited = WATER.replace('全面推行河长制', '全面落实河长制');
    const { matches, unmatched } = matchRows([row(1, edited, 1, 1, 1), row(2, SOIL, 1, 1, 2), row(3, AIR, 1, 1, 3), row(4, AIR, 1, 1, 4)], tasks);
    assert.deepEqual(
      matches.map((m) => [m.row.row, m.taskId, m.matchedBy]),
      [
        [1, 10, 'position'],
        [3, 12, 'text'],
      ],
    );
    assert.deepEqual(
      unmatched.map((u) => [u.row, u.reason]),
      [
        [2, '本轮没有这项任务（任务文字和位置都对不上），未导入'],
        [4, '与表中第3行是同一项任务，重复的一行未导入'],
      ],
    );
  });

  it('measures similarity as the Dice coefficient over character bigrams', () => {
    assert.equal(similarity(WATER, WATER), 1);
    assert.equal(similarity('', ''), 1);
    assert.equal(similarity('甲乙', '丙丁'), 0);
    assert.ok(similarity(WATER, WATER.replace('推行', '落实')) > 0.8);
  });

  it('takes the unit’s own text from a cell: its attributed entries, the unattributed ones only as the lead unit', () => {
    const cell: ProgressEntry[] = [
      { unit: '环评处', text: '已完成环评审批改革。' },
      { unit: null, text: '全省已完成整治。' },
      { unit: '水处', text: '水处的文字。' },
      { unit: '环评处', text: '（未报送）' },
    ];
    const lead = unitTextOf(cell, '环评处', 'lead');
    assert.equal(lead.text, '已完成环评审批改革。\n全省已完成整治。');
    assert.deepEqual(lead.notes, ['单元格中未署名的文字按牵头单位的填报归入本单位', '单元格中水处署名的文字不属于本单位，未导入']);
    const co = unitTextOf(cell, '环评处', 'co');
    assert.equal(co.text, '已完成环评审批改革。');
    assert.match(co.notes[0]!, /本单位是配合单位，未归入.*（环评处）/);
    assert.deepEqual(unitTextOf([{ unit: null, text: '整段文字。' }], '水处', 'lead'), {
      text: '整段文字。',
      notes: ['单元格中的文字没有署名，本单位是牵头单位，整段归入本单位'],
    });
  });

  it('compares texts as the readers read cells: whitespace and empty lines aside', () => {
    assert.equal(changeOf('第一行\r\n\r\n第二行  完成', '第一行\n第二行 完成'), 'unchanged');
    assert.equal(changeOf('原有文字', ''), 'cleared');
    assert.equal(changeOf('', '新文字'), 'new');
    assert.equal(changeOf('原有文字', '新文字'), 'changed');
  });

  it('clips a text to its head for messages', () => {
    assert.equal(clip('  短文字\n 第二行 '), '短文字 第二行');
    assert.equal(clip(WATER), `${[...WATER].slice(0, 30).join('')}…`);
  });
});
