// The server, the CLI and the export worker compiled to JavaScript in dist/ (decision 039), and the
// fast check of whether that build is current. Plain JavaScript, so it runs before anything is built:
//   node scripts/build-server.mjs          builds when dist/ is missing or older than the sources
//   node scripts/build-server.mjs --force  builds in any case (`npm run build`)
// bin/diaodu.js and scripts/start.mjs import `buildState` and `buildServer` from here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SOURCES = ['src/server', 'src/cli', 'src/domain'];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];
/** Written last by a build that succeeded: its time is the build's. */
const STAMP = 'dist/.server-build';

function newestSource(root) {
  let newest = 0;
  for (const file of CONFIGS) newest = Math.max(newest, statSync(path.join(root, file)).mtimeMs);
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.m?ts$/.test(entry.name) && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of SOURCES) walk(path.join(root, dir));
  return newest;
}

/** 'fresh' (dist/ built after the last change to a source or config), 'stale', or 'missing'. */
export function buildState(root = ROOT) {
  const stamp = path.join(root, STAMP);
  if (!existsSync(stamp) || !existsSync(path.join(root, 'dist/server/main.js'))) return 'missing';
  return statSync(stamp).mtimeMs >= newestSource(root) ? 'fresh' : 'stale';
}

/** The TypeScript compiler's command-line entry, or null where it is not installed (`npm ci --omit=dev`). */
export function findCompiler(root = ROOT) {
  try {
    return createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return null;
  }
}

/**
 * Emits dist/ with `tsc -p tsconfig.build.json --noCheck`: types are checked by `npm run typecheck`
 * (in `npm test` and CI), so the build only transpiles — a few seconds instead of twenty.
 * Returns true when it built; false, having said why on stderr, when it could not.
 */
export function buildServer(root = ROOT, { say = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const tsc = findCompiler(root);
  if (!tsc) {
    say('未安装 TypeScript 编译器，无法编译服务端 (typescript is not installed: npm ci without --omit=dev, then npm run build)');
    return false;
  }
  const started = Date.now();
  const run = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--noCheck'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (run.status !== 0) {
    say(`编译服务端失败 building the server failed (tsc exit ${run.status ?? run.signal})`);
    return false;
  }
  mkdirSync(path.join(root, 'dist'), { recursive: true });
  writeFileSync(path.join(root, STAMP), `${new Date().toISOString()}\n`);
  say(`服务端已编译 server built into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const force = process.argv.includes('--force');
  const state = buildState();
  if (!force && state === 'fresh') process.stderr.write('服务端编译结果是最新的 dist/ is up to date\n');
  // `npm ci --omit=dev` runs `prepare` without the compiler: that must not fail the install.
  else if (!buildServer()) process.exitCode = findCompiler() === null && !force ? 0 : 1;
}
