import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { dialectOf, isUniqueViolation, openDatabase, redactUrl, type Database } from '../../src/server/db/database.ts';
import { migrateToLatest, migrationNames } from '../../src/server/db/migrate.ts';
import { createAuditRepository } from '../../src/server/db/repositories/audit.repository.ts';
import { forEachEngine } from '../support/databases.ts';
import { TABLES, countRows } from '../support/db-inspection.ts';

async function pragma(database: Database, name: string): Promise<unknown> {
  const result = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(database.db);
  return Object.values(result.rows[0] ?? {})[0];
}

describe('openDatabase: SQLite', () => {
  test('creates the parent folder and sets WAL, synchronous=FULL, foreign keys, busy timeout', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'diaodu-open-'));
    try {
      const file = join(folder, 'nested', 'deeper', 'diaodu.db');
      const database = await openDatabase(`sqlite:${file}`);
      try {
        assert.equal(database.dialect, 'sqlite');
        assert.ok(existsSync(file), 'database file created inside the new folders');
        assert.equal(await pragma(database, 'journal_mode'), 'wal');
        assert.equal(await pragma(database, 'synchronous'), 2, 'FULL is 2');
        assert.equal(await pragma(database, 'foreign_keys'), 1);
        assert.equal(await pragma(database, 'busy_timeout'), 5000);
      } finally {
        await database.close();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('sqlite::memory: opens an in-memory database that migrates', async () => {
    const database = await openDatabase('sqlite::memory:');
    try {
      assert.deepEqual(await migrateToLatest(database.db), { applied: [...migrationNames] });
      assert.equal(await pragma(database, 'foreign_keys'), 1);
    } finally {
      await database.close();
    }
  });

  test('sqlite:///absolute/path is an absolute path', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'diaodu-open-'));
    try {
      const database = await openDatabase(`sqlite://${join(folder, 'x.db')}`);
      await database.close();
      assert.ok(existsSync(join(folder, 'x.db')));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('an unknown scheme is refused without echoing the password', async () => {
    await assert.rejects(openDatabase('mysql://root:hunter2@localhost/x'), (error: Error) => {
      assert.match(error.message, /unsupported database URL scheme/);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
  });

  test('redactUrl hides the password only', () => {
    assert.equal(redactUrl('postgres://diaodu:secret@127.0.0.1:5432/db'), 'postgres://diaodu:***@127.0.0.1:5432/db');
    assert.equal(redactUrl('sqlite:./data/diaodu.db'), 'sqlite:./data/diaodu.db');
  });
});

forEachEngine('migrations', (it, engine) => {
  it('create every table, empty, on this engine', async (database) => {
    assert.equal(database.dialect, engine);
    assert.equal(dialectOf(database.db), engine);
    const counts = await countRows(database);
    assert.deepEqual(Object.keys(counts), [...TABLES]);
    assert.ok(Object.values(counts).every((count) => count === 0));
  });

  it('are idempotent: a second run applies nothing', async (database) => {
    assert.deepEqual(await migrateToLatest(database.db), { applied: [] });
  });

  it('survive reopening the same database', async (database) => {
    await database.close();
    const reopened = await openDatabase(database.url);
    try {
      assert.deepEqual(await migrateToLatest(reopened.db), { applied: [] });
      assert.equal((await countRows(reopened)).plans, 0);
    } finally {
      await reopened.close();
    }
  });

  it('make audit_events append-only: UPDATE and DELETE are refused by the database', async (database) => {
    await createAuditRepository(database.db).appendAuditEvent({
      at: '2026-01-01T00:00:00.000Z',
      actor_kind: 'system',
      actor_name: 'test',
      user_id: null,
      ip: null,
      action: 'test',
      object_type: 'test',
      object_id: null,
      result: 'ok',
      detail: '{}',
    });
    await assert.rejects(database.db.updateTable('audit_events').set({ result: 'tampered' }).execute(), /append-only/);
    await assert.rejects(database.db.deleteFrom('audit_events').execute(), /append-only/);
    const rows = await database.db.selectFrom('audit_events').select('result').execute();
    assert.deepEqual(rows, [{ result: 'ok' }]);
  });

  it('enforce foreign keys', async (database) => {
    await assert.rejects(
      database.db.insertInto('unit_aliases').values({ alias: '总队', unit_id: 999, created_at: '2026-01-01T00:00:00.000Z' }).execute(),
      /foreign key/i,
    );
  });

  it('enforce unique names, reported as a unique violation on either engine', async (database) => {
    const at = '2026-01-01T00:00:00.000Z';
    await database.db.insertInto('units').values({ name: '大气处', created_at: at }).execute();
    const error = await database.db
      .insertInto('units')
      .values({ name: '大气处', created_at: at })
      .execute()
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    assert.ok(error, 'second insert refused');
    assert.ok(isUniqueViolation(error), `recognised as a unique violation: ${String(error)}`);
  });

  it('restrict task unit roles to lead and co', async (database) => {
    const at = '2026-01-01T00:00:00.000Z';
    const db = database.db;
    const unit = await db.insertInto('units').values({ name: '大气处', created_at: at }).returning('id').executeTakeFirstOrThrow();
    const plan = await db
      .insertInto('plans')
      .values({ identity_key: 'title:x', title: 'x', doc_number: null, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    const chapter = await db.insertInto('chapters').values({ plan_id: plan.id, number: 1, title: 'c', position: 1 }).returning('id').executeTakeFirstOrThrow();
    const section = await db
      .insertInto('sections')
      .values({ chapter_id: chapter.id, number: 1, title: 's', position: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const task = await db
      .insertInto('tasks')
      .values({ plan_id: plan.id, section_id: section.id, position: 1, text: 't', lead_department_id: null, version: 1, created_at: at, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await assert.rejects(
      db
        .insertInto('task_units')
        .values({ task_id: task.id, unit_id: unit.id, position: 1, role: 'owner' as 'lead' })
        .execute(),
      /check/i,
    );
  });
});
