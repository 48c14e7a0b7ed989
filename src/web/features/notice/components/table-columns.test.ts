import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tableColumns } from './table-columns.ts';

const row = (due?: string) => ({ leadDepartment: '省发展改革委', leaders: '高洁', units: '环评处', ...(due === undefined ? {} : { due }) });

test('the print view has a 完成时限 column only when asked, as wide as its longest entry (4 to 8 characters)', () => {
  assert.equal(tableColumns([row('2018年6月底前'), row()]).widths.length, 7);
  const widths = tableColumns([row(), row('2018年6月底前'), row('长期')], true).widths;
  assert.equal(widths.length, 8);
  assert.equal(widths[6], 'calc(7em + 10px)', 'the longest entry, not the shortest');
  assert.equal(tableColumns([row('长期')], true).widths[6], 'calc(4em + 10px)', 'never narrower than the header 完成时限');
  assert.equal(tableColumns([row('2017年12月底前完成并持续推进落实到位')], true).widths[6], 'calc(8em + 10px)', 'a long one wraps');
  assert.equal(widths[7], 'auto', '推进情况 takes the rest');
});
