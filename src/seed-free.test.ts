import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * Issue 14 / decision 027: the seed's department is demo data, not the product's defaults. No
 * non-test source file names it — only the demo-data module (which sets the demo deployment's
 * organisation profile). Everything else takes the organisation's words from its profile.
 */
const SRC = fileURLToPath(new URL('.', import.meta.url));
const SEED_STRINGS = ['四川', '川环', '环境保护厅'];
const DEMO_DATA = new Set([path.join('server', 'services', 'demo-accounts.ts')]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

test('no source file outside the demo data names the seed department', () => {
  const files = sourceFiles(SRC);
  assert.ok(files.length > 100, `scanned ${files.length} files`);
  const hits: string[] = [];
  for (const file of files) {
    const relative = path.relative(SRC, file);
    if (DEMO_DATA.has(relative)) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        for (const word of SEED_STRINGS) if (line.includes(word)) hits.push(`src/${relative}:${index + 1}: ${word}`);
      });
  }
  assert.deepEqual(hits, [], `the seed department named outside the demo data:\n${hits.join('\n')}`);
});

test('the demo data does set the seed department’s profile (so the scan above excepts the right file)', () => {
  const demo = readFileSync(path.join(SRC, ...[...DEMO_DATA][0]!.split(path.sep)), 'utf8');
  assert.ok(SEED_STRINGS.every((word) => demo.includes(word)));
});

/**
 * Issue 14: labels say the organisation's leader word (厅领导 / 局领导 / 委领导 / 领导) from its profile
 * (wordsOf; 领导 / 单位 where none is set). Only the profile's own module (its list of leader words,
 * the words read off a notice), the demo data and the table readers (which must recognise 牵头厅领导
 * in a document) may spell it.
 */
const LEADER_WORD_HOMES = new Set([
  path.join('server', 'services', 'demo-accounts.ts'),
  path.join('domain', 'organisation-profile.ts'),
  path.join('server', 'documents', 'plan-table.reader.ts'),
  path.join('server', 'documents', 'vocabulary.ts'),
  // Generated from the routes' schemas, whose description of the leader word is the profile module's.
  path.join('web', 'lib', 'api-schema.ts'),
]);

test('no source file hard-codes 厅领导 outside the profile, the demo data and the readers', () => {
  const hits: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const relative = path.relative(SRC, file);
    if (LEADER_WORD_HOMES.has(relative)) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (line.includes('厅领导')) hits.push(`src/${relative}:${index + 1}`);
      });
  }
  assert.deepEqual(hits, [], `厅领导 hard-coded (take it from the profile's words):\n${hits.join('\n')}`);
});
