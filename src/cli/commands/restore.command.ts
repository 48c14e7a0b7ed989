import path from 'node:path';
import { systemActor } from '../../domain/actor.ts';
import { loadConfig } from '../../server/config.ts';
import { redactUrl } from '../../server/db/database.ts';
import { restoreBackup } from '../../server/services/backup.service.ts';
import { ExitCode, parseCommandArgs, UsageError, type Command } from '../command.ts';

const usage = `用法 Usage: diaodu restore FILE

把 diaodu backup 的备份恢复到配置的空数据库 (restore a backup into the configured, empty database).

  FILE         diaodu backup 生成的文件 (a file written by diaodu backup)
  -h, --help   显示帮助

目标 The target is DIAODU_DATABASE_URL and must be empty: a new SQLite file, or a PostgreSQL
database where the backup's schema does not exist or holds nothing. The backup is checked
(SQLite PRAGMA integrity_check; PostgreSQL pg_restore in one transaction), the schema is
brought up to date, and the restore is audited. Stop the server before restoring.`;

export const restoreCommand: Command = {
  name: 'restore',
  summary: '把备份恢复到空数据库',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {});
    if (values.help) return (io.out(`${usage}\n`), ExitCode.ok);
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? '缺少备份文件' : `多余的参数：${positionals[1]}`);
    // Not the usual CLI context: that would create and migrate the target before the restore.
    const config = loadConfig(io.env);
    const result = await restoreBackup(systemActor('cli'), { file: path.resolve(io.cwd, positionals[0]!), databaseUrl: config.databaseUrl });
    io.out(
      `已恢复 restored (${result.engine}) ${positionals[0]} → ${result.engine === 'sqlite' ? result.target : redactUrl(config.databaseUrl)}\n` +
        `  sha256 ${result.sha256}; 完整性检查通过 integrity check ok` +
        (result.appliedMigrations.length ? `; migrated: ${result.appliedMigrations.join(', ')}` : '; schema up to date') +
        `; ${result.seconds.toFixed(1)} s\n`,
    );
    return ExitCode.ok;
  },
};
