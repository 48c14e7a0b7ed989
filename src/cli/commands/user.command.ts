import { systemActor } from '../../domain/actor.ts';
import { ROLE_LABELS, ROLES, type Role } from '../../domain/api/roles.ts';
import { invalid, notFound } from '../../domain/errors.ts';
import { ExitCode, parseCommandArgs, UsageError, type Command } from '../command.ts';
import { withCliContext } from '../context.ts';

const usage = `用法 Usage:
  diaodu user add --username NAME --name 姓名 --role ROLE [--unit 处室] [--phone 电话] [--organisation 代码]
  diaodu user unlock --username NAME [--organisation 代码]
  diaodu user reset-totp --username NAME [--organisation 代码]

账号的运维操作（以本机运维人员身份执行，写入审计日志）(account operations by the machine's operator, audited):
  add         新建账号，打印一次性临时密码，首次登录须修改。三员账号（system_admin、
              security_admin、audit_admin）只能这样创建 (creates an account with a temporary
              password that must be changed at first login; the only way to make an admin)
  unlock      解除登录锁定 (ends a login lock)
  reset-totp  重置动态验证码（如手机丢失），下次登录重新绑定 (removes the TOTP second factor)

  --organisation  在该组织（单位代码，见 diaodu org list）的账号中操作；省略为主单位

角色 roles: ${ROLES.join(', ')}
  -h, --help  显示帮助`;

export const userCommand: Command = {
  name: 'user',
  summary: '账号运维：新建（含三员）、解锁、重置动态验证码',
  usage,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      unit: { type: 'string' },
      phone: { type: 'string' },
      organisation: { type: 'string' },
    });
    const where = { organisation: values.organisation };
    if (values.help) return (io.out(`${usage}\n`), ExitCode.ok);
    const [action, extra] = positionals;
    if (extra !== undefined) throw new UsageError(`多余的参数：${extra}`);
    if (!values.username) throw new UsageError('缺少 --username');
    const actor = systemActor('cli');
    if (action === 'add') {
      if (!values.name) throw new UsageError('缺少 --name');
      const role = values.role as Role | undefined;
      if (!role || !ROLES.includes(role)) throw new UsageError(`--role 须为 ${ROLES.join('、')} 之一`);
      return withCliContext(
        io,
        async ({ admin, organisation }) => {
          // The platform administrator and the province's supervisor work from the home organisation only (decisions 028, 030).
          if ((role === 'platform_admin' || role === 'supervisor') && !organisation.home)
            throw invalid('role_home_only', `${ROLE_LABELS[role]}只能在主单位创建，不能建在“${organisation.name}”`, { role, organisation: organisation.code });
          let unitId: number | null = null;
          if (values.unit !== undefined) {
            const unit = (await admin.listUnits(actor)).find((u) => u.name === values.unit);
            if (!unit) throw notFound('unit_not_found', `处室“${values.unit}”不存在`, { unit: values.unit });
            unitId = unit.id;
          }
          const { account, temporaryPassword } = await admin.createAccount(actor, {
            username: values.username!,
            displayName: values.name!,
            role,
            unitId,
            phone: values.phone ?? null,
          });
          io.out(
            `已创建账号 created: ${account.username}（${account.displayName}，${account.role}）\n临时密码 temporary password: ${temporaryPassword}\n首次登录须修改密码${account.managedByCli ? '，并绑定身份验证器（动态验证码）' : ''} (must be changed at first login)\n`,
          );
          return ExitCode.ok;
        },
        where,
      );
    }
    if (action === 'unlock' || action === 'reset-totp') {
      return withCliContext(
        io,
        async ({ admin }) => {
          const target = (await admin.listAccounts(actor)).find((a) => a.username === values.username!.trim().toLowerCase());
          if (!target) throw notFound('user_not_found', `用户“${values.username}”不存在`, { username: values.username });
          if (action === 'unlock') await admin.unlock(actor, target.id);
          else await admin.resetTotp(actor, target.id);
          io.out(`${action === 'unlock' ? '已解锁 unlocked' : '已重置动态验证码 TOTP reset'}: ${target.username}\n`);
          return ExitCode.ok;
        },
        where,
      );
    }
    throw new UsageError(`未知操作 unknown action: ${action ?? '(none)'}`);
  },
};
