import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkStatisticsParagraphs,
  insightSentence,
  isStatisticsParagraph,
  laggingTaskName,
  periodWordOf,
  statisticsParagraph,
  type NoticeStatistics,
} from './notice-statistics.ts';

const figures: NoticeStatistics = {
  periodWord: '本季度',
  units: 12,
  onTime: 9,
  late: 2,
  notSubmitted: 1,
  lateUnits: ['规财处', '水处'],
  missingUnits: ['生态处'],
  tasks: 111,
  lagging: 2,
  laggingTasks: ['（二）第1项“推动成都平原经济区特别是…”', '（五）第3项“加快推进…”'],
};

describe('the notice’s statistics paragraph', () => {
  it('is written the way such notices are, lists in brackets only where someone is named', () => {
    assert.equal(
      statisticsParagraph(figures),
      '本季度应报送单位12个，按时报送9个；逾期报送2个（规财处、水处）；未报送1个（生态处）。全部111项任务中，2项进度滞后（（二）第1项“推动成都平原经济区特别是…”；（五）第3项“加快推进…”）。',
    );
    assert.equal(
      statisticsParagraph({
        ...figures,
        periodWord: '本轮',
        late: 0,
        lateUnits: [],
        notSubmitted: 0,
        missingUnits: [],
        onTime: 12,
        lagging: 0,
        laggingTasks: [],
      }),
      '本轮应报送单位12个，按时报送12个；逾期报送0个；未报送0个。全部111项任务中，0项进度滞后。',
    );
    assert.equal(periodWordOf('2017年第二季度'), '本季度');
    assert.equal(periodWordOf('2017年10月'), '本轮');
  });

  it('names a task by its section and place, the chapter too when section numbers repeat, then its first words', () => {
    assert.equal(
      laggingTaskName({ chapter: 2, section: 2, index: 1, text: '推动成都平原经济区特别是成都、天府新区领先发展' }, false),
      '（二）第1项“推动成都平原经济区特别是…”',
    );
    assert.equal(
      laggingTaskName({ chapter: 2, section: 2, index: 3, text: '配合编制我省落实《长江经济带发展规划纲要》的实施规划。' }, true),
      '第二部分（二）第3项“配合编制我省落实…”',
    );
    assert.equal(laggingTaskName({ chapter: 1, section: 1, index: 2, text: '绿色发展体制机制基本建立' }, false), '（一）第2项“绿色发展体制机制基本建立”');
  });

  it('is recognised by its leading phrase only', () => {
    assert.ok(isStatisticsParagraph(statisticsParagraph(figures)));
    assert.ok(!isStatisticsParagraph('按照《方案》要求，本季度应报送单位12个。'));
  });

  it('agrees with the figures it was written from, edited wording around them allowed', () => {
    const text = statisticsParagraph(figures);
    assert.deepEqual(checkStatisticsParagraphs(['引言。', text], figures), []);
    assert.deepEqual(checkStatisticsParagraphs([text.replace('。全部', '。从任务看，全部')], figures), []);
  });

  it('names each figure that differs, and one it cannot find', () => {
    const text = statisticsParagraph(figures);
    const now = { ...figures, onTime: 10, notSubmitted: 0, missingUnits: [], lagging: 1, laggingTasks: [figures.laggingTasks[0]!] };
    assert.deepEqual(checkStatisticsParagraphs(['引言。', text], now), [
      '正文第2段统计段落：按时报送写的是9个，现为10个',
      '正文第2段统计段落：未报送写的是1个（生态处），现为0个',
      `正文第2段统计段落：进度滞后写的是2项（${figures.laggingTasks.join('；')}），现为1项（${figures.laggingTasks[0]}）`,
    ]);
    assert.deepEqual(checkStatisticsParagraphs([text.replace('（规财处、水处）', '（规财处、大气处）')], figures), [
      '正文第1段统计段落：逾期报送写的是2个（规财处、大气处），现为2个（规财处、水处）',
    ]);
    assert.deepEqual(checkStatisticsParagraphs([text.replace('全部111项任务中，', '')], figures), [
      '正文第1段统计段落：找不到“全部任务”的数字，无法核对（现为111项）',
    ]);
  });

  it('appends the insight sentence with only the figures that are non-zero, and the paragraph still checks against its own figures', () => {
    const all = { relationsConsistent: 12, relationsInconsistent: 1, indicatorsConfirmed: 3, indicatorsBehind: 1, staleAnswers: 5 };
    assert.equal(insightSentence(all), '经核对，报送材料中数据关系12处一致、1处不一致；已确认指标3项，其中1项低于目标进度；5条答复与上轮基本相同。');
    assert.equal(
      insightSentence({ ...all, relationsInconsistent: 0, indicatorsBehind: 0, staleAnswers: 0 }),
      '经核对，报送材料中数据关系12处一致；已确认指标3项。',
    );
    assert.equal(
      insightSentence({ ...all, relationsConsistent: 0, indicatorsConfirmed: 0, indicatorsBehind: 0 }),
      '经核对，报送材料中数据关系1处不一致；5条答复与上轮基本相同。',
    );
    assert.equal(insightSentence({ relationsConsistent: 0, relationsInconsistent: 0, indicatorsConfirmed: 0, indicatorsBehind: 0, staleAnswers: 0 }), null);
    const text = `${statisticsParagraph(figures)}${insightSentence(all)}`;
    assert.deepEqual(checkStatisticsParagraphs([text], figures), [], 'the added sentence is never read as one of the paragraph figures');
  });
});
