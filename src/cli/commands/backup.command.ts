import path from 'node:path';
import { systemActor } from '../../domain/actor.ts';
import { ExitCode, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { withCliContext } from '../context.ts';

const usage = `用法 Usage: diaodu backup --out FILE [--organisation 代码]

备份配置的数据库，服务器可照常接受填报 (back up the configured database while the server keeps taking writes).

  --out FILE   备份文件（不能已存在 must not exist）
               SQLite: VACUUM INTO 得到的数据库文件 (a database file made by VACUUM INTO)
               PostgreSQL: pg_dump 自定义格式 (pg_dump custom format of the configured schema)
  --organisation  备份该组织（单位代码）的数据存储；省略为主单位
  -h, --help   显示帮助

恢复 Restore: diaodu restore FILE (into an empty database). See docs/operations.md.`;

export const backupCommand: Command = {
  name: 'backup',
  summary: '在线备份数据库',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { out: { type: 'string', short: 'o' }, organisation: { type: 'string' } });
    if (values.help) return (io.out(`${usage}\n`), ExitCode.ok);
    if (positionals.length > 0) throw new UsageError(`多余的参数：${positionals[0]}`);
    if (!values.out) throw new UsageError('缺少 --out (--out FILE is required)');
    const out = path.resolve(io.cwd, values.out);
    return withCliContext(
      io,
      async ({ backups }) => {
        const result = await backups.backup(systemActor('cli'), { out });
        io.out(
          `已备份 backed up (${result.engine}): ${values.out}\n` +
            `  ${result.bytes.toLocaleString('en')} bytes, sha256 ${result.sha256}, ${result.seconds.toFixed(1)} s\n`,
        );
        return ExitCode.ok;
      },
      { organisation: values.organisation },
    );
  },
};
