import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileTable, type CompiledTable } from '../../../domain/compiled-table.ts';
import type { Notice } from '../../../domain/plan-document.ts';
import { readPlanDocument } from '../read-plan-document.ts';
import { chineseDate } from './docx/gb-t-9704.ts';
import { progressTableLayoutOf } from '../../../../tests/support/progress-table-layout-of.ts';
import { contactLine, renderNoticeDocx, renderTableDocx, signatureIndents } from './notice-docx.ts';
import { childrenNamed, findAll, findFirst, readXmlPart, readZipEntries, textOf, type XmlElement } from '../../../../tests/support/ooxml-read.ts';

const root = new URL('../../../../', import.meta.url);
const seed = readPlanDocument(readFileSync(fileURLToPath(new URL('fixtures/seed/sichuan-2017-q2-notice.txt', root))), 'seed.txt').document;
const seedNotice = seed.notice!;
const seedTable = compileTable(seed);

// ---- reading the file back ------------------------------------------------------------------

interface Docx {
  entries: Map<string, Uint8Array>;
  body: XmlElement;
  settings: XmlElement;
  /** Footer parts by relationship id. */
  part: (relationshipId: string) => XmlElement;
}

function openDocx(bytes: Uint8Array): Docx {
  const entries = readZipEntries(bytes);
  const document = readXmlPart(entries, 'word/document.xml');
  const rels = readXmlPart(entries, 'word/_rels/document.xml.rels');
  const targets = new Map(findAll(rels, 'Relationship').map((rel) => [rel.attrs.Id!, rel.attrs.Target!]));
  return {
    entries,
    body: findFirst(document, 'w:body')!,
    settings: readXmlPart(entries, 'word/settings.xml'),
    part: (id) => readXmlPart(entries, `word/${targets.get(id)!.replace(/^\/?word\//, '')}`),
  };
}

const mm = (millimetres: number) => (millimetres * 1440) / 25.4;
const numberAttr = (element: XmlElement | undefined, name: string) => Number(element?.attrs[name]);
const paragraphText = (p: XmlElement) => textOf(p, 'w:t');
const paragraphs = (element: XmlElement) => findAll(element, 'w:p');
const paragraphWith = (element: XmlElement, text: string) => {
  const found = paragraphs(element).find((p) => paragraphText(p) === text);
  assert.ok(found, `a paragraph reading ${text}`);
  return found;
};
const pPr = (p: XmlElement) => childrenNamed(p, 'w:pPr')[0];
const pProp = (p: XmlElement, name: string) => childrenNamed(pPr(p) ?? p, name)[0];
const runs = (p: XmlElement) => childrenNamed(p, 'w:r').filter((r) => findFirst(r, 'w:t'));
const rProp = (r: XmlElement, name: string) => findFirst(childrenNamed(r, 'w:rPr')[0]!, name);

/** Every text run of a paragraph has this font (East Asian and Latin) and size. */
function assertRuns(p: XmlElement, font: string, size: number, what: string) {
  const textRuns = runs(p);
  assert.ok(textRuns.length > 0, `${what}: has text`);
  for (const r of textRuns) {
    const fonts = rProp(r, 'w:rFonts')!;
    assert.equal(fonts.attrs['w:eastAsia'], font, `${what}: East Asian font`);
    assert.equal(fonts.attrs['w:ascii'], font, `${what}: Latin font`);
    assert.equal(fonts.attrs['w:hAnsi'], font, `${what}: Latin font (hAnsi)`);
    assert.equal(numberAttr(rProp(r, 'w:sz'), 'w:val'), size, `${what}: size in half-points`);
  }
}

/** Sections in order: each w:sectPr, the last one being the body's own. */
const sections = (body: XmlElement) => findAll(body, 'w:sectPr');

/** The content of each section: the body's children split after each paragraph carrying a sectPr. */
function sectionContents(body: XmlElement): XmlElement[][] {
  const result: XmlElement[][] = [[]];
  for (const child of body.children) {
    if (child.name === 'w:sectPr') continue;
    result.at(-1)!.push(child);
    if (child.name === 'w:p' && findFirst(child, 'w:sectPr')) result.push([]);
  }
  return result.filter((content) => content.length > 0);
}

const wrap = (children: XmlElement[]): XmlElement => ({ name: '#fragment', attrs: {}, children, text: '' });

// ---- the seed's notice ------------------------------------------------------------------------

let seedBytes: Uint8Array | null = null;
async function seedDocx(): Promise<Docx> {
  seedBytes ??= await renderNoticeDocx({ notice: seedNotice, table: seedTable });
  return openDocx(seedBytes);
}

test('the seed notice renders, and a copy is kept in test-artifacts/documents for a look', async () => {
  await seedDocx();
  const folder = fileURLToPath(new URL('test-artifacts/documents/', root));
  mkdirSync(folder, { recursive: true });
  writeFileSync(`${folder}seed-notice.docx`, seedBytes!);
  assert.ok(seedBytes!.length > 10_000);
});

test('A4 pages: the notice portrait with the GB/T 9704 margins, the table landscape, 版记 portrait on an even page of its own', async () => {
  const { body } = await seedDocx();
  const [notice, table, record] = sections(body);
  assert.equal(sections(body).length, 3);
  for (const [section, orient] of [
    [notice!, 'portrait'],
    [table!, 'landscape'],
    [record!, 'portrait'],
  ] as const) {
    const size = childrenNamed(section, 'w:pgSz')[0]!;
    assert.equal(size.attrs['w:orient'], orient);
    const [width, height] = orient === 'portrait' ? [210, 297] : [297, 210];
    assert.ok(Math.abs(numberAttr(size, 'w:w') - mm(width)) < 1, `${orient} width`);
    assert.ok(Math.abs(numberAttr(size, 'w:h') - mm(height)) < 1, `${orient} height`);
    const margin = childrenNamed(section, 'w:pgMar')[0]!;
    // Landscape: the portrait margins turned a quarter (binding edge on top).
    const expected = orient === 'portrait' ? { top: 37, bottom: 35, left: 28, right: 26 } : { top: 28, bottom: 26, left: 35, right: 37 };
    for (const [side, value] of Object.entries(expected))
      assert.ok(Math.abs(numberAttr(margin, `w:${side}`) - mm(value)) < 1, `${orient} margin ${side}: ${margin.attrs[`w:${side}`]} twips for ${value} mm`);
  }
  const grid = childrenNamed(notice!, 'w:docGrid')[0]!;
  assert.equal(grid.attrs['w:type'], 'lines');
  assert.equal(numberAttr(grid, 'w:linePitch'), 579, '22 lines of 225 mm');
  // 版记 starts on an even page (a blank page before it when needed); it has no line grid, so its spacer keeps its height.
  assert.equal(childrenNamed(record!, 'w:type')[0]?.attrs['w:val'], 'evenPage');
  assert.equal(childrenNamed(record!, 'w:docGrid')[0]?.attrs['w:type'], 'default');
});

test('版头: the office mark in red 小标宋, the document number centred over a red rule', async () => {
  const { body } = await seedDocx();
  const mark = paragraphWith(body, '四川省环境保护厅办公室文件');
  assertRuns(mark, '方正小标宋简体', 72, 'office mark');
  assert.equal(rProp(runs(mark)[0]!, 'w:color')?.attrs['w:val'], 'FF0000');
  assert.equal(pProp(mark, 'w:jc')?.attrs['w:val'], 'center');
  const number = paragraphWith(body, '川环办发〔2017〕102号');
  assertRuns(number, '仿宋_GB2312', 32, 'document number');
  assert.equal(pProp(number, 'w:jc')?.attrs['w:val'], 'center');
  const rule = findFirst(pProp(number, 'w:pBdr')!, 'w:bottom')!;
  assert.equal(rule.attrs['w:val'], 'single');
  assert.equal(rule.attrs['w:color'], 'FF0000');
  // The mark comes first, then the number.
  const order = paragraphs(body).map(paragraphText);
  assert.ok(order.indexOf('四川省环境保护厅办公室文件') < order.indexOf('川环办发〔2017〕102号'));
});

test('title 2号 小标宋 centred; recipients and body 3号 仿宋 on the 22-line grid, 28 characters a line, two characters in, no widow control', async () => {
  const { body } = await seedDocx();
  const title = paragraphWith(body, seedNotice.title!);
  assertRuns(title, '方正小标宋简体', 44, 'title');
  assert.equal(pProp(title, 'w:jc')?.attrs['w:val'], 'center');
  // Broken between words by explicit line breaks, in the title style (no grid snap, see the styles test).
  assert.equal(pProp(title, 'w:pStyle')?.attrs['w:val'], 'GbTitle');
  assert.deepEqual(
    runs(title).map((r) => textOf(r, 'w:t')),
    ['四川省环境保护厅办公室关于', '《贯彻落实〈中共四川省委关于推进绿色', '发展建设美丽四川的决定〉厅内分工方案》', '2017年第二季度工作推进情况的通报'],
  );
  assert.deepEqual(
    runs(title).map((r) => childrenNamed(r, 'w:br').length),
    [0, 1, 1, 1],
    'a line break before each line but the first',
  );

  const recipients = paragraphWith(body, '厅机关各处（室）、直属单位：');
  assertRuns(recipients, '仿宋_GB2312', 32, 'recipients');
  assert.equal(pProp(recipients, 'w:ind'), undefined, 'recipients flush left');

  const text = paragraphWith(body, seedNotice.body[0]!);
  assertRuns(text, '仿宋_GB2312', 32, 'body');
  for (const r of runs(text)) assert.equal(numberAttr(rProp(r, 'w:spacing'), 'w:val'), -5, 'character spacing −0.25 pt');
  const spacing = pProp(text, 'w:spacing')!;
  assert.equal(numberAttr(spacing, 'w:line'), 579);
  assert.equal(spacing.attrs['w:lineRule'], 'exact');
  assert.equal(numberAttr(pProp(text, 'w:ind'), 'w:firstLineChars'), 200, 'first line two characters in');
  assert.equal(pProp(text, 'w:widowControl')?.attrs['w:val'], 'false');
});

test('attachment line, issuer, Chinese date and contact after the body', async () => {
  const { body } = await seedDocx();
  const order = paragraphs(body).map(paragraphText);
  const attachment = paragraphWith(body, `附件：${seedNotice.attachment}`);
  assertRuns(attachment, '仿宋_GB2312', 32, 'attachment line');
  const issuer = paragraphWith(body, '四川省环境保护厅办公室');
  const date = paragraphWith(body, '2017年7月31日');
  // Both placed by their left indent: the date starts two characters (2 × 315 twips) right of the issuer's first character.
  assert.equal(numberAttr(pProp(date, 'w:ind'), 'w:left') - numberAttr(pProp(issuer, 'w:ind'), 'w:left'), 630);
  paragraphWith(body, '（联系人：厅污染防治“三大战役”办 谭建波\u3000联系电话：028-80589030）');
  const at = (text: string) => order.indexOf(text);
  assert.ok(at(seedNotice.body[0]!) < at(`附件：${seedNotice.attachment}`));
  assert.ok(at(`附件：${seedNotice.attachment}`) < at('四川省环境保护厅办公室'));
  assert.ok(at('四川省环境保护厅办公室') < at('2017年7月31日'));
});

test('page numbers: `— PAGE —` in 4号 宋体, odd pages on the right, even pages on the left, on the notice pages', async () => {
  const docx = await seedDocx();
  assert.ok(findFirst(docx.settings, 'w:evenAndOddHeaders'), 'settings turn on even and odd footers');
  for (const section of sections(docx.body).slice(0, 1)) {
    const references = childrenNamed(section, 'w:footerReference');
    const byType = new Map(references.map((ref) => [ref.attrs['w:type'], docx.part(ref.attrs['r:id']!)]));
    for (const [type, side] of [
      ['default', 'right'],
      ['even', 'left'],
    ] as const) {
      const footer = byType.get(type);
      assert.ok(footer, `a ${type} footer`);
      const [p] = paragraphs(footer);
      assert.equal(pProp(p!, 'w:jc')?.attrs['w:val'], side, `${type} footer on the ${side}`);
      assert.ok(numberAttr(pProp(p!, 'w:ind'), `w:${side}`) > 0, 'one character in from the edge');
      const pieces = childrenNamed(p!, 'w:r').map((r) =>
        findFirst(r, 'w:t')
          ? `t:${textOf(r, 'w:t')}`
          : findFirst(r, 'w:instrText')
            ? `i:${textOf(r, 'w:instrText').trim()}`
            : `f:${findFirst(r, 'w:fldChar')?.attrs['w:fldCharType']}`,
      );
      assert.deepEqual(
        pieces.filter((piece) => !piece.startsWith('f:separate')),
        ['t:— ', 'f:begin', 'i:PAGE', 'f:end', 't: —'],
      );
      for (const r of childrenNamed(p!, 'w:r')) {
        assert.equal(rProp(r, 'w:rFonts')?.attrs['w:eastAsia'], '宋体');
        assert.equal(numberAttr(rProp(r, 'w:sz'), 'w:val'), 28);
      }
    }
  }
});

test('landscape page numbers: a page-anchored text box in the left margin band, its text turned to read top to bottom; none on the 版记 page', async () => {
  const docx = await seedDocx();
  const [, landscape, record] = sections(docx.body);
  const footers = (section: XmlElement) =>
    new Map(childrenNamed(section, 'w:footerReference').map((ref) => [ref.attrs['w:type'], docx.part(ref.attrs['r:id']!)]));
  const emu = (millimetres: number) => millimetres * 36_000;
  for (const [type, side] of [
    ['default', 'odd'],
    ['even', 'even'],
  ] as const) {
    const footer = footers(landscape!).get(type);
    assert.ok(footer, `a ${type} footer`);
    const anchor = findFirst(footer, 'wp:anchor')!;
    assert.ok(anchor, `${side} pages: a floating shape`);
    const x = findFirst(anchor, 'wp:positionH')!;
    const y = findFirst(anchor, 'wp:positionV')!;
    assert.equal(x.attrs.relativeFrom, 'page');
    assert.equal(y.attrs.relativeFrom, 'page');
    const left = Number(textOf(x, 'wp:posOffset'));
    const width = numberAttr(findFirst(anchor, 'wp:extent'), 'cx');
    assert.ok(Math.abs(left + width / 2 - emu(28)) < emu(0.5), `${side}: the number's middle 7 mm left of the 版心 (35 mm)`);
    assert.ok(left + width < emu(35), `${side}: outside the 版心`);
    const top = Number(textOf(y, 'wp:posOffset'));
    const length = numberAttr(findFirst(anchor, 'wp:extent'), 'cy');
    if (side === 'odd') assert.ok(Math.abs(top + length - emu(210 - 26 - 4.94)) < emu(0.5), 'odd: ends one character above the 版心 foot (portrait right)');
    else assert.ok(Math.abs(top - emu(28 + 4.94)) < emu(0.5), 'even: starts one character below the 版心 top (portrait left)');
    assert.equal(findFirst(anchor, 'wps:bodyPr')?.attrs.vert, 'vert', 'text turned a quarter clockwise');
    assert.equal(textOf(findFirst(anchor, 'wps:txbx')!, 'w:instrText').trim(), 'PAGE');
  }
  for (const [type, footer] of footers(record!)) assert.equal(findAll(footer, 'w:instrText').length, 0, `版记 ${type} footer without a page number`);
  assert.equal(childrenNamed(record!, 'w:titlePg').length, 1);
});

test('styles: the title style does not snap to the grid; no automatic spacing between Chinese and digits', async () => {
  const docx = await seedDocx();
  const styles = readXmlPart(docx.entries, 'word/styles.xml');
  const defaults = findFirst(findFirst(styles, 'w:pPrDefault')!, 'w:pPr')!;
  assert.equal(childrenNamed(defaults, 'w:autoSpaceDE')[0]?.attrs['w:val'], '0');
  assert.equal(childrenNamed(defaults, 'w:autoSpaceDN')[0]?.attrs['w:val'], '0');
  const title = findAll(styles, 'w:style').find((style) => style.attrs['w:styleId'] === 'GbTitle')!;
  assert.ok(title, 'a title style');
  const pPr = childrenNamed(title, 'w:pPr')[0]!;
  assert.equal(childrenNamed(pPr, 'w:snapToGrid')[0]?.attrs['w:val'], '0');
  // CT_PPr order: snapToGrid before spacing and jc.
  const order = pPr.children.map((child) => child.name);
  assert.ok(order.indexOf('w:snapToGrid') < order.indexOf('w:spacing'), order.join(' '));
  const core = readXmlPart(docx.entries, 'docProps/core.xml');
  assert.equal(textOf(core, 'dc:title'), seedNotice.title);
  assert.notEqual(textOf(core, 'cp:lastModifiedBy'), 'Un-named');
});

test('a draft carries （征求意见稿） under the title, in 3号 楷体; the notice as issued does not', async () => {
  const draft = openDocx(await renderNoticeDocx({ notice: seedNotice, table: seedTable, draft: true }));
  const marks = paragraphs(draft.body).filter((p) => paragraphText(p) === '（征求意见稿）');
  assert.equal(marks.length, 2, 'under the notice title and under the table title');
  assertRuns(marks[0]!, '楷体_GB2312', 32, 'draft mark');
  const order = paragraphs(draft.body).map(paragraphText);
  assert.equal(order.indexOf('（征求意见稿）'), order.indexOf(seedNotice.title!) + 1);
  const issued = await seedDocx();
  // (A progress entry of the seed names a 《…》（征求意见稿）: only a paragraph of its own is the mark.)
  assert.ok(!paragraphs(issued.body).some((p) => paragraphText(p) === '（征求意见稿）'), 'no draft mark on the issued notice');
  const table = openDocx(await renderTableDocx(seedTable, { draft: true }));
  assert.equal(paragraphText(paragraphs(table.body)[1]!), '（征求意见稿）');
});

test('the attachment: 附件 in 黑体, the table title in 小标宋, then one table per page, each with the header row', async () => {
  const { body } = await seedDocx();
  const [, tablePart] = sectionContents(body);
  const part = wrap(tablePart!);
  const [label, title] = paragraphs(part);
  assert.equal(paragraphText(label!), '附件');
  assertRuns(label!, '黑体', 32, '附件');
  assert.equal(paragraphText(title!), seedTable.title);
  assertRuns(title!, '方正小标宋简体', 44, 'table title');

  const layout = progressTableLayoutOf(await renderNoticeDocx({ notice: seedNotice, table: seedTable }), seedTable);
  const tables = findAll(part, 'w:tbl');
  assert.equal(tables.length, layout.pages.length, 'one table per page of the layout');
  assert.ok(tables.length > 1);
  // Between two tables a 1 pt paragraph that breaks the page (and keeps Word from joining them).
  const between = tablePart!.filter(
    (element, index) => element.name === 'w:p' && tablePart![index - 1]?.name === 'w:tbl' && tablePart![index + 1]?.name === 'w:tbl',
  );
  assert.equal(between.length, tables.length - 1);
  for (const p of between) assert.ok(pProp(p, 'w:pageBreakBefore'), 'the paragraph between tables starts a page');
  const closing = tablePart!.at(-1)!;
  assert.equal(closing.name, 'w:p', 'a paragraph ends the section after the table');
  assert.equal(numberAttr(pProp(closing, 'w:spacing'), 'w:line'), 20, 'and it is 1 pt high, so it cannot make a page of its own');
  const rowProps = (row: XmlElement) => childrenNamed(row, 'w:trPr')[0];
  for (const table of tables) {
    const rows = childrenNamed(table, 'w:tr');
    assert.ok(findFirst(rowProps(rows[0]!)!, 'w:tblHeader'), 'header row first');
    assert.deepEqual(
      childrenNamed(rows[0]!, 'w:tc').map((tc) => paragraphs(tc).map(paragraphText).join('')),
      [...seedTable.header],
    );
    for (const cell of childrenNamed(rows[0]!, 'w:tc').slice(2)) assertRuns(paragraphs(cell)[0]!, '黑体', 18, 'header cell');
    const grid = findAll(table, 'w:gridCol').map((col) => numberAttr(col, 'w:w'));
    assert.equal(grid.length, 7);
    assert.ok(Math.abs(grid.reduce((sum, width) => sum + width, 0) - mm(297 - 35 - 37)) < 2, 'the table fills the landscape text width');
    const widest = [...grid].sort((x, y) => y - x).slice(0, 2);
    assert.deepEqual(new Set(widest), new Set([grid[2], grid[6]]), 'task and progress columns are the widest');
  }
});

test('chapter and section cells are merged down over their rows on each page, labelled (续) where they go on; every task and progress text is there', async () => {
  const { body } = await seedDocx();
  const tables = findAll(body, 'w:tbl').filter((tbl) => textOf(childrenNamed(tbl, 'w:tr')[0]!).includes('具体工作任务'));
  const layout = progressTableLayoutOf(await renderNoticeDocx({ notice: seedNotice, table: seedTable }), seedTable);
  const cellText = (tc: XmlElement) => paragraphs(tc).map(paragraphText).join('');
  const seenChapters = new Set<string>();
  const seenSections = new Set<string>();
  tables.forEach((table, page) => {
    const rows = childrenNamed(table, 'w:tr').slice(1);
    assert.equal(rows.length, layout.pages[page]!.rows.length);
    for (const [column, key] of [
      [0, 'chapterLabel'],
      [1, 'sectionLabel'],
    ] as const) {
      const seen = column === 0 ? seenChapters : seenSections;
      rows.forEach((row, index) => {
        const tc = childrenNamed(row, 'w:tc')[column]!;
        const merge = findFirst(tc, 'w:vMerge');
        const source = seedTable.rows[layout.pages[page]!.rows[index]!.row]!;
        const label = source[key].trim();
        if (merge && merge.attrs['w:val'] !== 'restart') {
          assert.equal(cellText(tc), '', `page ${page + 1} row ${index + 1}: inside the merge`);
          return;
        }
        // The first row of a page, and the first row of each chapter or section on it, carry the label.
        const expected = seen.has(label) ? `${label}（续）` : label;
        assert.equal(cellText(tc), expected, `page ${page + 1} row ${index + 1}: ${key}`);
        seen.add(label);
      });
      assert.ok(
        !findFirst(childrenNamed(rows[0]!, 'w:tc')[column]!, 'w:vMerge') ||
          findFirst(childrenNamed(rows[0]!, 'w:tc')[column]!, 'w:vMerge')!.attrs['w:val'] === 'restart',
        'a page starts a merge',
      );
    }
  });
  assert.equal(seenChapters.size, 8, 'the seed has eight chapters');
  // Every task's and progress's text is in the pages, in order (split rows put back together).
  const task = new Map<number, string>();
  const progress = new Map<number, string[]>();
  tables.forEach((table, page) =>
    childrenNamed(table, 'w:tr')
      .slice(1)
      .forEach((row, index) => {
        const at = layout.pages[page]!.rows[index]!;
        const cells = childrenNamed(row, 'w:tc');
        task.set(at.row, (task.get(at.row) ?? '') + paragraphs(cells[2]!).map(paragraphText).join(''));
        const lines = paragraphs(cells[6]!)
          .map(paragraphText)
          .filter((line) => line !== '');
        const before = progress.get(at.row) ?? [];
        if (at.continued && before.length > 0 && lines.length > 0) before[before.length - 1] += lines.shift()!;
        progress.set(at.row, [...before, ...lines]);
        if (!at.continued) {
          // 小五; the font is the document's default 仿宋_GB2312 (checked below), named once, not on 100,000 runs.
          const [r] = runs(paragraphs(cells[2]!)[0]!);
          assert.equal(numberAttr(rProp(r!, 'w:sz'), 'w:val'), 18, `page ${page + 1} task size`);
          assert.equal(rProp(r!, 'w:rFonts'), undefined, `page ${page + 1} task font: the default`);
        }
      }),
  );
  const styles = readXmlPart(openDocx(await renderNoticeDocx({ notice: seedNotice, table: seedTable })).entries, 'word/styles.xml');
  const defaultFonts = findFirst(findFirst(styles, 'w:rPrDefault')!, 'w:rFonts')!;
  assert.equal(defaultFonts.attrs['w:eastAsia'], '仿宋_GB2312', 'the default font the table text takes');
  assert.equal(defaultFonts.attrs['w:ascii'], '仿宋_GB2312');
  seedTable.rows.forEach((row, index) => {
    assert.equal(task.get(index), row.task.trim(), `row ${index + 1}: task`);
    assert.equal(progress.get(index)!.join('\n'), row.progress, `row ${index + 1}: progress, one paragraph per unit`);
  });
});

test('版记: 抄送 and 印发 in a table as wide as the 版心, thick rules above and below, a thin one between, the text one character in', async () => {
  const { body } = await seedDocx();
  const record = wrap(sectionContents(body).at(-1)!);
  const table = findFirst(record, 'w:tbl')!;
  assert.ok(table, 'a table');
  assert.equal(numberAttr(findFirst(table, 'w:tblW'), 'w:w'), 8845, 'the 版心 width (156 mm)');
  const borders = findFirst(table, 'w:tblBorders')!;
  const border = (side: string) => childrenNamed(borders, `w:${side}`)[0]!;
  assert.equal(border('left').attrs['w:val'], 'none');
  assert.equal(border('right').attrs['w:val'], 'none');
  assert.ok(numberAttr(border('top'), 'w:sz') > numberAttr(border('insideH'), 'w:sz'), 'outer rules thicker than the middle one');
  assert.equal(numberAttr(border('top'), 'w:sz'), numberAttr(border('bottom'), 'w:sz'));
  const margins = findFirst(table, 'w:tblCellMar')!;
  assert.equal(numberAttr(childrenNamed(margins, 'w:left')[0], 'w:w'), 280, 'one 4号 character in');
  assert.equal(numberAttr(childrenNamed(margins, 'w:right')[0], 'w:w'), 280);
  const [cc, printed] = paragraphs(table);
  assert.equal(paragraphText(cc!), '抄送：省委深改办。');
  assert.equal(paragraphText(printed!), '四川省环境保护厅办公室2017年7月31日印发');
  assert.ok(findFirst(printed!, 'w:tab'), 'the printing date is set right by a tab');
  assertRuns(cc!, '仿宋_GB2312', 28, '抄送');
  assertRuns(printed!, '仿宋_GB2312', 28, '印发');
});

test('no control characters anywhere in the text; headings in 黑体 and 楷体; missing fields are left out, not written as null', async () => {
  const document = structuredClone(seed);
  const task = document.chapters[0]!.sections[0]!.tasks[0]!;
  task.progress = [{ unit: '大气处', text: '第一行\u000b第二行\f完毕\u0007。' }];
  task.text = `${task.text}\u0001`;
  const notice: Notice = {
    issuingOffice: null,
    docNumber: null,
    title: '关于\u000b测试的通报',
    recipients: null,
    body: ['一、总体情况', '（一）进展顺利。各处室按期推进\f。', '普通段落。'],
    attachment: null,
    issuer: null,
    date: null,
    contact: { unit: null, name: null, phone: null },
    cc: [],
    printed: { by: null, date: null },
  };
  const table = compileTable(document);
  // The writer strips on its own too, whatever model it is handed: Word's zero-width and separator characters as well.
  table.rows[1]!.progress = '甲\u200b乙\u2028丙\uFEFF丁\u000b。';
  const bytes = await renderNoticeDocx({ notice, table });
  const { body, entries } = openDocx(bytes);
  const texts = findAll(body, 'w:t').map((t) => t.text);
  assert.ok(
    // eslint-disable-next-line no-control-regex
    texts.every((text) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u200B-\u200D\u2028\u2029\uFEFF]/.test(text)),
    'no control characters',
  );
  assert.ok(!texts.some((text) => /null|undefined/.test(text)));
  paragraphWith(body, '关于测试的通报');
  const firstRow = childrenNamed(findFirst(body, 'w:tbl')!, 'w:tr')[1]!;
  assert.equal(paragraphText(childrenNamed(firstRow, 'w:tc')[6]!), '第一行第二行完毕。（大气处）');
  assert.equal(paragraphText(childrenNamed(firstRow, 'w:tc')[2]!), seedTable.rows[0]!.task.trim());
  const secondRow = childrenNamed(findFirst(body, 'w:tbl')!, 'w:tr')[2]!;
  assert.equal(paragraphText(childrenNamed(secondRow, 'w:tc')[6]!), '甲乙丙丁。');

  const heading1 = paragraphWith(body, '一、总体情况');
  assertRuns(heading1, '黑体', 32, 'first-level heading');
  const heading2 = paragraphWith(body, '（一）进展顺利。各处室按期推进。');
  const [lead, rest] = runs(heading2);
  assert.equal(textOf(lead!, 'w:t'), '（一）进展顺利。');
  assert.equal(rProp(lead!, 'w:rFonts')?.attrs['w:eastAsia'], '楷体_GB2312');
  assert.equal(rProp(rest!, 'w:rFonts')?.attrs['w:eastAsia'], '仿宋_GB2312', 'the heading font stops at the first full stop');
  assertRuns(paragraphWith(body, '普通段落。'), '仿宋_GB2312', 32, 'plain paragraph');

  assert.equal(sections(body).length, 2, 'no 版记 page without 抄送 or 印发');
  assert.ok(!findAll(body, 'w:pBdr').length, 'no 版头 rule without an office or number');
  // Every XML part still parses.
  for (const path of entries.keys()) if (/\.(xml|rels)$/.test(path)) readXmlPart(entries, path);
});

test('the table alone: one landscape section with the title and the table', async () => {
  const bytes = await renderTableDocx(seedTable);
  const { body } = openDocx(bytes);
  const [section] = sections(body);
  assert.equal(sections(body).length, 1);
  assert.equal(childrenNamed(section!, 'w:pgSz')[0]!.attrs['w:orient'], 'landscape');
  assert.equal(paragraphText(paragraphs(body)[0]!), seedTable.title);
  const layout = progressTableLayoutOf(bytes, seedTable, false);
  assert.ok(findAll(body, 'w:tbl').length > 1, 'one table per page');
  const rows = new Set(layout.pages.flatMap((page) => page.rows.map((row) => row.row)));
  assert.equal(rows.size, 111, 'every task on a page');
  assert.ok(!paragraphs(body).some((p) => paragraphText(p) === '附件'));
});

test('signature and contact lines follow GB/T 9704 7.3.5', () => {
  // The date starts two characters right of the issuer's first character…
  // (left indents in twips; the 版心 is 8845 twips, a body character 315: the issuer ends two characters from the right)
  const long = signatureIndents('四川省环境保护厅办公室', '2017年7月31日');
  assert.equal(long.issuerLeft, 8845 - 2 * 315 - 11 * 315);
  assert.equal(long.dateLeft, long.issuerLeft + 630);
  // …unless the date is the longer: then the date ends two characters from the right and the issuer moves left.
  const short = signatureIndents('某某厅', '2017年12月31日');
  assert.equal(short.dateLeft, 8845 - 2 * 315 - 7 * 315);
  assert.equal(short.issuerLeft, short.dateLeft - 630);
  assert.equal(contactLine({ unit: null, name: '张三', phone: null }), '（联系人：张三）');
  assert.equal(contactLine({ unit: null, name: null, phone: null }), null);
  assert.equal(chineseDate('2017-07-31'), '2017年7月31日');
  assert.equal(chineseDate('2018-12-01'), '2018年12月1日');
});

test('a notice whose date is not a date is refused with a message naming the field', async () => {
  const notice = { ...seedNotice, date: '2017-13-01' };
  await assert.rejects(renderNoticeDocx({ notice, table: seedTable }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'document_date');
    assert.match(error.message, /^通报日期“2017-13-01”不是有效日期/);
    return true;
  });
});

/** The shape tests rely on: a table of one chapter with a one-row section keeps plain cells. */
test('a section of one task is a plain cell, not a merge', async () => {
  const table: CompiledTable = { ...seedTable, rows: seedTable.rows.slice(0, 1).map((row) => ({ ...row, chapterSpan: 1, sectionSpan: 1 })) };
  const { body } = openDocx(await renderTableDocx(table));
  const [, row] = childrenNamed(findFirst(body, 'w:tbl')!, 'w:tr');
  assert.equal(findAll(row!, 'w:vMerge').length, 0);
});
