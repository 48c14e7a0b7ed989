import { isDomainError } from '../domain/errors.ts';
import { backupCommand } from './commands/backup.command.ts';
import { auditCommand } from './commands/audit.command.ts';
import { dbCommand } from './commands/db.command.ts';
import { demoCommand } from './commands/demo.command.ts';
import { exportCommand } from './commands/export.command.ts';
import { insightsCommand } from './commands/insights.command.ts';
import { importCommand } from './commands/import.command.ts';
import { userCommand } from './commands/user.command.ts';
import { profileCommand } from './commands/profile.command.ts';
import { orgCommand } from './commands/org.command.ts';
import { restoreCommand } from './commands/restore.command.ts';
import { ExitCode, UsageError, type Command, type Io } from './command.ts';

const COMMANDS: Command[] = [importCommand, exportCommand, insightsCommand, dbCommand, demoCommand, backupCommand, restoreCommand, auditCommand, userCommand, profileCommand, orgCommand];

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
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`diaodu: 未知命令 “${name}” (unknown command)\n\n${USAGE}\n`);
    return ExitCode.usage;
  }
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
