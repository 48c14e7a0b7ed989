import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { insightInputOf } from '../../../tests/support/insight-seed.ts';
import { analyseRound, comparePlaces } from './analyse.ts';
import type { AnalyseRoundInput, Finding, IndicatorFinding, InsightAnswer, InsightRound, TaskPlace } from './types.ts';

const seed = insightInputOf();
const place = (p: TaskPlace) => `${p.chapter}.${p.section}.${p.index}`;
const of = <K extends Finding['kind']>(findings: Finding[], kind: K) => findings.filter((f): f is Extract<Finding, { kind: K }> => f.kind === kind);
const taskAt = (at: string) => seed.tasks.find((t) => place(t.place) === at)!;

describe('analyseRound on the seed', () => {
  const findings = analyseRound(seed);

  it('confirms the seed’s arithmetic, as the contract prints it', () => {
    const arithmetic = of(findings, 'arithmetic');
    assert.ok(arithmetic.length >= 30);
    assert.deepEqual(
      arithmetic.filter((f) => !f.ok),
      [],
    );
    const water = arithmetic.find((f) => place(f.task) === '1.1.3');
    assert.deepEqual(water, {
      kind: 'arithmetic',
      task: { chapter: 1, section: 1, index: 3 },
      taskId: taskAt('1.1.3').id,
      unit: null,
      unitId: null,
      relation: 'ratio',
      quote: '87 个国家断面有 63 个水质为 III 类及以上，占比 72.4%',
      stated: '72.4%',
      computed: '72.41%',
      ok: true,
    });
  });

  it('reads the seed’s indicators: basis differs, behind, and four without an actual', () => {
    const indicators = of(findings, 'indicator');
    assert.deepEqual(
      indicators.map((f) => `${place(f.task)} ${f.name} ${f.verdict} ${f.status}`),
      [
        '1.1.2 细颗粒物 (PM2.5) 年均浓度 basis_differs proposed',
        '1.1.3 地表水优良水质断面比例 behind proposed',
        '1.1.4 森林覆盖率 no_actual proposed',
        '1.1.4 国土绿化覆盖率 no_actual proposed',
        '1.1.4 草原综合植被盖度 no_actual proposed',
        '1.1.4 城市绿地率 no_actual proposed',
      ],
    );
    const [pm25, water] = indicators;
    assert.deepEqual(pm25!.actual, {
      value: -11.3,
      unit: '%',
      basis: 'vs_base_year',
      months: 6,
      baseYear: 2015,
      quote: '1-6 月，全省 PM2.5 平均浓度同比 2015 年下降 11.3%',
    });
    assert.equal(pm25!.expected, -10);
    assert.deepEqual(water!.target, { value: 82, unit: '%', direction: 'up', bound: 'at_least', baseYear: null, baseValue: null, byYear: 2020, period: null });
    assert.deepEqual([water!.actual?.value, water!.actual?.basis, water!.expected], [72.4, 'level', 82]);
    assert.equal(indicators[2]!.unit, '生态处', 'an indicator nobody reported is the lead unit’s to explain');
  });

  it('finds the same answer on different tasks, once per pair, later pointing to earlier', () => {
    assert.deepEqual(
      of(findings, 'duplicate').map((f) => `${place(f.task)}(${f.unit ?? '-'}) → ${place(f.other)}(${f.otherUnit ?? '-'}) ${f.similarity}`),
      ['2.6.3(生态处) → 2.5.1(生态处) 1', '5.20.1(建管处) → 4.14.4(建管处) 1', '6.21.2(环评处) → 6.21.1(-) 1', '8.30.2(-) → 1.1.5(-) 1'],
    );
  });

  it('marks hollow answers and leaves factual ones alone', () => {
    const hollow = of(findings, 'no_new_facts');
    const at = new Set(hollow.map((f) => place(f.task)));
    assert.ok(at.has('1.1.1') && at.has('1.1.5') && at.has('8.30.2'));
    assert.ok(!at.has('1.1.4'), '《大规模绿化全川行动方案》 is a named document');
    assert.equal(hollow.find((f) => place(f.task) === '1.1.5')?.quote, '配合相关职能部门推进相关工作。');
    // Not hollow: answers naming a partner organisation or a campaign, mechanism or meeting in quotes.
    const hollowAnswers = new Set(hollow.map((f) => `${place(f.task)} ${f.unit ?? '-'}`));
    for (const named of ['4.14.2 水处', '7.25.1 科标处', '7.27.3 规财处', '8.31.1 -', '8.34.3 -']) assert.ok(!hollowAnswers.has(named), named);
    assert.equal(hollow.length, 53);
  });

  it('names the co-units that said nothing', () => {
    const silent = of(findings, 'silent_unit');
    assert.deepEqual(
      silent.filter((f) => place(f.task) === '2.2.4').map((f) => f.unit),
      ['土壤处', '生态处'],
    );
    assert.ok(!silent.some((f) => place(f.task) === '1.1.1'), '各处(室) and 直属单位 are collective; the answer is unattributed');
    assert.equal(silent.length, 40);
  });

  it('sorts by task place, then kind, then unit; quotes are exact', () => {
    const kinds = ['arithmetic', 'indicator', 'stale', 'duplicate', 'no_new_facts', 'silent_unit'];
    for (let i = 1; i < findings.length; i++) {
      const [a, b] = [findings[i - 1]!, findings[i]!];
      const byPlace = comparePlaces(a.task, b.task);
      assert.ok(
        byPlace < 0 || (byPlace === 0 && kinds.indexOf(a.kind) <= kinds.indexOf(b.kind)),
        `${place(a.task)} ${a.kind} before ${place(b.task)} ${b.kind}`,
      );
    }
    const answers = new Map<number, string[]>();
    for (const a of seed.round.answers) answers.set(a.taskId, [...(answers.get(a.taskId) ?? []), a.text]);
    for (const f of findings) {
      if (f.kind === 'arithmetic' || f.kind === 'no_new_facts') assert.ok(answers.get(f.taskId)!.some((t) => t.includes(f.quote)));
      if (f.kind === 'indicator') {
        assert.ok(taskAt(place(f.task)).text.includes(f.targetQuote));
        if (f.actual) assert.ok(answers.get(f.taskId)!.some((t) => t.includes(f.actual!.quote)));
      }
    }
  });
});

describe('analyseRound on the seed with planted errors', () => {
  it('flags each planted error and nothing else in the whole plan', () => {
    const plant: [string, string][] = [
      ['前期 227 个', '前期 217 个'], // parts that do not add up to 774
      ['占比 72.4%', '占比 74.2%'], // a share that does not match 63 / 87
      ['马尔康 4 市', '马尔康 5 市'], // a count of four names
      ['占比 86.59%', '占比 88.59%'], // a share of 179
    ];
    const answers = seed.round.answers.map((answer) => {
      let text = answer.text;
      for (const [from, to] of plant) text = text.replace(from, to);
      return { ...answer, text };
    });
    const findings = analyseRound({ ...seed, round: { ...seed.round, answers } });
    assert.deepEqual(
      of(findings, 'arithmetic')
        .filter((f) => !f.ok)
        .map((f) => `${place(f.task)} ${f.relation} ${f.stated}≠${f.computed}`),
      ['1.1.3 ratio 74.2%≠72.41%', '4.14.3 sum 774≠764', '4.14.4 ratio 88.59%≠86.592%', '4.14.5 count 5≠4'],
    );
  });
});

describe('analyseRound across two rounds', () => {
  const unit = seed.unitId;
  /** The third quarter: a live round over the seed's tasks, answered by the units themselves. */
  function thirdQuarter(answers: InsightAnswer[]): AnalyseRoundInput {
    const asked = answers.map((a) => ({ taskId: a.taskId, unitId: a.unitId! }));
    const round: InsightRound = { id: 2, label: '2017年第三季度', periodStart: '2017-07-01', periodEnd: '2017-09-30', imported: false, answers, asked };
    return { ...seed, round, previous: seed.round };
  }
  const say = (at: string, unitName: string, text: string, copiedUnchanged = false): InsightAnswer => ({
    taskId: taskAt(at).id,
    unitId: unit(unitName),
    unitName,
    text,
    copiedUnchanged,
  });
  const previousText = (at: string, unitName: string | null) => seed.round.answers.find((a) => a.taskId === taskAt(at).id && a.unitName === unitName)!.text;

  it('flags answers repeated from the last round as stale, rewritten ones not', () => {
    const findings = analyseRound(
      thirdQuarter([
        // the same words, the period moved on
        say('4.14.3', '水处', previousText('4.14.3', null).replace('全省已实施', '截至 2017 年 9 月，全省已实施')),
        // 沿用上轮, never edited
        say('1.1.5', '法规处', previousText('1.1.5', null), true),
        // 沿用上轮, then rewritten with new figures
        say('1.1.3', '水处', '87 个国家断面有 66 个水质为 III 类及以上，占比 75.9%，较上季度新增 3 个达标断面，岷江流域 5 个断面稳定达标。'),
        // a co-unit's answer, word for word
        say('2.2.1', '规财处', previousText('2.2.1', '规财处')),
        say('2.2.1', '环评处', '天府新区规划环评已通过环保部专家函审，成都城市总规规划环评报告书已于 8 月报送。'),
      ]),
    );
    assert.deepEqual(
      of(findings, 'stale').map((f) => `${place(f.task)} ${f.unit} ${f.similarity} ${f.against} ${f.copiedUnchanged}`),
      ['1.1.5 法规处 1 2017年第二季度 true', '2.2.1 规财处 1 2017年第二季度 false', '4.14.3 水处 1 2017年第二季度 false'],
    );
    const water = of(findings, 'indicator').find((f) => place(f.task) === '1.1.3')!;
    assert.deepEqual([water.actual?.value, water.unit, water.verdict], [75.9, '水处', 'behind']);
    const silent = of(findings, 'silent_unit');
    assert.deepEqual(silent, [], 'every asked unit answered');
  });

  it('holds an answer that repeats the imported round’s unattributed one stale, and one edited only in its dates or punctuation; not one edited into something new', () => {
    const seen = (text: string, copiedUnchanged = false) => {
      const findings = analyseRound(thirdQuarter([say('7.24.4', '法规处', text, copiedUnchanged)]));
      return of(findings, 'stale').map((f) => `${f.unit} ${f.similarity} ${f.copiedUnchanged}`);
    };
    const before = previousText('7.24.4', null);
    assert.equal(seed.round.answers.filter((a) => a.taskId === taskAt('7.24.4').id).length, 1, 'one answer, the document names nobody');
    // Typed again, word for word (not 沿用上轮).
    assert.deepEqual(seen(before), ['法规处 1 false']);
    // Edited only in dates, numerals' width and punctuation.
    const edits: [string, string][] = [
      ['于2017年3月联合印发', '于 2017 年 3 月底联合印发'],
      ['于2017年3月联合印发', '于2017.3.15联合印发'],
      ['于2017年3月联合印发', '于二〇一七年三月联合印发'],
      ['12个部门', '１２个部门'],
      ['的通知；', '的通知。'],
    ];
    for (const [from, to] of edits) {
      assert.deepEqual(seen(before.replace(from, to)), ['法规处 1 false'], to);
    }
    // 沿用上轮, then rewritten: new facts, most of the old words gone.
    const rewritten = '截至 9 月底，联合省检察院、省公安厅开展打击破坏环境资源违法犯罪专项活动，移送涉嫌环境犯罪案件 12 件，召开两法衔接联席会议 1 次。';
    assert.deepEqual(seen(rewritten), []);
  });

  it('reads an actual after …… and in full-width figures, quoting the answer as written', () => {
    const water = (text: string) => {
      const findings = analyseRound(thirdQuarter([say('1.1.3', '水处', text)]));
      const found = of(findings, 'indicator').find((f) => place(f.task) === '1.1.3')!;
      assert.ok(found.actual === null || text.includes(found.actual.quote), found.actual?.quote);
      return found.actual && `${found.actual.value} ${found.verdict} ${found.actual.quote}`;
    };
    assert.equal(water('推进岷江、沱江治理……加强监测……。全省地表水优良水质断面比例为 75.9%。'), '75.9 behind 全省地表水优良水质断面比例为 75.9%');
    assert.equal(water('全省地表水优良水质断面比例为 ８３．２％。'), '83.2 on_track 全省地表水优良水质断面比例为 ８３．２％');
    // The head noun 断面 qualified as failing is not the indicator's.
    assert.equal(water('87 个国家考核断面中，劣 V 类断面 5 个，占比 5.7%。'), null);
    assert.equal(water('87 个国家考核断面中，III 类及以上断面 66 个，占比 75.9%。'), '75.9 behind 87 个国家考核断面中，III 类及以上断面 66 个，占比 75.9%');
  });

  it('applies the office’s decisions on indicators and actuals', () => {
    const forest = taskAt('1.1.4');
    const water = taskAt('1.1.3');
    const pm = taskAt('1.1.2');
    const findings = analyseRound({
      ...seed,
      indicatorDecisions: [
        { taskLineage: forest.lineage, key: '国土绿化覆盖率', state: 'rejected', target: null, name: null },
        { taskLineage: forest.lineage, key: '森林覆盖率', state: 'confirmed', target: null, name: '全省森林覆盖率' },
        { taskLineage: water.lineage, key: '地表水优良水质断面比例', state: 'confirmed', target: null, name: null },
        {
          taskLineage: pm.lineage,
          key: '重污染天数',
          state: 'confirmed',
          name: '重污染天数',
          target: { value: 5, unit: '天', direction: 'down', bound: 'at_most', baseYear: null, baseValue: null, byYear: 2020, period: null },
        },
      ],
      actualDecisions: [
        { roundId: 1, taskLineage: water.lineage, key: '地表水优良水质断面比例', unitId: null, state: 'rejected', actual: null },
        // Confirmed as read: the answer's figure stands, now the office's.
        { roundId: 1, taskLineage: pm.lineage, key: '细颗粒物(pm2.5)年均浓度', unitId: null, state: 'confirmed', actual: null },
        {
          roundId: 1,
          taskLineage: forest.lineage,
          key: '森林覆盖率',
          unitId: unit('生态处'),
          state: 'confirmed',
          actual: { value: 38.8, unit: '%', basis: 'level', months: null, baseYear: null, quote: '' },
        },
      ],
    });
    const indicators = of(findings, 'indicator') as IndicatorFinding[];
    assert.deepEqual(
      indicators.map((f) => `${place(f.task)} ${f.key} ${f.name} ${f.status} ${f.verdict} ${f.unit ?? '-'} ${f.actualStatus ?? '-'}`),
      [
        '1.1.2 细颗粒物(pm2.5)年均浓度 细颗粒物 (PM2.5) 年均浓度 proposed basis_differs - confirmed',
        '1.1.2 重污染天数 重污染天数 confirmed no_actual 大气处 -',
        '1.1.3 地表水优良水质断面比例 地表水优良水质断面比例 confirmed no_actual 水处 -',
        '1.1.4 森林覆盖率 全省森林覆盖率 confirmed behind 生态处 confirmed',
        '1.1.4 草原综合植被盖度 草原综合植被盖度 proposed no_actual 生态处 -',
        '1.1.4 城市绿地率 城市绿地率 proposed no_actual 生态处 -',
      ],
    );
  });

  it('does not count one task’s answers from two units as duplicates, and finds live silence', () => {
    const same = '按照年度计划推进重点流域水污染防治工作，组织开展专项检查。';
    const findings = analyseRound({
      ...thirdQuarter([say('2.2.4', '水处', same), say('2.2.4', '土壤处', same)]),
      previous: null,
    });
    assert.deepEqual(of(findings, 'duplicate'), []);
    assert.deepEqual(of(findings, 'stale'), []);
    const live = thirdQuarter([say('2.2.4', '水处', same)]);
    live.round.asked.push({ taskId: taskAt('2.2.4').id, unitId: unit('生态处') });
    assert.deepEqual(
      of(analyseRound(live), 'silent_unit').map((f) => `${place(f.task)} ${f.unit}`),
      ['2.2.4 生态处'],
    );
  });
});

describe('actuals of a task with several indicators', () => {
  it('gives each figure to the indicator named nearest before it', () => {
    const task = { ...seed.tasks.find((t) => place(t.place) === '1.1.4')! };
    const answer: InsightAnswer = {
      taskId: task.id,
      unitId: seed.unitId('生态处'),
      unitName: '生态处',
      text: '截至 6 月底，全省森林覆盖率达到 38.5%，城市绿地率 36.2%，草原综合植被盖度同比提高 0.4 个百分点。',
      copiedUnchanged: false,
    };
    const findings = analyseRound({ ...seed, tasks: [task], round: { ...seed.round, answers: [answer] } });
    assert.deepEqual(
      of(findings, 'indicator').map((f) => `${f.name} ${f.actual?.value ?? '-'} ${f.actual?.basis ?? '-'} ${f.verdict} ${f.actualStatus ?? '-'}`),
      [
        '森林覆盖率 38.5 level behind proposed',
        '国土绿化覆盖率 - - no_actual -',
        '草原综合植被盖度 0.4 year_on_year basis_differs proposed',
        '城市绿地率 36.2 level behind proposed',
      ],
    );
  });
});
