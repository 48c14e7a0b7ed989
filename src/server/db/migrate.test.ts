import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { migrationNames } from './migrate.ts';

test('every NNN_*.ts file in migrations/ is in the static migration list, in order', () => {
  const files = readdirSync(new URL('./migrations/', import.meta.url))
    .filter((name) => /^\d{3}_.+\.ts$/.test(name) && !name.endsWith('.test.ts'))
    .map((name) => name.replace(/\.ts$/, ''))
    .sort();
  assert.deepEqual([...migrationNames], files);
});
