import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isDomainError } from '../../domain/errors.ts';
import { planDocumentSchema, tasksOf, type PlanDocument, type PlanTask } from '../../domain/plan-document.ts';
import { stripHtmlTags } from '../../domain/text.ts';
import { readSeedText } from './seed-text.reader.ts';

const SEED_PATH = fileURLToPath(new URL('../../../fixtures/seed/sichuan-2017-q2-notice.txt', import.meta.url));
const seedText = readFileSync(SEED_PATH, 'utf8');
const { document, warnings } = readSeedText(seedText, 'seed.txt');

const allTasks = [...tasksOf(document)];
const section = (number: number) => document.chapters.flatMap((c) => c.sections).find((s) => s.number === number)!;
const taskStarting = (prefix: string): PlanTask => {
  const found = allTasks.filter(({ task }) => task.text.startsWith(prefix));
  assert.equal(found.length, 1, `exactly one task starts with ${prefix}`);
  return found[0]!.task;
};
const unitNames = (task: PlanTask) => task.units.map((u) => `${u.name}:${u.role}`);

describe('seed text reader on the Sichuan Q2 2017 notice', () => {
  it('produces a valid diaodu.plan/1 document', () => {
    assert.equal(planDocumentSchema.safeParse(document).success, true);
  });

  it('reads the notice around the table', () => {
    const notice = document.notice!;
    assert.equal(notice.issuingOffice, '四川省环境保护厅办公室');
    assert.equal(notice.docNumber, '川环办发〔2017〕102号');
    assert.equal(
      notice.title,
      '四川省环境保护厅办公室关于《贯彻落实〈中共四川省委关于推进绿色发展建设美丽四川的决定〉厅内分工方案》2017年第二季度工作推进情况的通报',
    );
    assert.equal(notice.recipients, '厅机关各处（室）、直属单位');
    assert.equal(notice.body.length, 1, 'the paragraph broken at the page end is joined');
    assert.match(notice.body[0]!, /工作推进情况进行通报（见附件）。请各牵头处（室）/);
    assert.match(notice.attachment!, /^《贯彻落实<中共四川省委.*调度表$/);
    assert.equal(notice.issuer, '四川省环境保护厅办公室');
    assert.equal(notice.date, '2017-07-31');
    assert.deepEqual(notice.contact, { unit: '厅污染防治“三大战役”办', name: '谭建波', phone: '028-80589030' });
    assert.deepEqual(notice.cc, ['省委深改办']);
    assert.deepEqual(notice.printed, { by: '四川省环境保护厅办公室', date: '2017-07-31' });
  });

  it('names the plan by its own document number and the round by its label and period', () => {
    assert.deepEqual(document.plan, {
      title: '贯彻落实〈中共四川省委关于推进绿色发展建设美丽四川的决定〉厅内分工方案',
      docNumber: '川环办发〔2016〕144号',
    });
    assert.deepEqual(document.round, { label: '2017年第二季度', periodStart: '2017-04-01', periodEnd: '2017-06-30' });
  });

  it('keeps the document’s chapter and section numbers, which skip (八) and (二十九)', () => {
    assert.deepEqual(
      document.chapters.map((c) => c.number),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    const sectionNumbers = document.chapters.flatMap((c) => c.sections.map((s) => s.number));
    assert.deepEqual(sectionNumbers, [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30, 31, 32, 33, 34]);
    assert.equal(document.chapters[3]!.title, '实施污染防治“三大战役”，加快改善环境质量');
    assert.equal(section(31).title, '强化科技支撑', 'spaces inside the title are removed');
    assert.equal(section(33).title, '培育生态文化');
  });

  it('counts the tasks of each section as the document has them', () => {
    const counts = Object.fromEntries(document.chapters.flatMap((c) => c.sections.map((s) => [s.number, s.tasks.length])));
    assert.deepEqual(counts, {
      1: 5,
      2: 6,
      3: 3,
      4: 4,
      5: 2,
      6: 3,
      7: 2,
      9: 4,
      10: 1,
      11: 3,
      12: 3,
      13: 6,
      14: 5,
      15: 4,
      16: 12,
      17: 3,
      18: 4,
      19: 2,
      20: 2,
      21: 2,
      22: 4,
      23: 2,
      24: 4,
      25: 3,
      26: 1,
      27: 3,
      28: 3,
      30: 3,
      31: 2,
      32: 2,
      33: 3,
      34: 5,
    });
    assert.equal(allTasks.length, 111);
  });

  it('reads the first task of section (二): two leaders in one cell, ordered units, split progress', () => {
    const task = section(2).tasks[0]!;
    assert.match(task.text, /^推动成都平原经济区特别是成都、天府新区领先发展/);
    assert.equal(task.leadDepartment, '省发展改革委');
    assert.deepEqual(task.leaders, ['高洁', '钟勤建'], '`高 洁 钟勤建` is two leaders');
    assert.deepEqual(unitNames(task), ['环评处:lead', '规财处:co']);
    assert.deepEqual(task.progress, [
      { unit: '环评处', text: '积极指导和争取环保部支持推进天府新区规划环评工作，目前环保部已受理并进入专家函审阶段；积极指导成都城市总规开展规划环评。' },
      { unit: '规财处', text: '指导天府新区编制新区环境保护规划；组织实施国家和省“十三五”环境保护规划，开展蒲江县县级环境保护功能区试点工作。' },
    ]);
  });

  it('splits a three-unit progress text, resolving the alias (总队) to 监察总队', () => {
    const task = taskStarting('实施良好水体保护工程');
    assert.deepEqual(unitNames(task), ['水处:lead', '监察总队:co', '环评处:co'], '`水 处， 监 察 总 队、 环 评 处`');
    assert.deepEqual(
      task.progress.map((p) => p.unit),
      ['水处', '监察总队', '环评处'],
    );
    assert.match(task.progress[0]!.text, /^每月对重点生态功能水体水质情况进行调度/);
    assert.match(task.progress[1]!.text, /整改情况。$/);
    assert.match(task.progress[2]!.text, /^在规划环评、项目环/);
    assert.equal(document.unitAliases['总队'], '监察总队');
  });

  it('joins a task continued across a page break, text and progress', () => {
    const task = taskStarting('各级各类自然文化资源保护区的核心区');
    assert.match(task.text, /以世界遗产地、自然保护区、森林公园和风景名胜区等典型生态系统为重要组成的“四区八带多点”生态安全格局。$/);
    assert.equal(task.progress.length, 1);
    assert.match(task.progress[0]!.text, /省委省政府领导的批示精神，迅速开展摸底调查工作/);
    assert.match(task.progress[0]!.text, /并形成自查报告。$/);
    assert.equal(task.leadDepartment, '林业厅');
  });

  it('joins a continuation row that carries the next section’s label, and starts that section after it', () => {
    const drinkingWater = taskStarting('实施饮用水环境安全保障工程');
    assert.deepEqual(unitNames(drinkingWater), ['水处:lead', '监察总队:co', '应急中心:co']);
    const byTeam = drinkingWater.progress.find((p) => p.unit === '监察总队')!;
    assert.match(byTeam.text, /加快推进水源保护区规范化建设、全面整治饮用水水源地环境问题/, 'split word 全面|整治 joined');
    assert.ok(!/<\/?p>/.test(JSON.stringify(drinkingWater)), 'HTML tags are gone');
    assert.equal(section(15).tasks[0]!.text.startsWith('实施土壤环境监测预警基础工程'), true);
    assert.equal(section(14).tasks.at(-1), drinkingWater);
  });

  it('appends a continued progress paragraph written by another unit (line 102)', () => {
    const task = taskStarting('实施土壤污染治理与修复工程');
    assert.deepEqual(
      task.progress.map((p) => p.unit),
      ['土壤处', '大气处', '固管中心'],
    );
    assert.equal(task.progress[1]!.text, '配合农业、发改部门做好秸秆综合利用工作。');
  });

  it('re-aligns rows whose cells were shifted left', () => {
    const poverty = taskStarting('大力推进秦巴山区');
    assert.equal(poverty.leadDepartment, '省扶贫移民局');
    assert.deepEqual(poverty.leaders, ['李岳东']);
    assert.deepEqual(unitNames(poverty), ['生态处:lead']);
    assert.equal(poverty.progress[0]!.text, '向环保部上报了平武县、青川县申请生物多样性减贫示范项目。');
    assert.equal(section(4).tasks.at(-1), poverty);

    const judicial = taskStarting('充分发挥司法保障作用');
    assert.equal(judicial.leadDepartment, '环境保护厅', 'empty merged cell: the department of the rows above');
    assert.deepEqual(judicial.leaders, ['张金汉']);
    assert.deepEqual(unitNames(judicial), ['法规处:lead']);
    assert.match(judicial.progress[0]!.text, /^与省高院、省检察院/);

    const market = section(25).tasks[0]!;
    assert.match(market.text, /^鼓励各类投资进入绿色产业市场.*建立碳汇经营交易市场，加快建设西部碳/);
    assert.deepEqual(market.leaders, ['赵乐晨', '钟勤建']);
    assert.deepEqual(
      market.progress.map((p) => p.unit),
      ['科标处', '规财处'],
    );
  });

  it('moves a leader or a department found in the progress column, and warns that units are missing', () => {
    const jialing = taskStarting('支持嘉陵江流域国家生态文明先行示范区建设');
    assert.deepEqual(jialing.leaders, ['李岳东']);
    assert.deepEqual(jialing.units, []);
    assert.deepEqual(jialing.progress, []);
    assert.ok(jialing.warnings.some((w) => w.startsWith('第40行') && w.includes('李岳东')));
    assert.ok(jialing.warnings.some((w) => w.includes('没有责任部门')));

    const compensation = taskStarting('加大对重点生态功能区县转移支付力度');
    assert.equal(compensation.leadDepartment, '财政厅');
    assert.deepEqual(compensation.leaders, []);
    assert.ok(compensation.warnings.some((w) => w.startsWith('第161行')));
  });

  it('inherits empty lead-department cells from the rows above (merged cells)', () => {
    assert.deepEqual(
      section(1).tasks.map((t) => t.leadDepartment),
      Array(5).fill('省生态文明建设领导小组办公室'),
    );
    assert.equal(taskStarting('建立全省环保数据监测网络').leadDepartment, '环境保护厅', 'inherited across a page break');
  });

  it('removes spaces inside names, units, departments and labels', () => {
    assert.deepEqual(taskStarting('推进环保机构监测监察执法垂直管理改革').leaders, ['明劲']);
    assert.deepEqual(unitNames(taskStarting('推进环保机构监测监察执法垂直管理改革')), ['综合处:lead', '人事处:co', '监察总队:co', '监测总站:co']);
    assert.deepEqual(unitNames(taskStarting('推动全民在衣食住行娱')), ['机关服务中心:lead']);
    assert.deepEqual(unitNames(taskStarting('支持各民主党派')), ['机关党办:lead']);
    assert.deepEqual(taskStarting('加强生态环保热点问题舆论引导').leaders, ['彭勇']);
    assert.equal(taskStarting('实施控制秸秆焚烧工程').leadDepartment, '环境保护厅');
    assert.deepEqual(unitNames(taskStarting('在重点生态功能区、生态环境脆弱区')), ['生态处:lead', '环评处:co'], 'units separated by a space only');
    assert.equal(taskStarting('优化沿江城市和产业布局').leadDepartment, '省发展改革委', '`省发展 改革委`');
  });

  it('never guesses the unit of unattributed text', () => {
    const pm25 = taskStarting('全省细颗粒物');
    assert.deepEqual(pm25.progress, [{ unit: null, text: '1-6 月，全省 PM2.5 平均浓度同比 2015 年下降 11.3%' }]);
  });

  it('keeps an attribution to a unit outside the task’s units, with a warning', () => {
    const ngo = taskStarting('鼓励、引导民间环保组织有序参与');
    assert.deepEqual(
      ngo.progress.map((p) => p.unit),
      ['宣教处', '宣教中心'],
    );
    assert.ok(ngo.warnings.some((w) => w.includes('宣教中心')));
  });

  it('warns about titles that differ between pages and keeps the fullest', () => {
    assert.equal(section(5).title, '强化国土空间治理');
    assert.equal(section(14).title, '打好水污染防治攻坚战');
    assert.ok(document.warnings.some((w) => w.startsWith('第51行') && w.includes('强化国土治理')));
  });

  it('names the source line in every warning', () => {
    assert.ok(warnings.length > 0);
    for (const warning of warnings) assert.match(warning, /^第\d+行：/);
  });

  it('never drops a character of task or progress text', () => {
    assert.deepEqual(characterCounts(sourceProse(seedText, document)), characterCounts(outputProse(document)));
  });
});

/** Every character of the table's prose cells (tasks and progress), wherever extraction put them, minus attribution marks. */
function sourceProse(text: string, doc: PlanDocument): string {
  const units = new Set([...tasksOf(doc)].flatMap(({ task }) => [...task.units.map((u) => u.name), ...task.progress.map((p) => p.unit ?? '')]));
  for (const alias of Object.keys(doc.unitAliases)) units.add(alias);
  const rows = text.split('\n').filter((line) => line.split('\t').length === 7 && !line.includes('具体工作任务'));
  const prose = rows.flatMap((line) =>
    line
      .split('\t')
      .map((cell) => stripHtmlTags(cell))
      .filter((cell) => {
        const label = /^\s*[一二三四五六七八九十]+\s*、|^\s*[(（][一二三四五六七八九十\s]+[)）]/.test(cell);
        const nameList = cell.split(/[、，,\s]+/).every((piece) => piece.length <= 16);
        return cell.trim() !== '' && !label && (/[。；！？%\d]/.test(cell) || !nameList);
      }),
  );
  return prose.join('').replace(/[（(]\s*([^（）()]{2,20}?)\s*[）)]/g, (mark, inner: string) => (units.has(inner.replace(/\s/g, '')) ? '' : mark));
}

function outputProse(doc: PlanDocument): string {
  return [...tasksOf(doc)].map(({ task }) => task.text + task.progress.map((p) => p.text).join('')).join('');
}

function characterCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const char of text.replace(/\s/g, '')) counts.set(char, (counts.get(char) ?? 0) + 1);
  return new Map([...counts].sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe('seed text reader on bad input', () => {
  const expectInvalid = (text: string, code: string, pattern: RegExp) => {
    assert.throws(
      () => readSeedText(text, 'bad.txt'),
      (error: unknown) => isDomainError(error) && error.kind === 'invalid' && error.code === code && pattern.test(error.message),
    );
  };

  it('refuses an empty document', () => expectInvalid('\n \n', 'import_empty', /bad\.txt/));

  it('refuses a document without the table header', () => {
    expectInvalid(seedText.split('\n').slice(0, 24).join('\n'), 'import_no_table', /具体工作任务/);
  });

  it('refuses a table whose header has a column it does not know, naming the line', () => {
    const lines = seedText.split('\n');
    lines[26] = lines[26]!.replace('\t推进情况', '\t督办意见\t推进情况');
    expectInvalid(lines.join('\n'), 'import_table_columns', /第27行：调度表表头无法识别：不认识的列名“督办意见”/);
  });

  it('refuses a file cut off in the middle of a row, naming the line', () => {
    const cut = seedText.slice(0, seedText.indexOf('地表水优良水质断面比例达到') + 10);
    expectInvalid(cut, 'import_truncated', /第30行.*截断|第30行.*不完整/);
  });

  it('reads section numbers with 零 and above one hundred', () => {
    const text = seedText.replace('(三十 四) 动 员', '(一百零一) 动 员').replace(/^八、/gm, '一百零八、');
    const { document: doc } = readSeedText(text, 'big.txt');
    assert.equal(doc.chapters.at(-1)!.sections.at(-1)!.number, 101);
    assert.deepEqual(
      doc.chapters.map((c) => c.number),
      [1, 2, 3, 4, 5, 6, 7, 108],
    );
  });

  it('refuses a row with a wrong number of cells inside the table', () => {
    const lines = seedText.split('\n');
    lines[29] = lines[29]!.split('\t').slice(0, 5).join('\t');
    expectInvalid(lines.join('\n'), 'import_row_columns', /第30行.*5 列/);
  });
});

describe('seed text reader on a first table page without its header row', () => {
  // Extraction may lose the first page's header: the six tasks of chapter 一 stand right under the table's title.
  const lines = seedText.split('\n');
  const headerIndex = lines.findIndex((line) => line.includes('具体工作任务'));
  const headerless = [...lines.slice(0, headerIndex), ...lines.slice(headerIndex + 1)].join('\n');
  const read = readSeedText(headerless, 'headerless.txt');
  const withoutWarnings = (doc: PlanDocument) =>
    doc.chapters.map((c) => ({ ...c, sections: c.sections.map((s) => ({ ...s, tasks: s.tasks.map((t) => ({ ...t, warnings: [] })) })) }));

  it('reads all 111 tasks, with the same chapters, sections, tasks and progress as the full document', () => {
    assert.equal(allTasks.length, 111);
    assert.equal([...tasksOf(read.document)].length, 111);
    assert.deepEqual(withoutWarnings(read.document), withoutWarnings(document));
    assert.deepEqual(read.document.notice, document.notice);
    assert.deepEqual(read.document.round, document.round);
  });

  it('says which lines it read without a header', () => {
    const first = headerIndex + 1;
    const warning = read.warnings.find((w) => w.includes('没有表头行'));
    assert.ok(warning, read.warnings.slice(0, 5).join('\n'));
    assert.match(warning, new RegExp(`^第${first}行：表格第一页没有表头行，第${first}行至第\\d+行已按调度表的七列`));
    assert.ok(read.document.warnings.includes(warning));
  });

  it('refuses a garbled row on that page, naming its line', () => {
    const garbled = headerless.split('\n');
    garbled[headerIndex + 2] = garbled[headerIndex + 2]!.split('\t').slice(0, 4).join('\t');
    assert.throws(
      () => readSeedText(garbled.join('\n'), 'garbled.txt'),
      (error: unknown) =>
        isDomainError(error) && error.code === 'import_row_columns' && error.message.includes(`第${headerIndex + 3}行：表格行有 4 列，应为 7 列`),
    );
  });

  it('names a table row stranded above the table’s title instead of dropping it silently', () => {
    const stranded = headerless.split('\n');
    const row = stranded[headerIndex + 1]!;
    stranded.splice(headerIndex - 2, 0, row);
    const result = readSeedText(stranded.join('\n'), 'stranded.txt');
    const warning = result.warnings.find((w) => w.includes('像是表格行'));
    assert.ok(warning);
    assert.match(warning, new RegExp(`^第${headerIndex - 1}行：第${headerIndex - 1}行像是表格行，却在调度表标题之前，未作为任务导入`));
  });
});

describe('seed text reader: where a header-less table starts', () => {
  const lines = seedText.split('\n');
  const headerIndex = lines.findIndex((line) => line.includes('具体工作任务'));
  const headerless = [...lines.slice(0, headerIndex), ...lines.slice(headerIndex + 1)];

  it('keeps a title laid out with one tab as the title, not a row', () => {
    const titled = [...headerless];
    const title = titled.findLastIndex((line, i) => i < headerIndex && line.trim() !== '');
    titled[title] = `附件\t${titled[title]!.trim()}`;
    const read = readSeedText(titled.join('\n'), 'titled.txt');
    assert.equal([...tasksOf(read.document)].length, 111);
    assert.deepEqual(read.document.round, document.round);
  });

  it('refuses a two-cell row inside the header-less page, or a first row cut to its chapter and section, naming the line', () => {
    const inside = [...headerless];
    const cells = inside[headerIndex + 3]!.split('\t');
    inside[headerIndex + 3] = `${cells[2]}\t${cells[6]}`;
    const first = [...headerless];
    first[headerIndex] = first[headerIndex]!.split('\t').slice(0, 2).join('\t');
    for (const [text, line] of [
      [inside, headerIndex + 4],
      [first, headerIndex + 1],
    ] as const)
      assert.throws(
        () => readSeedText(text.join('\n'), 'cut.txt'),
        (error: unknown) => isDomainError(error) && error.code === 'import_row_columns' && error.message.includes(`第${line}行：表格行有 2 列，应为 7 列`),
      );
  });
});
