import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { systemActor } from '../../domain/actor.ts';
import { ExitCode, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { withCliContext } from '../context.ts';

const FORMATS = ['json'] as const;

const usage = `用法 Usage: diaodu export --format json [--round LABEL] [--plan ID] [--out FILE]

导出已存储的分工方案和一个调度轮次 (write the stored plan and one round).

  --format json   diaodu.plan/1 JSON（与导入格式相同 the format import reads）
  --round LABEL   调度轮次，如 2017年第二季度（默认最近一轮 default: latest round）
  --plan ID       分工方案编号（存有多个方案时必填 required when several plans are stored）
  --out FILE      写入文件（默认标准输出 default: stdout）
  -h, --help      显示帮助`;

export const exportCommand: Command = {
  name: 'export',
  summary: '导出分工方案与调度表 (export a plan and round)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string' },
      round: { type: 'string' },
      plan: { type: 'string' },
      out: { type: 'string' },
    });
    if (values.help) return io.out(`${usage}\n`), ExitCode.ok;
    if (positionals.length > 0) throw new UsageError(`多余的参数 unexpected argument: ${positionals[0]}`);
    if (!values.format) throw new UsageError('缺少 --format (--format is required)');
    if (!(FORMATS as readonly string[]).includes(values.format))
      throw new UsageError(`不支持的格式 unsupported format “${values.format}”；可用 available: ${FORMATS.join(', ')}`);
    const planId = values.plan === undefined ? undefined : Number(values.plan);
    if (planId !== undefined && !Number.isSafeInteger(planId)) throw new UsageError(`--plan 应为数字 (--plan takes a number): ${values.plan}`);

    return withCliContext(io, async ({ planExport }) => {
      const document = await planExport.exportDocument(systemActor('cli'), { roundLabel: values.round, planId });
      const json = `${JSON.stringify(document, null, 2)}\n`;
      if (!values.out) {
        io.out(json);
        return ExitCode.ok;
      }
      // Write beside the target and rename, so a failed export never leaves half a file.
      const target = path.resolve(io.cwd, values.out);
      const temporary = `${target}.${process.pid}.tmp`;
      await writeFile(temporary, json);
      await rename(temporary, target);
      io.err(`已导出 exported: ${values.out}\n`);
      return ExitCode.ok;
    });
  },
};
