import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { compileTable, TABLE_HEADER, type CompiledTable } from '../../../domain/compiled-table.ts';
import type { Notice } from '../../../domain/plan-document.ts';
import type { RoundStatisticsView, UnitStatisticsRow } from '../../../domain/api/round-statistics-view.ts';
import { readPlanDocument } from '../read-plan-document.ts';
import {
  estimatedLines,
  NOTICE_SHEET_FIELDS,
  NOTICE_SHEET_NAME,
  noticeSheetRows,
  renderTableXlsx,
  STATISTICS_COLUMNS,
  STATISTICS_SHEET_NAME,
  XLSX_CELL_MAX,
  XLSX_COLUMN_WIDTHS,
  XLSX_MAX_ROW_POINTS,
  xlsxSheetName,
} from './table-xlsx.ts';
import { childrenNamed, findAll, findFirst, readXmlPart, readZipEntries, textOf, type XmlElement } from '../../../../tests/support/ooxml-read.ts';

const root = new URL('../../../../', import.meta.url);
const seed = readPlanDocument(readFileSync(fileURLToPath(new URL('fixtures/seed/sichuan-2017-q2-notice.txt', root))), 'seed.txt').document;
const seedNotice = seed.notice!;
const seedTable = compileTable(seed);

// ---- reading the file back, twice: with exceljs, and as raw XML -------------------------------

async function loadWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook;
}

interface RawSheet {
  name: string;
  xml: XmlElement;
  /** Cells by reference (`C3`). */
  cells: Map<string, XmlElement>;
}

interface RawWorkbook {
  entries: Map<string, Uint8Array>;
  workbook: XmlElement;
  sheets: RawSheet[];
  sharedStrings: string[];
  /** cellXfs by index, each with its alignment. */
  cellXfs: XmlElement[];
  fonts: XmlElement[];
}

function openRaw(bytes: Uint8Array): RawWorkbook {
  const entries = readZipEntries(bytes);
  const workbook = readXmlPart(entries, 'xl/workbook.xml');
  const rels = readXmlPart(entries, 'xl/_rels/workbook.xml.rels');
  const targets = new Map(findAll(rels, 'Relationship').map((rel) => [rel.attrs.Id!, rel.attrs.Target!]));
  const sheets = findAll(workbook, 'sheet').map((sheet) => {
    const target = targets.get(sheet.attrs['r:id']!)!.replace(/^\/?(xl\/)?/, '');
    const xml = readXmlPart(entries, `xl/${target}`);
    return { name: sheet.attrs.name!, xml, cells: new Map(findAll(xml, 'c').map((cell) => [cell.attrs.r!, cell])) };
  });
  const strings = entries.has('xl/sharedStrings.xml') ? findAll(readXmlPart(entries, 'xl/sharedStrings.xml'), 'si').map((si) => textOf(si, 't')) : [];
  const styles = readXmlPart(entries, 'xl/styles.xml');
  return {
    entries,
    workbook,
    sheets,
    sharedStrings: strings,
    cellXfs: childrenNamed(findFirst(styles, 'cellXfs')!, 'xf'),
    fonts: childrenNamed(findFirst(styles, 'fonts')!, 'font'),
  };
}

/** The text of a raw cell: a shared string (`t="s"`), or null when it has no value. */
function rawText(raw: RawWorkbook, cell: XmlElement | undefined): string | null {
  if (!cell) return null;
  const value = childrenNamed(cell, 'v')[0];
  if (!value) return null;
  assert.equal(cell.attrs.t, 's', `${cell.attrs.r} is a shared string`);
  return raw.sharedStrings[Number(value.text)]!;
}

const columnLetter = (column: number) => String.fromCharCode(64 + column);

/** The merged ranges the compiled spans call for, plus the title row's. */
function expectedMerges(table: CompiledTable): string[] {
  const merges = ['A1:G1'];
  table.rows.forEach((row, index) => {
    const first = index + 3;
    if (row.chapterSpan > 1) merges.push(`A${first}:A${first + row.chapterSpan - 1}`);
    if (row.sectionSpan > 1) merges.push(`B${first}:B${first + row.sectionSpan - 1}`);
  });
  return merges.sort();
}

/** What each column of a compiled row says, as the Word table shows it (merged-over cells empty). */
const rowTexts = (row: CompiledTable['rows'][number]) => [
  row.chapterSpan > 0 ? row.chapterLabel : '',
  row.sectionSpan > 0 ? row.sectionLabel : '',
  row.task,
  row.leadDepartment,
  row.leaders,
  row.units,
  row.progress,
];

let seedBytes: Uint8Array | null = null;
async function seedXlsx(): Promise<Uint8Array> {
  seedBytes ??= await renderTableXlsx(seedTable, seedNotice);
  return seedBytes;
}

// ---- the seed's round -------------------------------------------------------------------------

test('the seed table renders, and a copy is kept in test-artifacts/documents for a look', async () => {
  const bytes = await seedXlsx();
  const folder = fileURLToPath(new URL('test-artifacts/documents/', root));
  mkdirSync(folder, { recursive: true });
  writeFileSync(`${folder}seed-table.xlsx`, bytes);
  assert.ok(bytes.length > 10_000);
  const raw = openRaw(bytes);
  assert.deepEqual(
    raw.sheets.map((sheet) => sheet.name),
    ['2017年第二季度调度表', NOTICE_SHEET_NAME],
  );
  // Every XML part parses (no stray characters got in).
  for (const path of raw.entries.keys()) if (/\.(xml|rels)$/.test(path)) readXmlPart(raw.entries, path);
});

test('exceljs reads back the title, the header and every task row as the compiled table has them', async () => {
  const workbook = await loadWorkbook(await seedXlsx());
  const sheet = workbook.worksheets[0]!;
  assert.equal(sheet.getCell('A1').value, seedTable.title);
  assert.equal(sheet.getCell('A1').font.bold, true);
  assert.equal(sheet.getCell('A1').alignment.horizontal, 'center');
  assert.equal(sheet.getCell('G1').master.address, 'A1', 'the title is merged across all seven columns');
  assert.deepEqual(
    TABLE_HEADER.map((_, column) => sheet.getRow(2).getCell(column + 1).value ?? ''),
    [...TABLE_HEADER],
  );
  assert.equal(sheet.rowCount, 2 + seedTable.rows.length);
  assert.equal(seedTable.rows.length, 111);
  seedTable.rows.forEach((row, index) => {
    const sheetRow = sheet.getRow(index + 3);
    const expected = rowTexts(row);
    // An empty text is a cell without a value.
    for (let column = 2; column < 7; column++)
      assert.equal(sheetRow.getCell(column + 1).value ?? '', expected[column], `row ${index + 3} column ${column + 1}`);
    // Merged chapter and section cells: the first row of the run holds the label, the rows inside point to it.
    for (const [column, span, label] of [
      [1, row.chapterSpan, row.chapterLabel],
      [2, row.sectionSpan, row.sectionLabel],
    ] as const) {
      const cell = sheetRow.getCell(column);
      if (span > 0) {
        assert.equal(cell.master.address, cell.address, `${cell.address} starts its run`);
        assert.equal(cell.value, label);
      } else {
        assert.notEqual(cell.master.address, cell.address, `${cell.address} lies inside a merged cell`);
        assert.equal(cell.master.value, label);
      }
    }
  });
  // Each cell wraps and sits at the top; the progress column is the widest.
  const cell = sheet.getCell('G3');
  assert.equal(cell.alignment.wrapText, true);
  assert.equal(cell.alignment.vertical, 'top');
  assert.equal(cell.numFmt, '@');
  const widths = XLSX_COLUMN_WIDTHS.map((_, column) => sheet.getColumn(column + 1).width!);
  assert.deepEqual(widths, [...XLSX_COLUMN_WIDTHS]);
  assert.equal(Math.max(...widths), widths[6], 'progress is the widest column');
});

test('raw XML: merged ranges equal the compiled spans, frozen header, print titles, A4 landscape fitted to width', async () => {
  const raw = openRaw(await seedXlsx());
  const [sheet] = raw.sheets;
  const merges = findAll(sheet!.xml, 'mergeCell')
    .map((merge) => merge.attrs.ref!)
    .sort();
  assert.deepEqual(merges, expectedMerges(seedTable));
  // 8 chapters, each more than one task: 8 chapter merges; the title; section runs of more than one task.
  assert.equal(merges.filter((ref) => ref.startsWith('A') && ref !== 'A1:G1').length, 8);

  const pane = findFirst(sheet!.xml, 'pane')!;
  assert.equal(pane.attrs.state, 'frozen');
  assert.equal(pane.attrs.ySplit, '2');
  assert.equal(pane.attrs.topLeftCell, 'A3');

  const printTitles = findAll(raw.workbook, 'definedName').find((name) => name.attrs.name === '_xlnm.Print_Titles');
  assert.ok(printTitles, 'print titles are defined');
  assert.equal(printTitles.attrs.localSheetId, '0');
  assert.equal(printTitles.text, `'${sheet!.name}'!$2:$2`);

  const setup = findFirst(sheet!.xml, 'pageSetup')!;
  assert.equal(setup.attrs.paperSize, '9', 'A4');
  assert.equal(setup.attrs.orientation, 'landscape');
  assert.equal(setup.attrs.fitToWidth, '1');
  assert.equal(setup.attrs.fitToHeight, '0', 'as many pages down as the rows need');
  assert.equal(findFirst(sheet!.xml, 'pageSetUpPr')?.attrs.fitToPage, '1');
  const margins = findFirst(sheet!.xml, 'pageMargins')!;
  for (const side of ['left', 'right', 'top', 'bottom']) {
    const inches = Number(margins.attrs[side]);
    assert.ok(inches >= 0.4 && inches <= 1, `${side} margin ${inches} in`);
  }
  assert.match(textOf(findFirst(sheet!.xml, 'oddFooter')!), /&P/, 'page numbers in the footer');
});

test('raw XML: every cell is a shared string or empty, wraps, sits at the top, has a thin border and the Text format in 宋体; no formula anywhere', async () => {
  const raw = openRaw(await seedXlsx());
  for (const sheet of raw.sheets) assert.equal(findAll(sheet.xml, 'f').length, 0, `${sheet.name}: no <f>`);
  const [sheet] = raw.sheets;
  seedTable.rows.forEach((row, index) => {
    const expected = rowTexts(row);
    expected.forEach((text, column) => {
      const ref = `${columnLetter(column + 1)}${index + 3}`;
      const cell = sheet!.cells.get(ref);
      assert.ok(cell, `${ref} is written`);
      assert.equal(rawText(raw, cell), text === '' ? null : text, ref);
      const xf = raw.cellXfs[Number(cell.attrs.s)]!;
      assert.equal(xf.attrs.numFmtId, '49', `${ref}: Text format (@)`);
      const alignment = childrenNamed(xf, 'alignment')[0]!;
      assert.equal(alignment.attrs.wrapText, '1', `${ref} wraps`);
      assert.equal(alignment.attrs.vertical, 'top', `${ref} at the top`);
      assert.notEqual(xf.attrs.borderId, '0', `${ref} has a border`);
      const font = raw.fonts[Number(xf.attrs.fontId)]!;
      assert.equal(childrenNamed(font, 'name')[0]!.attrs.val, '宋体');
      assert.equal(childrenNamed(font, 'charset')[0]!.attrs.val, '134', 'GB2312 charset');
    });
  });
});

test('text that starts with = + - @, a tab or a CR comes back as the same text, never a formula; control characters are gone', async () => {
  const dangerous = ['=1+1', '@SUM(A1)', '-2', '+x', "=cmd|' /C calc'!A0", '\t=1+1', '＝1', '+1+1', '=HYPERLINK("http://example.invalid","x")'];
  const table: CompiledTable = structuredClone(seedTable);
  dangerous.forEach((text, index) => {
    table.rows[index]!.task = text;
  });
  table.rows[20]!.progress = '\r=2+2\r\n第二行';
  table.rows[21]!.progress = '甲\u000b乙\f丙\u0007丁\u200b戊\uFEFF。\u0000';
  table.rows[22]!.leaders = '高洁\u0001、钟勤建';
  table.rows[23]!.task = `半个\uD800代理`;
  const bytes = await renderTableXlsx(table);

  const raw = openRaw(bytes);
  const [sheet] = raw.sheets;
  assert.equal(raw.sheets.length, 1, 'no notice, no 通报 sheet');
  assert.equal(findAll(sheet!.xml, 'f').length, 0, 'no formula element');
  dangerous.forEach((text, index) => {
    const cell = sheet!.cells.get(`C${index + 3}`)!;
    assert.equal(cell.attrs.t, 's', `${text}: a shared string`);
    assert.equal(rawText(raw, cell), text);
  });

  const workbook = await loadWorkbook(bytes);
  const read = workbook.worksheets[0]!;
  dangerous.forEach((text, index) => {
    const cell = read.getCell(`C${index + 3}`);
    assert.equal(cell.type, ExcelJS.ValueType.String, `${text}: read back as a string`);
    assert.equal(cell.value, text);
    assert.equal(cell.formula, undefined);
  });
  assert.equal(read.getCell('G23').value, '\n=2+2\n第二行', 'CR becomes a line break, the text stays text');
  assert.equal(read.getCell('G24').value, '甲乙丙丁戊。');
  assert.equal(read.getCell('E25').value, '高洁、钟勤建');
  assert.equal(read.getCell('C26').value, '半个代理', 'a lone surrogate is dropped');
});

test('the 通报 sheet holds the notice as label/value rows in NOTICE_SHEET_FIELDS order: one row per paragraph, empty values for null fields', async () => {
  const workbook = await loadWorkbook(await seedXlsx());
  const sheet = workbook.getWorksheet(NOTICE_SHEET_NAME)!;
  const rows: [string, string | null][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const value = row.getCell(2).value;
    rows.push([String(row.getCell(1).value), value === null || value === undefined ? null : String(value)]);
  });
  assert.deepEqual(rows, noticeSheetRows(seedNotice));
  const labels = rows.map(([label]) => label);
  assert.deepEqual(
    [...new Set(labels)],
    [...NOTICE_SHEET_FIELDS].filter((label) => label !== '抄送' || seedNotice.cc.length > 0),
  );
  const values = (label: string) => rows.filter(([name]) => name === label).map(([, value]) => value);
  assert.deepEqual(values('正文'), seedNotice.body);
  assert.ok(seedNotice.body.length >= 1);
  assert.deepEqual(values('文号'), ['川环办发〔2017〕102号']);
  assert.deepEqual(values('日期'), ['2017-07-31']);
  assert.deepEqual(values('发文机关'), [seedNotice.issuingOffice]);
  assert.deepEqual(values('联系电话'), [seedNotice.contact.phone]);
  // The date is text, not an Excel date serial.
  const dateRow = rows.findIndex(([label]) => label === '日期') + 1;
  assert.equal(sheet.getRow(dateRow).getCell(2).type, ExcelJS.ValueType.String);
});

test('a notice with empty lists and null fields: list labels have no rows, single labels an empty value; a bad date is refused', async () => {
  const notice: Notice = {
    issuingOffice: null,
    docNumber: '川环办发〔2018〕7号',
    title: '关于\u000b测试的通报',
    recipients: null,
    body: [],
    attachment: null,
    issuer: null,
    date: null,
    contact: { unit: null, name: null, phone: null },
    cc: ['省环境保护厅', '各市（州）环境保护局'],
    printed: { by: null, date: '2018-01-05' },
  };
  const raw = openRaw(await renderTableXlsx(seedTable, notice));
  const sheet = raw.sheets.find((candidate) => candidate.name === NOTICE_SHEET_NAME)!;
  const rows = findAll(sheet.xml, 'row').map((row) => {
    const [label, value] = childrenNamed(row, 'c');
    return [rawText(raw, label), rawText(raw, value)];
  });
  assert.deepEqual(rows, [
    ['发文机关', null],
    ['文号', '川环办发〔2018〕7号'],
    ['标题', '关于测试的通报'],
    ['主送', null],
    ['附件', null],
    ['落款', null],
    ['日期', null],
    ['联系单位', null],
    ['联系人', null],
    ['联系电话', null],
    ['抄送', '省环境保护厅'],
    ['抄送', '各市（州）环境保护局'],
    ['印发机关', null],
    ['印发日期', '2018-01-05'],
  ]);
  await assert.rejects(renderTableXlsx(seedTable, { ...notice, date: '2018-02-30x' }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'document_date');
    return true;
  });
});

test('sheet names: at most 31 characters, none of []:*?/\\, never empty', () => {
  assert.equal(xlsxSheetName('2017年第二季度调度表'), '2017年第二季度调度表');
  assert.equal(xlsxSheetName('a[b]c:d*e?f/g\\h'), 'abcdefgh');
  assert.equal(xlsxSheetName('长'.repeat(40)), '长'.repeat(31));
  assert.equal(xlsxSheetName("'引号'"), '引号');
  assert.equal(xlsxSheetName('[]:*?/\\'), '调度表');
  assert.equal(xlsxSheetName('\u0007'), '调度表');
});

test('a round label full of forbidden characters still gives a valid sheet name', async () => {
  const raw = openRaw(await renderTableXlsx({ ...seedTable, roundLabel: '2017/Q2 [草稿]*'.repeat(4) }));
  const name = raw.sheets[0]!.name;
  assert.ok(name.length <= 31);
  assert.doesNotMatch(name, /[[\]:*?/\\]/);
  assert.ok(name.startsWith('2017Q2 草稿'));
});

test('a cell longer than Excel allows is refused with the row and column named, not cut short', async () => {
  const table: CompiledTable = structuredClone(seedTable);
  table.rows[4]!.progress = '进'.repeat(XLSX_CELL_MAX + 1);
  await assert.rejects(renderTableXlsx(table), (error: Error & { code?: string; details?: Record<string, unknown> }) => {
    assert.equal(error.code, 'xlsx_cell_too_long');
    assert.match(error.message, /^第7行第7列的内容共 32768 字符，超过 Excel 单元格上限 32767/);
    return true;
  });
  table.rows[4]!.progress = '进'.repeat(XLSX_CELL_MAX);
  const workbook = await loadWorkbook(await renderTableXlsx(table));
  assert.equal(String(workbook.worksheets[0]!.getCell('G7').value).length, XLSX_CELL_MAX);
});

test('row heights are stored, since readers do not fit rows to wrapped text: each task row is as tall as its longest cell needs', async () => {
  const raw = openRaw(await seedXlsx());
  const [sheet] = raw.sheets;
  const rows = new Map(findAll(sheet!.xml, 'row').map((row) => [Number(row.attrs.r), row]));
  const height = (rowNumber: number) => {
    const row = rows.get(rowNumber)!;
    assert.equal(row.attrs.customHeight, '1', `row ${rowNumber} has a stored height`);
    return Number(row.attrs.ht);
  };
  assert.ok(height(1) >= 16 * 1.4, 'the title, a line of 16 pt');
  seedTable.rows.forEach((row, index) => {
    const needed = Math.max(
      ...[row.task, row.leadDepartment, row.leaders, row.units, row.progress].map((text, offset) => estimatedLines(text, XLSX_COLUMN_WIDTHS[offset + 2]!)),
    );
    const points = height(index + 3);
    assert.ok(points >= Math.min(XLSX_MAX_ROW_POINTS, needed * 14.25), `row ${index + 3}: ${points} pt for ${needed} lines`);
    assert.ok(points <= XLSX_MAX_ROW_POINTS);
  });
  // The longest progress text has the tallest row; a one-line row stays short.
  const longest = seedTable.rows.reduce((best, row, index) => (row.progress.length > seedTable.rows[best]!.progress.length ? index : best), 0);
  assert.equal(Math.max(...seedTable.rows.map((_, index) => height(index + 3))), height(longest + 3));
  const table: CompiledTable = structuredClone(seedTable);
  table.rows[0]!.progress = '进'.repeat(5000);
  const tall = openRaw(await renderTableXlsx(table));
  const first = findAll(tall.sheets[0]!.xml, 'row').find((row) => row.attrs.r === '3')!;
  assert.equal(Number(first.attrs.ht), XLSX_MAX_ROW_POINTS, "Excel's largest row height, not more");
});

test('estimated lines: Chinese characters are two units, ASCII one, each line break starts a line', () => {
  // Width 10 holds floor(9.3) = 9 units: four Chinese characters, or nine ASCII ones.
  assert.equal(estimatedLines('', 10), 1);
  assert.equal(estimatedLines('一二三四', 10), 1);
  assert.equal(estimatedLines('一二三四五', 10), 2);
  assert.equal(estimatedLines('abcdefghi', 10), 1);
  assert.equal(estimatedLines('abcdefghij', 10), 2);
  assert.equal(estimatedLines('一\n二\r\n三', 10), 3);
  // A bigger font holds fewer characters a line.
  assert.equal(estimatedLines('一二三四', 10, 22), 2);
});

// ---- 报送情况 (issue 12) --------------------------------------------------------------------------

const unitRow = (unit: Partial<UnitStatisticsRow> & Pick<UnitStatisticsRow, 'unitName' | 'state'>): UnitStatisticsRow => ({
  unitId: 1,
  submitted: ['submitted', 'approved', 'accepted'].includes(unit.state),
  submittedAt: null,
  late: false,
  extendedDeadline: null,
  accepted: unit.state === 'accepted',
  tasks: 4,
  answered: 0,
  ...unit,
});

/** Four units as a real quarter has them: accepted on time, late (逾期), extended and missing, returned. */
const statisticsView: RoundStatisticsView = {
  roundId: 7,
  roundLabel: '2017年第三季度',
  deadline: '2017-10-10T23:59:59+08:00',
  inApp: true,
  totals: { units: 4, onTime: 1, late: 1, notSubmitted: 2, returned: 1, accepted: 1, tasksAnswered: 9, tasks: 12 },
  units: [
    unitRow({ unitName: '环评处', state: 'accepted', submittedAt: '2017-10-09T02:30:00.000Z', answered: 4 }),
    unitRow({ unitName: '规财处', state: 'submitted', submittedAt: '2017-10-16T09:00:00.000Z', late: true, answered: 4 }),
    unitRow({ unitName: '=HYPERLINK("http://example.invalid","x")', state: 'draft', extendedDeadline: '2017-10-20T23:59:59+08:00', answered: 1 }),
    unitRow({ unitName: '水处', state: 'returned', submittedAt: '2017-10-08T01:00:00.000Z' }),
  ],
};

test('报送情况: the totals on top, then one row per unit with 逾期 and its submit time; a copy in test-artifacts/documents', async () => {
  const bytes = await renderTableXlsx(seedTable, seedNotice, { view: statisticsView, timeZone: 'Asia/Shanghai' });
  writeFileSync(fileURLToPath(new URL('test-artifacts/documents/', root)) + 'statistics-table.xlsx', bytes);
  const workbook = await loadWorkbook(bytes);
  assert.deepEqual(
    workbook.worksheets.map((sheet) => sheet.name),
    ['2017年第二季度调度表', NOTICE_SHEET_NAME, STATISTICS_SHEET_NAME],
    'the table stays first (the importer reads the first sheet), the statistics come last',
  );
  const sheet = workbook.getWorksheet(STATISTICS_SHEET_NAME)!;
  const text = (ref: string) => sheet.getCell(ref).value;
  assert.equal(text('A1'), '2017年第三季度报送情况统计');
  assert.equal(text('A2'), '截止时间：2017年10月10日 23:59');
  const totals = new Map<string, unknown>();
  for (let line = 4; line <= 10; line++) totals.set(String(text(`A${line}`)), text(`C${line}`));
  assert.deepEqual(Object.fromEntries(totals), {
    参与报送单位: 4,
    按时报送: 1,
    逾期报送: 1,
    未报送: 2,
    其中已退回待重新提交: 1,
    已采纳: 1,
    已有进展的任务: '9 / 12',
  });
  const rowValues = (line: number) => STATISTICS_COLUMNS.map((_, column) => sheet.getRow(line).getCell(column + 1).value ?? undefined);
  assert.deepEqual(rowValues(12), [...STATISTICS_COLUMNS], 'the header row');
  const rows = [13, 14, 15, 16].map(rowValues);
  assert.deepEqual(rows[0], ['1', '环评处', '已采纳', '2017年10月9日 10:30', '按时报送', '2017年10月10日 23:59', '已采纳', '4 / 4']);
  assert.deepEqual(rows[1], ['2', '规财处', '已提交', '2017年10月16日 17:00', '逾期（2017年10月16日 17:00 提交）', '2017年10月10日 23:59', undefined, '4 / 4']);
  assert.deepEqual(rows[2], [
    '3',
    '=HYPERLINK("http://example.invalid","x")',
    '填报中',
    undefined,
    '未报送',
    '延期至 2017年10月20日 23:59',
    undefined,
    '1 / 4',
  ]);
  assert.deepEqual(rows[3], ['4', '水处', '已退回', '2017年10月8日 09:00', '已退回，待重新提交', '2017年10月10日 23:59', undefined, '0 / 4']);
  assert.equal(sheet.getCell('B15').type, ExcelJS.ValueType.String, 'a unit name like a formula stays text');
  assert.equal(sheet.getCell('B15').formula, undefined);
  assert.deepEqual(
    sheet.columns.map((column) => column.width),
    [6, 24, 12, 24, 36, 30, 10, 12],
  );

  const raw = openRaw(bytes);
  const rawSheet = raw.sheets.find((s) => s.name === STATISTICS_SHEET_NAME)!;
  assert.equal(findAll(rawSheet.xml, 'f').length, 0, 'no formula anywhere');
  for (const ref of ['B13', 'E14', 'B15', 'F15']) {
    const cell = rawSheet.cells.get(ref)!;
    assert.equal(cell.attrs.t, 's', `${ref}: a shared string`);
    assert.equal(raw.cellXfs[Number(cell.attrs.s)]!.attrs.numFmtId, '49', `${ref}: Text format (@)`);
  }
  const pane = findFirst(rawSheet.xml, 'pane')!;
  assert.equal(pane.attrs.state, 'frozen');
  assert.equal(pane.attrs.ySplit, '12', 'the header row stays in view');
  const printTitles = findAll(raw.workbook, 'definedName').find((name) => name.attrs.localSheetId === '2');
  assert.match(textOf(printTitles!), /\$12:\$12/, 'the header row repeats on each printed page');

  // The importer still gives back the same document: it never reads 报送情况.
  const back = readPlanDocument(bytes, '调度表.xlsx');
  const plain = readPlanDocument(await renderTableXlsx(seedTable, seedNotice), '调度表.xlsx');
  assert.deepEqual(back.document, plain.document);
});

test('报送情况 of an imported round says there are no in-app submissions instead of counting', async () => {
  const imported: RoundStatisticsView = {
    ...statisticsView,
    roundLabel: '2017年第二季度',
    deadline: null,
    inApp: false,
    units: [],
    totals: { units: 0, onTime: 0, late: 0, notSubmitted: 0, returned: 0, accepted: 0, tasksAnswered: 40, tasks: 44 },
  };
  const workbook = await loadWorkbook(await renderTableXlsx(seedTable, seedNotice, { view: imported }));
  const sheet = workbook.getWorksheet(STATISTICS_SHEET_NAME)!;
  assert.equal(sheet.getCell('A2').value, '截止时间：未设定');
  assert.match(String(sheet.getCell('A3').value), /没有在系统中报送的记录/);
  assert.equal(sheet.rowCount, 3, 'no totals, no unit rows');
});
