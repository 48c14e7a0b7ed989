import type { Actor, UserActor } from '../../domain/actor.ts';
import { ADMIN_ROLES, ROLE_LABELS, UNIT_ROLES, type Role } from '../../domain/api/roles.ts';
import { forbidden, type DomainError } from '../../domain/errors.ts';

/**
 * The building blocks of every policy: who may act, and on which unit's data. A resource's
 * policy file (round.policy.ts …) combines them; services call the policy before they read or
 * write, so the CLI and the API are checked alike.
 *
 * A denial throws `forbidden(…)`. It is audited where it surfaces (the HTTP error mapping
 * writes an `access.denied` row in a transaction of its own): a row written here, inside the
 * service's transaction, would be rolled back together with the denied work.
 *
 * The system actor (CLI commands and start-up jobs) passes the role and unit checks: it is the
 * machine's operator, who holds the database file or its password anyway.
 */

export type Access = 'read' | 'write';

/** Which units' data an actor may see: every unit, one unit, or none. */
export type UnitScope = { kind: 'all' } | { kind: 'unit'; unitId: number } | { kind: 'none' };

/** The error every denial throws: `forbidden` with a stable code and what was refused. */
export function denied(code: string, message: string, details: Record<string, unknown> = {}): DomainError {
  return forbidden(code, message, details);
}

/** The signed-in person behind `actor`; denies the system actor where a person must act (批示, 提交). */
export function requireUser(actor: Actor, action = '此操作'): UserActor {
  if (actor.kind !== 'user') throw denied('forbidden_user_required', `${action}须由登录用户执行`, { action });
  return actor;
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.kind === 'system' || roles.includes(actor.role);
}

/** Denies unless the actor holds one of `roles` (the system actor always passes). */
export function assertRole(actor: Actor, ...roles: Role[]): void {
  if (hasRole(actor, ...roles)) return;
  const user = actor as UserActor;
  throw denied('forbidden_role', `无权执行此操作：需要${roles.map((role) => ROLE_LABELS[role]).join('或')}角色`, {
    role: user.role,
    required: roles,
  });
}

/**
 * The units whose business data an actor may read. The office and leaders read every unit;
 * a reporter or unit head reads its own unit; the three admin roles read no business data
 * (三员分立: they manage accounts, roles and the audit log, not plans).
 */
export function unitScope(actor: Actor, access: Access = 'read'): UnitScope {
  if (actor.kind === 'system') return { kind: 'all' };
  if (ADMIN_ROLES.includes(actor.role)) return { kind: 'none' };
  if (actor.role === 'office') return { kind: 'all' };
  // Leaders read everything and write only instructions, which have their own policy.
  if (actor.role === 'leader') return access === 'read' ? { kind: 'all' } : { kind: 'none' };
  if (UNIT_ROLES.includes(actor.role) && actor.unitId !== null) return { kind: 'unit', unitId: actor.unitId };
  return { kind: 'none' };
}

export function canAccessUnit(actor: Actor, unitId: number, access: Access = 'read'): boolean {
  const scope = unitScope(actor, access);
  return scope.kind === 'all' || (scope.kind === 'unit' && scope.unitId === unitId);
}

/** Denies unless the actor may read (or write) the data of unit `unitId`. Checks the object, not only the role. */
export function assertUnitAccess(actor: Actor, unitId: number, access: Access = 'read'): void {
  if (canAccessUnit(actor, unitId, access)) return;
  const user = actor as UserActor;
  throw denied('forbidden_unit', access === 'read' ? '无权查看该处室的数据' : '无权修改该处室的数据', { role: user.role, unitId, access });
}

/**
 * Denies the three admin roles any business data (plans, rounds, answers), and the province's
 * supervisor too: it reads the roll-up's counts across organisations (province.service.ts) and
 * no organisation's plans, answers or notices, its home organisation's included (decision 030).
 */
export function assertBusinessRole(actor: Actor): void {
  if (actor.kind === 'system') return;
  if (ADMIN_ROLES.includes(actor.role)) throw denied('forbidden_role', '管理员账号不能查看或填报业务数据', { role: actor.role });
  if (actor.role === 'supervisor') throw denied('forbidden_role', '省级督查员只能查看全省汇总，不能查看各单位的分工方案和填报内容', { role: actor.role });
}

/** The province-wide roll-up (全省汇总): the supervisor, and the machine's operator through the CLI. */
export function assertCanReadRollUp(actor: Actor, from: { home: boolean; code: string } | null): void {
  if (actor.kind === 'system') return;
  // The province's supervisor sits in the department (the home organisation): one made in a bureau's store reads nothing across the province.
  if (actor.role === 'supervisor' && from !== null && !from.home)
    throw denied('forbidden_province', '全省汇总只能由主单位的省级督查员查看', { organisation: from.code });
  if (actor.role === 'supervisor') return;
  throw denied('forbidden_role', '无权查看全省汇总：仅省级督查员可以查看', { role: actor.role, required: ['supervisor'] });
}
