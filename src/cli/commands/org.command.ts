import { systemActor } from '../../domain/actor.ts';
import type { OrganisationAdminView } from '../../domain/api/organisation-view.ts';
import { formatDateTimeZh } from '../../domain/dates.ts';
import { ExitCode, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { withCliContext } from '../context.ts';

const usage = `用法：
  diaodu org add --code 代码 --name 名称 --admin-username 用户名 --admin-name 姓名
  diaodu org list

组织（一个部署上的多个单位，各有独立的数据存储；以本机运维人员身份执行，写入审计日志）：
  add   新建组织：建立其数据存储，设置单位信息中的全称，创建首位系统管理员并打印其一次性
        临时密码（首次登录须修改并绑定身份验证器）。代码为登录时选择的单位代码，
        2–32 位小写字母、数字或“-”，如 demo-city
  list  列出组织及其账号、方案、调度轮次数
  -h, --help  显示帮助`;

/** The organisations as lines an operator reads. */
export function describeOrganisations(organisations: OrganisationAdminView[], timeZone: string): string {
  return organisations
    .map((o) => {
      const state = o.archivedAt ? `已归档（${formatDateTimeZh(o.archivedAt, timeZone)}）` : o.home ? '主组织' : '使用中';
      return `${String(o.id).padStart(3)}  ${o.code.padEnd(16)} ${o.name}  ${state}  账号 ${o.accounts}，方案 ${o.plans}，调度 ${o.rounds}\n`;
    })
    .join('');
}

export const orgCommand: Command = {
  name: 'org',
  summary: '组织（多单位）：新建组织及其首位系统管理员、列出组织',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      code: { type: 'string' },
      name: { type: 'string' },
      'admin-username': { type: 'string' },
      'admin-name': { type: 'string' },
    });
    if (values.help) return (io.out(`${usage}\n`), ExitCode.ok);
    const [action, extra] = positionals;
    if (extra !== undefined) throw new UsageError(`多余的参数：${extra}`);
    const actor = systemActor('cli');
    if (action === 'list')
      return withCliContext(
        io,
        async ({ platform, config }) => (io.out(describeOrganisations(await platform.organisations.list(actor), config.timeZone)), ExitCode.ok),
      );
    if (action === 'add') {
      for (const option of ['code', 'name', 'admin-username', 'admin-name'] as const) if (!values[option]) throw new UsageError(`缺少 --${option}`);
      return withCliContext(io, async ({ platform }) => {
        const created = await platform.organisations.create(actor, {
          code: values.code!,
          name: values.name!,
          adminUsername: values['admin-username']!,
          adminName: values['admin-name']!,
        });
        io.out(
          `已新建组织：${created.organisation.name}（代码 ${created.organisation.code}）\n` +
            `首位系统管理员：${created.admin.displayName}（用户名 ${created.admin.username}）\n` +
            `临时密码：${created.temporaryPassword}\n登录时选择该单位；首次登录须修改密码，并绑定身份验证器（动态验证码）\n`,
        );
        return ExitCode.ok;
      });
    }
    throw new UsageError(`未知操作：${action ?? '（无）'}，应为 add 或 list`);
  },
};
