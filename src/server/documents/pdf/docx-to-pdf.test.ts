import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileTable, type CompiledTable } from '../../../domain/compiled-table.ts';
import { readPlanDocument } from '../read-plan-document.ts';
import { renderNoticeDocx, renderTableDocx } from '../writers/notice-docx.ts';
import { progressTableLayout } from '../writers/docx/progress-table.ts';
import { convertDocxToPdf, findSoffice } from './docx-to-pdf.ts';
import { FONT_STAND_INS, fontconfigXml } from './fontconfig.ts';
import { wordsOf } from '../../../domain/organisation-profile.ts';
import { DEMO_PROFILE } from '../../services/demo-accounts.ts';

/**
 * Real LibreOffice, real fonts, real poppler tools (scripts/test-deps.sh installs them, in CI too).
 * The pages rendered to PNG go to test-artifacts/documents/, which CI keeps, to be looked at.
 */

const root = new URL('../../../../', import.meta.url);
const artifacts = fileURLToPath(new URL('test-artifacts/documents/', root));
mkdirSync(artifacts, { recursive: true });
const seed = readPlanDocument(readFileSync(fileURLToPath(new URL('fixtures/seed/sichuan-2017-q2-notice.txt', root))), 'seed.txt').document;
// In the demo profile's words (牵头厅领导, 责任部门), as the demo exports the seed's round.
const seedTable = compileTable(seed, { words: wordsOf(DEMO_PROFILE) });

const scratch = mkdtempSync(path.join(tmpdir(), 'diaodu-pdf-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const soffice = findSoffice();
assert.ok(soffice, 'LibreOffice (soffice) must be installed for these tests: sudo bash scripts/test-deps.sh');

const tool = (program: string, ...args: string[]) => execFileSync(program, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** Writes the PDF to a file for the poppler tools (and the artifacts folder). */
function savePdf(name: string, pdf: Uint8Array): string {
  const file = path.join(artifacts, name);
  writeFileSync(file, pdf);
  return file;
}

interface PageInfo {
  width: number;
  height: number;
}

function pages(file: string): PageInfo[] {
  const count = Number(/^Pages:\s+(\d+)/m.exec(tool('pdfinfo', file))![1]);
  const sizes = tool('pdfinfo', '-f', '1', '-l', String(count), file);
  return [...sizes.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((match) => ({ width: Number(match[1]), height: Number(match[2]) }));
}

/** A4 in points: 595.3 × 841.9. */
const isA4Portrait = (page: PageInfo) => Math.abs(page.width - 595.3) < 1 && Math.abs(page.height - 841.9) < 1;
const isA4Landscape = (page: PageInfo) => Math.abs(page.width - 841.9) < 1 && Math.abs(page.height - 595.3) < 1;

const pageText = (file: string, page: number) => tool('pdftotext', '-f', String(page), '-l', String(page), '-layout', file, '-');
/** Text without any whitespace: pdftotext puts spaces and line breaks where the layout wraps. */
const squeezed = (text: string) => text.replace(/\s+/g, '');

function renderPng(file: string, page: number, name: string): string {
  const prefix = path.join(artifacts, name);
  tool('pdftoppm', '-r', '80', '-png', '-f', String(page), '-l', String(page), '-singlefile', file, prefix);
  return `${prefix}.png`;
}

const noLeftovers = (folder: string) => assert.deepEqual(readdirSync(folder), [], `the temporary folder under ${folder} is removed`);

/** Process command lines that mention `text` (a LibreOffice left running would). */
const processesMentioning = (text: string) =>
  tool('ps', '-eo', 'args')
    .split('\n')
    .filter((line) => line.includes(text));

test('the seed notice as PDF: A4 portrait notice, landscape table pages with the header repeated, the stand-in CJK fonts embedded', async () => {
  const docx = await renderNoticeDocx({ notice: seed.notice!, table: seedTable });
  writeFileSync(path.join(artifacts, 'seed-notice.docx'), docx);
  const tempRoot = mkdtempSync(path.join(scratch, 'notice-'));
  const pdf = await convertDocxToPdf(docx, { tempRoot });
  noLeftovers(tempRoot);
  assert.equal(Buffer.from(pdf.subarray(0, 5)).toString('latin1'), '%PDF-');
  const file = savePdf('seed-notice.pdf', pdf);

  const info = pages(file);
  assert.ok(info.length > 2, `${info.length} pages`);
  assert.ok(isA4Portrait(info[0]!), `page 1 is A4 portrait: ${JSON.stringify(info[0])}`);
  const firstTable = info.findIndex(isA4Landscape);
  assert.ok(firstTable > 0, 'a landscape page follows the notice');
  assert.ok(info.slice(firstTable + 1).some(isA4Landscape), 'the table runs over more than one landscape page');
  assert.ok(isA4Portrait(info.at(-1)!), '版记 is on a portrait page at the end');

  // Fonts: every font embedded; the official names came out as their stand-ins.
  const fonts = tool('pdffonts', file)
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '');
  assert.ok(fonts.length > 0);
  for (const line of fonts) assert.match(line, /\syes\s+yes\s+yes\s+\d+\s+\d+\s*$/, `embedded, subset, with a Unicode map: ${line}`);
  const names = fonts.map((line) => line.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''));
  assert.ok(
    names.some((name) => /^NotoSerifCJK.*-Regular/.test(name)),
    `Noto Serif CJK for 仿宋_GB2312 / 宋体: ${names.join(', ')}`,
  );
  assert.ok(
    names.some((name) => /^NotoSerifCJK.*-Bold/.test(name)),
    `Noto Serif CJK Bold for 方正小标宋简体: ${names.join(', ')}`,
  );
  assert.ok(
    names.some((name) => /^NotoSansCJK/.test(name)),
    `Noto Sans CJK for 黑体: ${names.join(', ')}`,
  );
  assert.ok(
    names.some((name) => /^GBZenKai/.test(name)),
    `AR PL KaitiM GB for 楷体_GB2312: ${names.join(', ')}`,
  );
  assert.ok(!names.some((name) => /DejaVu/.test(name)), `no fallback to DejaVu: ${names.join(', ')}`);

  // Text: the office mark, the number, the title, page numbers `— N —`, the table's header on every table page.
  const first = pageText(file, 1);
  assert.ok(squeezed(first).includes('四川省环境保护厅办公室文件'));
  assert.ok(squeezed(first).includes('川环办发〔2017〕102号'));
  const allText = tool('pdftotext', '-layout', file, '-');
  assert.ok(squeezed(allText).includes(squeezed(seed.notice!.title!)), 'the title');
  assert.match(first, /—\s*1\s*—/, 'page number — 1 —');
  assert.match(pageText(file, 2), /—\s*2\s*—/, 'page number — 2 —');
  for (let page = firstTable; page < info.length && isA4Landscape(info[page]!); page++) {
    const text = squeezed(pageText(file, page + 1));
    // Headings of one line only: pdftotext interleaves the lines of the two-line ones (省级牵头部门) with their neighbours.
    for (const heading of ['具体工作任务', '责任部门', '推进情况']) assert.ok(text.includes(heading), `page ${page + 1} repeats the header (${heading})`);
  }
  assert.ok(squeezed(pageText(file, firstTable + 1)).includes(squeezed(seedTable.title)), 'the table title on the first table page');
  assert.ok(squeezed(pageText(file, info.length)).includes('抄送'), '版记 on the last page');

  // Pictures to look at: page 1, the first two table pages.
  for (const [page, name] of [
    [1, 'seed-notice-page-1'],
    [firstTable + 1, 'seed-notice-table-page-1'],
    [firstTable + 2, 'seed-notice-table-page-2'],
  ] as const) {
    const png = readFileSync(renderPng(file, page, name));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  }
});

test('the table alone as PDF: every page landscape with the header', async () => {
  const pdf = await convertDocxToPdf(await renderTableDocx(seedTable));
  const file = savePdf('seed-table.pdf', pdf);
  const info = pages(file);
  assert.ok(info.length > 1);
  assert.ok(info.every(isA4Landscape), 'all landscape');
  assert.ok(squeezed(pageText(file, 1)).includes(squeezed(seedTable.title)));
  for (let page = 1; page <= info.length; page++) assert.ok(squeezed(pageText(file, page)).includes('具体工作任务'), `page ${page} has the header`);
  renderPng(file, 1, 'seed-table-page-1');
});

/** A small table (the first few tasks), for the tests about the queue and the errors. */
const smallTable = (rows: number): CompiledTable => ({
  ...seedTable,
  rows: seedTable.rows.slice(0, rows).map((row, index) => ({ ...row, chapterSpan: index === 0 ? rows : 0, sectionSpan: index === 0 ? rows : 0 })),
});

test('two conversions started together both succeed, one after the other', async () => {
  const tempRoot = mkdtempSync(path.join(scratch, 'queue-'));
  const docx = await renderTableDocx(smallTable(1));
  // Watch the temporary folders: with one conversion at a time there is never more than one.
  let most = 0;
  const watch = setInterval(() => {
    most = Math.max(most, readdirSync(tempRoot).length);
  }, 20);
  try {
    const [a, b] = await Promise.all([convertDocxToPdf(docx, { tempRoot }), convertDocxToPdf(docx, { tempRoot })]);
    for (const pdf of [a, b]) assert.equal(Buffer.from(pdf.subarray(0, 5)).toString('latin1'), '%PDF-');
    const file = savePdf('small-table.pdf', b);
    assert.equal(pages(file).length, 1);
  } finally {
    clearInterval(watch);
  }
  assert.equal(most, 1, 'one conversion folder at a time');
  noLeftovers(tempRoot);
});

test('版记 on an even last page: the blank page LibreOffice inserts before it is kept in the PDF, without a number', async () => {
  const blanks: boolean[] = [];
  // A table of one page (版记 follows on the next, even page) and the shortest of two (a blank page between).
  const pagesOf = (rows: number) => progressTableLayout(smallTable(rows), { afterLabel: true, draft: false }).pages.length;
  const twoPages = seedTable.rows.findIndex((_, index) => pagesOf(index + 1) === 2) + 1;
  assert.ok(twoPages > 1, 'the seed has rows enough for two table pages');
  for (const rows of [1, twoPages]) {
    const pdf = await convertDocxToPdf(await renderNoticeDocx({ notice: seed.notice!, table: smallTable(rows) }));
    const file = savePdf(`notice-${rows}-rows.pdf`, pdf);
    const info = pages(file);
    assert.equal(info.length % 2, 0, `${rows} rows: the last page (${info.length}) is even`);
    assert.ok(squeezed(pageText(file, info.length)).includes('抄送'), `${rows} rows: 版记 on the last page`);
    assert.doesNotMatch(pageText(file, info.length), /—\s*\d+\s*—/, `${rows} rows: no page number on the 版记 page`);
    const before = info.length - 1;
    const blank = isA4Portrait(info[before - 1]!) && squeezed(pageText(file, before)) === '';
    blanks.push(blank);
  }
  // One table ends on an odd page (版记 follows), the other on an even one (a blank page between).
  assert.deepEqual(blanks.sort(), [false, true]);
});

test('a conversion that runs past its timeout is killed: pdf_timeout, no LibreOffice left, the folder removed', async () => {
  const tempRoot = mkdtempSync(path.join(scratch, 'timeout-'));
  const docx = await renderTableDocx(smallTable(1));
  await assert.rejects(convertDocxToPdf(docx, { tempRoot, timeoutMs: 200 }), (error: Error & { code?: string; kind?: string }) => {
    assert.equal(error.code, 'pdf_timeout');
    assert.equal(error.kind, 'unavailable');
    assert.match(error.message, /^PDF 转换超过 0.2 秒仍未完成/);
    return true;
  });
  noLeftovers(tempRoot);
  assert.deepEqual(processesMentioning(tempRoot), [], 'the process group was killed');
  // The queue goes on after a failure.
  const pdf = await convertDocxToPdf(docx, { tempRoot });
  assert.ok(pdf.length > 1000);
});

test('LibreOffice missing: pdf_unavailable, naming the program; findSoffice looks on the search path', async () => {
  await assert.rejects(convertDocxToPdf(new Uint8Array([1]), { soffice: '/nonexistent/soffice' }), (error: Error & { code?: string; kind?: string }) => {
    assert.equal(error.code, 'pdf_unavailable');
    assert.equal(error.kind, 'unavailable');
    assert.match(error.message, /找不到 LibreOffice 程序 \/nonexistent\/soffice/);
    return true;
  });
  assert.equal(findSoffice(''), null);
  assert.equal(findSoffice(path.join(scratch, 'nowhere')), null);
  const bin = mkdtempSync(path.join(scratch, 'bin-'));
  const launcher = path.join(bin, 'libreoffice');
  writeFileSync(launcher, '#!/bin/sh\nexit 0\n');
  assert.equal(findSoffice(bin), null, 'not executable yet');
  chmodSync(launcher, 0o755);
  assert.equal(findSoffice([path.join(scratch, 'nowhere'), bin].join(path.delimiter)), launcher);
});

test('LibreOffice runs with glibc keeping its large blocks (2.5–3 times less CPU a conversion); an operator’s own GLIBC_TUNABLES still wins', async () => {
  // A stand-in soffice that writes, as its "PDF", the allocator settings it was given.
  const bin = mkdtempSync(path.join(scratch, 'tunables-'));
  const standIn = path.join(bin, 'soffice');
  writeFileSync(standIn, '#!/bin/sh\nwhile [ "$1" != --outdir ]; do shift; done\nprintf \'%%PDF-%s\' "$GLIBC_TUNABLES" > "$2/document.pdf"\n');
  chmodSync(standIn, 0o755);
  const tunablesGiven = async () =>
    Buffer.from(await convertDocxToPdf(new Uint8Array([1]), { soffice: standIn, tempRoot: scratch }))
      .toString()
      .slice('%PDF-'.length);
  const saved = process.env.GLIBC_TUNABLES;
  try {
    delete process.env.GLIBC_TUNABLES;
    assert.equal(await tunablesGiven(), 'glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824');
    process.env.GLIBC_TUNABLES = 'glibc.malloc.trim_threshold=0';
    assert.equal(await tunablesGiven(), 'glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824:glibc.malloc.trim_threshold=0');
  } finally {
    if (saved === undefined) delete process.env.GLIBC_TUNABLES;
    else process.env.GLIBC_TUNABLES = saved;
  }
});

test('the profile a clean conversion leaves is written into the next one’s fresh folder; a conversion that fails on it drops it', async () => {
  // A stand-in soffice: says in its "PDF" whether its profile came set up, then sets it up as
  // LibreOffice would; it fails while a file named `fail` lies beside it.
  const bin = mkdtempSync(path.join(scratch, 'profile-'));
  const standIn = path.join(bin, 'soffice');
  writeFileSync(
    standIn,
    [
      '#!/bin/sh',
      'profile=$(printf %s "$1" | sed "s|^-env:UserInstallation=file://||")',
      'if [ -f "$profile/user/registrymodifications.xcu" ]; then seen=kept; else seen=empty; fi',
      'mkdir -p "$profile/user/config" && echo "<items/>" > "$profile/user/registrymodifications.xcu" && : > "$profile/.lock"',
      '[ -e "$(dirname "$0")/fail" ] && exit 1',
      'while [ "$1" != --outdir ]; do shift; done',
      'printf "%%PDF-%s" "$seen" > "$2/document.pdf"',
      '',
    ].join('\n'),
  );
  chmodSync(standIn, 0o755);
  const tempRoot = mkdtempSync(path.join(scratch, 'profile-runs-'));
  const profileSeen = async () =>
    Buffer.from(await convertDocxToPdf(new Uint8Array([1]), { soffice: standIn, tempRoot }))
      .toString()
      .slice('%PDF-'.length);
  assert.equal(await profileSeen(), 'empty', 'the first conversion sets its profile up');
  assert.equal(await profileSeen(), 'kept', 'the next starts on the profile the first left');
  assert.equal(await profileSeen(), 'kept');
  writeFileSync(path.join(bin, 'fail'), '');
  await assert.rejects(profileSeen(), /LibreOffice 未能生成 PDF/);
  rmSync(path.join(bin, 'fail'));
  assert.equal(await profileSeen(), 'empty', 'a failure on the kept profile dropped it');
  assert.equal(await profileSeen(), 'kept');
  noLeftovers(tempRoot);
});

test('a damaged Word file: pdf_failed with what LibreOffice said, the folder removed', async () => {
  const tempRoot = mkdtempSync(path.join(scratch, 'failed-'));
  const damaged = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0xde, 0xad]);
  await assert.rejects(convertDocxToPdf(damaged, { tempRoot }), (error: Error & { code?: string; details?: { output?: string } }) => {
    assert.equal(error.code, 'pdf_failed');
    assert.match(error.message, /^LibreOffice 未能生成 PDF/);
    assert.match(error.details?.output ?? '', /could not be loaded/);
    return true;
  });
  noLeftovers(tempRoot);
});

test('the fontconfig file includes the system configuration and maps every official name to its stand-in', () => {
  const xml = fontconfigXml('/etc/fonts/fonts.conf');
  assert.match(xml, /<include ignore_missing="yes">\/etc\/fonts\/fonts.conf<\/include>/);
  const file = path.join(scratch, 'fonts.conf');
  writeFileSync(file, xml);
  // fontconfig itself resolves each name to the stand-in's family.
  for (const standIn of FONT_STAND_INS)
    for (const name of standIn.names) {
      // In a fontconfig pattern `-` starts the size: escape it (LibreOffice passes the family as it is).
      const match = execFileSync('fc-match', ['--format=%{family[0]}|%{weight}', name.replace(/-/g, '\\-')], {
        encoding: 'utf8',
        env: { ...process.env, FONTCONFIG_FILE: file },
      });
      const [family, weight] = match.split('|');
      assert.equal(family, standIn.family, `${name} → ${standIn.family}`);
      if (standIn.bold) assert.ok(Number(weight) >= 200, `${name} is bold (weight ${weight})`);
    }
});
