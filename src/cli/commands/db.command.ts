import { ExitCode, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { withCliContext } from '../context.ts';

const usage = `用法 Usage: diaodu db migrate

  migrate     把数据库升级到最新结构 (bring the database schema up to date)
  -h, --help  显示帮助

The database is DIAODU_DATABASE_URL (default sqlite:./data/diaodu.db).`;

export const dbCommand: Command = {
  name: 'db',
  summary: '数据库维护：migrate',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {});
    if (values.help) return (io.out(`${usage}\n`), ExitCode.ok);
    if (positionals[0] !== 'migrate' || positionals.length !== 1)
      throw new UsageError(positionals.length === 0 ? '缺少子命令' : `未知子命令：${positionals.join(' ')}`);
    // Opening the CLI context migrates to the latest schema.
    return withCliContext(io, async ({ database }) => {
      io.out(`数据库已是最新结构 database schema is up to date (${database.dialect})\n`);
      return ExitCode.ok;
    });
  },
};
