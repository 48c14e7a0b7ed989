import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { composeMessage, linkTo, QUOTE_MAX_CHARS, type DeliveryEvent } from './messages.ts';

const site = { publicUrl: 'https://diaodu.example.gov.cn/', timeZone: 'Asia/Shanghai' };
const round = { roundId: 7, roundLabel: '2017年第三季度', unitName: '环评处' };
// 2017-10-16 17:00 in Shanghai.
const deadline = '2017-10-16T09:00:00.000Z';

describe('delivery messages', () => {
  test('a link joins the public address and the path, with one slash; none without a public address', () => {
    assert.equal(linkTo('https://diaodu.example.gov.cn/', '/todo/7'), 'https://diaodu.example.gov.cn/todo/7');
    assert.equal(linkTo('https://example.gov.cn/diaodu', 'tasks/3'), 'https://example.gov.cn/diaodu/tasks/3');
    assert.equal(linkTo(null, '/todo/7'), null);
    assert.equal(composeMessage({ kind: 'accepted', ...round }, { publicUrl: null }).link, null);
  });

  test('round opened names the round, the unit and the deadline on the department’s clock', () => {
    const message = composeMessage({ kind: 'round_opened', ...round, deadline }, site);
    assert.equal(message.subject, '【新调度】2017年第三季度');
    assert.equal(message.body, '环评处：“2017年第三季度”已开始，请于 2017年10月16日 17:00 前填报并提交。');
    assert.equal(message.link, 'https://diaodu.example.gov.cn/todo/7');
    assert.match(composeMessage({ kind: 'round_opened', ...round, deadline: null }, site).body, /请及时填报并提交/);
  });

  test('the deadline ladder: days before, the day itself, overdue', () => {
    const before = composeMessage({ kind: 'deadline', ...round, deadline, daysLeft: 3 }, site);
    assert.equal(before.subject, '【提醒】2017年第三季度还有 3 天截止');
    assert.match(before.body, /^环评处：“2017年第三季度”将于 2017年10月16日 17:00 截止，还有 3 天/);
    const today = composeMessage({ kind: 'deadline', ...round, deadline, daysLeft: 0 }, site);
    assert.equal(today.subject, '【提醒】2017年第三季度今天截止');
    assert.match(today.body, /今天截止（2017年10月16日 17:00）/);
    const overdue = composeMessage({ kind: 'deadline', ...round, deadline, daysLeft: -2 }, site);
    assert.equal(overdue.subject, '【逾期】2017年第三季度已逾期 2 天');
    assert.match(overdue.body, /已于 2017年10月16日 17:00 截止，贵单位尚未提交，已逾期 2 天/);
  });

  test('催办 carries the office’s own words, cut when very long', () => {
    const message = composeMessage({ kind: 'reminder', ...round, text: '  请今天下班前提交，谢谢！ ' }, site);
    assert.equal(message.subject, '【催办】2017年第三季度');
    assert.equal(message.body, '环评处：请今天下班前提交，谢谢！');
    const long = composeMessage({ kind: 'reminder', ...round, text: '催'.repeat(QUOTE_MAX_CHARS + 50) }, site);
    assert.equal(long.body, `环评处：${'催'.repeat(QUOTE_MAX_CHARS)}…`);
  });

  test('returned (with and without a reason, for one task), accepted, waiting for approval', () => {
    const returned = composeMessage({ kind: 'returned', ...round, taskTitle: '推进排污许可', reason: '请补充数据来源' }, site);
    assert.equal(returned.subject, '【退回】2017年第三季度');
    assert.equal(returned.body, '环评处：“2017年第三季度”中“推进排污许可”的填报已被办公室退回，请修改后重新提交。退回意见：请补充数据来源');
    assert.equal(composeMessage({ kind: 'returned', ...round, reason: null }, site).body, '环评处：“2017年第三季度”的填报已被办公室退回，请修改后重新提交。');
    assert.equal(composeMessage({ kind: 'accepted', ...round }, site).body, '环评处：“2017年第三季度”的填报已被办公室采纳。');
    const waiting = composeMessage({ kind: 'awaiting_approval', ...round, submittedBy: '王芳' }, site);
    assert.equal(waiting.subject, '【待审核】2017年第三季度');
    assert.equal(waiting.body, '环评处：王芳已提交“2017年第三季度”的填报，等待处室负责人审核后报送办公室。');
  });

  test('a leader’s 批示 names the task and links to it; the notice names its title', () => {
    const instruction = composeMessage({ kind: 'instruction', taskId: 42, taskTitle: '推进排污许可', leaderName: '李岳东', text: '抓紧落实。' }, site);
    assert.equal(instruction.subject, '【领导批示】推进排污许可');
    assert.equal(instruction.body, '李岳东对“推进排污许可”作出批示：抓紧落实。');
    assert.equal(instruction.link, 'https://diaodu.example.gov.cn/tasks/42');
    const notice = composeMessage(
      { kind: 'notice_issued', roundId: 7, roundLabel: '2017年第三季度', noticeTitle: '关于2017年第三季度工作推进情况的通报' },
      site,
    );
    assert.equal(notice.subject, '【通报】关于2017年第三季度工作推进情况的通报');
    assert.equal(notice.link, 'https://diaodu.example.gov.cn/notifications');
  });

  test('a line break in a label never splits the subject line', () => {
    const event: DeliveryEvent = { kind: 'accepted', roundId: 7, roundLabel: '2017年\r\n第三季度', unitName: '环评处' };
    assert.equal(composeMessage(event, site).subject, '【已采纳】2017年 第三季度');
  });
});
