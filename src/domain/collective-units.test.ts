import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCollectiveUnitName } from './collective-units.ts';

test('the collective names plans use are recognised, in either bracket width and with blanks', () => {
  for (const name of [
    '各处(室)',
    '直属单位',
    '厅机关各处（室）',
    '各处(室)、直属单位',
    '厅机关各处（室）、直属单位',
    '各 处 ( 室 )',
    '直属各单位',
    '各相关处室',
    '各处室和直属单位',
  ])
    assert.ok(isCollectiveUnitName(name), name);
});

test('real units are not collective, even when their name contains 处 or 单位', () => {
  for (const name of ['环评处', '办公室', '监察总队', '机关服务中心', '驻厅纪检组', '宣教处', '三大办', '处室', '', '各处(室)、环评处', '单位'])
    assert.ok(!isCollectiveUnitName(name), name);
});
