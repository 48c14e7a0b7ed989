import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RoundStatisticsView, UnitStatisticsRow } from './api/round-statistics-view.ts';
import type { CompiledRow, CompiledTable } from './compiled-table.ts';
import { shortTask, statisticsParagraph } from './statistics-paragraph.ts';

const unit = (unitName: string, submitted: boolean, late = false): UnitStatisticsRow => ({
  unitId: unitName.length,
  unitName,
  state: submitted ? 'submitted' : 'draft',
  submitted,
  submittedAt: submitted ? '2017-10-09T09:00:00.000Z' : null,
  late,
  extendedDeadline: null,
  accepted: false,
  tasks: 3,
  answered: 3,
});

const view = (units: UnitStatisticsRow[], inApp = true): RoundStatisticsView => ({
  roundId: 2,
  roundLabel: '2017年第三季度',
  deadline: '2017-10-10T15:59:59.000Z',
  inApp,
  totals: { units: units.length, onTime: 0, late: 0, notSubmitted: 0, returned: 0, accepted: 0, tasksAnswered: 0, tasks: 3 },
  units,
});

const row = (task: string, lagging: boolean): CompiledRow => ({
  chapterNumber: 1, chapterLabel: '一、总体要求', chapterSpan: 0, sectionNumber: 1, sectionLabel: '(一) 主要目标', sectionSpan: 0,
  task, leadDepartment: '', leaders: '', units: '环评处', progress: '', answered: false, ...(lagging ? { lagging } : {}),
});
const table = (rows: CompiledRow[]): CompiledTable => ({ title: '调度表', roundLabel: '2017年第三季度', header: [], rows });

test('the statistics paragraph names late and missing units and lagging tasks, in the department’s day', () => {
  const generated = statisticsParagraph(
    view([unit('环评处', true), unit('规财处', true, true), unit('水处', false), unit('大气处', false)]),
    table([row('推进成都平原经济区规划环评，加快试点。', true), row('加强环境监管。', false), row('实施饮用水环境安全保障工程，清理整治饮用水水源保护区内违法排污口和设施。', true)]),
  )!;
  assert.equal(
    generated.text,
    '截至报送截止日（2017年10月10日），2017年第三季度应报送单位4个，按时报送1个，逾期报送1个（规财处），未报送2个（水处、大气处）。' +
      '3项任务中，2项进展滞后：“推进成都平原经济区规划环评”、“实施饮用水环境安全保障工程”，请相关处（室）、单位分析原因，采取措施加快推进。',
  );
  assert.deepEqual(generated.counts, { units: 4, onTime: 1, late: ['规财处'], notSubmitted: ['水处', '大气处'], tasks: 3, lagging: ['推进成都平原经济区规划环评', '实施饮用水环境安全保障工程'] });
});

test('nothing lagging, nobody late or missing: said so; an imported round gets no paragraph', () => {
  const generated = statisticsParagraph(view([unit('环评处', true)]), table([row('加强环境监管。', false)]))!;
  assert.equal(generated.text, '截至报送截止日（2017年10月10日），2017年第三季度应报送单位1个，按时报送1个，无逾期报送，无未报送单位。1项任务均无滞后。');
  assert.equal(statisticsParagraph(view([], false), table([])), null);
  assert.equal(shortTask('到 2020 年，生态环境质量明显改善。'), '到 2020 年');
  assert.equal(shortTask('一二三四五六七八九十一二三四五六七八九十一二'), '一二三四五六七八九十一二三四五六七八九十…');
});
