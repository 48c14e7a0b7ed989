import { systemActor } from '../../domain/actor.ts';
import { ExitCode, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { withCliContext } from '../context.ts';

const usage = `用法 Usage: diaodu audit verify [--organisation 代码]

  verify      逐条核对审计日志的哈希链：完好则输出 OK、条数和链头哈希；
              发现篡改或删除则输出第一条有问题的记录编号和原因，退出码 1
              (walk the audit log's hash chain: OK with the count and head hash, or the first
              broken row and why, exit code 1)
  --organisation  核对该组织（单位代码）的审计日志；省略为主单位（各组织的审计日志各自成链）
  -h, --help  显示帮助

审计日志不提供删除：保留期至少 190 天，实际为永久保留（见 docs/decisions/009-audit-hash-chain.md）。
The database is DIAODU_DATABASE_URL (default sqlite:./data/diaodu.db).`;

export const auditCommand: Command = {
  name: 'audit',
  summary: '审计日志：verify 核对哈希链',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { organisation: { type: 'string' } });
    if (values.help) return (io.out(`${usage}\n`), ExitCode.ok);
    if (positionals[0] !== 'verify' || positionals.length !== 1)
      throw new UsageError(positionals.length === 0 ? '缺少子命令' : `未知子命令：${positionals.join(' ')}`);
    return withCliContext(
      io,
      async ({ audit }) => {
        const report = await audit.verify(systemActor('cli'));
        if (report.ok) {
          io.out(`OK 审计日志完好 audit chain intact: ${report.count} 条 rows, head ${report.head}\n`);
          return ExitCode.ok;
        }
        io.err(
          `审计日志被篡改 AUDIT CHAIN BROKEN at row ${report.broken.id} (${report.broken.reason}) after ${report.count} intact rows\n${report.broken.message}\n`,
        );
        return ExitCode.failure;
      },
      { organisation: values.organisation },
    );
  },
};
