import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandPlaceholders, formatNoticeDate, isCalendarDate, readDocNumber } from './notice.ts';

test('document numbers as typed: the seed’s form is taken as is; zeros, brackets and full-width digits are normalised and said', () => {
  assert.deepEqual(readDocNumber('川环办发〔2017〕102号'), {
    ok: true,
    docNumber: '川环办发〔2017〕102号',
    parts: { prefix: '川环办发', year: 2017, number: 102 },
    notes: [],
  });
  const zeros = readDocNumber('川环办发〔2017〕0102号');
  assert.ok(zeros.ok);
  assert.equal(zeros.docNumber, '川环办发〔2017〕102号');
  assert.deepEqual(zeros.notes, ['文号序号的前导零已去掉：0102 → 102']);
  const brackets = readDocNumber(' 川环办发 [２０１７] 5 号');
  assert.ok(brackets.ok);
  assert.equal(brackets.docNumber, '川环办发〔2017〕5号');
  assert.equal(brackets.notes.length, 2);
  assert.deepEqual(readDocNumber('川环办发2017102号'), { ok: false, reason: 'form' });
  assert.deepEqual(readDocNumber('川环办发〔1999〕1号'), { ok: false, reason: 'year' });
  assert.deepEqual(readDocNumber('川环办发〔2017〕000号'), { ok: false, reason: 'number' });
  assert.deepEqual(readDocNumber(`${'川'.repeat(40)}〔2017〕1号`), { ok: false, reason: 'prefix' });
});

test('dates: only days that exist, printed the way the notice writes them', () => {
  assert.equal(isCalendarDate('2017-07-31'), true);
  assert.equal(isCalendarDate('2016-02-29'), true);
  for (const bad of ['2017-02-29', '2017-13-01', '2017-04-31', '2017-7-31', '2017/07/31', '']) assert.equal(isCalendarDate(bad), false, bad);
  assert.equal(formatNoticeDate('2017-07-31'), '2017年7月31日');
  assert.equal(formatNoticeDate('2017-10-01'), '2017年10月1日');
});

test('placeholders: known ones replaced, unknown and valueless ones reported, other braces left alone', () => {
  const values = { '{轮次}': '2017年第二季度', '{方案文号}': null, '{方案标题}': '厅内分工方案' };
  assert.deepEqual(expandPlaceholders('《{方案标题}》{轮次}', values), { text: '《厅内分工方案》2017年第二季度', unknown: [], empty: [] });
  assert.deepEqual(expandPlaceholders('（{方案文号}）{文号}{x}', values), { text: '（{方案文号}）{文号}{x}', unknown: ['{文号}'], empty: ['{方案文号}'] });
});
