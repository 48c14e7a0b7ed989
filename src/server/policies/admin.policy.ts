import type { Actor } from '../../domain/actor.ts';
import { ADMIN_ROLES, ROLE_LABELS, type Role } from '../../domain/api/roles.ts';
import { denied } from './policy.ts';

/**
 * 三员分立 (decision 010). The system admin runs accounts, units and settings; the security admin
 * runs roles, the password policy, unlocks and second-factor resets; the audit admin reads the
 * audit log (its API is audit.routes.ts) and nothing here. None of them touches business data
 * (policy.ts `assertBusinessRole`, round.policy.ts).
 *
 * Admin accounts themselves are made and changed only by the machine's operator through the
 * CLI: on these screens an admin manages business accounts only, so no admin can give itself,
 * or anyone, a second admin role, turn an admin into a business user, or lock out a colleague.
 * The system actor (the CLI) passes every check here.
 */

function assertAdminRole(actor: Actor, role: Role, action: string): void {
  if (actor.kind === 'system' || actor.role === role) return;
  throw denied('forbidden_role', `无权${action}：仅${ROLE_LABELS[role]}可以执行`, { role: actor.role, required: [role], action });
}

/** Accounts (create, disable, reset password), units, system settings. */
export function assertSystemAdmin(actor: Actor, action: string): void {
  assertAdminRole(actor, 'system_admin', action);
}

/** Roles, password policy, unlock, second-factor reset. */
export function assertSecurityAdmin(actor: Actor, action: string): void {
  assertAdminRole(actor, 'security_admin', action);
}

/** The account list: the system admin (accounts) and the security admin (roles, unlocks) need it. */
export function assertAccountReader(actor: Actor): void {
  if (actor.kind === 'system' || actor.role === 'system_admin' || actor.role === 'security_admin') return;
  throw denied('forbidden_role', '无权查看账号列表：仅系统管理员和安全管理员可以查看', {
    role: actor.role,
    required: ['system_admin', 'security_admin'],
  });
}

/**
 * An admin on the web may act only on business accounts, never on its own account or another
 * admin's (those are the operator's, through the CLI).
 */
export function assertManagedAccount(actor: Actor, target: { id: number; role: string }, action: string): void {
  if (actor.kind === 'system') return;
  if (actor.userId === target.id) throw denied('forbidden_self', `不能对自己的账号${action}`, { action });
  if (ADMIN_ROLES.includes(target.role as Role))
    throw denied('forbidden_admin_account', `不能在此${action}管理员账号：三员账号由运维人员通过命令行管理`, {
      action,
      targetRole: target.role,
    });
}

/**
 * A role an admin on the web may give: business roles only (no admin role, so no account ever
 * holds two), and not the province's supervisor, who reads every organisation's figures: the
 * operator makes that account on the command line (decision 030).
 */
export function assertGrantableRole(actor: Actor, role: Role): void {
  if (actor.kind === 'system') return;
  if (ADMIN_ROLES.includes(role)) throw denied('forbidden_admin_role', `不能授予${ROLE_LABELS[role]}角色：三员账号由运维人员通过命令行创建`, { role });
  if (role === 'supervisor') throw denied('forbidden_supervisor_role', '不能在此授予省级督查员角色：省级督查员账号由运维人员通过命令行创建', { role });
}
