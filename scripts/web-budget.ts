// The login page's weight budget (decision 038): what a first visit must fetch before the app
// can draw anything — the built index.html's entry script, its module preloads and its
// stylesheets — summed as sent on the wire (brotli, the encoding every supported browser asks
// for). The build fails above the budget, so a new import that drags a library into the entry
// is caught where it is made, not by a user on a slow line.
//
//   node --import tsx scripts/web-budget.ts [dist/web]     prints the figure, exits 1 above it
//
// vite.config.ts runs the same check after every build (`npm run build:web`, `npm start`'s
// first build) through `webBudget()`.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** 300 KB (issue 17): the login entry, brotli-compressed. */
export const ENTRY_BUDGET_BYTES = 300 * 1024;

export interface EntryFile {
  /** As the HTML names it: `/assets/index-KaHcMgqj.js`. */
  href: string;
  kind: 'script' | 'modulepreload' | 'stylesheet';
  raw: number;
  gzip: number;
  brotli: number;
}

export interface EntryWeight {
  files: EntryFile[];
  raw: number;
  gzip: number;
  brotli: number;
  budget: number;
  withinBudget: boolean;
}

const TAG = /<(script|link)\b[^>]*>/gi;
const attribute = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1];

/** The same-origin files the HTML makes the browser fetch before the app starts, in order. */
export function entryFiles(html: string): { href: string; kind: EntryFile['kind'] }[] {
  const found: { href: string; kind: EntryFile['kind'] }[] = [];
  for (const match of html.matchAll(TAG)) {
    const tag = match[0];
    let href: string | undefined;
    let kind: EntryFile['kind'] | undefined;
    if (match[1]!.toLowerCase() === 'script') {
      href = attribute(tag, 'src');
      kind = 'script';
    } else {
      const rel = attribute(tag, 'rel')?.toLowerCase();
      if (rel === 'modulepreload' || rel === 'stylesheet') {
        href = attribute(tag, 'href');
        kind = rel;
      }
    }
    if (href === undefined || kind === undefined || /^[a-z]+:|^\/\//i.test(href)) continue;
    if (!found.some((file) => file.href === href)) found.push({ href, kind });
  }
  return found;
}

/** Compressed as the build's compression plugin does (brotli quality 11, gzip level 9). */
function compressedSizes(bytes: Buffer) {
  return {
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
  };
}

/** Weighs the entry of a built web app (the folder holding index.html). */
export function measureEntry(webRoot: string, budget = ENTRY_BUDGET_BYTES): EntryWeight {
  const indexPath = path.join(webRoot, 'index.html');
  if (!existsSync(indexPath)) throw new Error(`web-budget: ${indexPath} does not exist (build the web app first)`);
  const files: EntryFile[] = [];
  for (const { href, kind } of entryFiles(readFileSync(indexPath, 'utf8'))) {
    const filePath = path.join(webRoot, decodeURIComponent(href.split(/[?#]/)[0]!.replace(/^\.?\//, '')));
    if (!existsSync(filePath)) throw new Error(`web-budget: index.html names ${href}, which the build does not have`);
    const bytes = readFileSync(filePath);
    files.push({ href, kind, raw: bytes.length, ...compressedSizes(bytes) });
  }
  const sum = (key: 'raw' | 'gzip' | 'brotli') => files.reduce((total, file) => total + file[key], 0);
  const brotli = sum('brotli');
  return { files, raw: sum('raw'), gzip: sum('gzip'), brotli, budget, withinBudget: brotli <= budget };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function describeEntry(weight: EntryWeight): string {
  const lines = weight.files.map(
    (file) => `  ${file.kind.padEnd(13)} ${file.href.padEnd(48)} ${kb(file.raw).padStart(10)} raw ${kb(file.brotli).padStart(9)} br`,
  );
  const verdict = weight.withinBudget ? 'within' : 'OVER';
  lines.push(
    `login entry: ${weight.files.length} files, ${kb(weight.raw)} raw, ${kb(weight.gzip)} gzip, ${kb(weight.brotli)} brotli — ${verdict} the ${kb(weight.budget)} budget`,
  );
  return lines.join('\n');
}

/** A vite plugin: after the build has written its files, weigh the entry and fail above budget. */
export function webBudget(budget = ENTRY_BUDGET_BYTES) {
  let outDir = '';
  return {
    name: 'diaodu-web-budget',
    apply: 'build' as const,
    configResolved(config: { root: string; build: { outDir: string } }) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post' as const,
      sequential: true,
      handler() {
        const weight = measureEntry(outDir, budget);
        console.log(describeEntry(weight));
        if (!weight.withinBudget) {
          throw new Error(`web-budget: the login entry is ${kb(weight.brotli)} brotli, over the ${kb(budget)} budget (decision 038)`);
        }
      },
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const weight = measureEntry(path.resolve(process.argv[2] ?? 'dist/web'));
  console.log(describeEntry(weight));
  process.exit(weight.withinBudget ? 0 : 1);
}
