import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSeedDocument } from '../../../tests/support/seeded-plan.ts';
import { tasksOf } from '../plan-document.ts';
import { statedRelations } from './arithmetic.ts';

const seedAnswers = [...tasksOf(readSeedDocument())].flatMap(({ task }) => task.progress.map((entry) => entry.text));

function relationsIn(fragment: string) {
  const answer = seedAnswers.find((text) => text.includes(fragment));
  assert.ok(answer, `no seed answer contains ${fragment}`);
  return statedRelations(answer);
}

describe('arithmetic the answers state', () => {
  it('confirms every example the issue cites from the seed', () => {
    const water = relationsIn('87 个国家断面');
    assert.deepEqual(
      water.map(({ relation, quote, stated, computed, ok }) => ({ relation, quote, stated, computed, ok })),
      [{ relation: 'ratio', quote: '87 个国家断面有 63 个水质为 III 类及以上，占比 72.4%', stated: '72.4%', computed: '72.41%', ok: true }],
    );
    const sewage = relationsIn('项目 774 个');
    const sum = (stated: string) => sewage.find((r) => r.relation === 'sum' && r.stated === stated);
    assert.deepEqual(
      { ...sum('774'), at: 0 },
      { relation: 'sum', quote: '774 个，其中已完成 188 个、正在调试 129 个、在建 230 个、前期 227 个', stated: '774', computed: '774', ok: true, at: 0 },
    );
    assert.equal(sum('139')?.ok, true);
    assert.equal(sum('666')?.quote, '666 个，污水管道合计 885.92 公里，已完成 145 个、在建 219 个、前期筹备 268 个、未启动 34 个');
    assert.equal(sum('666')?.ok, true);
    assert.equal(sum('38')?.ok, true);
    assert.equal(sum('28')?.ok, true);
    assert.equal(
      sewage.some((r) => r.stated === '885.92'),
      false,
      'the 公里 figure is no part',
    );

    const industry = relationsIn('工业集聚区共计 62 家');
    const share = (stated: string) => industry.find((r) => r.relation === 'ratio' && r.stated === stated);
    assert.deepEqual([share('67.74%')?.computed, share('67.74%')?.ok], ['67.742%', true]);
    assert.deepEqual([share('86.59%')?.computed, share('86.59%')?.ok], ['86.592%', true]);
    assert.ok(share('86.59%')?.quote.startsWith('179 家'));
    assert.deepEqual([share('67.86%')?.computed, share('67.86%')?.ok], ['67.862%', true]);
    assert.ok(share('67.86%')?.quote.startsWith('4322 家'));

    const cases = relationsIn('五类案件总数为672件');
    assert.equal(cases.find((r) => r.relation === 'sum')?.ok, true);
    assert.deepEqual(
      cases.filter((r) => r.relation === 'ratio').map((r) => `${r.stated}=${r.computed}`),
      ['6.5%=6.55%', '21.3%=21.28%', '35%=35.0%', '32.4%=32.44%', '4.8%=4.76%'],
    );
    assert.deepEqual(
      relationsIn('完成率为 75%')
        .filter((r) => r.relation === 'ratio')
        .map((r) => [r.computed, r.ok]),
      [['75.0%', true]],
    );
  });

  it('finds no error anywhere in the seed', () => {
    const all = seedAnswers.flatMap((text) => statedRelations(text).map((relation) => ({ text, relation })));
    assert.ok(all.length >= 30, `only ${all.length} relations read`);
    assert.deepEqual(
      all.filter(({ relation }) => !relation.ok),
      [],
    );
    for (const { text, relation } of all) assert.ok(text.includes(relation.quote), relation.quote);
  });

  it('flags each planted error and nothing else', () => {
    const planted = [
      '全省已实施项目 774 个，其中已完成 188 个、正在调试 129 个、在建 230 个、前期 217 个；另有 38 个，其中前期筹备 25 个，未启动 31 个。',
      '87 个国家断面有 63 个水质为 III 类及以上，占比 74.2%，同比上升 1.1 个百分点。',
      '全省工业集聚区共计 62 家，42 家已完成设施建设，占比 67.74%，7 家正在调试，4 家在建，19 家正在开展前期工作。',
      '清洁化改造的企业涉及 6 个行业：造纸、钢铁、氮肥、印染、制药。',
      '内江、巴中、资阳、马尔康 3 市已完成应急备用水源选址。',
      '印发了 3 个文件《甲办法》《乙办法》。',
    ];
    const results = planted.map((text) => statedRelations(text));
    assert.deepEqual(
      results.map((relations) => relations.filter((r) => !r.ok).map((r) => `${r.relation}:${r.stated}≠${r.computed}`)),
      [['sum:774≠764', 'sum:38≠56'], ['ratio:74.2%≠72.41%'], ['sum:62≠72'], ['count:6≠5'], ['count:3≠4'], ['count:3≠2']],
    );
    // the share that is right beside the wrong sum stays right
    assert.equal(results[2]!.find((r) => r.relation === 'ratio')?.ok, true);
  });

  it('reads the parts counted 截止目前, a remainder written as a total, and full-width figures', () => {
    const cleaner = relationsIn('企业合计 179 家').find((r) => r.relation === 'sum' && r.stated === '179');
    assert.deepEqual(cleaner && { quote: cleaner.quote, computed: cleaner.computed, ok: cleaner.ok }, {
      quote: '179 家，截止目前，已完成清洁化改造企业 155 家，占比 86.59%；正在实施清洁化改造的企业 6 家，还未实施清洁化改造的企业共计 18 家',
      computed: '179',
      ok: true,
    });
    const planted = statedRelations('企业合计 179 家，截至 2017 年 6 月底，已完成 155 家，正在实施 6 家，还未实施的企业共计 17 家。');
    assert.deepEqual(
      planted.map((r) => `${r.relation} ${r.stated} ${r.computed} ${r.ok}`),
      ['sum 179 178 false'],
    );
    // A date that is not the first segment stops the run: nothing read.
    assert.deepEqual(statedRelations('企业合计 179 家，已完成 155 家，截至目前，正在实施 6 家，还未实施 18 家。'), []);

    const wide = '８７ 个国家断面有 ６３ 个水质为 III 类及以上，占比 ７２．４％。项目共计 ７７４ 个，已完成 ５００ 个、在建 ２００ 个、未启动 ７０ 个。';
    const read = statedRelations(wide);
    assert.deepEqual(
      read.map((r) => `${r.relation} ${r.stated} ${r.computed} ${r.ok} ${r.quote}`),
      [
        'ratio 72.4% 72.41% true ８７ 个国家断面有 ６３ 个水质为 III 类及以上，占比 ７２．４％',
        'sum 774 770 false ７７４ 个，已完成 ５００ 个、在建 ２００ 个、未启动 ７０ 个',
      ],
    );
    for (const r of read) assert.ok(wide.includes(r.quote));
  });

  it('states no relation the text does not state', () => {
    for (const text of [
      '全省实施项目共计 139 个，其中已完成 20 个。', // one part: a subset
      '项目共 139 个，其中已完成 20 个、在建 40 个。', // two parts short of the whole may be a subset
      '全省 PM2.5 平均浓度同比下降 11.3%，优良天数比例同比上升 1.1 个百分点。', // changes, not shares
      '完成了全年淘汰计划的 67.9%。', // the whole is not written
      '与省高院、省检察院、省法制办、省公安厅等12个部门联合印发通知。', // 等 leaves the list open
      '查封、扣押案件143件，占21.3%。', // 143 counts cases, not the list
      '完成市、县环境监测站标准化建设 3 个。', // the count is of stations, not of 市、县
      '清洁化改造的行业主要包括造纸、钢铁、氮肥、印染、制药、制革行业。', // no count stated
      '全省共检查风险源单位1631余家，其中已整改285家、正在整改1300家。', // 余: not exact
      '检查企业 120 家，其中发现问题 80 家、已整改 60 家。', // two parts may overlap
      '检查企业 120 家，其中发现问题 30 家、已整改 25 家、正在整改 5 家。', // nested, not a partition
    ]) {
      assert.deepEqual(statedRelations(text), [], text);
    }
  });

  it('takes nested parts closed by a remainder for no partition of the total', () => {
    const nested = statedRelations('共检查企业 300 家，其中 120 家存在问题，占比 40%，已整改 100 家，未整改 20 家。');
    assert.deepEqual(
      nested.map((r) => `${r.relation} ${r.stated} ${r.ok}`),
      ['ratio 40% true'],
    );
    // A remainder that does close a partition is still checked.
    // 等 leaves the parts open: they need not add up.
    assert.deepEqual(statedRelations('受理投诉 500 件，其中大气类 200 件、水类 150 件、噪声类 100 件等。'), []);
    const wrong = statedRelations('共检查企业 300 家，其中已整改 200 家，正在整改 60 家，未整改 30 家。');
    // 完成率 after a list of parts is the share said 完成, not of the nearest part.
    const completed = statedRelations('共有项目 50 个，其中完成 20 个，在建 30 个，完成率 40%。');
    assert.deepEqual(
      completed.map((r) => `${r.relation} ${r.stated} ${r.computed} ${r.ok}`),
      ['sum 50 50 true', 'ratio 40% 40.0% true'],
    );
    assert.equal(statedRelations('共有项目 50 个，其中完成 20 个，在建 30 个，完成率 45%。').find((r) => r.relation === 'ratio')?.ok, false);
    assert.deepEqual(
      wrong.map((r) => `${r.relation} ${r.stated} ${r.computed} ${r.ok}`),
      ['sum 300 290 false'],
    );
  });

  it('holds a list before its count to it only when the last item is a name like the others', () => {
    // 2 counts the plans: the last item runs on into what is counted.
    assert.deepEqual(statedRelations('指导成都、自贡、德阳编制方案 2 个。'), []);
    // Names throughout: a wrong count is flagged.
    const cities = statedRelations('对内江、巴中、资阳、马尔康 5 市开展督察。');
    assert.deepEqual(
      cities.map((r) => `${r.relation} ${r.stated} ${r.computed} ${r.ok}`),
      ['count 5 4 false'],
    );
  });

  it('takes a share of a whole nested in the total as of that whole, and still flags one that fits none', () => {
    const key = statedRelations('全省共有企业 500 家，其中重点企业 100 家，已完成改造 80 家，占重点企业的 80%。');
    assert.deepEqual(
      key.map((r) => `${r.relation} ${r.stated} ${r.computed} ${r.ok} ${r.quote}`),
      ['ratio 80% 80.0% true 100 家，已完成改造 80 家，占重点企业的 80%'],
    );
    const started = statedRelations('全省项目共计 100 个，已开工 60 个，占 60%，其中已完工 30 个，占已开工的 50%。');
    assert.deepEqual(
      started.map((r) => `${r.stated} ${r.computed} ${r.ok}`),
      ['60% 60.0% true', '50% 50.0% true'],
    );
    const wrong = statedRelations('全省共有企业 500 家，其中重点企业 100 家，已完成改造 80 家，占重点企业的 85%。');
    assert.deepEqual(
      wrong.map((r) => `${r.stated} ${r.computed} ${r.ok}`),
      ['85% 16.0% false'],
    );
  });

  it('reads counts written before or after their list', () => {
    const ok = (text: string) => statedRelations(text).map((r) => [r.relation, r.stated, r.computed, r.ok]);
    assert.deepEqual(ok('涉及 6 个行业：造纸、钢铁、氮肥、印染、制药、制革。'), [['count', '6', '6', true]]);
    assert.deepEqual(ok('主要包括造纸、钢铁、氮肥、印染、制药、制革六个行业。'), [['count', '六', '6', true]]);
    assert.deepEqual(ok('印发了 3 个文件《甲》《乙》和《丙》。'), [['count', '3', '3', true]]);
    assert.deepEqual(ok('未完成的 3 个控制单元分别为甲控制单元、乙控制单元和丙控制单元。'), [['count', '3', '3', true]]);
  });

  it('reads an answer at the length limit without scanning back from every figure', () => {
    for (const text of ['1个2个3家4件5%占'.repeat(2000), '合计 10 家，完成 5 家，占比 50%；'.repeat(600), '甲、乙两级，'.repeat(3300)]) {
      const started = process.cpuUsage();
      statedRelations(text.slice(0, 20_000));
      const used = process.cpuUsage(started);
      assert.ok((used.user + used.system) / 1000 < 500, `${(used.user + used.system) / 1000} ms`);
    }
  });
});
