import { isDomainError } from '../domain/errors.ts';
import { ExitCode, UsageError, type Command, type Io } from './command.ts';

/**
 * The commands, each loaded only when it runs (decision 039): `diaodu --help` reads this table and
 * nothing else, and a command loads only its own modules (a dry-run import never opens kysely's
 * database layer). `summary` repeats each command's own; a test keeps the two the same.
 */
export const COMMANDS: { name: string; summary: string; load: () => Promise<Command> }[] = [
  { name: 'import', summary: '导入分工方案与调度表', load: async () => (await import('./commands/import.command.ts')).importCommand },
  { name: 'export', summary: '导出分工方案与调度表：JSON、Word、Excel、PDF', load: async () => (await import('./commands/export.command.ts')).exportCommand },
  {
    name: 'insights',
    summary: '调度分析：数字核对、指标进度、沿用未更新与无新内容的答复、未发声单位',
    load: async () => (await import('./commands/insights.command.ts')).insightsCommand,
  },
  { name: 'db', summary: '数据库维护：migrate', load: async () => (await import('./commands/db.command.ts')).dbCommand },
  { name: 'demo', summary: '载入演示数据', load: async () => (await import('./commands/demo.command.ts')).demoCommand },
  { name: 'backup', summary: '在线备份数据库', load: async () => (await import('./commands/backup.command.ts')).backupCommand },
  { name: 'restore', summary: '把备份恢复到空数据库', load: async () => (await import('./commands/restore.command.ts')).restoreCommand },
  { name: 'audit', summary: '审计日志：verify 核对哈希链', load: async () => (await import('./commands/audit.command.ts')).auditCommand },
  { name: 'user', summary: '账号运维：新建（含三员）、解锁、重置动态验证码', load: async () => (await import('./commands/user.command.ts')).userCommand },
  {
    name: 'profile',
    summary: '本单位信息：全称、办公室、发文机关标志、机关代字、领导与处室称谓、时区',
    load: async () => (await import('./commands/profile.command.ts')).profileCommand,
  },
  { name: 'org', summary: '组织（多单位）：新建组织及其首位系统管理员、列出组织', load: async () => (await import('./commands/org.command.ts')).orgCommand },
];

const USAGE = `diaodu — 任务分工与推进调度系统 (division-of-labour plans and progress dispatch)

用法 Usage: diaodu <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`).join('\n')}

Run \`diaodu <command> --help\` for a command's options.
Environment: DIAODU_DATABASE_URL (default sqlite:./data/diaodu.db, or postgres://…)
Exit codes: 0 ok, 1 failure, 2 bad usage or bad input.`;

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
};

/** Runs one CLI command and returns its exit code; never calls process.exit, so tests can call it in-process. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(`${USAGE}\n`);
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`diaodu: 未知命令 “${name}” (unknown command)\n\n${USAGE}\n`);
    return ExitCode.usage;
  }
  const command = await entry.load();
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`diaodu ${command.name}: ${error.message}\n\n${command.usage}\n`);
      return ExitCode.usage;
    }
    if (isDomainError(error)) {
      io.err(`diaodu ${command.name}: ${error.message}\n`);
      return error.kind === 'invalid' || error.kind === 'not_found' ? ExitCode.badInput : ExitCode.failure;
    }
    io.err(`diaodu ${command.name}: ${(error as Error).stack ?? String(error)}\n`);
    return ExitCode.failure;
  }
}
