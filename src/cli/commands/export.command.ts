import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { systemActor } from '../../domain/actor.ts';
import type { TableOptions } from '../../domain/export-options.ts';
import { ExitCode, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { withCliContext } from '../context.ts';

/** `table-docx` is the API's too; the CLI offers the four the issue names plus the table alone. */
const FORMATS = ['json', 'docx', 'table-docx', 'xlsx', 'pdf'] as const;
type CliFormat = (typeof FORMATS)[number];

const usage = `用法 Usage: diaodu export --format json|docx|table-docx|xlsx|pdf [--round LABEL] [--plan ID] [--out FILE]
                     [--draft] [--unanswered blank|marked] [--status-marks after|before|none]

导出已存储的分工方案和一个调度轮次 (write the stored plan and one round).

  --format json         diaodu.plan/1 JSON（与导入格式相同 the format import reads）
  --format docx         通报与调度表 Word 文件（GB/T 9704）the notice with its progress table
  --format table-docx   仅调度表 Word 文件 the progress table alone
  --format xlsx         调度表 Excel 文件（另附“通报”工作表）the table, with a 通报 sheet
  --format pdf          通报与调度表 PDF（需安装 LibreOffice；DIAODU_SOFFICE 指定位置）needs LibreOffice
  --round LABEL         调度轮次，如 2017年第二季度（默认最近一轮 default: latest round）
  --plan ID             分工方案编号（存有多个方案时必填 required when several plans are stored）
  --out FILE            写入文件（json 默认标准输出；其他格式必填 required but for json）
  --draft               征求意见稿：含已报送未采纳的答复，标“【未审核】”（默认正式稿，仅已采纳）
  --unanswered MODE     无人报送的任务：blank 留空（默认）；marked 写“（未报送）”
  --status-marks WHERE  滞后、暂缓及原因：after 文末【滞后】原因：…（默认）；before 文前【滞后：…】；none 不显示
                        以上三项只用于 Word、Excel、PDF；导入的轮次按原文件导出
  -h, --help            显示帮助

文件先写在目标旁再改名，失败时不留半个文件 (written beside the target, then renamed).`;

export const exportCommand: Command = {
  name: 'export',
  summary: '导出分工方案与调度表：JSON、Word、Excel、PDF',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string' },
      round: { type: 'string' },
      plan: { type: 'string' },
      out: { type: 'string' },
      draft: { type: 'boolean' },
      unanswered: { type: 'string' },
      'status-marks': { type: 'string' },
    });
    if (values.help) return (io.out(`${usage}\n`), ExitCode.ok);
    if (positionals.length > 0) throw new UsageError(`多余的参数：${positionals[0]}`);
    if (!values.format) throw new UsageError('缺少 --format (--format is required)');
    if (!(FORMATS as readonly string[]).includes(values.format))
      throw new UsageError(`不支持的格式 unsupported format “${values.format}”；可用 available: ${FORMATS.join(', ')}`);
    const format = values.format as CliFormat;
    if (format !== 'json' && !values.out) throw new UsageError(`--format ${format} 须用 --out 指定输出文件 (--out FILE is required for ${format})`);
    const planId = values.plan === undefined ? undefined : Number(values.plan);
    if (planId !== undefined && !Number.isSafeInteger(planId)) throw new UsageError(`--plan 应为数字 (--plan takes a number): ${values.plan}`);

    return withCliContext(io, async ({ planExport, exports }) => {
      const actor = systemActor('cli');
      let bytes: Uint8Array;
      if (format === 'json') {
        // The json export keeps its own path (audited as plan.export, stdout allowed); the documents
        // go through the export service and its render worker, as the API's do (decision 012).
        const document = await planExport.exportDocument(actor, { roundLabel: values.round, planId });
        const json = `${JSON.stringify(document, null, 2)}\n`;
        if (!values.out) return (io.out(json), ExitCode.ok);
        bytes = new TextEncoder().encode(json);
      } else {
        // Values are checked by the service, which names the option it refuses.
        const options = {
          ...(values.draft ? { version: 'draft' as const } : {}),
          ...(values.unanswered === undefined ? {} : { unanswered: values.unanswered as TableOptions['unanswered'] }),
          ...(values['status-marks'] === undefined ? {} : { statusMarks: values['status-marks'] as TableOptions['statusMarks'] }),
        };
        bytes = (await exports.exportFile(actor, { roundLabel: values.round, planId }, format, options)).bytes;
      }
      // Write beside the target and rename, so a failed export never leaves half a file.
      const target = path.resolve(io.cwd, values.out!);
      const temporary = `${target}.${process.pid}.tmp`;
      try {
        await writeFile(temporary, bytes);
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      io.err(`已导出 exported: ${values.out} (${bytes.byteLength} bytes)\n`);
      return ExitCode.ok;
    });
  },
};
