import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ENTRY_BUDGET_BYTES, entryFiles, measureEntry, webBudget } from './web-budget.ts';

const folders: string[] = [];
after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A built web app as vite writes it: index.html naming its entry script, preloads and CSS. */
function build(files: Record<string, string | Buffer>, extraHead = ''): string {
  const root = mkdtempSync(path.join(tmpdir(), 'diaodu-budget-'));
  folders.push(root);
  mkdirSync(path.join(root, 'assets'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(root, 'assets', name), content);
  writeFileSync(
    path.join(root, 'index.html'),
    `<!doctype html><html><head>
    <link rel="icon" href="data:image/svg+xml,%3Csvg%3E" />
    <script type="module" crossorigin src="/assets/index-a1.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/react-b2.js">
    <link rel="stylesheet" crossorigin href="/assets/index-c3.css">
    ${extraHead}
    </head><body><div id="root"></div></body></html>`,
  );
  return root;
}

describe('web-budget', () => {
  test('reads the entry script, its module preloads and stylesheets from the HTML, nothing else', () => {
    const html = `<script type="module" src="/assets/a.js"></script><link rel="modulepreload" href="/assets/b.js">
      <link rel="stylesheet" href="/assets/c.css"><link rel="icon" href="/favicon.svg"><link rel="prefetch" href="/assets/later.js">
      <script src="https://cdn.example.com/x.js"></script><link rel="modulepreload" href="/assets/b.js">`;
    assert.deepEqual(entryFiles(html), [
      { href: '/assets/a.js', kind: 'script' },
      { href: '/assets/b.js', kind: 'modulepreload' },
      { href: '/assets/c.css', kind: 'stylesheet' },
    ]);
  });

  test('a small build passes; one whose entry is over budget on the wire fails the vite build', () => {
    const text = 'export const words = ' + JSON.stringify(Array.from({ length: 3000 }, (_, i) => `任务${i}`)) + ';\n';
    const small = build({ 'index-a1.js': text, 'react-b2.js': text, 'index-c3.css': 'body{margin:0}' });
    const weight = measureEntry(small);
    assert.equal(weight.files.length, 3);
    assert.ok(weight.withinBudget);
    assert.ok(weight.brotli < weight.gzip && weight.gzip < weight.raw, JSON.stringify(weight));
    assert.equal(weight.budget, ENTRY_BUDGET_BYTES);

    // 400 KB of random bytes does not compress: 400 KB on the wire, over 300 KB.
    const heavy = build({ 'index-a1.js': text, 'react-b2.js': randomBytes(400 * 1024), 'index-c3.css': 'body{margin:0}' });
    const over = measureEntry(heavy);
    assert.equal(over.withinBudget, false);
    assert.ok(over.brotli > ENTRY_BUDGET_BYTES, String(over.brotli));

    // The same check as the build runs it: it throws (vite then fails the build) above budget only.
    const plugin = (root: string) => {
      const instance = webBudget();
      instance.configResolved({ root, build: { outDir: '.' } });
      return instance;
    };
    const log = console.log;
    const printed: string[] = [];
    console.log = (line: string) => printed.push(line);
    try {
      plugin(small).closeBundle.handler();
      assert.throws(() => plugin(heavy).closeBundle.handler(), /over the 300\.0 KB budget/);
    } finally {
      console.log = log;
    }
    assert.match(printed.join('\n'), /login entry: 3 files, .* brotli — within the 300\.0 KB budget/);
    assert.match(printed.join('\n'), /OVER the 300\.0 KB budget/);

    // A preload the HTML names but the build lacks is a broken build, not a light one.
    const broken = build({ 'index-a1.js': text, 'index-c3.css': '' });
    assert.throws(() => measureEntry(broken), /names \/assets\/react-b2\.js/);
  });
});
