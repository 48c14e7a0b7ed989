import { systemActor } from '../../domain/actor.ts';
import { toChineseNumeral } from '../../domain/chinese-numerals.ts';
import type { Finding, TaskPlace } from '../../domain/insights/types.ts';
import { FINDING_COUNT_LABELS, FINDING_KIND_LABELS, VERDICT_LABELS } from '../../domain/insights/words.ts';
import { presentInsightsDocument } from '../../server/presenters/insight.presenter.ts';
import { ExitCode, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { withCliContext } from '../context.ts';

const usage = `用法：diaodu insights --round 轮次名称 [--plan 编号] [--organisation 代码] [--json]

调度分析：核对答复中的数据关系，读出任务的指标与进度，找出沿用未更新、重复答复、
无新内容的答复，以及未发声单位。指标在办公室确认前均为“建议”。

  --round LABEL        调度轮次，如 2017年第三季度（必填）
  --plan ID            分工方案编号（多个方案有同名轮次时必填）
  --organisation 代码   分析该组织（单位代码）的数据；省略为主单位
  --json               输出 diaodu.insights/1 JSON（见 docs/formats.md）；省略则输出中文摘要
  -h, --help           显示帮助`;

/** 一.(一).3: a task's place as the plan prints it. */
export const placeName = (place: TaskPlace) => `${toChineseNumeral(place.chapter)}.(${toChineseNumeral(place.section)}).${place.index}`;

/** The short Chinese summary: one line per kind of finding, then the relations that do not hold. */
export function insightsSummary(document: ReturnType<typeof presentInsightsDocument>): string {
  const of = <K extends Finding['kind']>(kind: K) => document.findings.filter((finding): finding is Extract<Finding, { kind: K }> => finding.kind === kind);
  const arithmetic = of('arithmetic');
  const wrong = arithmetic.filter((finding) => !finding.ok);
  const indicators = of('indicator');
  const confirmed = indicators.filter((finding) => finding.status === 'confirmed');
  const rows: [string, string][] = [
    [
      FINDING_KIND_LABELS.arithmetic,
      `${arithmetic.length} 处，一致 ${arithmetic.length - wrong.length} 处，${FINDING_COUNT_LABELS.arithmetic} ${wrong.length} 处`,
    ],
    [
      FINDING_KIND_LABELS.indicator,
      `${indicators.length} 项，其中待办公室确认 ${indicators.length - confirmed.length} 项、已确认 ${confirmed.length} 项（${VERDICT_LABELS.behind} ${confirmed.filter((f) => f.verdict === 'behind').length} 项）`,
    ],
    [FINDING_KIND_LABELS.stale, `${of('stale').length} 条`],
    [FINDING_KIND_LABELS.duplicate, `${of('duplicate').length} 条`],
    [FINDING_KIND_LABELS.no_new_facts, `${of('no_new_facts').length} 条`],
    [FINDING_KIND_LABELS.silent_unit, `${of('silent_unit').length} 处`],
  ];
  const lines = [
    `调度分析：${document.round}${document.previousRound ? `（上一轮：${document.previousRound}）` : '（没有上一轮）'}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(9, '　')}${value}`),
  ];
  if (wrong.length > 0) {
    lines.push(`${FINDING_COUNT_LABELS.arithmetic}：`);
    for (const finding of wrong)
      lines.push(`  ${placeName(finding.task)}${finding.unit ? ` ${finding.unit}` : ''}：“${finding.quote}”写 ${finding.stated}，核算为 ${finding.computed}`);
  }
  return `${lines.join('\n')}\n`;
}

export const insightsCommand: Command = {
  name: 'insights',
  summary: '调度分析：数字核对、指标进度、沿用未更新与无新内容的答复、未发声单位',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      round: { type: 'string' },
      plan: { type: 'string' },
      organisation: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (io.out(`${usage}\n`), ExitCode.ok);
    if (positionals.length > 0) throw new UsageError(`多余的参数：${positionals[0]}`);
    if (values.round === undefined || values.round.trim() === '') throw new UsageError('缺少 --round（调度轮次名称，如 2017年第三季度）');
    const planId = values.plan === undefined ? undefined : Number(values.plan);
    if (planId !== undefined && !(Number.isSafeInteger(planId) && planId > 0)) throw new UsageError(`--plan 应为正整数编号：${values.plan}`);
    return withCliContext(
      io,
      async ({ insights }) => {
        const found = await insights.roundInsightsByLabel(systemActor('cli'), { label: values.round!, planId });
        const document = presentInsightsDocument(found);
        io.out(values.json ? `${JSON.stringify(document, null, 2)}\n` : insightsSummary(document));
        return ExitCode.ok;
      },
      { organisation: values.organisation },
    );
  },
};
