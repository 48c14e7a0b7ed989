import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { compileTable } from '../../domain/compiled-table.ts';
import { handMadeNoticeDocx, HEADER_CELLS, p, SEED_PATH, tbl, tc, tr, wordFile, zipOf } from '../../../tests/fixtures/import/office-files.ts';
import { readPlanDocument, type ReadPlanDocumentResult } from './read-plan-document.ts';
import { renderNoticeDocx, renderTableDocx } from './writers/notice-docx.ts';
import { readSeedText } from './seed-text.reader.ts';
import { defaultNotice } from '../services/compile-round.service.ts';
import { generatePlanDocument } from '../../../scripts/generate-plan-document.ts';
import { assertRefused, withoutWarnings } from '../../../tests/support/documents.ts';

const seed = readPlanDocument(readFileSync(SEED_PATH), 'seed.txt');

const data = withoutWarnings;
/** A warning without its positions (第51行 in the text, 第2个表格第7行 in Word). */
const withoutPlace = (warning: string) => warning.replace(/(第\d+个)?表格第\d+行|第\d+行|第\d+段/g, '@');

const refused = (bytes: Uint8Array, name: string, code: string, pattern: RegExp) => assertRefused(() => readPlanDocument(bytes, name), code, pattern);

/** A Word file with the progress table of the given data rows. */
const tableFile = (rows: string[][], extra = '') =>
  wordFile(
    `${p('《某方案》2017年第二季度工作推进情况调度表')}${tbl(7, [
      tr(
        HEADER_CELLS.map((c) => tc(c)),
        { header: true },
      ),
      ...rows.map((cells) => tr(cells.map((c) => tc(c)))),
    ])}${extra}`,
  );
const ROW = ['一、总体要求', '(一) 主要目标', '到 2020 年，生态环境质量明显改善。', '环境保护厅', '李岳东', '生态处', '正在推进。（生态处）'];

describe('reading a Word table made by hand like the original notice', () => {
  let handMade: ReadPlanDocumentResult;
  before(async () => {
    handMade = readPlanDocument(await handMadeNoticeDocx(), 'handmade.docx');
  });

  it('gets the same document as the seed’s text: notice, plan, round, every chapter, section, task and progress entry', () => {
    assert.equal(handMade.format, 'docx');
    assert.deepEqual(data(handMade.document), data(seed.document));
  });

  it('makes the same repairs and says so in the same words, naming the table and row instead of the line', () => {
    assert.deepEqual(handMade.warnings.map(withoutPlace), seed.warnings.map(withoutPlace));
    for (const warning of handMade.warnings) assert.match(warning, /^(第\d+个表格第\d+行|第\d+段)：/);
    assert.ok(!handMade.warnings.some((w) => /第\d+行“/.test(w) && !/表格第\d+行“/.test(w)), 'line references inside messages are renamed too');
  });
});

describe('reading our own Word export back', () => {
  it('gives the data of the json export: the notice, plan, round and every task with its progress attribution', async () => {
    const bytes = await renderNoticeDocx({ notice: seed.document.notice!, table: compileTable(seed.document) });
    const back = readPlanDocument(bytes, '通报.docx');
    const expected = data(seed.document);
    const actual = data(back.document);
    // The export writes each attribution as the unit wrote it (（总队）, decision 024), so the short
    // form is learnt again, and every entry keeps its written name: the same data, aliases included.
    assert.deepEqual(expected.unitAliases, { 总队: '监察总队' });
    assert.deepEqual(actual, expected);
    assert.equal(back.contentHash.length, 64);
  });

  it('reads the table alone (renderTableDocx): the plan and round from its title, no notice', async () => {
    const back = readPlanDocument(await renderTableDocx(compileTable(seed.document)), '调度表.docx');
    assert.equal(back.document.notice, null);
    assert.deepEqual(back.document.round, seed.document.round);
    assert.equal(back.document.plan.title, seed.document.plan.title);
    assert.equal(back.document.plan.docNumber, null, 'the plan’s document number is only in the notice');
    assert.deepEqual(data(back.document).chapters, data(seed.document).chapters);
  });

  it('reads a generated 1,000-task plan back from its own Word export: the same tasks, every text byte for byte', async () => {
    // bench:import found 1,002 tasks here: rows split over pages inside a unit's bracket
    // (`…（科标` | `处）`) read back as new tasks, and a cut at a space lost the space (`占比 72.4%`).
    const { text, expected } = generatePlanDocument({ tasks: 1_000, seed: 1 });
    const plan = readSeedText(text, 'generated-1000.txt').document;
    const back = readPlanDocument(await renderNoticeDocx({ notice: plan.notice ?? defaultNotice(plan, null), table: compileTable(plan) }), '通报.docx');
    const tasks = (document: typeof plan) => document.chapters.flatMap((chapter) => chapter.sections.flatMap((section) => section.tasks));
    assert.equal(tasks(back.document).length, expected.tasks);
    assert.deepEqual(data(back.document).chapters, data(plan).chapters);
  });
});

describe('a row of a Word table split over two pages', () => {
  const page = (rows: string[][]) =>
    tbl(7, [
      tr(
        HEADER_CELLS.map((c) => tc(c)),
        { header: true },
      ),
      ...rows.map((cells) => tr(cells.map((c) => tc(c)))),
    ]);
  const file = (rest: string[]) =>
    wordFile(
      `${p('《某方案》2017年第二季度工作推进情况调度表')}${page([ROW, [...ROW.slice(0, 2), '实施饮用水环境安全保障工程，清理整治排污', '环境保护厅', '李岳东、高洁', '生态处、科标处', '正在推进。（生态处）截止7月1日，共出具审查意见16个。（科标']])}${p('')}${page([rest])}`,
    );

  it('reads the rest of the row at the top of the next page as the task above, even when its progress is only a unit’s bracket tail', () => {
    const read = readPlanDocument(file(['一、总体要求（续）', '(一) 主要目标（续）', '口。突出生态环境保护优先。', '', '', '', '处）']), '续.docx');
    const tasks = read.document.chapters[0]!.sections[0]!.tasks;
    assert.equal(tasks.length, 2, tasks.map((task) => task.text).join(' / '));
    assert.equal(tasks[1]!.text, '实施饮用水环境安全保障工程，清理整治排污口。突出生态环境保护优先。');
    assert.deepEqual(tasks[1]!.progress, [
      { unit: '生态处', text: '正在推进。' },
      { unit: '科标处', text: '截止7月1日，共出具审查意见16个。' },
    ]);
    assert.ok(!read.warnings.some((w) => /错位/.test(w)), read.warnings.join('\n'));
  });
});

describe('the Word table’s grid', () => {
  it('copies a vMerge down, places a gridSpan on the grid, and skips a second repeated header row', () => {
    const body = `${p('《某方案》2017年第二季度工作推进情况调度表')}${tbl(7, [
      tr([tc('', { span: 2 }), ...HEADER_CELLS.slice(2).map((c) => tc(c))], { header: true }),
      tr([tc(ROW[0]!, { vMerge: 'restart' }), tc(ROW[1]!, { vMerge: 'restart' }), ...ROW.slice(2).map((c) => tc(c))]),
      tr([
        tc('', { vMerge: 'continue' }),
        tc('', { vMerge: 'continue' }),
        tc('加强饮用水源地绿化。'),
        tc('林业厅'),
        tc('李岳东'),
        tc('水处'),
        tc('已通报。（水处）'),
      ]),
    ])}`;
    const { document, warnings } = readPlanDocument(wordFile(body), 'grid.docx');
    assert.deepEqual(
      warnings.filter((w) => w.startsWith('表格')),
      [],
    );
    const tasks = document.chapters[0]!.sections[0]!.tasks;
    assert.equal(document.chapters.length, 1);
    assert.equal(document.chapters[0]!.title, '总体要求');
    assert.deepEqual(
      tasks.map((t) => [t.text, t.leadDepartment, t.units[0]!.name, t.progress[0]!.unit]),
      [
        ['到 2020 年，生态环境质量明显改善。', '环境保护厅', '生态处', '生态处'],
        ['加强饮用水源地绿化。', '林业厅', '水处', '水处'],
      ],
    );
    assert.equal(document.round.label, '2017年第二季度');
  });

  it('reads text as Word shows it: tabs and breaks, no deleted text, no field codes, a nested table as the cell’s text', () => {
    const cell = `<w:tc><w:p><w:r><w:t>第一段</w:t></w:r><w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del><w:r><w:instrText> PAGE </w:instrText></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>内表</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>甲</w:t><w:br/><w:t>乙</w:t></w:r></w:p></w:tc>`;
    const row = tr([...ROW.slice(0, 6).map((c) => tc(c)), cell]);
    const { document } = readPlanDocument(
      wordFile(`${p('《某方案》2017年第二季度工作推进情况调度表')}${tbl(7, [tr(HEADER_CELLS.map((c) => tc(c))), row])}`),
      'text.docx',
    );
    assert.deepEqual(document.chapters[0]!.sections[0]!.tasks[0]!.progress, [{ unit: null, text: '第一段\n内表\n甲\n乙' }]);
  });

  it('matches Word’s elements by namespace, not by prefix', () => {
    const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const body = `${p('《某方案》2017年第二季度工作推进情况调度表')}${tbl(7, [tr(HEADER_CELLS.map((c) => tc(c))), tr(ROW.map((c) => tc(c)))])}`;
    const renamed = body.replace(/<(\/?)w:/g, '<$1x:').replace(/ w:/g, ' x:');
    const foreign = '<w:p xmlns:w="urn:not-word"><w:r><w:t>不是 Word 的段落</w:t></w:r></w:p>';
    const xml = `<?xml version="1.0"?><x:document xmlns:x="${W}"><x:body>${foreign}${renamed}</x:body></x:document>`;
    const { document } = readPlanDocument(wordFile(xml, { wholeDocument: true }), 'prefix.docx');
    assert.equal(document.chapters[0]!.sections[0]!.tasks[0]!.text, ROW[2]);
    assert.ok(!JSON.stringify(document).includes('不是 Word'), 'an element named w:p in another namespace is not a paragraph');
  });

  it('refuses a gridSpan that runs past the grid, naming the table, row and cell', () =>
    refused(
      tableFile([], tbl(7, [tr([tc('', { span: 2 }), tc('具体工作任务', { span: 6 })])])),
      'wide.docx',
      'import_docx_grid',
      /wide\.docx：第2个表格第1行第2个单元格横跨 6 列.*7 列/,
    ));

  it('refuses a vMerge continuation with nothing above it', () =>
    refused(
      wordFile(`${p('调度表')}${tbl(7, [tr([tc('', { vMerge: 'continue' }), ...ROW.slice(1).map((c) => tc(c))]), tr(HEADER_CELLS.map((c) => tc(c)))])}`),
      'merge.docx',
      'import_docx_merge',
      /merge\.docx：第1个表格第1行第1个单元格是纵向合并的延续.*第 1 列/,
    ));

  it('refuses a vMerge continuation under a cell of another width', () =>
    refused(
      wordFile(
        tbl(7, [
          tr(HEADER_CELLS.map((c) => tc(c))),
          tr([tc('一、甲', { span: 2, vMerge: 'restart' }), ...ROW.slice(2).map((c) => tc(c))]),
          tr([tc('', { vMerge: 'continue' }), ...ROW.slice(1).map((c) => tc(c))]),
        ]),
      ),
      'shifted.docx',
      'import_docx_merge',
      /shifted\.docx：第1个表格第3行第1个单元格.*上一行第 1 列没有可合并的单元格/,
    ));
});

describe('Word files that are not a progress table', () => {
  it('refuses a table without the expected header', () =>
    refused(
      wordFile(tbl(3, [tr([tc('序号'), tc('事项'), tc('进展')]), tr([tc('1'), tc('甲'), tc('乙')])])),
      'other.docx',
      'import_no_table',
      /other\.docx.*没有找到调度表表头/,
    ));

  it('refuses a header with a column it does not know, naming its row, the columns found and the words it knows', () =>
    refused(
      wordFile(tbl(8, [tr([...HEADER_CELLS.slice(0, 6), '督办意见', '推进情况'].map((c) => tc(c))), tr(['', ...ROW].map((c) => tc(c)))])),
      'columns.docx',
      'import_table_columns',
      /columns\.docx 表格第1行：调度表表头无法识别：不认识的列名“督办意见”。表头共 8 列.*认识的列名：.*责任科室/,
    ));

  it('refuses a header split over two rows (a group heading above its sub-headings), naming both rows (bad input 3)', () =>
    refused(
      wordFile(
        tbl(7, [
          tr(
            [
              tc('', { span: 2 }),
              tc('具体工作任务', { vMerge: 'restart' }),
              tc('牵头', { span: 2 }),
              tc('责任部门', { vMerge: 'restart' }),
              tc('推进情况', { vMerge: 'restart' }),
            ],
            { header: true },
          ),
          tr(
            [
              tc('', { span: 2 }),
              tc('', { vMerge: 'continue' }),
              tc('省级牵头部门'),
              tc('牵头厅领导'),
              tc('', { vMerge: 'continue' }),
              tc('', { vMerge: 'continue' }),
            ],
            { header: true },
          ),
          tr(ROW.map((c) => tc(c))),
        ]),
      ),
      'two-rows.docx',
      'import_table_columns',
      /^two-rows\.docx 表格第1行：调度表表头无法识别：不认识的列名“牵头”.*；下一行（表格第2行）还有“省级牵头部门、牵头厅领导”，表头似乎分成了两行/,
    ));

  it('refuses an empty table', () =>
    refused(wordFile(`${p('调度表')}${tbl(7, [tr(new Array(7).fill(tc('')))])}`), 'empty.docx', 'import_table_empty', /empty\.docx.*表格是空的/));

  it('refuses a Word file with no table at all', async () => {
    const bytes = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun('只有正文')] })] }] })));
    refused(bytes, 'prose.docx', 'import_no_table', /prose\.docx.*没有表格/);
  });

  it('refuses a table with the header and no task rows', async () => {
    const header = new TableRow({ children: HEADER_CELLS.map((text) => new TableCell({ children: [new Paragraph(text)] })) });
    const bytes = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: [new Table({ rows: [header] })] }] })));
    refused(bytes, 'header-only.docx', 'import_no_tasks', /没有任务行/);
  });

  it('refuses XML with a DOCTYPE before expanding anything', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY lol "lol">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&xxe;&lol;</w:t></w:r></w:p></w:body></w:document>`;
    refused(wordFile(xxe, { wholeDocument: true }), 'xxe.docx', 'import_xml_doctype', /xxe\.docx：word\/document\.xml 含有 DOCTYPE/);
  });

  it('refuses an entity reference that XML does not define', () =>
    refused(wordFile(`<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>`), 'entity.docx', 'import_xml_syntax', /entity\.docx：word\/document\.xml 不是有效的 XML/));

  it('refuses a zip that is neither Word nor Excel', () =>
    refused(zipOf([{ name: 'notes.txt', data: '调度表' }]), 'notes.docx', 'import_zip_unknown', /notes\.docx.*不是 Word \(\.docx\) 或 Excel/));
});

describe('a Word table whose first page lost its header row', () => {
  const ROW2 = ['', '', '城乡生活环境显著优化。', '', '李岳东', '水处', '断面达标率提高。（水处）'];
  const ROW3 = ['', '(二) 完善布局', '推动成都平原经济区领先发展。', '规划处', '钟勤建', '规财处', '编制了规划。（规财处）'];
  const texts = (read: ReturnType<typeof readPlanDocument>) =>
    read.document.chapters.flatMap((c) => c.sections.flatMap((s) => s.tasks.map((t) => `${c.number}.${s.number} ${t.text}`)));

  it('reads the rows of a header-less first table before the table with the header, and says which', () => {
    const pageOne = tbl(7, [tr(ROW.map((c) => tc(c))), tr(ROW2.map((c) => tc(c)))]);
    const pageTwo = tbl(7, [
      tr(
        HEADER_CELLS.map((c) => tc(c)),
        { header: true },
      ),
      tr(ROW3.map((c) => tc(c))),
    ]);
    const read = readPlanDocument(wordFile(`${p('《某方案》2017年第二季度工作推进情况调度表')}${pageOne}${p('')}${pageTwo}`), 'headerless.docx');
    assert.deepEqual(texts(read), ['1.1 到 2020 年，生态环境质量明显改善。', '1.1 城乡生活环境显著优化。', '1.2 推动成都平原经济区领先发展。']);
    assert.ok(
      read.warnings.some((w) => /^第1个表格第1行：表格第一页没有表头行，第1个表格第1行至第1个表格第2行已按调度表的七列/.test(w)),
      read.warnings.join('\n'),
    );
  });

  it('reads task rows above the header inside one table, but keeps a title row in it as the title', () => {
    const table = tbl(7, [
      tr([tc('《某方案》2017年第二季度工作推进情况调度表', { span: 7 })]),
      tr(ROW.map((c) => tc(c))),
      tr(ROW2.map((c) => tc(c))),
      tr(HEADER_CELLS.map((c) => tc(c))),
      tr(ROW3.map((c) => tc(c))),
    ]);
    const read = readPlanDocument(wordFile(table), 'one-table.docx');
    assert.deepEqual(texts(read).length, 3);
    assert.equal(read.document.round.label, '2017年第二季度');
    assert.ok(
      read.warnings.some((w) => /^表格第2行：表格第一页没有表头行，表格第2行至表格第3行/.test(w)),
      read.warnings.join('\n'),
    );
  });

  it('names a two-cell row above the header inside the table instead of reading it into the notice silently', () => {
    const table = tbl(7, [
      tr([tc('《某方案》2017年第二季度工作推进情况调度表', { span: 7 })]),
      tr(['', '', '城乡生活环境显著优化。', '', '', '', '已推进。'].map((c) => tc(c))),
      tr(HEADER_CELLS.map((c) => tc(c))),
      tr(ROW.map((c) => tc(c))),
    ]);
    const read = readPlanDocument(wordFile(table), 'stray.docx');
    assert.ok(read.warnings.includes('表格第2行：表格第2行像是表格行，却在表头之上，未作为任务导入，请核对'), read.warnings.join('\n'));
  });
});
