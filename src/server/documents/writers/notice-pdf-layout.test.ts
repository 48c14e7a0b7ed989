import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  docxToPdf,
  horizontalRules,
  mmToPt,
  pdfPagePng,
  readPdfInfo,
  readPdfLayout,
  renderSeedNotice,
  seedNoticeInput,
  type PdfLayout,
  type PdfLine,
  type PdfPage,
} from '../../../../tests/support/pdf-layout.ts';
import { oneLine } from './docx/gb-t-9704.ts';
import { renderNoticeDocx } from './notice-docx.ts';

/**
 * The seed round's notice through the real LibreOffice, measured in its PDF (poppler's
 * `pdftotext -bbox-layout` and a raster of the page for the rules): the GB/T 9704-2012 layout
 * of decision 022. Pages are kept in test-artifacts/documents/ to be looked at.
 */

const artifacts = fileURLToPath(new URL('../../../../test-artifacts/documents/', import.meta.url));
mkdirSync(artifacts, { recursive: true });

const { notice, table } = seedNoticeInput();
const title = oneLine(notice.title!);

/** GB/T 9704 in points: A4, 版心 156 × 225 mm, margins top 37, left 28, right 26, bottom 35. */
const TEXT_LEFT = mmToPt(28);
const TEXT_WIDTH = mmToPt(156);
const TEXT_BOTTOM = mmToPt(297 - 35);
/** One body character (3号 drawn 0.25 pt closer) and one 4号 character. */
const BODY_CHARACTER = 15.75;
const SI_HAO = 14;

let pdf: Uint8Array;
let layout: PdfLayout;
let draftLayout: PdfLayout;
let draftPdf: Uint8Array;

// In a describe: a top-level before() would run ahead of batch-mates' tests too, so the runner would
// keep the file in a process of its own (scripts/run-tests.mjs).
describe('the seed notice as PDF, measured against GB/T 9704', () => {
  before(async () => {
    ({ pdf } = await renderSeedNotice());
    writeFileSync(`${artifacts}notice-layout.pdf`, pdf);
    layout = await readPdfLayout(pdf);
    ({ pdf: draftPdf } = await renderSeedNotice({ draft: true }));
    draftLayout = await readPdfLayout(draftPdf);
  });

  const squeeze = (text: string) => text.replace(/\s+/g, '');
  const isPortrait = (page: PdfPage) => page.height > page.width;
  const isLandscape = (page: PdfPage) => page.width > page.height;
  const pageNumberLine = (page: PdfPage): PdfLine | undefined => page.lines.find((line) => /^—\d+—$/.test(squeeze(line.text)));

  /** The lines of `page` that, read in order from `start`, spell `text` exactly. */
  function linesSpelling(page: PdfPage, text: string): PdfLine[] {
    const target = squeeze(text);
    const lines = [...page.lines].sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin);
    for (let start = 0; start < lines.length; start += 1) {
      let read = '';
      for (let end = start; end < lines.length; end += 1) {
        read += squeeze(lines[end]!.text);
        if (read === target) return lines.slice(start, end + 1);
        if (!target.startsWith(read)) break;
      }
    }
    assert.fail(`page ${page.number} spells “${text}” in consecutive lines`);
  }

  /** Offsets in `text` where Intl.Segmenter puts a word boundary. */
  function wordBoundaries(text: string): Set<number> {
    const boundaries = new Set([0, text.length]);
    for (const segment of new Intl.Segmenter('zh', { granularity: 'word' }).segment(text)) boundaries.add(segment.index);
    return boundaries;
  }

  /** Every title line ends where a word ends, and no line begins with closing punctuation. */
  function assertBrokenBetweenWords(lines: PdfLine[], text: string, what: string) {
    const target = squeeze(text);
    const boundaries = wordBoundaries(target);
    let offset = 0;
    for (const line of lines.slice(0, -1)) {
      offset += squeeze(line.text).length;
      assert.ok(boundaries.has(offset), `${what}: the line “${squeeze(line.text)}” ends inside a word (“${target.slice(offset - 2, offset + 2)}”)`);
      assert.ok(
        !/^[》〉）」』、，。：；！？]/.test(target.slice(offset)),
        `${what}: a line begins with closing punctuation at “${target.slice(offset, offset + 3)}”`,
      );
    }
  }

  test('the title: 4 lines of 2号 on page 1, one grid line (28.95 pt) apart, broken between words, body text below', async () => {
    const page = layout.pages[0]!;
    const lines = linesSpelling(page, title);
    assert.equal(lines.length, 4, `4 title lines: ${lines.map((line) => squeeze(line.text)).join(' | ')}`);
    for (const line of lines) assert.ok(line.yMax - line.yMin > 24, `2号 glyphs (${(line.yMax - line.yMin).toFixed(1)} pt high)`);
    for (let index = 1; index < lines.length; index += 1)
      assert.ok(
        Math.abs(lines[index]!.yMin - lines[index - 1]!.yMin - 28.95) < 1,
        `title lines one grid line apart, not two: ${lines[index]!.yMin - lines[index - 1]!.yMin}`,
      );
    assertBrokenBetweenWords(lines, title, 'notice title');
    // Centred, and shaped as a trapezoid or diamond: line lengths rise, then fall (never fall and rise again).
    const widths = lines.map((line) => line.xMax - line.xMin);
    for (const line of lines) assert.ok(Math.abs((line.xMin + line.xMax) / 2 - (TEXT_LEFT + TEXT_WIDTH / 2)) < 3, 'centred on the 版心');
    const falls = widths.findIndex((width, index) => index > 0 && width < widths[index - 1]! - 22);
    if (falls !== -1)
      for (let index = falls + 1; index < widths.length; index += 1)
        assert.ok(widths[index]! <= widths[index - 1]! + 22, `no 沙漏 shape: ${widths.map(Math.round)}`);
    const last = lines.at(-1)!;
    const body = page.lines.filter((line) => line.yMin > last.yMax && line.xMin < TEXT_LEFT + TEXT_WIDTH && !/^—\d+—$/.test(squeeze(line.text)));
    assert.ok(body.length >= 4, `body text under the title on page 1 (${body.length} lines)`);
    await pdfPagePng(pdf, 1, `${artifacts}notice-layout-page-1.png`);
  });

  test('the attachment title: broken between words on the first landscape page', () => {
    const page = layout.pages.find(isLandscape)!;
    const lines = linesSpelling(page, table.title);
    assert.ok(lines.length <= 2, `${lines.length} lines`);
    assertBrokenBetweenWords(lines, table.title, 'table title');
  });

  test('署名 and date: the date starts two characters right of the issuer (7.3.5.2)', () => {
    const page = layout.pages.find((candidate) => candidate.lines.some((line) => squeeze(line.text) === '2017年7月31日'))!;
    assert.ok(page, 'a page with the date');
    const issuer = page.lines.find((line) => squeeze(line.text) === squeeze(notice.issuer!))!;
    const date = page.lines.find((line) => squeeze(line.text) === '2017年7月31日')!;
    assert.ok(issuer, 'the issuer on the date’s page');
    const shift = (date.xMin - issuer.xMin) / BODY_CHARACTER;
    assert.ok(Math.abs(shift - 2) <= 0.3, `the date starts ${shift.toFixed(2)} characters right of the issuer, not 2`);
    assert.ok(date.yMin > issuer.yMax - 1, 'the date under the issuer');
    // The issuer ends two characters from the right edge of the 版心.
    assert.ok(
      Math.abs(TEXT_LEFT + TEXT_WIDTH - issuer.xMax - 2 * BODY_CHARACTER) < 4,
      `issuer two characters from the right (${(TEXT_LEFT + TEXT_WIDTH - issuer.xMax).toFixed(1)} pt)`,
    );
  });

  test('版记: in the lower part of an even last page, its rules as wide as the 版心, the text one character in; no page number there or on a blank page before it', async () => {
    const last = layout.pages.at(-1)!;
    assert.equal(last.number % 2, 0, `the last page (${last.number}) is even`);
    assert.ok(isPortrait(last), 'a portrait page');
    const cc = last.lines.find((line) => squeeze(line.text).startsWith('抄送：'))!;
    const printed = last.lines.find((line) => squeeze(line.text).endsWith('印发'))!;
    assert.ok(cc && printed, '抄送 and 印发 on the last page');
    assert.ok(cc.yMin > last.height / 2 && printed.yMin > last.height / 2, 'in the lower half');
    assert.equal(pageNumberLine(last), undefined, 'no page number on the 版记 page');
    const rules = (await horizontalRules(pdf, last.number)).sort((a, b) => a.yMin - b.yMin);
    assert.equal(rules.length, 3, `three rules: ${JSON.stringify(rules)}`);
    for (const rule of rules) {
      assert.ok(Math.abs(rule.xMin - TEXT_LEFT) < 2, `a rule starts at the 版心's left edge (${rule.xMin.toFixed(1)} pt, not ${TEXT_LEFT.toFixed(1)})`);
      assert.ok(
        Math.abs(rule.xMax - rule.xMin - TEXT_WIDTH) < 3,
        `a rule as wide as the 版心 (${(rule.xMax - rule.xMin).toFixed(1)} pt, not ${TEXT_WIDTH.toFixed(1)})`,
      );
    }
    const [top, middle, bottom] = rules;
    assert.ok(top!.thicknessPt > middle!.thicknessPt && bottom!.thicknessPt > middle!.thicknessPt, 'thick, thin, thick');
    assert.ok(
      top!.yMax <= cc.yMin && middle!.yMin >= cc.yMax - 1 && middle!.yMax <= printed.yMin + 1 && bottom!.yMin >= printed.yMax - 1,
      'the rules above, between and under the lines',
    );
    assert.ok(Math.abs(bottom!.yMax - TEXT_BOTTOM) < 4, `the last rule on the 版心's foot (${bottom!.yMax.toFixed(1)} pt, not ${TEXT_BOTTOM.toFixed(1)})`);
    const by = last.lines.find((line) => squeeze(line.text).startsWith(squeeze(notice.printed.by!)))!;
    for (const line of [cc, by]) assert.ok(Math.abs(line.xMin - TEXT_LEFT - SI_HAO) < 2, `text one character in (${(line.xMin - TEXT_LEFT).toFixed(1)} pt)`);
    assert.ok(Math.abs(TEXT_LEFT + TEXT_WIDTH - SI_HAO - printed.xMax) < 2, '…印发 one character in from the right');
    // The page before is the table's last page, or a blank page (no page number, nothing at all).
    const before = layout.pages.at(-2)!;
    if (isPortrait(before)) assert.deepEqual(before.words, [], 'the page before the 版记 is blank');
    else assert.ok(pageNumberLine(before), 'the table’s last page is numbered');
    await pdfPagePng(pdf, last.number, `${artifacts}notice-layout-last-page.png`);
  });

  test('page numbers: portrait notice pages at the foot outside the 版心; landscape pages in the left margin band at the portrait positions, outside the table', async () => {
    for (const page of layout.pages.filter(isPortrait).slice(0, 2)) {
      const number = pageNumberLine(page)!;
      assert.ok(number, `page ${page.number} numbered`);
      assert.equal(squeeze(number.text), `—${page.number}—`);
      assert.ok(number.yMin > TEXT_BOTTOM, 'under the 版心');
    }
    const landscape = layout.pages.filter(isLandscape);
    assert.ok(landscape.length > 2);
    for (const page of landscape) {
      const number = pageNumberLine(page)!;
      assert.ok(number, `landscape page ${page.number} numbered`);
      assert.equal(squeeze(number.text), `—${page.number}—`, `page ${page.number}: its own number`);
      // Turned: the text runs down the page, so its box is taller than wide.
      assert.ok(number.yMax - number.yMin > number.xMax - number.xMin, `page ${page.number}: the number reads top to bottom`);
      // Outside the 版心 (35 mm from the left edge) and everything else on the page, its middle 7 mm outside it.
      const others = page.words.filter((word) => !number.words.includes(word));
      const tableLeft = Math.min(...others.map((word) => word.xMin));
      assert.ok(number.xMax < mmToPt(35) && number.xMax < tableLeft, `page ${page.number}: left of the 版心 and of the table`);
      assert.ok(
        Math.abs((number.xMin + number.xMax) / 2 - mmToPt(28)) < mmToPt(2),
        `page ${page.number}: 7 mm outside the 版心 (${(((number.xMin + number.xMax) / 2 / 72) * 25.4).toFixed(1)} mm from the left edge)`,
      );
      if (page.number % 2 === 1)
        assert.ok(
          Math.abs(number.yMax - (mmToPt(210 - 26) - SI_HAO)) < 4,
          `odd page ${page.number}: near the foot, one character in from the 版心 (${number.yMax.toFixed(1)} pt)`,
        );
      else
        assert.ok(
          Math.abs(number.yMin - (mmToPt(28) + SI_HAO)) < 4,
          `even page ${page.number}: near the top, one character in from the 版心 (${number.yMin.toFixed(1)} pt)`,
        );
    }
    await pdfPagePng(pdf, landscape[0]!.number, `${artifacts}notice-layout-landscape-odd.png`);
    await pdfPagePng(pdf, landscape[1]!.number, `${artifacts}notice-layout-landscape-even.png`);
  });

  test('the PDF’s document properties carry the notice title', async () => {
    const info = await readPdfInfo(pdf);
    assert.equal(info.get('Title'), title);
  });

  test('draft: （征求意见稿） under the notice title and the table title; the issued notice has no such line', async () => {
    const mark = '（征求意见稿）';
    const page = draftLayout.pages[0]!;
    const titleLines = linesSpelling(page, title);
    const under = page.lines.find((line) => squeeze(line.text) === mark);
    assert.ok(under, 'the mark on page 1');
    assert.ok(under.yMin > titleLines.at(-1)!.yMax - 1 && under.yMin - titleLines.at(-1)!.yMax < 30, 'right under the title');
    assert.ok(Math.abs((under.xMin + under.xMax) / 2 - (TEXT_LEFT + TEXT_WIDTH / 2)) < 3, 'centred');
    const tablePage = draftLayout.pages.find(isLandscape)!;
    assert.ok(
      tablePage.lines.some((line) => squeeze(line.text) === mark),
      'under the table title too',
    );
    for (const issued of layout.pages)
      assert.ok(!issued.lines.some((line) => squeeze(line.text) === mark), `no mark on page ${issued.number} of the issued notice`);
    await pdfPagePng(draftPdf, 1, `${artifacts}notice-layout-draft-page-1.png`);
  });

  test('a long 抄送 list wraps under its first name, and the 版记 still ends on the 版心’s foot of an even page', async () => {
    const cc = [
      '省委深改办',
      '省发展改革委',
      '省经济和信息化委',
      '省财政厅',
      '省国土资源厅',
      '省住房城乡建设厅',
      '省交通运输厅',
      '省水利厅',
      '省农业厅',
      '省林业厅',
      '省卫生计生委',
      '省统计局',
      '省安全监管局',
      '省旅游发展委',
      '省政府法制办',
      '成都市环境保护局',
    ];
    const oneRow = { ...table, rows: table.rows.slice(0, 1).map((row) => ({ ...row, chapterSpan: 1, sectionSpan: 1 })) };
    const long = await docxToPdf(await renderNoticeDocx({ notice: { ...notice, cc }, table: oneRow }));
    const last = (await readPdfLayout(long)).pages.at(-1)!;
    assert.equal(last.number % 2, 0);
    const first = last.lines.find((line) => squeeze(line.text).startsWith('抄送：'))!;
    const continued = last.lines.filter((line) => line.yMin > first.yMax && !/印发$|^四川省环境保护厅办公室$/.test(squeeze(line.text)));
    assert.ok(continued.length >= 3, `the list wraps (${continued.length} more lines)`);
    for (const line of continued) assert.ok(Math.abs(line.xMin - (first.xMin + 3 * SI_HAO)) < 2, `“${squeeze(line.text)}” under the first name`);
    const rules = (await horizontalRules(long, last.number)).sort((a, b) => a.yMin - b.yMin);
    assert.equal(rules.length, 3);
    assert.ok(Math.abs(rules[2]!.yMax - TEXT_BOTTOM) < 4, `the last rule on the 版心's foot (${rules[2]!.yMax.toFixed(1)} pt)`);
    assert.ok(
      continued.every((line) => line.yMax < rules[1]!.yMin + 1),
      'the whole list above the middle rule',
    );
  });
});
