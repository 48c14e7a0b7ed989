import { systemActor } from '../../domain/actor.ts';
import { tasksOf } from '../../domain/plan-document.ts';
import { createPlanFileService } from '../../server/services/plan-file.service.ts';
import { ExitCode, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { readInputFile } from './read-input-file.ts';

const usage = `用法 Usage: diaodu import FILE [--dry-run] [--json]

导入分工方案及其调度表：Word (.docx) 或 Excel (.xlsx) 表格、种子文本格式，或 diaodu.plan/1 JSON（按内容识别）。
Imports a plan with its progress table: a Word or Excel table, the seed text format or diaodu.plan/1 JSON (told by content).

  --dry-run   只读取和修复，不写数据库 (read and repair only; touch no database)
  --json      在标准输出打印 diaodu.plan/1 JSON (print the document as JSON on stdout)
  -h, --help  显示帮助

警告输出到标准错误 (warnings go to stderr). 同一文件再次导入不会改变数据 (re-importing changes nothing).
Exit codes: 0 ok, 1 failure, 2 bad usage or bad input.`;

export const importCommand: Command = {
  name: 'import',
  summary: '导入分工方案与调度表',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } });
    if (values.help) return (io.out(`${usage}\n`), ExitCode.ok);
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? '缺少文件名' : '只能导入一个文件');
    const file = await readInputFile(io.cwd, positionals[0]!);
    const actor = systemActor('cli');

    if (values['dry-run']) {
      const read = createPlanFileService({ planImport: null }).preview(actor, file);
      for (const warning of read.warnings) io.err(`警告 warning: ${warning}\n`);
      if (values.json) io.out(`${JSON.stringify(read.document, null, 2)}\n`);
      else io.out(`${summarise(read.document)}\n（试运行，未写入数据库 dry run: nothing stored）\n`);
      return ExitCode.ok;
    }

    // The database layer only now: a dry run never loads it (decision 039).
    const { withCliContext } = await import('../context.ts');
    return withCliContext(io, async ({ planFile }) => {
      const { read, outcome } = await planFile.importFile(actor, file);
      for (const warning of read.warnings) io.err(`警告 warning: ${warning}\n`);
      if (values.json) io.out(`${JSON.stringify(outcome, null, 2)}\n`);
      else io.out(`${summarise(read.document)}\n${outcome.message}\n`);
      return ExitCode.ok;
    });
  },
};

function summarise(document: Parameters<typeof tasksOf>[0]): string {
  const tasks = [...tasksOf(document)];
  const sections = document.chapters.reduce((n, c) => n + c.sections.length, 0);
  const entries = tasks.reduce((n, { task }) => n + task.progress.length, 0);
  const warnings = document.warnings.length + tasks.reduce((n, { task }) => n + task.warnings.length, 0);
  return [
    `分工方案 plan: ${document.plan.title}${document.plan.docNumber ? `（${document.plan.docNumber}）` : ''}`,
    `调度轮次 round: ${document.round.label}`,
    `${document.chapters.length} 章 chapters, ${sections} 节 sections, ${tasks.length} 项任务 tasks, ${entries} 条推进情况 progress entries, ${warnings} 条警告 warnings`,
  ].join('\n');
}

export { summarise as summarisePlanDocument };
