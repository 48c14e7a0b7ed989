import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasNewFacts } from './facts.ts';

describe('no new facts', () => {
  it('finds nothing checkable in hollow answers', () => {
    for (const hollow of [
      '配合相关职能部门推进相关工作。',
      '正在按期推进落实。',
      '积极开展相关工作。',
      '加强 PM2.5 治理工作。',
      '配合推进一批项目建设。',
      '组织实施国家和省“十三五”环境保护规划。',
      '积极配合相关企业集团推进工作。',
    ]) {
      assert.equal(hasNewFacts(hollow), false, hollow);
    }
  });

  it('counts numbers, dates, document numbers and named documents or projects as facts', () => {
    for (const factual of [
      '积极落实《大规模绿化全川行动方案》，利用生态县创建指导各地增加森林面积。',
      '累计淘汰燃煤小锅炉 2400 余台。',
      '累计淘汰燃煤小锅炉２４００余台。',
      '6月22日召开工作会。',
      '印发了通知（川环函(2017)570 号）。',
      '妥善处置两起突发环境事件。',
      '实施农村“清水”工程。',
      '印发了<清洁生产审核办法>。',
      // Named meetings, mechanisms and organisations (the seed's 八.(三十四).3, 七.(二十七).3, 七.(二十五).1, 八.(三十一).1).
      '召开“坚定推进生态优先绿色发展”、“环保督察现场会”等新闻发布会和通报会。',
      '配合监测处制定了“三江流域生态补偿机制”。',
      '与中国葛洲坝集团股份有限公司签订了重点流域水环境综合治理战略合作协议。',
      '成都理工大学申报国家环境保护水土污染协同控制与修复重点实验室。',
    ]) {
      assert.equal(hasNewFacts(factual), true, factual);
    }
  });
});
