/**
 * Web entry benchmark (`npm run bench:web`, issue 17 "A light web entry", decision 038): what the
 * login page costs on the wire. Builds the web app from the current source into a temporary
 * folder (as `vite build` does for `npm start`, with its brotli and gzip copies), then measures:
 *
 * - the entry: the files the built `index.html` makes the browser fetch before the app starts
 *   (its script, module preloads and stylesheets), raw and compressed as the build compresses them
 *   (scripts/web-budget.ts; the budget is 300 KB brotli, and the build itself fails above it);
 * - a first visit of `/login` in Chromium against the server's own static serving
 *   (scripts/web-login-weight.ts): every request, its decoded size and what it took on the wire;
 * - the echarts chunk, which only the pages that draw a chart load (decision 034).
 *
 *   npm run bench:web                  written to docs/benchmarks.md and docs/figures/web-entry.json
 *   npm run bench:web -- --no-write    printed only
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { buildWebInto } from '../scripts/build-web-into.ts';
import { ENTRY_BUDGET_BYTES, measureEntry } from '../scripts/web-budget.ts';
import { measureLoginVisit } from '../scripts/web-login-weight.ts';
import { recordFigures, type Figures } from './figures.ts';
import { writeBenchSection } from './support.ts';

/** Debian's headless shell when it is there (as the journeys use), else the full browser. */
const CHROMIUM =
  process.env.DIAODU_CHROMIUM ??
  ['/usr/lib/chromium/chromium-headless-shell', '/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((file) => existsSync(file));

const args = process.argv.slice(2);
for (const arg of args)
  if (arg !== '--no-write') {
    console.error(`usage: npm run bench:web -- [--no-write]\nunknown argument: ${arg}`);
    process.exit(2);
  }
const write = !args.includes('--no-write');

const kb = (bytes: number) => bytes / 1024;
const shown = (value: number) => Math.round(value).toLocaleString('en-US');

const loadBefore = loadavg()[0]!;
const scratch = mkdtempSync(path.join(tmpdir(), 'diaodu-bench-web-'));
try {
  const webRoot = path.join(scratch, 'web');
  await buildWebInto(webRoot);

  const entry = measureEntry(webRoot);
  const largest = [...entry.files].sort((a, b) => b.raw - a.raw)[0]!;
  const visit = await measureLoginVisit(webRoot, CHROMIUM);
  const visitTotal = (key: 'decoded' | 'wire') => visit.reduce((sum, row) => sum + row[key], 0);
  const compressed = visit.filter((row) => row.encoding === 'br').length;
  const assets = path.join(webRoot, 'assets');
  const echartsFile = readdirSync(assets).find((name) => /^echarts-.*\.js$/.test(name));
  if (!echartsFile) throw new Error('the build has no echarts chunk: decision 034 expects one, loaded only by the pages with a chart');
  const echarts = { raw: readFileSync(path.join(assets, echartsFile)).length, gzip: readFileSync(path.join(assets, `${echartsFile}.gz`)).length };
  const echartsOnLogin = visit.some((row) => row.path.includes('/echarts-'));

  const figures: Figures = {
    'entry.files': entry.files.length,
    'entry.kb': kb(entry.raw),
    'entry.gzipKb': kb(entry.gzip),
    'entry.brotliKb': kb(entry.brotli),
    'entry.budgetKb': kb(ENTRY_BUDGET_BYTES),
    'largest.kb': kb(largest.raw),
    'largest.brotliKb': kb(largest.brotli),
    'login.requests': visit.length,
    'login.brotliRequests': compressed,
    'login.decodedKb': kb(visitTotal('decoded')),
    'login.wireKb': kb(visitTotal('wire')),
    'echarts.kb': kb(echarts.raw),
    'echarts.gzipKb': kb(echarts.gzip),
  };
  const f = (key: string) => shown(figures[key]!);
  const section = [
    '## The login page on the wire (`npm run bench:web`)',
    '',
    `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, the web app built from the current source. The entry is what the built \`index.html\` makes the browser fetch before the app starts (its script, module preloads and stylesheets), compressed as the build compresses it (\`scripts/web-budget.ts\`). The first visit is \`/login\` in Chromium against the server's own static serving (\`scripts/web-login-weight.ts\`), every request counted as transferred, the API left out. Sizes are KB of 1,024 bytes.`,
    '',
    '| | KB |',
    '|---|---:|',
    `| entry: ${entry.files.length} files, as files | ${f('entry.kb')} |`,
    `| entry: gzip | ${f('entry.gzipKb')} |`,
    `| entry: brotli (the budget: at most ${f('entry.budgetKb')}) | **${f('entry.brotliKb')}** |`,
    `| largest entry file (\`${largest.href.replace(/-[\w-]{8}\.(js|css)$/, '.$1')}\`), as a file | ${f('largest.kb')} |`,
    `| largest entry file, brotli | ${f('largest.brotliKb')} |`,
    `| first visit of \`/login\` (${visit.length} requests, ${compressed} of them brotli): decoded | ${f('login.decodedKb')} |`,
    `| first visit of \`/login\`: on the wire | **${f('login.wireKb')}** |`,
    `| echarts, as a file (not on the login page${echartsOnLogin ? ': **it is, by mistake**' : ''}) | ${f('echarts.kb')} |`,
    `| echarts, gzip | ${f('echarts.gzipKb')} |`,
    '',
    `Target (issue 17): the login page's entry at most ${f('entry.budgetKb')} KB on the wire — ${entry.withinBudget ? 'met' : '**not met**'}. The build prints the entry's figure on every run and fails above 300 KB brotli. What it was before (antd in one chunk, files sent uncompressed): decision 038.`,
    '',
    'Run: `npm run bench:web` (writes this section and docs/figures/web-entry.json); `-- --no-write` prints only.',
  ].join('\n');
  console.log(`\n${section}\n`);
  if (echartsOnLogin) process.exitCode = 1;
  if (write) {
    console.log(`figures written to ${path.relative(process.cwd(), recordFigures('web-entry', figures, { loadBefore }))}`);
    writeBenchSection('web-entry', section);
    console.log('section written to docs/benchmarks.md');
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
