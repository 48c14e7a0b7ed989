// Test files compiled ahead for scripts/run-tests.mjs (decision 048): each test file and the
// TypeScript it imports, followed through its relative imports, transformed by esbuild (what tsx
// itself does to each file) into tmp/test-build/, so the test processes run plain JavaScript and
// load no loader hooks. On Node 20, tsx's hooks run on a thread of their own and every module a
// process loads passes through them: a process loading four integration files took 4.1 s of CPU
// through tsx and 1.9 s compiled (2026-12-07).
//
// What the compiled code sees is what the source would: `import.meta.url`, `import.meta.dirname`
// and `import.meta.filename` are the source file's (so paths built from them, fixtures, the
// render worker's entry, still point into the source tree); a relative import of TypeScript is the
// compiled file's absolute URL, any other relative import (.mjs, .json) the original's. Inline
// source maps name the sources, so a stack trace points at the .ts line (the runner turns them on).
// Plain JavaScript: it runs before anything is compiled.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transform } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const TEST_BUILD_DIR = path.join(ROOT, 'tmp', 'test-build');

// tsconfig.json as it is (esbuild reads the options that change what it emits, as tsx does).
const TSCONFIG_RAW = readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8');
// A change to this file, to tsconfig.json or to Node's version makes every compiled file stale.
const COMPILER_KEY = createHash('sha256')
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .update(TSCONFIG_RAW)
  .update(process.versions.node)
  .digest('hex')
  .slice(0, 12);

// `from "…"`, `import "…"`, `import("…")`, as esbuild prints them (double quotes): a relative or
// absolute path in the source, a file URL once compiled.
const IMPORT_LEAD = String.raw`(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)`;
const RELATIVE_SPECIFIER = new RegExp(`${IMPORT_LEAD}"((?:\\.{1,2})?/[^"\\n]*)"`, 'g');
const URL_SPECIFIER = new RegExp(`${IMPORT_LEAD}"(file:[^"\\n]*)"`, 'g');

/** Where the compiled form of a source file goes: its path under the root, or its absolute path, beneath the build folder. */
function outputOf(source, outDir) {
  const relative = path.relative(ROOT, source);
  const inside = !relative.startsWith('..') && !path.isAbsolute(relative);
  return path.join(outDir, inside ? relative : path.join('_outside', source), '..', `${path.basename(source).replace(/\.ts$/, '')}.js`);
}

/** The source of a file in the build folder (x.test.js → x.test.ts), or null for any other path. */
export function sourceOfCompiled(file, outDir = TEST_BUILD_DIR) {
  const relative = path.relative(outDir, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  const source = relative.replace(/\.js$/, '.ts');
  return source.startsWith(`_outside${path.sep}`) ? source.slice('_outside'.length) : path.join(ROOT, source);
}

/** A .ts file that runs compiled; .tsx (the web app's components, JSX) and everything else is loaded as it is. */
function compilable(file) {
  return file.endsWith('.ts') && !file.endsWith('.d.ts');
}

/**
 * Compiles `files` (absolute paths of .ts test files) and everything of TypeScript they import, and
 * returns each test file's compiled URL. A compiled file is reused while it is newer than its
 * source and was made by this compiler; one that changed is written aside and renamed into place,
 * so two runs at once never read a half-written file.
 */
export async function compileTests(files, outDir = TEST_BUILD_DIR) {
  const seen = new Set();
  let transformed = 0;
  let pending = files.filter(compilable);
  while (pending.length > 0) {
    const batch = pending.filter((file) => !seen.has(file));
    batch.forEach((file) => seen.add(file));
    const next = await Promise.all(
      batch.map(async (source) => {
        const { imports, fresh } = await compileOne(source, outDir);
        if (!fresh) transformed += 1;
        return imports;
      }),
    );
    pending = [...new Set(next.flat())].filter((file) => !seen.has(file));
  }
  return { urls: new Map(files.filter(compilable).map((file) => [file, pathToFileURL(outputOf(file, outDir)).href])), files: seen.size, transformed };
}

/**
 * The compiled file of one TypeScript entry (absolute, or relative to the project's root) and of
 * what it imports: the path a child process runs with plain `node` (tests/support/compiled-entry.ts,
 * the benchmarks' server children).
 */
export async function compiledFile(source, outDir = TEST_BUILD_DIR) {
  const absolute = path.resolve(ROOT, source);
  const url = (await compileTests([absolute], outDir)).urls.get(absolute);
  if (!url) throw new Error(`${source} is not a TypeScript file to compile`);
  return fileURLToPath(url);
}

async function compileOne(source, outDir) {
  const output = outputOf(source, outDir);
  const sourceUrl = pathToFileURL(source).href;
  let existing = null;
  try {
    if (statSync(output).mtimeMs >= statSync(source).mtimeMs) existing = readFileSync(output, 'utf8');
  } catch {
    // not compiled yet
  }
  if (existing !== null && existing.startsWith(`// ${COMPILER_KEY}\n`)) return { imports: importsOf(existing, outDir), fresh: true };

  let text;
  try {
    text = readFileSync(source, 'utf8');
  } catch {
    // A missing file: the import that names it fails in its own test file, as it would from source.
    return { imports: [], fresh: true };
  }
  let result;
  try {
    result = await transform(text, {
      loader: 'ts',
      format: 'esm',
      // What the Node running the tests supports, as tsx does (import attributes, say).
      target: `node${process.versions.node}`,
      sourcefile: source,
      sourcemap: 'inline',
      sourcesContent: false,
      // First, and counted in the source map, so stack traces keep their lines.
      banner: `// ${COMPILER_KEY}`,
      tsconfigRaw: TSCONFIG_RAW,
      define: {
        'import.meta.url': JSON.stringify(sourceUrl),
        'import.meta.filename': JSON.stringify(source),
        'import.meta.dirname': JSON.stringify(path.dirname(source)),
      },
      logLevel: 'silent',
    });
  } catch (error) {
    // A file that does not compile throws when it is loaded, as tsx's would: its test file fails as
    // itself ("could not be loaded", with esbuild's message and the place) and the rest still run.
    const first = error.errors?.[0];
    const where = first?.location ? `${source}:${first.location.line}:${first.location.column}` : source;
    result = { code: `// ${COMPILER_KEY}\nthrow new SyntaxError(${JSON.stringify(`${where}: ${first?.text ?? error.message}`)});\n` };
  }
  const code = result.code.replace(RELATIVE_SPECIFIER, (match, lead, specifier) => {
    const target = path.resolve(path.dirname(source), specifier);
    const url = compilable(target) ? pathToFileURL(outputOf(target, outDir)).href : pathToFileURL(target).href;
    return `${lead}${JSON.stringify(url)}`;
  });
  mkdirSync(path.dirname(output), { recursive: true });
  const aside = `${output}.${process.pid}`;
  writeFileSync(aside, code);
  renameSync(aside, output);
  return { imports: importsOf(code, outDir), fresh: false };
}

/** The sources of the compiled files a compiled file imports (their URLs are in the build folder). */
function importsOf(code, outDir) {
  return [...code.matchAll(URL_SPECIFIER)].map(([, , url]) => sourceOfCompiled(fileURLToPath(url), outDir)).filter((source) => source !== null);
}
