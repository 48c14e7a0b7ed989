import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { tasksOf, type PlanDocument } from '../../domain/plan-document.ts';
import { excelFile, p, SEED_PATH, tbl, tc, tr, wordFile, xrow } from '../../../tests/fixtures/import/office-files.ts';
import { assertRefused, withoutWarnings } from '../../../tests/support/documents.ts';
import { readPlanDocument } from './read-plan-document.ts';

/**
 * Tables of other shapes than the seed's (issue 14): a city bureau's words, 序号, 完成时限 and 备注
 * columns, chapters and sections as rows spanning the table; as text, Word and Excel alike.
 */
const TITLE = '《某市2018年环境保护工作要点》2018年第一季度工作推进情况调度表';
const HEADER = ['序号', '重点任务', '市级牵头单位', '牵头局领导', '责任科室', '完成时限', '推进情况', '备注'];
const WIDTH = HEADER.length;
/** A heading row spanning the table, or a task row; the department cell '' continues the one above (a merged cell). */
type Row = { heading: string } | { cells: string[] };
const ROWS: Row[] = [
  { heading: '一、深入推进大气污染防治' },
  { heading: '（一）工业污染治理' },
  { cells: ['1', '完成燃煤锅炉淘汰任务，淘汰10蒸吨以下燃煤小锅炉。', '市环境保护局', '王建国', '大气科', '2018年6月底前', '已淘汰燃煤小锅炉32台。（大气科）', ''] },
  { cells: ['2', '开展挥发性有机物专项整治。', '', '王建国、刘芳', '大气科、监测站', '2018年12月', '', '需市经信委配合'] },
  { heading: '（二）移动源污染防治' },
  { cells: ['3', '加强机动车尾气检测监管。', '市环境监察支队', '刘芳', '监察科', '长期坚持', '抽检车辆1200台次。（监察科）', ''] },
  { heading: '二、着力改善水环境质量' },
  { heading: '（一）饮用水水源保护' },
  { cells: ['4', '完成县级饮用水水源地规范化建设。', '市环境保护局', '张明', '水环境科、法规科', '', '已完成3个水源地。（水环境科）', ''] },
];

const EXPECTED = [
  { chapter: [1, '深入推进大气污染防治'], section: [1, '工业污染治理'], text: '完成燃煤锅炉淘汰任务，淘汰10蒸吨以下燃煤小锅炉。', leadDepartment: '市环境保护局', leaders: ['王建国'], units: ['大气科'], due: '2018年6月底前', progress: [{ unit: '大气科', text: '已淘汰燃煤小锅炉32台。' }] },
  { chapter: [1, '深入推进大气污染防治'], section: [1, '工业污染治理'], text: '开展挥发性有机物专项整治。', leadDepartment: '市环境保护局', leaders: ['王建国', '刘芳'], units: ['大气科', '监测站'], due: '2018年12月', progress: [] },
  { chapter: [1, '深入推进大气污染防治'], section: [2, '移动源污染防治'], text: '加强机动车尾气检测监管。', leadDepartment: '市环境监察支队', leaders: ['刘芳'], units: ['监察科'], due: '长期坚持', progress: [{ unit: '监察科', text: '抽检车辆1200台次。' }] },
  { chapter: [2, '着力改善水环境质量'], section: [1, '饮用水水源保护'], text: '完成县级饮用水水源地规范化建设。', leadDepartment: '市环境保护局', leaders: ['张明'], units: ['水环境科', '法规科'], due: undefined, progress: [{ unit: '水环境科', text: '已完成3个水源地。' }] },
];

function tasksRead(document: PlanDocument) {
  return [...tasksOf(document)].map(({ chapter, section, task }) => ({
    chapter: [chapter.number, chapter.title],
    section: [section.number, section.title],
    text: task.text,
    leadDepartment: task.leadDepartment,
    leaders: task.leaders,
    units: task.units.map((unit) => unit.name),
    due: task.due,
    progress: task.progress.map((entry) => ({ unit: entry.unit, text: entry.text })),
  }));
}

function assertBureauTable(document: PlanDocument, warnings: string[]) {
  assert.deepEqual(tasksRead(document), EXPECTED);
  assert.equal(document.plan.title, '某市2018年环境保护工作要点');
  assert.equal(document.round.label, '2018年第一季度');
  assert.deepEqual(document.chapters[0]!.sections[0]!.tasks.map((task) => task.units.map((unit) => unit.role)), [['lead'], ['lead', 'co']]);
  assert.ok(warnings.some((w) => /“备注”列的内容未导入/.test(w)), warnings.join('\n'));
  assert.ok(!warnings.some((w) => /错位|没有章标题|没有节标题|没有具体工作任务|没有牵头厅领导|没有责任部门/.test(w)), warnings.join('\n'));
}

const textFile = () =>
  [
    TITLE,
    HEADER.join('\t'),
    ...ROWS.map((row) => ('heading' in row ? [row.heading, ...new Array<string>(WIDTH - 1).fill('')] : row.cells).join('\t')),
  ].join('\n');

/** Word: heading rows one cell spanning the table, the lead unit merged down over the tasks it leads. */
const docxFile = () =>
  wordFile(
    `${p(TITLE)}${tbl(WIDTH, [
      tr(HEADER.map((text) => tc(text)), { header: true }),
      ...ROWS.map((row, index) => {
        if ('heading' in row) return tr([tc(row.heading, { span: WIDTH })]);
        const next = ROWS[index + 1];
        return tr(
          row.cells.map((text, column) =>
            column !== 2 ? tc(text) : text === '' ? tc('', { vMerge: 'continue' }) : next && 'cells' in next && next.cells[2] === '' ? tc(text, { vMerge: 'restart' }) : tc(text),
          ),
        );
      }),
    ])}`,
  );

/** Excel: the title in row 1, the header in row 2, heading rows merged across A:H, the lead unit merged down. */
const xlsxFile = () => {
  const merges: string[] = [];
  const rows = [xrow(1, [TITLE]), xrow(2, HEADER)];
  ROWS.forEach((row, index) => {
    const number = index + 3;
    if ('heading' in row) {
      rows.push(xrow(number, [row.heading]));
      merges.push(`A${number}:H${number}`);
    } else {
      rows.push(xrow(number, row.cells));
      if (row.cells[2] === '') merges.push(`C${number - 1}:C${number}`);
    }
  });
  return excelFile([{ name: '调度表', rows: rows.join(''), merges }]);
};

describe('a city bureau’s table: 序号, 重点任务, 市级牵头单位, 牵头局领导, 责任科室, 完成时限, 推进情况, 备注; headings spanning the table', () => {
  it('reads from text with every task, leader, unit, department and due date exact', () => {
    const read = readPlanDocument(new TextEncoder().encode(textFile()), '调度表.txt');
    assertBureauTable(read.document, read.warnings);
  });

  it('reads from Word alike', () => {
    const read = readPlanDocument(docxFile(), '调度表.docx');
    assert.equal(read.format, 'docx');
    assertBureauTable(read.document, read.warnings);
  });

  it('reads from Excel alike', () => {
    const read = readPlanDocument(xlsxFile(), '调度表.xlsx');
    assert.equal(read.format, 'xlsx');
    assertBureauTable(read.document, read.warnings);
  });

  it('gives the same document from the three files', () => {
    const text = withoutWarnings(readPlanDocument(new TextEncoder().encode(textFile()), '调度表.txt').document);
    assert.deepEqual(withoutWarnings(readPlanDocument(docxFile(), '调度表.docx').document), text);
    assert.deepEqual(withoutWarnings(readPlanDocument(xlsxFile(), '调度表.xlsx').document), text);
  });

  it('keeps the due date in diaodu.plan/1 and reads it back from the json', () => {
    const read = readPlanDocument(xlsxFile(), '调度表.xlsx');
    const json = JSON.stringify(read.document);
    assert.match(json, /"units":\[\{"name":"大气科","role":"lead"\}\],"due":"2018年6月底前","progress"/);
    const back = readPlanDocument(new TextEncoder().encode(json), '调度表.json');
    assert.deepEqual(back.document, read.document);
  });
});

describe('the seed’s shape in other words', () => {
  const seedText = readFileSync(SEED_PATH, 'utf8');
  const seed = readPlanDocument(readFileSync(SEED_PATH), 'seed.txt');

  it('reads the seed with a bureau’s header words (重点任务, 市级牵头单位, 牵头局领导, 责任科室, 进展情况) as the seed itself', () => {
    const renamed = seedText.replaceAll('具体工作任务\t省级牵头部门\t牵头厅领导\t责任部门\t推进情况', '重点任务\t市级牵头单位\t牵头局领导\t责任科室\t进展情况');
    assert.notEqual(renamed, seedText);
    const read = readPlanDocument(new TextEncoder().encode(renamed), 'renamed.txt');
    assert.deepEqual(withoutWarnings(read.document), withoutWarnings(seed.document));
    assert.ok([...tasksOf(read.document)].every(({ task }) => task.due === undefined), 'no 完成时限 column, no due dates');
  });
});

describe('a header it cannot map', () => {
  const refused = (bytes: Uint8Array, name: string, pattern: RegExp) => assertRefused(() => readPlanDocument(bytes, name), 'import_table_columns', pattern);

  it('is refused naming the unknown column, the columns it found and the words it knows (text)', () =>
    refused(
      new TextEncoder().encode([TITLE, ['序号', '重点任务', '牵头单位', '牵头人', '责任科室', '推进情况'].join('\t'), ['1', '任务。', '市环境保护局', '王建国', '大气科', ''].join('\t')].join('\n')),
      'bad.txt',
      /^bad\.txt 第2行：调度表表头无法识别：不认识的列名“牵头人”，缺少“牵头领导”列。表头共 6 列：序号、重点任务、牵头单位、牵头人、责任科室、推进情况。认识的列名：具体工作任务：具体工作任务\/重点任务.*牵头领导：牵头厅领导\/牵头局领导.*完成时限：完成时限\/时间节点/,
    ));

  it('is refused in Word and Excel alike, and so are two columns of one meaning', () => {
    refused(wordFile(tbl(5, [tr(['重点任务', '牵头单位', '分管领导', '责任单位', '承办单位'].map((text) => tc(text)))])), 'bad.docx', /^bad\.docx 表格第1行：调度表表头无法识别：列“承办单位”与其他列重复/);
    refused(excelFile([{ name: '表', rows: xrow(1, ['工作任务', '牵头部门', '责任领导', '意见']) }]), 'bad.xlsx', /^bad\.xlsx 工作表“表”第1行：调度表表头无法识别：不认识的列名“意见”，缺少“责任部门”列/);
  });
});
