import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { compileTable } from '../../domain/compiled-table.ts';
import { c, excelFile, handMadeNoticeXlsx, HEADER_CELLS, SEED_PATH, xrow } from '../../../tests/fixtures/import/office-files.ts';
import { readPlanDocument, type ReadPlanDocumentResult } from './read-plan-document.ts';
import { renderTableXlsx } from './writers/table-xlsx.ts';
import { assertRefused, withoutWarnings } from '../../../tests/support/documents.ts';

const seed = readPlanDocument(readFileSync(SEED_PATH), 'seed.txt');
const data = withoutWarnings;
const withoutPlace = (warning: string) => warning.replace(/(工作表“[^”]*”)?第\d+行/g, '@');

const refused = (bytes: Uint8Array, name: string, code: string, pattern: RegExp) => assertRefused(() => readPlanDocument(bytes, name), code, pattern);

const TITLE = '《某方案》2017年第二季度工作推进情况调度表';
const ROW = ['一、总体要求', '(一) 主要目标', '到 2020 年，生态环境质量明显改善。', '环境保护厅', '李岳东', '生态处', '正在推进。（生态处）'];

describe('reading our own Excel export back', () => {
  it('gives the data of the json export, the notice from the 通报 sheet field by field', async () => {
    const back = readPlanDocument(await renderTableXlsx(compileTable(seed.document), seed.document.notice), '调度表.xlsx');
    assert.equal(back.format, 'xlsx');
    assert.deepEqual(back.document.notice, seed.document.notice);
    const expected = data(seed.document);
    const actual = data(back.document);
    // As in Word: attributions are written as the units wrote them (（总队）), so the same data comes back, aliases included.
    assert.deepEqual(actual.unitAliases, { 总队: '监察总队' });
    assert.deepEqual(actual, expected);
  });

  it('without a 通报 sheet: the plan and round from the title row, no notice', async () => {
    const back = readPlanDocument(await renderTableXlsx(compileTable(seed.document)), '调度表.xlsx');
    assert.equal(back.document.notice, null);
    assert.deepEqual(back.document.round, seed.document.round);
    assert.equal(back.document.plan.title, seed.document.plan.title);
    assert.deepEqual(data(back.document).chapters, data(seed.document).chapters);
  });
});

describe('reading an Excel sheet made by hand like the original notice', () => {
  let handMade: ReadPlanDocumentResult;
  before(async () => {
    handMade = readPlanDocument(await handMadeNoticeXlsx(), 'handmade.xlsx');
  });

  it('gets the seed’s document: notice above the table, merged chapter cells, repeated headers, 版记 below', () => {
    assert.deepEqual(data(handMade.document), data(seed.document));
  });

  it('makes the same repairs with the same warnings, naming the sheet and its row', () => {
    assert.deepEqual(handMade.warnings.map(withoutPlace), seed.warnings.map(withoutPlace));
    for (const warning of handMade.warnings) assert.match(warning, /^工作表“Sheet1”第\d+行：/);
  });
});

describe('Excel cells', () => {
  it('reads shared strings (rich text, no phonetic guide) and inline strings, and a merged range down its first column', () => {
    const shared = `<si><t>${ROW[2]}</t></si><si><r><t>环境</t></r><r><t>保护厅</t></r><rPh sb="0" eb="2"><t>かんきょう</t></rPh></si>`;
    const rows = [
      xrow(1, [TITLE]),
      xrow(2, HEADER_CELLS),
      `<row r="3">${c('A3', ROW[0]!)}${c('B3', ROW[1]!)}${c('C3', 0)}${c('D3', 1)}${c('E3', ROW[4]!)}${c('F3', ROW[5]!)}${c('G3', ROW[6]!)}</row>`,
      xrow(4, ['', '', '加强饮用水源地绿化。', '林业厅', '李岳东', '水处', '已通报。（水处）']),
    ].join('');
    const { document } = readPlanDocument(excelFile([{ name: '调度表', rows, merges: ['A1:G1', 'A3:A4', 'B3:B4'] }], shared), 'cells.xlsx');
    const tasks = document.chapters[0]!.sections[0]!.tasks;
    assert.deepEqual(
      tasks.map((t) => [t.text, t.leadDepartment, t.progress[0]!.unit]),
      [
        [ROW[2], '环境保护厅', '生态处'],
        ['加强饮用水源地绿化。', '林业厅', '水处'],
      ],
    );
    assert.equal(document.plan.title, '某方案');
  });

  it('refuses merged ranges that overlap', () =>
    refused(
      excelFile([
        {
          name: '表',
          rows: [xrow(1, HEADER_CELLS), xrow(2, ROW), xrow(3, ['', '', '乙。', '林业厅', '李岳东', '水处', ''])].join(''),
          merges: ['A2:A3', 'A3:B3'],
        },
      ]),
      'overlap.xlsx',
      'import_xlsx_merge',
      /overlap\.xlsx：工作表“表”的合并单元格 A2:A3 与 A3:B3 重叠/,
    ));

  it('refuses text outside the table’s columns, naming the row and column', () =>
    refused(
      excelFile([{ name: '表', rows: [xrow(1, HEADER_CELLS), xrow(2, [...ROW, '', '备注：另行报送'])].join('') }]),
      'extra.xlsx',
      'import_row_columns',
      /extra\.xlsx 工作表“表”第2行：第 9 列在调度表的 7 列之外.*备注/,
    ));

  it('refuses a header with a column it does not know, naming it, the columns found and the words it knows', () =>
    refused(
      excelFile([{ name: '表', rows: [xrow(1, [...HEADER_CELLS.slice(0, 6), '督办意见', '推进情况']), xrow(2, ROW)].join('') }]),
      'columns.xlsx',
      'import_table_columns',
      /columns\.xlsx 工作表“表”第1行：调度表表头无法识别：不认识的列名“督办意见”。表头共 8 列：（空）、（空）、具体工作任务.*督办意见、推进情况。认识的列名：.*牵头局领导/,
    ));

  it('refuses a header split over two rows (a group heading above its sub-headings), naming both rows (bad input 3)', () =>
    refused(
      excelFile([
        {
          name: '表',
          rows: [
            xrow(1, ['', '', '具体工作任务', '牵头', '', '责任部门', '推进情况']),
            xrow(2, ['', '', '', '省级牵头部门', '牵头厅领导', '', '']),
            xrow(3, ROW),
          ].join(''),
          merges: ['C1:C2', 'D1:E1', 'F1:F2', 'G1:G2'],
        },
      ]),
      'two-rows.xlsx',
      'import_table_columns',
      /^two-rows\.xlsx 工作表“表”第1行：调度表表头无法识别：不认识的列名“牵头”.*；下一行（工作表“表”第2行）还有“省级牵头部门、牵头厅领导”，表头似乎分成了两行/,
    ));

  it('refuses a sheet without the header, and an empty one', () => {
    refused(
      excelFile([{ name: '表', rows: xrow(1, ['序号', '事项', '进展']) }]),
      'other.xlsx',
      'import_no_table',
      /other\.xlsx 工作表“表”.*没有找到调度表表头/,
    );
    refused(excelFile([{ name: '空表', rows: '' }]), 'empty.xlsx', 'import_table_empty', /empty\.xlsx：工作表“空表”是空的/);
  });

  it('refuses a shared string index that is not there', () =>
    refused(
      excelFile([{ name: '表', rows: `<row r="1">${c('A1', 5)}</row>` }], '<si><t>甲</t></si>'),
      'sst.xlsx',
      'import_xlsx_cell',
      /sst\.xlsx：工作表“表”第1行第1列.*共享字符串 5/,
    ));

  it('reads a 通报 sheet edited by hand: a Chinese date, an unknown label warned about', async () => {
    const table = [xrow(1, [TITLE]), xrow(2, HEADER_CELLS), xrow(3, ROW)].join('');
    const notice = [
      xrow(1, ['文号', '川环办发〔2017〕102号']),
      xrow(2, ['日期', '2017年7月31日']),
      xrow(3, ['正文', '第一段。']),
      xrow(4, ['正文', '第二段。']),
      xrow(5, ['备注', '内部']),
    ].join('');
    const { document, warnings } = readPlanDocument(
      excelFile([
        { name: '调度表', rows: table },
        { name: '通报', rows: notice },
      ]),
      'notice.xlsx',
    );
    assert.equal(document.notice!.docNumber, '川环办发〔2017〕102号');
    assert.equal(document.notice!.date, '2017-07-31');
    assert.deepEqual(document.notice!.body, ['第一段。', '第二段。']);
    assert.equal(document.notice!.title, null);
    assert.ok(warnings.some((w) => /工作表“通报”第5行：不认识的栏目“备注”/.test(w)));
  });
});

describe('an Excel sheet whose first rows lost their header row', () => {
  it('reads the task rows above the header, keeps the title row as the title, and says which rows', () => {
    const rows = [
      xrow(1, [TITLE]),
      xrow(2, ROW),
      xrow(3, ['', '', '城乡生活环境显著优化。', '', '李岳东', '水处', '断面达标率提高。（水处）']),
      xrow(4, HEADER_CELLS),
      xrow(5, ['', '(二) 完善布局', '推动成都平原经济区领先发展。', '规划处', '钟勤建', '规财处', '编制了规划。（规财处）']),
    ].join('');
    const read = readPlanDocument(excelFile([{ name: 'Sheet1', rows }]), 'headerless.xlsx');
    const tasks = read.document.chapters.flatMap((c) => c.sections.flatMap((s) => s.tasks));
    assert.equal(tasks.length, 3);
    assert.equal(tasks[0]!.text, '到 2020 年，生态环境质量明显改善。');
    assert.equal(read.document.round.label, '2017年第二季度');
    assert.ok(
      read.warnings.some((w) => /^工作表“Sheet1”第2行：表格第一页没有表头行，工作表“Sheet1”第2行至工作表“Sheet1”第3行/.test(w)),
      read.warnings.join('\n'),
    );
  });

  it('names a two-cell row above the table instead of reading it into the notice silently', () => {
    const rows = [xrow(1, [TITLE]), xrow(2, ['', '', '城乡生活环境显著优化。', '', '', '', '已推进。']), xrow(3, HEADER_CELLS), xrow(4, ROW)].join('');
    const read = readPlanDocument(excelFile([{ name: 'Sheet1', rows }]), 'stray.xlsx');
    assert.ok(
      read.warnings.some((w) => w === '工作表“Sheet1”第2行：工作表“Sheet1”第2行像是表格行，却在调度表之上，未作为任务导入，请核对'),
      read.warnings.join('\n'),
    );
  });
});
