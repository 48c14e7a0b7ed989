import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it as unit } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { systemActor } from '../../src/domain/actor.ts';
import { isDomainError } from '../../src/domain/errors.ts';
import { pgRestoreFailureKind, splitPassword } from '../../src/server/db/backup.ts';
import { openDatabase } from '../../src/server/db/database.ts';
import { migrationNames } from '../../src/server/db/migrate.ts';
import { createRepositories } from '../../src/server/db/repositories/index.ts';
import { createBackupService, restoreBackup } from '../../src/server/services/backup.service.ts';
import { createEmptyPostgresDatabase, forEachEngine, postgresTestUrl, type TestDatabase } from '../support/databases.ts';

/**
 * `diaodu restore` says what went wrong (issue 17): "not a diaodu backup" only for a file that is
 * not one, "damaged" for a damaged one, and any other failure as what it is — on both engines.
 */

const work = mkdtempSync(path.join(tmpdir(), 'diaodu-backup-errors-'));
after(() => rmSync(work, { recursive: true, force: true }));
const actor = systemActor('test');
const named = (stem: string) => path.join(work, `${stem}-${randomBytes(4).toString('hex')}`);

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function withSearchPath(url: string, schema: string): string {
  const result = new URL(url);
  result.searchParams.set('options', `-c search_path=${schema}`);
  return result.toString();
}

/** A new, empty place to restore into: a new SQLite file, or a new PostgreSQL database with an empty schema `schema`. */
async function freshTarget(engine: TestDatabase['engine'], schema: string): Promise<{ url: string; isEmpty(): Promise<boolean>; dispose(): Promise<void> }> {
  if (engine === 'sqlite') {
    const file = `${named('restored')}.db`;
    return { url: `sqlite:${file}`, isEmpty: async () => !existsSync(file), dispose: async () => {} };
  }
  const { url, dispose } = await createEmptyPostgresDatabase(schema);
  return {
    url,
    isEmpty: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (
          (await client.query(`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1`, [schema])).rows[0]
            .n === 0
        );
      } finally {
        await client.end();
      }
    },
    dispose,
  };
}

const schemaOf = (source: TestDatabase) =>
  source.engine === 'sqlite' ? 'public' : new URL(source.url).searchParams.get('options')!.replace('-c search_path=', '');

async function takeBackup(source: TestDatabase): Promise<string> {
  const out = named(`backup-${source.engine}`);
  await createBackupService({ database: source, databaseUrl: source.url }).backup(actor, { out });
  return out;
}

/** Restores `file` into a fresh target; returns the error it threw and whether the target stayed empty. */
async function failedRestore(source: TestDatabase, file: string, schema = schemaOf(source)): Promise<{ error: unknown; targetEmpty: boolean }> {
  const target = await freshTarget(source.engine, schema);
  try {
    const error = await restoreBackup(actor, { file, databaseUrl: target.url }).then(
      () => assert.fail('the restore should have been refused'),
      (thrown: unknown) => thrown,
    );
    return { error, targetEmpty: await target.isEmpty() };
  } finally {
    await target.dispose();
  }
}

const codeOf = (error: unknown) => (isDomainError(error) ? error.code : `not a domain error: ${String(error)}`);

forEachEngine('restore tells a damaged backup, a foreign file and a real failure apart', (it, engine) => {
  it('a damaged backup is refused as damaged, restoring nothing', async (source) => {
    const file = await takeBackup(source);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    const { error, targetEmpty } = await failedRestore(source, file);
    assert.equal(codeOf(error), 'backup_corrupt');
    assert.match((error as Error).message, /备份文件.*损坏/);
    assert.ok(targetEmpty, 'nothing restored');
  });

  it('a file of the wrong kind is "not a diaodu backup"; a database of another program is refused as not diaodu', async (source) => {
    const junk = named('junk');
    writeFileSync(junk, 'PK\u0003\u0004 not a backup');
    const notBackup = (await failedRestore(source, junk)).error;
    assert.equal(codeOf(notBackup), 'backup_unreadable');
    assert.match((notBackup as Error).message, /不是 diaodu 备份文件/);

    // A sound database of the right engine, written by another program: no diaodu migrations in it.
    let foreign: string;
    let schema = schemaOf(source);
    if (engine === 'sqlite') {
      foreign = named('other-program.db');
      const connection = new BetterSqlite3(foreign);
      connection.exec("create table notes (id integer primary key, text text); insert into notes (text) values ('其他程序')");
      connection.close();
    } else {
      schema = `other_program_${randomBytes(4).toString('hex')}`;
      const base = postgresTestUrl()!;
      await adminQuery(
        base,
        `create schema "${schema}"; create table "${schema}".notes (id integer primary key, text text); insert into "${schema}".notes values (1, '其他程序')`,
      );
      try {
        foreign = named('other-program.dump');
        const { url, password } = splitPassword(base);
        const dump = spawnSync('pg_dump', ['--format=custom', `--schema=${schema}`, `--file=${foreign}`, `--dbname=${url}`], {
          env: { ...process.env, PGPASSWORD: password },
        });
        assert.equal(dump.status, 0, dump.stderr.toString());
      } finally {
        await adminQuery(base, `drop schema "${schema}" cascade`);
      }
    }
    const { error } = await failedRestore(source, foreign, schema);
    assert.equal(codeOf(error), 'backup_not_diaodu');
    assert.match((error as Error).message, /没有 diaodu 的数据库结构记录/);
  });

  it('a failure that is not the file’s is reported as what it is, not as a bad or foreign backup', async (source) => {
    if (engine === 'sqlite') {
      // A sound backup that another program holds locked: SQLite is busy, the file is fine.
      const file = await takeBackup(source);
      const holder = new BetterSqlite3(file);
      holder.exec('begin exclusive');
      try {
        const { error } = await failedRestore(source, file);
        assert.ok(!isDomainError(error), codeOf(error));
        assert.equal((error as { code?: string }).code, 'SQLITE_BUSY');
      } finally {
        holder.exec('rollback');
        holder.close();
      }
    } else {
      // A restored copy whose migrations record cannot be read (a view that fails): the read's
      // error, not "not a diaodu backup".
      const schema = `unreadable_${randomBytes(4).toString('hex')}`;
      const base = postgresTestUrl()!;
      await adminQuery(
        base,
        `create schema "${schema}"; create view "${schema}".kysely_migration as select 'x'::text as name where 1 / (select count(*) from pg_namespace where nspname = 'no such schema') = 1`,
      );
      const file = named('unreadable.dump');
      try {
        const { url, password } = splitPassword(base);
        const dump = spawnSync('pg_dump', ['--format=custom', `--schema=${schema}`, `--file=${file}`, `--dbname=${url}`], {
          env: { ...process.env, PGPASSWORD: password },
        });
        assert.equal(dump.status, 0, dump.stderr.toString());
      } finally {
        await adminQuery(base, `drop schema "${schema}" cascade`);
      }
      const { error } = await failedRestore(source, file, schema);
      assert.ok(!isDomainError(error), codeOf(error));
      assert.match((error as Error).message, /division by zero/);
    }
  });

  it('the backup repository: the migrations a database records, and none (null) for a database without them', async (source) => {
    const { backup } = createRepositories(source.db);
    assert.deepEqual(await backup.listAppliedMigrations(), [...migrationNames].sort());
    const emptyUrl = engine === 'sqlite' ? `sqlite:${named('empty')}.db` : withSearchPath(postgresTestUrl()!, `empty_${randomBytes(4).toString('hex')}`);
    if (engine === 'postgres')
      await adminQuery(postgresTestUrl()!, `create schema "${new URL(emptyUrl).searchParams.get('options')!.replace('-c search_path=', '')}"`);
    const empty = await openDatabase(emptyUrl);
    try {
      assert.equal(await createRepositories(empty.db).backup.listAppliedMigrations(), null);
    } finally {
      await empty.close();
      if (engine === 'postgres')
        await adminQuery(postgresTestUrl()!, `drop schema "${new URL(emptyUrl).searchParams.get('options')!.replace('-c search_path=', '')}" cascade`);
    }
  });
});

describe('pg_restore failures', () => {
  unit('are told apart by what pg_restore says: a damaged file, a newer pg_dump, anything else', () => {
    assert.equal(pgRestoreFailureKind('pg_restore: error: could not read from input file: end of file'), 'damaged');
    assert.equal(pgRestoreFailureKind('pg_restore: error: did not find magic string in file header'), 'damaged');
    assert.equal(pgRestoreFailureKind('pg_restore: error: unsupported version (1.16) in file header'), 'too_new');
    assert.equal(pgRestoreFailureKind('pg_restore: error: could not open input file "x.dump": Permission denied'), 'failure');
    assert.equal(pgRestoreFailureKind('pg_restore: error: connection to server at "127.0.0.1", port 5432 failed: Connection refused'), 'failure');
    assert.equal(pgRestoreFailureKind('pg_restore: error: could not execute query: ERROR:  permission denied for schema public'), 'failure');
  });
});
