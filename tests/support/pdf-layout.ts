import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { compileTable, type CompiledTable } from '../../src/domain/compiled-table.ts';
import { wordsOf } from '../../src/domain/organisation-profile.ts';
import { DEMO_PROFILE } from '../../src/server/services/demo-accounts.ts';
import { convertDocxToPdf } from '../../src/server/documents/pdf/docx-to-pdf.ts';
import { renderNoticeDocx } from '../../src/server/documents/writers/notice-docx.ts';
import { readSeedDocument } from './seeded-plan.ts';

/**
 * A PDF's layout as poppler reads it, for tests that assert where things stand on the page
 * (real LibreOffice, real poppler; no mocks). All figures in PDF points, origin at the top left
 * of the page, y growing downwards (as `pdftotext -bbox-layout` gives them).
 */

const run = promisify(execFile);

export interface PdfBox {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface PdfWord extends PdfBox {
  text: string;
}

export interface PdfLine extends PdfBox {
  /** The line's words joined without spaces (Chinese has none; pdftotext splits words at gaps). */
  text: string;
  words: PdfWord[];
}

export interface PdfPage {
  /** 1-based. */
  number: number;
  width: number;
  height: number;
  words: PdfWord[];
  lines: PdfLine[];
}

export interface PdfLayout {
  pages: PdfPage[];
}

/** Millimetres to PDF points. */
export const mmToPt = (millimetres: number) => (millimetres * 72) / 25.4;

/** A .docx converted by the application's own LibreOffice conversion. */
export function docxToPdf(docx: Uint8Array): Promise<Uint8Array> {
  return convertDocxToPdf(docx);
}

async function withTempFolder<T>(work: (folder: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(path.join(tmpdir(), 'diaodu-pdf-layout-'));
  try {
    return await work(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const box = (element: Element): PdfBox => ({
  xMin: Number(element.getAttribute('xMin')),
  yMin: Number(element.getAttribute('yMin')),
  xMax: Number(element.getAttribute('xMax')),
  yMax: Number(element.getAttribute('yMax')),
});

const elements = (parent: Element, name: string): Element[] => Array.from(parent.getElementsByTagName(name));

/** Every page with its words and lines, from `pdftotext -bbox-layout`. */
export async function readPdfLayout(pdf: Uint8Array): Promise<PdfLayout> {
  return withTempFolder(async (folder) => {
    const file = path.join(folder, 'in.pdf');
    await writeFile(file, pdf);
    const { stdout } = await run('pdftotext', ['-bbox-layout', file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const xml = new DOMParser().parseFromString(stdout, 'text/xml');
    const pages = elements(xml.documentElement!, 'page').map((page, index): PdfPage => {
      const lines = elements(page, 'line').map((line): PdfLine => {
        const words = elements(line, 'word').map((word) => ({ text: word.textContent ?? '', ...box(word) }));
        return { text: words.map((word) => word.text).join(''), words, ...box(line) };
      });
      return {
        number: index + 1,
        width: Number(page.getAttribute('width')),
        height: Number(page.getAttribute('height')),
        words: lines.flatMap((line) => line.words),
        lines,
      };
    });
    return { pages };
  });
}

/** `pdfinfo`'s fields (Title, Pages, …) as a map. */
export async function readPdfInfo(pdf: Uint8Array): Promise<Map<string, string>> {
  return withTempFolder(async (folder) => {
    const file = path.join(folder, 'in.pdf');
    await writeFile(file, pdf);
    const { stdout } = await run('pdfinfo', ['-enc', 'UTF-8', file], { encoding: 'utf8' });
    return new Map(
      stdout
        .split('\n')
        .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
        .filter((match) => match !== null)
        .map((match) => [match[1]!.trim(), match[2]!.trim()]),
    );
  });
}

/** One page (1-based) as a PNG at `outPath` (pdftoppm, default 80 dpi). Returns outPath. */
export async function pdfPagePng(pdf: Uint8Array, page: number, outPath: string, dpi = 80): Promise<string> {
  return withTempFolder(async (folder) => {
    const file = path.join(folder, 'in.pdf');
    await writeFile(file, pdf);
    const prefix = path.join(folder, 'page');
    await run('pdftoppm', ['-r', String(dpi), '-png', '-f', String(page), '-l', String(page), '-singlefile', file, prefix]);
    await writeFile(outPath, await readFile(`${prefix}.png`));
    return outPath;
  });
}

/**
 * One page as a grey raster (pdftoppm -gray, PGM), for finding what is not text: rules and
 * borders. `dark(x, y)` is true where the pixel is darker than `threshold` (0 black … 255 white);
 * `toPt` turns a pixel coordinate into points.
 */
export async function pdfPageRaster(pdf: Uint8Array, page: number, dpi = 144) {
  return withTempFolder(async (folder) => {
    const file = path.join(folder, 'in.pdf');
    await writeFile(file, pdf);
    const prefix = path.join(folder, 'page');
    await run('pdftoppm', ['-r', String(dpi), '-gray', '-f', String(page), '-l', String(page), '-singlefile', file, prefix]);
    const bytes = await readFile(`${prefix}.pgm`);
    // P5 header: magic, width, height, maxval, each followed by whitespace.
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 64).toString('latin1'));
    if (!header) throw new Error('pdftoppm -gray did not write a binary PGM');
    const [width, height] = [Number(header[1]), Number(header[2])];
    const pixels = bytes.subarray(header[0].length);
    const toPt = (pixel: number) => (pixel * 72) / dpi;
    const value = (x: number, y: number) => pixels[y * width + x]!;
    const dark = (x: number, y: number, threshold = 128) => value(x, y) < threshold;
    return { width, height, dpi, toPt, value, dark };
  });
}

/**
 * Horizontal rules on a page: runs of dark pixels at least `minLengthPt` long in a pixel row,
 * merged over adjacent rows; each with its extent in points (x from the left, y from the top).
 * Text does not make such long runs; rules and table borders do.
 */
export async function horizontalRules(pdf: Uint8Array, page: number, minLengthPt = 100): Promise<(PdfBox & { thicknessPt: number })[]> {
  const raster = await pdfPageRaster(pdf, page);
  const minLength = Math.ceil((minLengthPt * raster.dpi) / 72);
  const runsByRow: { y: number; x0: number; x1: number }[] = [];
  for (let y = 0; y < raster.height; y += 1) {
    let start = -1;
    for (let x = 0; x <= raster.width; x += 1) {
      const isDark = x < raster.width && raster.dark(x, y);
      if (isDark && start === -1) start = x;
      if (!isDark && start !== -1) {
        if (x - start >= minLength) runsByRow.push({ y, x0: start, x1: x - 1 });
        start = -1;
      }
    }
  }
  const rules: { y0: number; y1: number; x0: number; x1: number }[] = [];
  for (const row of runsByRow) {
    const last = rules.find((rule) => rule.y1 === row.y - 1 && Math.abs(rule.x0 - row.x0) <= 2 && Math.abs(rule.x1 - row.x1) <= 2);
    if (last) last.y1 = row.y;
    else rules.push({ y0: row.y, y1: row.y, x0: row.x0, x1: row.x1 });
  }
  return rules.map((rule) => ({
    xMin: raster.toPt(rule.x0),
    xMax: raster.toPt(rule.x1 + 1),
    yMin: raster.toPt(rule.y0),
    yMax: raster.toPt(rule.y1 + 1),
    thicknessPt: raster.toPt(rule.y1 - rule.y0 + 1),
  }));
}

/** The seed round's compiled table (the real Sichuan 2017 Q2 notice) in the demo profile's words, as the demo exports it. */
export function seedNoticeInput(): { notice: NonNullable<ReturnType<typeof readSeedDocument>['notice']>; table: CompiledTable } {
  const seed = readSeedDocument();
  return { notice: seed.notice!, table: compileTable(seed, { words: wordsOf(DEMO_PROFILE) }) };
}

/** The seed round's notice as Word and as LibreOffice's PDF. */
export async function renderSeedNotice(options: { draft?: boolean } = {}): Promise<{ docx: Uint8Array; pdf: Uint8Array }> {
  const docx = await renderNoticeDocx({ ...seedNoticeInput(), ...options });
  return { docx, pdf: await docxToPdf(docx) };
}
