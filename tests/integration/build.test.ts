import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readSeedText } from '../../src/server/documents/seed-text.reader.ts';

/**
 * The compiled tree (decision 039): a copy of the project's entry files in a temp folder (the sources,
 * fixtures and node_modules linked), built once with `npm run build`'s script, then run as production
 * runs it — the CLI through bin/diaodu.js, the server through `npm start`'s script, the export worker
 * from dist/. A resolve hook records every module each process loads, so the tests see that the
 * built tree runs dist/ without tsx and that a command loads only what it needs.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const seedPath = path.join(root, 'fixtures/seed/sichuan-2017-q2-notice.txt');
const tree = mkdtempSync(path.join(tmpdir(), 'diaodu-built-'));
const hooks = path.join(tree, 'record-loads.mjs');
after(() => rmSync(tree, { recursive: true, force: true }));

/** The tree built as `npm run build` builds it, with the hooks that record what each process loads. */
function buildTheTree(): void {
  for (const linked of ['src', 'fixtures', 'node_modules']) symlinkSync(path.join(root, linked), path.join(tree, linked));
  for (const copied of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'bin/diaodu.js', 'scripts/build-server.mjs', 'scripts/start.mjs']) {
    mkdirSync(path.dirname(path.join(tree, copied)), { recursive: true });
    copyFileSync(path.join(root, copied), path.join(tree, copied));
  }
  // The web app is vite's and another test's business: a placeholder keeps `npm start` from building it.
  mkdirSync(path.join(tree, 'dist/web'), { recursive: true });
  writeFileSync(path.join(tree, 'dist/web/index.html'), '<!doctype html><title>diaodu</title>');
  // Records every module a process resolves (main thread and worker threads) into $LOADS_LOG.
  writeFileSync(
    path.join(tree, 'load-hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (log) appendFileSync(log, resolved.url + '\\n');
  return resolved;
}
`,
  );
  writeFileSync(hooks, `import { register } from 'node:module';\nregister('./load-hooks.mjs', import.meta.url, { data: process.env.LOADS_LOG });\n`);
  const build = spawnSync(process.execPath, ['scripts/build-server.mjs', '--force'], { cwd: tree, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  assert.match(build.stderr, /服务端已编译/);
}

let runs = 0;
/** Runs `node <args>` in the built tree; `loads` are the module URLs it resolved. */
function run(args: string[], env: Record<string, string> = {}) {
  const log = path.join(tree, `loads-${++runs}.log`);
  writeFileSync(log, '');
  const result = spawnSync(process.execPath, ['--import', hooks, ...args], {
    cwd: tree,
    encoding: 'utf8',
    env: { ...process.env, LOADS_LOG: log, DIAODU_DATABASE_URL: `sqlite:${path.join(tree, 'never-created.db')}`, ...env },
  });
  const loads = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, loads };
}

const fromTree = (loads: string[], folder: string) =>
  loads.filter((url) => url.startsWith(`file://${path.join(tree, folder)}/`) || url.startsWith(`file://${path.join(root, folder)}/`));
const packages = (loads: string[]) => new Set(loads.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));

describe('the built tree', () => {
  before(buildTheTree);

  it('runs the CLI from dist/: --help loads no package and no TypeScript, a dry-run import neither the database layer nor exceljs', () => {
    const help = run(['bin/diaodu.js', '--help']);
    assert.equal(help.code, 0, help.stderr);
    for (const name of ['import', 'export', 'insights', 'db', 'demo', 'backup', 'restore', 'audit', 'user', 'profile', 'org'])
      assert.match(help.stdout, new RegExp(`^  ${name} `, 'm'));
    assert.deepEqual(fromTree(help.loads, 'src'), [], 'the built CLI loads no TypeScript source');
    assert.deepEqual([...packages(help.loads)], [], '--help loads no package');
    assert.ok(fromTree(help.loads, 'dist').length <= 4, `--help loads almost nothing: ${fromTree(help.loads, 'dist').join(' ')}`);

    const dryRun = run(['bin/diaodu.js', 'import', seedPath, '--dry-run', '--json']);
    assert.equal(dryRun.code, 0, dryRun.stderr);
    assert.deepEqual(JSON.parse(dryRun.stdout), readSeedText(readFileSync(seedPath, 'utf8'), seedPath).document);
    assert.match(dryRun.stderr, /警告 warning: 第40行：/);
    assert.deepEqual(fromTree(dryRun.loads, 'src'), []);
    const loaded = packages(dryRun.loads);
    for (const heavy of ['tsx', 'kysely', 'better-sqlite3', 'pg', 'exceljs', 'docx', 'fastify']) assert.ok(!loaded.has(heavy), `a dry run loads ${heavy}`);

    // Each command's summary in the --help table is the command's own.
    const summaries = run([
      '--input-type=module',
      '-e',
      "const { COMMANDS } = await import('./dist/cli/main.js'); for (const c of COMMANDS) { const command = await c.load(); console.log(JSON.stringify([c.name, c.summary, command.name, command.summary])); }",
    ]);
    assert.equal(summaries.code, 0, summaries.stderr);
    for (const line of summaries.stdout.trim().split('\n')) {
      const [name, summary, commandName, commandSummary] = JSON.parse(line) as string[];
      assert.equal(commandName, name);
      assert.equal(commandSummary, summary, `diaodu ${name}: the summary in src/cli/main.ts differs from the command's`);
    }
  });

  it('falls back to the TypeScript sources through tsx when dist/ is older than them', () => {
    const stamp = path.join(tree, 'dist/.server-build');
    const built = new Date();
    utimesSync(stamp, new Date(0), new Date(0));
    try {
      const help = run(['bin/diaodu.js', '--help']);
      assert.equal(help.code, 0, help.stderr);
      assert.ok(packages(help.loads).has('tsx'));
      assert.ok(help.loads.some((url) => url.endsWith('/src/cli/main.ts')));
    } finally {
      utimesSync(stamp, built, built);
    }
  });

  it('renders exports in the compiled worker thread, which loads exceljs only for an Excel file', () => {
    // A script file, not `-e`: worker threads inherit the process's options, and `--input-type` fails them.
    const script = path.join(tree, 'render-check.mjs');
    writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';
const { createRenderPool } = await import('./dist/server/exports/render-pool.js');
const { readSeedText } = await import('./dist/server/documents/seed-text.reader.js');
const { compileTable } = await import('./dist/domain/compiled-table.js');
const pool = createRenderPool();
const document = readSeedText(readFileSync(${JSON.stringify(seedPath)}, 'utf8'), 'seed.txt').document;
const bytes = await pool.run({ kind: 'json', document });
const docx = await pool.run({ kind: 'docx', notice: document.notice, table: compileTable(document) });
if (process.argv[2] === 'xlsx') await pool.run({ kind: 'xlsx', notice: document.notice, table: compileTable(document) });
console.log(JSON.stringify({ bytes: bytes.length, docx: docx.length, stats: pool.stats() }));
await pool.close();
`,
    );
    const render = run([script]);
    assert.equal(render.code, 0, render.stderr);
    const { bytes, docx, stats } = JSON.parse(render.stdout) as { bytes: number; docx: number; stats: { workersStarted: number } };
    assert.ok(bytes > 10_000);
    assert.ok(docx > 10_000);
    assert.equal(stats.workersStarted, 1);
    assert.ok(packages(render.loads).has('docx'));
    assert.ok(!packages(render.loads).has('exceljs'), 'a Word file leaves exceljs unloaded');
    const withExcel = run([script, 'xlsx']);
    assert.equal(withExcel.code, 0, withExcel.stderr);
    assert.ok(packages(withExcel.loads).has('exceljs'), 'an Excel file loads it');
    assert.ok(
      render.loads.some((url) => url.endsWith('/dist/server/exports/render.worker.js')),
      'the worker starts from dist/',
    );
    assert.deepEqual(fromTree(render.loads, 'src'), []);
    assert.ok(!packages(render.loads).has('tsx'));
  });

  it('serves /api/health from `npm start` on the built tree, without building again and without tsx', async () => {
    const port = await freePort();
    const log = path.join(tree, 'loads-server.log');
    writeFileSync(log, '');
    const child = spawn(process.execPath, ['--import', hooks, 'scripts/start.mjs'], {
      cwd: tree,
      env: {
        ...process.env,
        LOADS_LOG: log,
        PORT: String(port),
        HOST: '127.0.0.1',
        DIAODU_DEMO: 'false',
        DIAODU_DATABASE_URL: `sqlite:${path.join(tree, 'server.db')}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      let health: { status?: string } | null = null;
      while (!health && Date.now() < deadline) {
        try {
          const response = await fetch(`http://127.0.0.1:${port}/api/health`);
          if (response.ok) health = (await response.json()) as { status?: string };
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.equal(child.exitCode, null, output);
      }
      assert.equal(health?.status, 'ok', output);
      assert.doesNotMatch(output, /编译服务端/, 'a current dist/ is not built again');
      const loads = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      assert.ok(loads.some((url) => url.endsWith('/dist/server/main.js')));
      assert.deepEqual(fromTree(loads, 'src'), []);
      assert.ok(!packages(loads).has('tsx'));
      assert.ok(!packages(loads).has('exceljs'), 'the workbook writers load at the first download');
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
