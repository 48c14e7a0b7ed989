import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledFile, compileTests as compile } from './compile-tests.mjs';

describe('scripts/compile-tests.mjs: test files compiled ahead (decision 048)', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'diaodu-compile-tests-'));
  const source = path.join(scratch, 'source');
  const out = path.join(scratch, 'out');
  after(() => rmSync(scratch, { recursive: true, force: true }));
  mkdirSync(path.join(source, 'lib'), { recursive: true });
  const write = (name: string, text: string) => {
    const file = path.join(source, name);
    writeFileSync(file, text);
    return file;
  };
  const entry = write(
    'entry.test.ts',
    [
      `import { double } from './lib/double.ts';`,
      `import data from './lib/data.json' with { type: 'json' };`,
      `import { plain } from './lib/plain.mjs';`,
      `type Shown = { url: string; dirname: string; filename: string; doubled: number; data: number; plain: string };`,
      `export const shown: Shown = { url: import.meta.url, dirname: import.meta.dirname, filename: import.meta.filename, doubled: double(21), data: data.n, plain };`,
      `export const later = async () => (await import('./lib/later.ts')).later;`,
      `export function failsOnLineEight(): never {`,
      `  throw new Error('from line eight');`,
      `}`,
      ``,
    ].join('\n'),
  );
  write('lib/double.ts', `export const double = (n: number): number => n * 2;\n`);
  write('lib/later.ts', `export const later: string = 'loaded later';\n`);
  write('lib/data.json', `{ "n": 7 }\n`);
  write('lib/plain.mjs', `export const plain = 'not compiled';\n`);

  /** Loads a compiled file in a process of its own (plain node, no tsx) and returns what the snippet prints. */
  const runCompiled = (url: string, snippet: string) =>
    spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', `const m = await import(${JSON.stringify(url)});\n${snippet}`], {
      encoding: 'utf8',
      timeout: 60_000,
    });

  test('what the compiled file sees is its source: import.meta, its TypeScript imports compiled, the rest loaded from the sources', async () => {
    const { urls, files, transformed } = await compile([entry], out);
    assert.equal(files, 3, 'the entry, and the two TypeScript files it imports (one of them dynamically)');
    assert.equal(transformed, 3);
    const url = urls.get(entry)!;
    assert.ok(fileURLToPath(url).startsWith(out + path.sep), url);
    assert.match(url, /entry\.test\.js$/);
    const run = runCompiled(url, `console.log(JSON.stringify({ ...m.shown, later: await m.later() }));`);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      url: pathToFileURL(entry).href,
      dirname: source,
      filename: entry,
      doubled: 42,
      data: 7,
      plain: 'not compiled',
      later: 'loaded later',
    });
    const code = readFileSync(fileURLToPath(url), 'utf8');
    assert.ok(code.includes(JSON.stringify(pathToFileURL(path.join(source, 'lib', 'plain.mjs')).href)), 'a .mjs is imported from its source');
    assert.doesNotMatch(code, /"\.\.?\//, 'no relative specifier is left');
  });

  test('compiledFile: the path a child process runs, the same file compileTests makes; anything but TypeScript refused', async () => {
    const file = await compiledFile(entry, out);
    assert.equal(pathToFileURL(file).href, (await compile([entry], out)).urls.get(entry));
    assert.match(readFileSync(file, 'utf8'), /double\(21\)/);
    await assert.rejects(compiledFile(path.join(source, 'lib/plain.mjs'), out), /plain\.mjs is not a TypeScript file to compile/);
  });

  test('a stack trace names the .ts file and its line', async () => {
    const { urls } = await compile([entry], out);
    const run = runCompiled(urls.get(entry)!, `try { m.failsOnLineEight(); } catch (error) { console.log(error.stack); }`);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.stdout.includes(`${entry}:8:`), run.stdout);
  });

  test('an unchanged file is reused; a changed one is compiled again', async () => {
    await compile([entry], out);
    assert.equal((await compile([entry], out)).transformed, 0);
    const double = path.join(source, 'lib', 'double.ts');
    writeFileSync(double, `export const double = (n: number): number => n * 3;\n`);
    const future = new Date(Date.now() + 5_000);
    utimesSync(double, future, future);
    const { urls, transformed } = await compile([entry], out);
    assert.equal(transformed, 1);
    const run = runCompiled(urls.get(entry)!, `console.log(m.shown.doubled);`);
    assert.equal(run.stdout.trim(), '63', run.stderr);
  });

  test('a file that does not compile throws where it is loaded, naming the file, line and column; a missing import fails there too', async () => {
    const broken = write('broken.test.ts', `export const x: number = ;\n`);
    const missing = write('missing.test.ts', `import { gone } from './lib/gone.ts';\nexport const y = gone;\n`);
    const { urls } = await compile([broken, missing], out);
    const loadBroken = runCompiled(urls.get(broken)!, '');
    assert.notEqual(loadBroken.status, 0);
    assert.ok(loadBroken.stderr.includes(`SyntaxError: ${broken}:1:25: Unexpected ";"`), loadBroken.stderr);
    const loadMissing = runCompiled(urls.get(missing)!, '');
    assert.notEqual(loadMissing.status, 0);
    assert.match(loadMissing.stderr, /ERR_MODULE_NOT_FOUND/);
    assert.match(loadMissing.stderr, /gone\.js/);
  });
});
