#!/usr/bin/env node
// The CLI (decision 039): the compiled dist/cli when it is current, so `npx diaodu` starts like a
// compiled tool; the TypeScript sources through tsx when dist/ is missing or older than them (a
// development tree — tests, edits not yet built). Where tsx is not installed (`npm ci --omit=dev`)
// a stale dist/ still runs, with a warning.
import { existsSync } from 'node:fs';
import { buildState } from '../scripts/build-server.mjs';

const state = buildState();
let main;
if (state === 'fresh') ({ main } = await import('../dist/cli/main.js'));
else {
  let register = null;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    // tsx is a development dependency.
  }
  if (register) {
    register();
    ({ main } = await import('../src/cli/main.ts'));
  } else if (existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
    process.stderr.write('警告 warning: dist/ 早于源码，请运行 npm run build (dist/ is older than the sources)\n');
    ({ main } = await import('../dist/cli/main.js'));
  } else {
    process.stderr.write('diaodu 尚未编译：请运行 npm run build (not built yet: run npm run build)\n');
    process.exit(1);
  }
}
process.exitCode = await main(process.argv.slice(2));
