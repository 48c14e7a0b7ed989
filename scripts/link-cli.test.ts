import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { linkCli } from './link-cli.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'diaodu-link-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('package.json names no bin: npx would otherwise load npm’s installer and read the whole tree before every run', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin?: unknown; scripts: Record<string, string> };
  assert.equal(manifest.bin, undefined, 'link the CLI with scripts/link-cli.mjs instead (decision 039)');
  assert.match(manifest.scripts.prepare!, /node scripts\/link-cli\.mjs/, 'npm ci and npm install link it');
});

test('linkCli makes node_modules/.bin/diaodu a relative link to bin/diaodu.js, again and again, replacing a wrong one', () => {
  const root = path.join(scratch, 'tree');
  mkdirSync(path.join(root, 'bin'), { recursive: true });
  writeFileSync(path.join(root, 'bin', 'diaodu.js'), '#!/usr/bin/env node\n');
  chmodSync(path.join(root, 'bin', 'diaodu.js'), 0o644);
  const link = linkCli(root);
  assert.equal(link, path.join(root, 'node_modules', '.bin', 'diaodu'));
  assert.equal(readlinkSync(link), '../../bin/diaodu.js', 'relative: the tree can move');
  assert.equal(realpathSync(link), realpathSync(path.join(root, 'bin', 'diaodu.js')));
  assert.ok(statSync(link).mode & 0o100, 'the script is executable');
  const identity = () => {
    const stat = lstatSync(link, { bigint: true });
    return [stat.ino, stat.ctimeNs];
  };
  const first = identity();
  assert.equal(linkCli(root), link);
  assert.deepEqual(identity(), first, 'a second run leaves the link as it is (not removed and made again)');
  rmSync(link);
  symlinkSync('../elsewhere.js', link);
  linkCli(root);
  assert.equal(readlinkSync(link), '../../bin/diaodu.js', 'a link elsewhere is replaced');
  rmSync(link);
  writeFileSync(link, 'not a link');
  linkCli(root);
  assert.equal(readlinkSync(link), '../../bin/diaodu.js', 'and so is a file');
});

test('npx finds the linked CLI without installing anything (`--no`: never from the registry)', () => {
  const help = execFileSync('npx', ['--no', '--', 'diaodu', '--help'], { cwd: ROOT, encoding: 'utf8' });
  assert.match(help, /^diaodu — 任务分工与推进调度系统/);
});
