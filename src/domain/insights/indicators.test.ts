import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSeedDocument } from '../../../tests/support/seeded-plan.ts';
import { expectedAt, readTargets, roundYearFraction, sectionContextYears, trajectory, verdictOf } from './indicators.ts';
import type { IndicatorActual, IndicatorTarget } from './types.ts';

const pm25: IndicatorTarget = { value: 20, unit: '%', direction: 'down', bound: 'at_least', baseYear: 2015, baseValue: null, byYear: 2020, period: 'year' };
const actual = (over: Partial<IndicatorActual>): IndicatorActual => ({ value: 0, unit: '%', basis: 'level', months: null, baseYear: null, quote: '', ...over });

describe('targets read from task text', () => {
  it('proposes a small, sensible set for the whole seed plan', () => {
    const proposed: string[] = [];
    for (const chapter of readSeedDocument().chapters) {
      for (const section of chapter.sections) {
        const years = sectionContextYears(section.tasks.map((task) => task.text));
        section.tasks.forEach((task, index) => {
          for (const { name, target } of readTargets(task.text, years[index] ?? null)) {
            const base = target.baseYear ? `比${target.baseYear}年` : '';
            proposed.push(
              `${chapter.number}.${section.number}.${index + 1} ${name} ${base}${target.direction} ${target.value}${target.unit} ${target.bound} 到${target.byYear}年`,
            );
          }
        });
      }
    }
    assert.deepEqual(proposed, [
      '1.1.2 细颗粒物 (PM2.5) 年均浓度 比2015年down 20% at_least 到2020年',
      '1.1.3 地表水优良水质断面比例 up 82% at_least 到2020年',
      '1.1.4 森林覆盖率 up 40% at_least 到2020年',
      '1.1.4 国土绿化覆盖率 up 70% at_least 到2020年',
      '1.1.4 草原综合植被盖度 up 85% at_least 到2020年',
      '1.1.4 城市绿地率 up 38% at_least 到2020年',
    ]);
  });

  it('reads value, direction, bound, base, by-year and period, quoting the task', () => {
    const [target] = readTargets('全省细颗粒物 (PM2.5) 年均浓度比 2015 年下降 20% 以上。', 2020);
    assert.deepEqual(target, {
      key: '细颗粒物(pm2.5)年均浓度',
      name: '细颗粒物 (PM2.5) 年均浓度',
      target: pm25,
      quote: '细颗粒物 (PM2.5) 年均浓度比 2015 年下降 20% 以上',
    });
    const [own] = readTargets('到 2025 年，全省城市生活污水处理率由 2015 年的 85% 提高到 95% 以上。', 2020);
    assert.deepEqual(
      { ...own!.target, name: own!.name },
      { value: 95, unit: '%', direction: 'up', bound: 'at_least', baseYear: 2015, baseValue: 85, byYear: 2025, period: null, name: '城市生活污水处理率' },
    );
    // A plan's 达到/达 is a floor: 达到 40% is reached at 40% and beyond; 左右 is about, 以下 a cap.
    const bounds = (text: string) => readTargets(text, 2020).map((t) => `${t.name} ${t.target.bound}`);
    assert.deepEqual(bounds('全省森林覆盖率达到 40%，城市绿地率达 38%。'), ['森林覆盖率 at_least', '城市绿地率 at_least']);
    assert.deepEqual(bounds('重污染天数达到 5 天以下，草原综合植被盖度达到 85% 左右。'), ['重污染天数 at_most', '草原综合植被盖度 exactly']);
    const [capped] = readTargets('化学需氧量排放总量控制在 120 万吨以内。', null);
    assert.deepEqual([capped!.name, capped!.target.direction, capped!.target.bound, capped!.target.unit], ['化学需氧量排放总量', 'down', 'at_most', '万吨']);
  });

  it('reads the names other plans write', () => {
    const names = (text: string) => readTargets(text, 2020).map((t) => `${t.name} ${t.target.direction} ${t.target.value}${t.target.unit}`);
    assert.deepEqual(names('万元国内生产总值能耗比 2015 年下降 16%，化学需氧量、氨氮排放总量分别比 2015 年下降 10%。'), [
      '万元国内生产总值能耗 down 16%',
      '化学需氧量 down 10%',
      '氨氮排放总量 down 10%',
    ]);
    // Full-width figures; the quote as written.
    const wide = readTargets('地表水优良水质断面比例达到 ８２％ 以上。', 2020);
    assert.deepEqual(
      wide.map((t) => [t.name, t.target.value, t.target.bound, t.quote]),
      [['地表水优良水质断面比例', 82, 'at_least', '地表水优良水质断面比例达到 ８２％ 以上']],
    );
    // 分别 with a value each, in order; values that do not pair with the names set nothing.
    assert.deepEqual(names('城市污水处理率、县城污水处理率分别达到 95%、85%。'), ['城市污水处理率 up 95%', '县城污水处理率 up 85%']);
    assert.deepEqual(names('城市污水处理率、县城污水处理率、建制镇污水处理率分别达到 95%、85%。'), []);
    const shared = readTargets('二氧化硫、氮氧化物排放总量均比 2015 年下降 15%。', null);
    assert.deepEqual(
      shared.map((t) => [t.key, t.quote]),
      [
        ['二氧化硫', '二氧化硫、氮氧化物排放总量均比 2015 年下降 15%'],
        ['氮氧化物排放总量', '氮氧化物排放总量均比 2015 年下降 15%'],
      ],
    );
    assert.deepEqual(names('到 2020 年，城市空气质量优良天数比率达到 81.2% 以上，重污染天数控制在 5 天以内。'), [
      '城市空气质量优良天数比率 up 81.2%',
      '重污染天数 down 5天',
    ]);
  });

  it('leaves percentages and figures that set no target of a measured thing alone', () => {
    for (const text of [
      '淘汰城市建成区 10 蒸吨以下燃煤锅炉。',
      '推进资源节约，大幅提高 30% 的企业的能效。',
      '争取水电、油气资源开发按比例留存进行补偿。',
      '实施“2+2”合作备忘录。',
      '全省 PM2.5 平均浓度下降 20%。', // a fall against nothing written
    ]) {
      assert.deepEqual(readTargets(text, 2020), [], text);
    }
  });

  it('gives one key per target, stable across a reworded sentence', () => {
    const a = readTargets('全省森林覆盖率达到 40%，城市绿地率达到 38%。', 2020).map((t) => t.key);
    const b = readTargets('力争全省森林覆盖率达到 41%；城市绿地率达到 38% 以上。', 2020).map((t) => t.key);
    assert.deepEqual(a, ['森林覆盖率', '城市绿地率']);
    assert.deepEqual(b, a);
  });
});

describe('the path and the verdict', () => {
  it('reads a round’s year fraction from its period end', () => {
    assert.equal(roundYearFraction('2017-06-30'), 2017.5);
    assert.equal(roundYearFraction('2017-09-30'), 2017.75);
    assert.equal(roundYearFraction('2017-12-31'), 2018);
    assert.equal(roundYearFraction(null), null);
    assert.equal(roundYearFraction('2017-02-30'), null);
  });

  it('draws the path from base to target, linearly', () => {
    assert.deepEqual(trajectory(pm25), [
      { year: 2015, value: 0 },
      { year: 2016, value: -4 },
      { year: 2017, value: -8 },
      { year: 2018, value: -12 },
      { year: 2019, value: -16 },
      { year: 2020, value: -20 },
    ]);
    assert.equal(expectedAt(pm25, 2017.5), -10);
    const level: IndicatorTarget = { value: 95, unit: '%', direction: 'up', bound: 'at_least', baseYear: 2015, baseValue: 85, byYear: 2020, period: null };
    assert.equal(expectedAt(level, 2017.5), 90);
    assert.equal(expectedAt(level, 2030), 95);
    const noBase: IndicatorTarget = { ...level, baseYear: null, baseValue: null };
    assert.deepEqual(trajectory(noBase), [{ year: 2020, value: 95 }]);
    assert.deepEqual(
      trajectory(noBase, 2018),
      [2018, 2019, 2020].map((year) => ({ year, value: 95 })),
    );
    assert.deepEqual(trajectory({ ...noBase, byYear: null }), []);
    assert.equal(expectedAt(noBase, 2017.5), 95);
  });

  it('says on track, behind, basis differs or no actual', () => {
    const expected = expectedAt(pm25, 2017.5);
    assert.equal(verdictOf(pm25, null, expected), 'no_actual');
    assert.equal(verdictOf(pm25, actual({ value: -11.3, basis: 'vs_base_year', baseYear: 2015, months: 6 }), expected), 'basis_differs');
    assert.equal(verdictOf(pm25, actual({ value: -11.3, basis: 'vs_base_year', baseYear: 2015, months: 12 }), expected), 'on_track');
    assert.equal(verdictOf(pm25, actual({ value: -8, basis: 'vs_base_year', baseYear: 2015 }), expected), 'behind');
    assert.equal(verdictOf(pm25, actual({ value: -11.3, basis: 'year_on_year' }), expected), 'basis_differs');
    assert.equal(verdictOf(pm25, actual({ value: -11.3, basis: 'vs_base_year', baseYear: 2016 }), expected), 'basis_differs');
    assert.equal(verdictOf(pm25, actual({ value: 40, basis: 'level' }), expected), 'basis_differs');
    const water: IndicatorTarget = { value: 82, unit: '%', direction: 'up', bound: 'at_least', baseYear: null, baseValue: null, byYear: 2020, period: null };
    assert.equal(verdictOf(water, actual({ value: 72.4 }), 82), 'behind');
    assert.equal(verdictOf(water, actual({ value: 83 }), 82), 'on_track');
    assert.equal(verdictOf(water, actual({ value: 1.1, basis: 'year_on_year' }), 82), 'basis_differs');
  });
});
