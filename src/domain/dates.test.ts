import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateAndTimeIn, formatDateTimeZh, formatDateZh, isCalendarDate, isTimeZone, parseTypedDate, utcOffsetOf } from './dates.ts';

test('dates as people type them all mean the same day', () => {
  for (const typed of [
    '2017-10-16',
    '2017/10/16',
    '2017.10.16',
    '2017年10月16日',
    '2017年10月16',
    '20171016',
    '２０１７－１０－１６',
    ' 2017 年 10 月 16 日\u3000',
    '2017/10/16',
  ])
    assert.equal(parseTypedDate(typed), '2017-10-16', typed);
  assert.equal(parseTypedDate('2017-7-1'), '2017-07-01');
  assert.equal(parseTypedDate('2016-02-29'), '2016-02-29');
});

test('impossible or unreadable dates are refused, never rolled into another month', () => {
  for (const bad of [
    '2017-13-45',
    '2017-02-30',
    '2017-02-29',
    '0000-00-00',
    '1900-02-29',
    '2017-04-31',
    '2017-10',
    '10/16/2017',
    'tomorrow',
    '',
    '2017-10-16x',
  ])
    assert.equal(parseTypedDate(bad), null, bad);
  assert.equal(isCalendarDate('2017-02-30'), false);
  assert.equal(isCalendarDate('2017-7-31'), false);
  assert.equal(isCalendarDate('2017-07-31'), true);
});

test('times read as a notice writes them, on the department’s clock', () => {
  assert.equal(formatDateTimeZh('2026-12-05T12:46:00.000Z'), '2026年12月5日 20:46');
  assert.equal(formatDateTimeZh('2026-12-05T12:46:00.000Z', 'UTC'), '2026年12月5日 12:46');
  assert.equal(formatDateTimeZh('2017-10-16'), '2017年10月16日');
  assert.equal(formatDateZh('2017-07-31'), '2017年7月31日');
  assert.equal(formatDateZh('2017-07-31T16:30:00Z'), '2017年8月1日');
  assert.equal(formatDateTimeZh('not a date'), 'not a date');
});

test('time zones: offsets and names', () => {
  assert.equal(utcOffsetOf('Asia/Shanghai'), '+08:00');
  assert.equal(utcOffsetOf('UTC'), '+00:00');
  assert.equal(utcOffsetOf('America/New_York', new Date('2017-01-15T12:00:00Z')), '-05:00');
  assert.equal(isTimeZone('Asia/Urumqi'), true);
  assert.equal(isTimeZone('Mars/Olympus'), false);
});

test('a form’s date and time fields read an instant on the department’s clock, whatever the machine’s zone', () => {
  assert.deepEqual(dateAndTimeIn(new Date('2017-10-16T16:30:00Z')), { date: '2017-10-17', time: '00:30' });
  assert.deepEqual(dateAndTimeIn(new Date('2017-10-16T16:30:00Z'), 'Europe/Berlin'), { date: '2017-10-16', time: '18:30' });
});
