import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sqliteStoreFile, withSearchPath } from './directory.ts';

test('an organisation’s SQLite store sits beside the home file, named after it', () => {
  assert.equal(sqliteStoreFile('./data/diaodu.db', 2), './data/diaodu.org-2.sqlite');
  assert.equal(sqliteStoreFile('/srv/diaodu/main.sqlite', 12), '/srv/diaodu/main.org-12.sqlite');
  assert.equal(sqliteStoreFile('/srv/diaodu/main.SQLITE3', 3), '/srv/diaodu/main.org-3.sqlite');
  assert.equal(sqliteStoreFile('/srv/diaodu/plain', 4), '/srv/diaodu/plain.org-4.sqlite');
});

test('an organisation’s PostgreSQL store is the home URL with its own search_path, other options kept', () => {
  const options = (url: string) => new URL(url).searchParams.get('options');
  assert.equal(options(withSearchPath('postgres://u:p@db:5432/diaodu', 'public_org_2')), '-c search_path=public_org_2');
  assert.equal(options(withSearchPath('postgres://u:p@db:5432/diaodu?options=-c%20search_path%3Dtest_1', 'test_1_org_2')), '-c search_path=test_1_org_2');
  assert.equal(
    options(withSearchPath('postgres://u:p@db:5432/diaodu?options=-c%20statement_timeout%3D5000%20-c%20search_path%3Dprod', 'prod_org_3')),
    '-c statement_timeout=5000 -c search_path=prod_org_3',
  );
  assert.equal(new URL(withSearchPath('postgres://u:p@db:5432/diaodu?sslmode=require', 'x')).searchParams.get('sslmode'), 'require');
});
