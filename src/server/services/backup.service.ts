import type { AuditAction } from '../../domain/audit-vocabulary.ts';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, link, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Actor } from '../../domain/actor.ts';
import { conflict, invalid, isDomainError } from '../../domain/errors.ts';
import {
  backupKindOfHeader,
  checkSqliteFile,
  ensureTrigramExtension,
  isSqliteDamage,
  parseArchiveList,
  pgRestoreFailureKind,
  postgresTargetSchema,
  runTool,
  splitPassword,
  sqliteFileOfUrl,
  sqliteTargetIsEmpty,
  sqliteVacuumInto,
  toolMajorVersion,
  type BackupKind,
} from '../db/backup.ts';
import { openDatabase, redactUrl, type Database, type Dialect } from '../db/database.ts';
import { migrateToLatest, migrationNames } from '../db/migrate.ts';
import { createRepositories } from '../db/repositories/index.ts';
import { inTransaction } from '../db/transaction.ts';
import { assertRole } from '../policies/policy.ts';
import { audit, auditOutside } from './audit-writer.ts';

/**
 * Backups that restore (docs/promises.md, "Data is never lost"; decision 011).
 *
 * `backup` copies the live database while the server goes on taking writes — SQLite with
 * `VACUUM INTO` (one read snapshot, no lock that stops writers), PostgreSQL with `pg_dump`
 * (custom format, one repeatable-read snapshot of the configured schema) — into a temporary
 * file beside the target, flushes it to disk and links it into place, so the named file either
 * does not exist or is a whole backup, and an existing file is never overwritten.
 *
 * `restoreBackup` puts a backup into an empty place only: it checks the backup (SQLite
 * `PRAGMA integrity_check` and `foreign_key_check`; PostgreSQL `pg_restore` in one transaction
 * that stops at the first error), brings the schema up to date with this version's migrations,
 * and audits `restore` in the restored database; a refused or failed restore changes nothing.
 */

export type BackupResult = { file: string; engine: Dialect; bytes: number; sha256: string; seconds: number };
export type RestoreResult = BackupResult & { appliedMigrations: string[]; target: string };

export function createBackupService(deps: { database: Database; databaseUrl: string; now?: () => Date }) {
  const { database, databaseUrl } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  /** Writes a backup of the configured database to the new file `out` (absolute or relative to the process). */
  async function backup(actor: Actor, options: { out: string }): Promise<BackupResult> {
    assertRole(actor, 'system_admin');
    const target = path.resolve(options.out);
    await refuseExisting(target);
    const started = performance.now();
    const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
    try {
      if (database.dialect === 'sqlite') await backupSqlite(temporary);
      else await backupPostgres(temporary);
      await fsyncFile(temporary);
      // link(), unlike rename(), refuses an existing name: a file that appeared meanwhile is kept.
      try {
        await link(temporary, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw backupExists(target);
        throw error;
      }
      await fsyncFolder(path.dirname(target));
    } catch (error) {
      await auditFailure(actor, 'backup', target, error);
      throw error;
    } finally {
      await rm(temporary, { force: true });
    }
    const { size } = await stat(target);
    const result: BackupResult = {
      file: target,
      engine: database.dialect,
      bytes: size,
      sha256: await sha256Of(target),
      seconds: (performance.now() - started) / 1000,
    };
    await inTransaction(database, (repositories) =>
      audit(repositories, actor, now(), {
        action: 'backup',
        objectType: 'database',
        objectId: null,
        detail: { file: result.file, engine: result.engine, bytes: result.bytes, sha256: result.sha256 },
      }),
    );
    return result;
  }

  async function backupSqlite(temporary: string): Promise<void> {
    const source = sqliteFileOfUrl(databaseUrl);
    if (source === null) throw invalid('backup_memory_database', '内存数据库无法备份');
    sqliteVacuumInto(source, temporary);
    const check = checkSqliteFile(temporary);
    if (check.integrity.join() !== 'ok') throw new Error(`the backup copy failed PRAGMA integrity_check: ${check.integrity.slice(0, 5).join('; ')}`);
  }

  async function backupPostgres(temporary: string): Promise<void> {
    const reader = createRepositories(database.db).backup;
    const [tool, server] = await Promise.all([toolMajorVersion('pg_dump'), reader.postgresServerMajor()]);
    if (tool === null) throw invalid('pg_dump_missing', '找不到 pg_dump：请安装 PostgreSQL 客户端（Debian: postgresql-client）(pg_dump not found on PATH)');
    if (tool < server)
      throw invalid('pg_dump_version', `pg_dump 版本 ${tool} 低于数据库服务器版本 ${server}，无法可靠备份；请安装 ${server} 或更新的客户端`, {
        pgDump: tool,
        server,
      });
    const schema = await reader.postgresCurrentSchema();
    if (schema === null) throw invalid('backup_no_schema', '数据库连接的 search_path 中没有已存在的 schema');
    const { url, password } = splitPassword(databaseUrl);
    // The schema pattern in double quotes matches that one name exactly.
    const run = await runTool('pg_dump', ['--format=custom', `--schema="${schema.replace(/"/g, '""')}"`, `--file=${temporary}`, `--dbname=${url}`], password);
    if (run.code !== 0) throw new Error(`pg_dump failed (${redactUrl(databaseUrl)}): ${run.stderr.trim()}`);
  }

  async function auditFailure(actor: Actor, action: AuditAction, file: string, error: unknown): Promise<void> {
    // The database itself may be what failed; the caller reports the first error, and a row that
    // cannot be written is logged with what it would have said (auditOutside), not dropped.
    await auditOutside(database, actor, now(), {
      action,
      objectType: 'database',
      objectId: null,
      result: 'failed',
      detail: { file, error: isDomainError(error) ? error.code : String((error as Error).message).slice(0, 500) },
    });
  }

  return { backup };
}

export type BackupService = ReturnType<typeof createBackupService>;

/**
 * Restores the backup `file` into the database `databaseUrl` names, which must be empty: an SQLite
 * file that does not exist yet (or is empty), or a PostgreSQL schema of the backup's name that
 * does not exist or holds nothing. Not bound to an open database: the target is made here.
 */
export async function restoreBackup(actor: Actor, options: { file: string; databaseUrl: string; now?: () => Date }): Promise<RestoreResult> {
  assertRole(actor, 'system_admin');
  const file = path.resolve(options.file);
  const started = performance.now();
  const kind = await backupKindOf(file);
  const engine: Dialect = options.databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
  if (kind === 'unknown') throw invalid('backup_unreadable', `不是 diaodu 备份文件（既非 SQLite 数据库，也非 pg_dump 自定义格式）：${file}`, { file });
  if (kind !== engine)
    throw invalid(
      'backup_engine_mismatch',
      `备份是 ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} 数据库，而配置的目标是 ${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}；不支持跨数据库恢复`,
      { file, backup: kind, target: engine },
    );
  const sha256 = await sha256Of(file);
  const bytes = (await stat(file)).size;
  const at = () => (options.now ?? (() => new Date()))().toISOString();
  const finish = async (database: Database, target: string): Promise<RestoreResult> => {
    const { applied } = await migrateToLatest(database.db);
    await inTransaction(database, (repositories) =>
      audit(repositories, actor, at(), {
        action: 'restore',
        objectType: 'database',
        objectId: null,
        detail: { file, engine, bytes, sha256, appliedMigrations: applied },
      }),
    );
    return { file, engine, bytes, sha256, seconds: 0, appliedMigrations: applied, target };
  };
  const result = engine === 'sqlite' ? await restoreSqlite(file, options.databaseUrl, finish) : await restorePostgres(file, options.databaseUrl, finish);
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

type Finish = (database: Database, target: string) => Promise<RestoreResult>;

async function restoreSqlite(file: string, databaseUrl: string, finish: Finish): Promise<RestoreResult> {
  const target = sqliteFileOfUrl(databaseUrl);
  if (target === null) throw invalid('restore_memory_database', '不能恢复到内存数据库');
  const targetPath = path.resolve(target);
  refuseNonEmptySqlite(targetPath);

  let check: ReturnType<typeof checkSqliteFile>;
  try {
    check = checkSqliteFile(file);
  } catch (error) {
    // A file damaged badly enough makes SQLite refuse to read it at all (SQLITE_CORRUPT, SQLITE_NOTADB);
    // any other failure (busy, no permission, I/O) is not the file's fault and is reported as it is.
    if (isSqliteDamage(error)) throw invalid('backup_corrupt', `备份文件已损坏，无法读取：${(error as Error).message}`, { file });
    throw error;
  }
  if (check.integrity.join() !== 'ok')
    throw invalid('backup_corrupt', `备份文件未通过完整性检查 (PRAGMA integrity_check)：${check.integrity.slice(0, 5).join('；')}`, {
      file,
      problems: check.integrity.slice(0, 20),
    });
  if (check.foreignKeyProblems > 0) throw invalid('backup_corrupt', `备份文件中有 ${check.foreignKeyProblems} 处外键不一致`, { file });
  refuseForeignMigrations(file, check.migrations);

  if (!existsSync(path.dirname(targetPath))) throw invalid('restore_folder_missing', `目标文件夹不存在：${path.dirname(targetPath)}`, { target: targetPath });
  const temporary = path.join(path.dirname(targetPath), `.${path.basename(targetPath)}.${process.pid}-${randomBytes(4).toString('hex')}.restoring`);
  const removeTemporary = () => Promise.all(['', '-wal', '-shm', '-journal'].map((suffix) => rm(temporary + suffix, { force: true })));
  try {
    await copyFile(file, temporary);
    await fsyncFile(temporary);
    const database = await openDatabase(`sqlite:${temporary}`);
    let result: RestoreResult;
    try {
      result = await finish(database, targetPath);
    } finally {
      await database.close();
    }
    // Closing the last connection checkpoints the WAL into the file; it must now stand alone.
    if (existsSync(`${temporary}-wal`)) throw new Error('the restored copy still has a write-ahead log after closing');
    await fsyncFile(temporary);
    refuseNonEmptySqlite(targetPath); // someone may have started a server on it meanwhile
    for (const suffix of ['-wal', '-shm']) await rm(targetPath + suffix, { force: true });
    await rename(temporary, targetPath);
    await fsyncFolder(path.dirname(targetPath));
    return result;
  } finally {
    await removeTemporary();
  }
}

function refuseNonEmptySqlite(target: string): void {
  if (!sqliteTargetIsEmpty(target))
    throw conflict('restore_target_not_empty', `目标数据库不是空的，不会覆盖：${target}。请把 DIAODU_DATABASE_URL 指向一个新文件`, { target });
}

async function restorePostgres(file: string, databaseUrl: string, finish: Finish): Promise<RestoreResult> {
  if ((await toolMajorVersion('pg_restore')) === null)
    throw invalid('pg_restore_missing', '找不到 pg_restore：请安装 PostgreSQL 客户端（Debian: postgresql-client）(pg_restore not found on PATH)');
  const { url, password } = splitPassword(databaseUrl);
  const listed = await runTool('pg_restore', ['--list', file], undefined);
  if (listed.code !== 0) throw pgRestoreFailed(file, listed.stderr.trim(), 'pg_restore --list failed');
  const archive = parseArchiveList(listed.stdout);
  if (archive.schemas.length !== 1)
    throw invalid('backup_unreadable', `备份应只含一个 schema，实际为 ${archive.schemas.length} 个`, { file, schemas: archive.schemas });
  const schema = archive.schemas[0]!;
  const target = await postgresTargetSchema(databaseUrl);
  if (target.schema !== schema)
    throw invalid(
      'restore_schema_mismatch',
      `备份中的 schema 是“${schema}”，而目标连接写入“${target.schema}”；请恢复到新的数据库，并在 DIAODU_DATABASE_URL 中加 ?options=-c%20search_path%3D${schema} (the backup holds schema "${schema}", the target writes to "${target.schema}")`,
      { file, backup: schema, target: target.schema },
    );
  if (target.objects > 0)
    throw conflict('restore_target_not_empty', `目标 schema “${schema}” 中已有 ${target.objects} 个对象，不会覆盖；请恢复到新的数据库`, {
      schema,
      objects: target.objects,
    });
  await ensureTrigramExtension(databaseUrl);
  // An existing empty schema is kept: leave out the archive's CREATE SCHEMA (and its comment).
  const entries = target.exists ? archive.entries.filter((line) => !/\s(SCHEMA|COMMENT)\s+-\s+(SCHEMA\s+)?\S+\s/.test(line)) : archive.entries;
  const listFile = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.list`;
  await writeFile(listFile, `${entries.join('\n')}\n`);
  try {
    // One transaction, stopping at the first error: a failed restore leaves the target as it was.
    const run = await runTool(
      'pg_restore',
      ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', `--use-list=${listFile}`, `--dbname=${url}`, file],
      password,
    );
    if (run.code !== 0) throw pgRestoreFailed(file, run.stderr.trim(), 'pg_restore failed, nothing was restored');
  } finally {
    await rm(listFile, { force: true });
  }
  const database = await openDatabase(databaseUrl);
  try {
    // No migrations table: not a diaodu backup. A read that fails is reported as what it is.
    refuseForeignMigrations(file, await createRepositories(database.db).backup.listAppliedMigrations(), true);
    return await finish(database, `${redactUrl(databaseUrl)} schema ${schema}`);
  } finally {
    await database.close();
  }
}

/** A failed pg_restore as what it is: a damaged archive, one from a newer pg_dump, or a failure that is not the file's. */
function pgRestoreFailed(file: string, stderr: string, failure: string): Error {
  switch (pgRestoreFailureKind(stderr)) {
    case 'damaged':
      return invalid('backup_corrupt', `备份文件已损坏或不完整，未恢复任何数据：${stderr}`, { file });
    case 'too_new':
      return invalid('backup_unreadable', `备份由更新版本的 pg_dump 写成，当前的 pg_restore 读不了，请安装更新的 PostgreSQL 客户端：${stderr}`, { file });
    case 'failure':
      return new Error(`${failure}: ${stderr}`);
  }
}

/** A backup from a newer diaodu (migrations this version does not know) would be half understood. */
function refuseForeignMigrations(file: string, migrations: readonly string[] | null, restored = false): void {
  const after = restored ? '；已恢复的数据请手工删除' : '';
  if (migrations === null || migrations.length === 0)
    throw invalid('backup_not_diaodu', `备份中没有 diaodu 的数据库结构记录 (kysely_migration)：${file}${after}`, { file });
  const unknown = migrations.filter((name) => !migrationNames.includes(name));
  if (unknown.length > 0)
    throw invalid('backup_too_new', `备份来自更新版本的 diaodu（未知的迁移 ${unknown.join('、')}），请用相同或更新的版本恢复${after}`, {
      file,
      unknown,
    });
}

async function backupKindOf(file: string): Promise<BackupKind> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw invalid('backup_not_found', `备份文件不存在：${file}`, { file });
    throw error;
  }
  try {
    const header = Buffer.alloc(16);
    const { bytesRead } = await handle.read(header, 0, 16, 0);
    if (bytesRead === 0) throw invalid('backup_unreadable', `备份文件是空的：${file}`, { file });
    return backupKindOfHeader(header.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

async function refuseExisting(target: string): Promise<void> {
  if (existsSync(target)) throw backupExists(target);
  if (!existsSync(path.dirname(target))) throw invalid('backup_folder_missing', `备份目标文件夹不存在：${path.dirname(target)}`, { file: target });
}

const backupExists = (target: string) => invalid('backup_exists', `备份文件已存在，不会覆盖：${target}`, { file: target });

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a new directory entry (a link or rename) durable. */
async function fsyncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
