import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/**
 * Tables of other shapes than the seed's (issue 14, decision 026): a city bureau's words, 序号,
 * 完成时限 and 备注 columns, chapters and sections as rows spanning the table; text, Word, Excel.
 */
import { tasksOf, type PlanDocument } from '../../domain/plan-document.ts';
import { BUREAU_TASKS, bureauDocx, bureauText, bureauXlsx } from '../../../tests/fixtures/import/bureau-table.ts';
import { excelFile, p, SEED_PATH, tbl, tc, tr, wordFile, xrow } from '../../../tests/fixtures/import/office-files.ts';
import { assertRefused, withoutWarnings } from '../../../tests/support/documents.ts';
import { readPlanDocument } from './read-plan-document.ts';

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
  assert.deepEqual(tasksRead(document), BUREAU_TASKS);
  assert.equal(document.plan.title, '某市2018年环境保护工作要点');
  assert.equal(document.round.label, '2018年第一季度');
  assert.deepEqual(
    document.chapters[0]!.sections[0]!.tasks.map((task) => task.units.map((unit) => unit.role)),
    [['lead'], ['lead', 'co']],
  );
  assert.ok(
    warnings.some((w) => /“备注”列的内容未导入/.test(w)),
    warnings.join('\n'),
  );
  assert.ok(!warnings.some((w) => /错位|没有章标题|没有节标题|没有具体工作任务|没有牵头厅领导|没有责任部门/.test(w)), warnings.join('\n'));
}

describe('a city bureau’s table: 序号, 重点任务, 市级牵头单位, 牵头局领导, 责任科室, 完成时限, 推进情况, 备注; headings spanning the table', () => {
  it('reads from text with every task, leader, unit, department and due date exact', () => {
    const read = readPlanDocument(bureauText(), '调度表.txt');
    assertBureauTable(read.document, read.warnings);
  });

  it('reads from Word alike', () => {
    const read = readPlanDocument(bureauDocx(), '调度表.docx');
    assert.equal(read.format, 'docx');
    assertBureauTable(read.document, read.warnings);
  });

  it('reads from Excel alike', () => {
    const read = readPlanDocument(bureauXlsx(), '调度表.xlsx');
    assert.equal(read.format, 'xlsx');
    assertBureauTable(read.document, read.warnings);
  });

  it('gives the same document from the three files', () => {
    const text = withoutWarnings(readPlanDocument(bureauText(), '调度表.txt').document);
    assert.deepEqual(withoutWarnings(readPlanDocument(bureauDocx(), '调度表.docx').document), text);
    assert.deepEqual(withoutWarnings(readPlanDocument(bureauXlsx(), '调度表.xlsx').document), text);
  });

  it('keeps the due date in diaodu.plan/1 and reads it back from the json', () => {
    const read = readPlanDocument(bureauXlsx(), '调度表.xlsx');
    const json = JSON.stringify(read.document);
    assert.match(json, /"units":\[\{"name":"大气科","role":"lead"\}\],"due":"2018年6月底前","progress"/);
    const back = readPlanDocument(new TextEncoder().encode(json), '调度表.json');
    assert.deepEqual(back.document, read.document);
  });
});

describe('other shapes, other words', () => {
  const text = (lines: string[][]) =>
    new TextEncoder().encode(['《某县2018年工作要点》2018年第一季度工作推进情况调度表', ...lines.map((cells) => cells.join('\t'))].join('\n'));

  it('speaks the table’s own words in its warnings (没有牵头局领导, 没有责任科室), not the seed’s', () => {
    const read = readPlanDocument(
      text([
        ['工作任务', '县级牵头部门', '牵头局领导', '责任科室', '落实情况'],
        ['一、环境治理', '', '', '', ''],
        ['（一）水', '', '', '', ''],
        ['整治黑臭水体。', '县环境保护局', '', '', ''],
      ]),
      'county.txt',
    );
    assert.ok(read.warnings.includes('第5行：没有牵头局领导'), read.warnings.join('\n'));
    assert.ok(read.warnings.includes('第5行：没有责任科室'), read.warnings.join('\n'));
    assert.ok(!read.warnings.some((w) => /厅领导|责任部门|省级/.test(w)), read.warnings.join('\n'));
  });

  it('reads a table without a progress column (a plan before its first round), 时间节点 as the due date', () => {
    const read = readPlanDocument(
      text([
        ['序号', '任务内容', '牵头单位', '分管领导', '承办单位', '时间节点'],
        ['一、环境治理', '', '', '', '', ''],
        ['1', '整治黑臭水体。', '县环境保护局', '李强', '水环境股', '2018年底'],
      ]),
      'plan.txt',
    );
    const [task] = [...tasksOf(read.document)].map(({ task }) => task);
    assert.deepEqual(
      { text: task!.text, leadDepartment: task!.leadDepartment, leaders: task!.leaders, units: task!.units, due: task!.due, progress: task!.progress },
      { text: '整治黑臭水体。', leadDepartment: '县环境保护局', leaders: ['李强'], units: [{ name: '水环境股', role: 'lead' }], due: '2018年底', progress: [] },
    );
  });

  it('reads a Word table cut at a page break, its header repeated in a second table, with spaced header words', () => {
    const header = ['序号', '重 点 任 务', '牵头单位', '牵头局领导', '责任科室', '完成时限', '进展情况'];
    const row = (cells: string[]) => tr(cells.map((cell) => tc(cell)));
    const bytes = wordFile(
      `${p('《某市2018年工作要点》2018年第一季度工作推进情况调度表')}${tbl(7, [
        tr(
          header.map((cell) => tc(cell)),
          { header: true },
        ),
        tr([tc('一、大气', { span: 7 })]),
        row(['1', '淘汰燃煤锅炉。', '市环境保护局', '王建国', '大气科', '6月底前', '已淘汰。（大气科）']),
      ])}${p('')}${tbl(7, [
        tr(
          header.map((cell) => tc(cell)),
          { header: true },
        ),
        tr([tc('二、水', { span: 7 })]),
        row(['2', '保护水源地。', '市水务局', '张明', '水环境科', '12月底前', '']),
      ])}`,
    );
    const read = readPlanDocument(bytes, 'pages.docx');
    assert.deepEqual(
      [...tasksOf(read.document)].map(({ chapter, task }) => [
        chapter.number,
        chapter.title,
        task.text,
        task.leadDepartment,
        task.leaders,
        task.units.map((u) => u.name),
        task.due,
      ]),
      [
        [1, '大气', '淘汰燃煤锅炉。', '市环境保护局', ['王建国'], ['大气科'], '6月底前'],
        [2, '水', '保护水源地。', '市水务局', ['张明'], ['水环境科'], '12月底前'],
      ],
    );
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
    assert.ok(
      [...tasksOf(read.document)].every(({ task }) => task.due === undefined),
      'no 完成时限 column, no due dates',
    );
  });
});

describe('a header it cannot map', () => {
  const refused = (bytes: Uint8Array, name: string, pattern: RegExp) => assertRefused(() => readPlanDocument(bytes, name), 'import_table_columns', pattern);

  it('is refused naming the unknown column, the columns it found and the words it knows (text)', () =>
    refused(
      new TextEncoder().encode(
        [
          '《某市2018年环境保护工作要点》2018年第一季度工作推进情况调度表',
          ['序号', '重点任务', '牵头单位', '牵头人', '责任科室', '推进情况'].join('\t'),
          ['1', '任务。', '市环境保护局', '王建国', '大气科', ''].join('\t'),
        ].join('\n'),
      ),
      'bad.txt',
      /^bad\.txt 第2行：调度表表头无法识别：不认识的列名“牵头人”，缺少“牵头领导”列。表头共 6 列：序号、重点任务、牵头单位、牵头人、责任科室、推进情况。认识的列名：具体工作任务：具体工作任务\/重点任务.*牵头领导：牵头厅领导\/牵头局领导.*完成时限：完成时限\/时间节点/,
    ));

  it('refuses a due date longer than a due date can be, naming the row', () =>
    assertRefused(
      () =>
        readPlanDocument(
          new TextEncoder().encode(
            [
              '《某方案》2018年第一季度工作推进情况调度表',
              ['重点任务', '牵头单位', '牵头局领导', '责任科室', '完成时限'].join('\t'),
              ['任务。', '市环境保护局', '王建国', '大气科', '长'.repeat(201)].join('\t'),
            ].join('\n'),
          ),
          'long.txt',
        ),
      'import_due_too_long',
      /^long\.txt 第3行：完成时限超过 200 字（201 字）/,
    ));

  it('is refused in Word and Excel alike, and so are two columns of one meaning', () => {
    refused(
      wordFile(tbl(5, [tr(['重点任务', '牵头单位', '分管领导', '责任单位', '承办单位'].map((text) => tc(text)))])),
      'bad.docx',
      /^bad\.docx 表格第1行：调度表表头无法识别：列“承办单位”与其他列重复/,
    );
    refused(
      excelFile([{ name: '表', rows: xrow(1, ['工作任务', '牵头部门', '责任领导', '意见']) }]),
      'bad.xlsx',
      /^bad\.xlsx 工作表“表”第1行：调度表表头无法识别：不认识的列名“意见”，缺少“责任部门”列/,
    );
  });
});
