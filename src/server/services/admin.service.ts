import type { AuditAction } from '../../domain/audit-vocabulary.ts';
import type { Actor } from '../../domain/actor.ts';
import { AccountLimits } from '../../domain/accounts.ts';
import { isCollectiveUnitName } from '../../domain/collective-units.ts';
import type { AccountView, DeliveryFailureView, SystemSettingsView, TemporaryPasswordView, UnitView } from '../../domain/api/admin.ts';
import { presentDeliveryFailures } from '../presenters/delivery.presenter.ts';
import { ADMIN_ROLES, ROLES, UNIT_ROLES, type Role } from '../../domain/api/roles.ts';
import { conflict, invalid, notFound } from '../../domain/errors.ts';
import type { Config } from '../config.ts';
import { isUniqueViolation, type Database } from '../db/database.ts';
import { createRepositories, type Repositories } from '../db/repositories/index.ts';
import type { UserWithUnit } from '../db/repositories/user.repository.ts';
import { inTransaction } from '../db/transaction.ts';
import { assertAccountReader, assertGrantableRole, assertManagedAccount, assertSecurityAdmin, assertSystemAdmin } from '../policies/admin.policy.ts';
import { hashPassword } from './auth-passwords.ts';
import { createPasswordPolicyService, temporaryPassword } from './password-policy.ts';
import { createUserService } from './user.service.ts';
import { replaceCollectiveMembersIn } from './collective-units.ts';
import { wordsIn } from './organisation-words.ts';
import { applyUnitAddressChange, webhookViewOf, type UnitAddressInput } from './delivery-address.service.ts';
import { createTotpCodec } from './totp.service.ts';
import { audit as writeAudit } from './audit-writer.ts';

/** Every unit with, for a collective one, its member units. */
async function unitViews(repositories: Repositories): Promise<UnitView[]> {
  const [units, memberships, addresses] = await Promise.all([
    repositories.organisation.listUnits(),
    repositories.organisation.listCollectiveMemberships(),
    repositories.deliveryAddresses.listUnitAddresses(),
  ]);
  return units.map((unit) => ({
    ...unit,
    email: addresses.get(unit.id)?.email ?? null,
    webhook: webhookViewOf(addresses.get(unit.id)),
    members: memberships.filter((m) => m.unitId === unit.id).map((m) => ({ id: m.memberId, name: m.memberName })),
  }));
}

export type AdminServiceDeps = { database: Database; config: Config; now?: () => Date };

/**
 * The system admin's and the security admin's work (三员分立, decision 010), each use case
 * checked by admin.policy.ts and audited in its own transaction:
 *
 * - system admin: list/create business accounts (with a temporary password changed at first
 *   login), disable and enable them, reset their password; units; read the settings;
 * - security admin: change a business account's role, unlock it, reset its second factor, set
 *   the password policy (password-policy.ts).
 *
 * Every change to who someone is (disable, role, password reset) ends their sessions at once.
 */
export function createAdminService(deps: AdminServiceDeps) {
  const { database, config } = deps;
  const clock = deps.now ?? (() => new Date());
  const reader = createRepositories(database.db);
  const users = createUserService({ database, config, now: clock });
  const passwordPolicy = createPasswordPolicyService({ database, config, now: clock });
  const codec = createTotpCodec(config.totpKey);

  async function listAccounts(actor: Actor): Promise<AccountView[]> {
    assertAccountReader(actor);
    const at = clock();
    return (await reader.users.listUsers()).map((user) => presentAccount(user, at));
  }

  /** A business account with a temporary password, shown once; the user changes it at first login. */
  async function createAccount(
    actor: Actor,
    input: { username: string; displayName: string; role: Role; unitId: number | null; phone?: string | null },
  ): Promise<TemporaryPasswordView> {
    assertSystemAdmin(actor, '创建账号');
    const password = temporaryPassword(input.username, (await passwordPolicy.current()).minLength);
    const id = await users.createUser(actor, { ...input, password, mustChangePassword: true });
    return { account: await accountView(id), temporaryPassword: password };
  }

  async function setDisabled(actor: Actor, userId: number, disabled: boolean): Promise<AccountView> {
    assertSystemAdmin(actor, disabled ? '停用账号' : '启用账号');
    assertManagedAccount(actor, await target(userId), disabled ? '停用' : '启用');
    await users.setDisabled(actor, userId, disabled);
    return accountView(userId);
  }

  /** A new temporary password (shown once), to be changed at next login; ends the account's sessions. */
  async function resetPassword(actor: Actor, userId: number): Promise<TemporaryPasswordView> {
    assertSystemAdmin(actor, '重置密码');
    const user = await target(userId);
    assertManagedAccount(actor, user, '重置密码');
    const password = temporaryPassword(user.username, (await passwordPolicy.current()).minLength);
    const passwordHash = await hashPassword(password);
    const now = clock().toISOString();
    await inTransaction(database, async (repositories) => {
      await repositories.users.setPasswordHash(userId, passwordHash, true, now);
      const endedSessions = await repositories.sessions.endSessionsOfUser(userId, 'password_changed', now);
      await audit(repositories, actor, now, 'user.password_reset', 'user', userId, { endedSessions });
    });
    return { account: await accountView(userId), temporaryPassword: password };
  }

  /**
   * The security admin moves a business account to another business role (and unit for unit
   * roles). Admin roles are neither given nor taken here; the account's sessions end so the new
   * role applies at once.
   */
  async function changeRole(actor: Actor, userId: number, input: { role: Role; unitId: number | null }): Promise<AccountView> {
    assertSecurityAdmin(actor, '变更角色');
    const user = await target(userId);
    assertManagedAccount(actor, user, '变更角色');
    if (!ROLES.includes(input.role)) throw invalid('role_invalid', `未知角色“${input.role}”`, { field: 'role' });
    assertGrantableRole(actor, input.role);
    const unitRole = UNIT_ROLES.includes(input.role);
    if (unitRole && input.unitId === null) throw invalid('role_invalid', '处室填报员和处室负责人须指定处室', { field: 'unitId' });
    if (!unitRole && input.unitId !== null) throw invalid('role_invalid', '只有处室填报员和处室负责人属于处室', { field: 'unitId' });
    if (input.unitId !== null && !(await reader.organisation.listUnits()).some((unit) => unit.id === input.unitId))
      throw invalid('role_invalid', `处室 ${input.unitId} 不存在`, { field: 'unitId' });
    const now = clock().toISOString();
    await inTransaction(database, async (repositories) => {
      await repositories.users.setUserRole(userId, input.role, input.unitId, now);
      const endedSessions = await repositories.sessions.endSessionsOfUser(userId, 'role_changed', now);
      await audit(repositories, actor, now, 'user.role_change', 'user', userId, {
        before: { role: user.role, unitId: user.unit_id },
        after: { role: input.role, unitId: input.unitId },
        endedSessions,
      });
    });
    return accountView(userId);
  }

  /** Ends a lock (and the failure count) before its time; audited as `auth.unlock`. */
  async function unlock(actor: Actor, userId: number): Promise<AccountView> {
    assertSecurityAdmin(actor, '解锁账号');
    const user = await target(userId);
    const now = clock();
    await inTransaction(database, async (repositories) => {
      await repositories.users.unlockUser(userId, now.toISOString());
      await audit(repositories, actor, now.toISOString(), 'auth.unlock', 'user', userId, {
        lockedUntil: user.locked_until,
        wasLocked: user.locked_until !== null && Date.parse(user.locked_until) > now.getTime(),
        failedLogins: user.failed_logins,
      });
    });
    return accountView(userId);
  }

  /** Removes a business account's second factor (a lost phone): it may enrol again after login. */
  async function resetTotp(actor: Actor, userId: number): Promise<AccountView> {
    assertSecurityAdmin(actor, '重置动态验证码');
    const user = await target(userId);
    assertManagedAccount(actor, user, '重置动态验证码');
    const now = clock().toISOString();
    await inTransaction(database, async (repositories) => {
      await repositories.users.clearTotp(userId, now);
      await audit(repositories, actor, now, 'user.totp_reset', 'user', userId, { hadTotp: user.totp_secret !== null });
    });
    return accountView(userId);
  }

  /** Units: the system admin's to manage; the security admin reads them to place a unit role. */
  async function listUnits(actor: Actor): Promise<UnitView[]> {
    assertAccountReader(actor);
    return unitViews(reader);
  }

  /**
   * The member units a collective unit stands for (各处(室) → its 处室): the system admin manages the
   * groups here as the office does on the new-round page; rounds opened from now on use them.
   */
  async function setUnitMembers(actor: Actor, unitId: number, memberIds: number[]): Promise<UnitView> {
    assertSystemAdmin(actor, '设置集体单位的成员单位');
    const now = clock().toISOString();
    return inTransaction(database, async (repositories) => {
      const { unit, ids } = await replaceCollectiveMembersIn(repositories, unitId, memberIds);
      await audit(repositories, actor, now, 'unit.collective', 'unit', unitId, { name: unit.name, members: ids });
      return (await unitViews(repositories)).find((u) => u.id === unitId)!;
    });
  }

  async function createUnit(actor: Actor, input: { name: string; phone?: string | null }): Promise<UnitView> {
    assertSystemAdmin(actor, '新增处室');
    const name = input.name.normalize('NFKC').replace(/[\s\u3000]+/g, '');
    const phone = input.phone?.trim() || null;
    // Messages in the organisation's unit word (处室 in the seed's profile, 科室 in a bureau's).
    const { unit: word } = await wordsIn(reader);
    if (name.length === 0 || name.length > 64) throw invalid('unit_invalid', `${word}名称须为 1–64 个字`, { field: 'name' });
    if (phone !== null && phone.length > AccountLimits.phone.max) throw invalid('unit_invalid', `电话最多 ${AccountLimits.phone.max} 位`, { field: 'phone' });
    const now = clock().toISOString();
    try {
      return await inTransaction(database, async (repositories) => {
        const id = await repositories.organisation.insertUnit(name, phone, now);
        await audit(repositories, actor, now, 'unit.create', 'unit', id, { name, phone });
        return { id, name, phone, email: null, webhook: null, collective: isCollectiveUnitName(name), members: [] };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('unit_name_taken', `${word}“${name}”已存在`, { field: 'name' });
      throw error;
    }
  }

  /**
   * A unit's phone, e-mail and group robot (issue 16), each changed only when given. The robot's URL
   * (it carries the key) and signing secret are sealed at rest and never returned; the audit row says
   * that they changed, not what they are.
   */
  async function updateUnit(actor: Actor, unitId: number, input: { phone?: string | null } & UnitAddressInput): Promise<UnitView> {
    assertSystemAdmin(actor, '修改处室联系方式');
    const phone = input.phone === undefined ? undefined : input.phone?.trim() || null;
    if (phone != null && phone.length > AccountLimits.phone.max) throw invalid('unit_invalid', `电话最多 ${AccountLimits.phone.max} 位`, { field: 'phone' });
    const now = clock().toISOString();
    await inTransaction(database, async (repositories) => {
      if (!(await repositories.organisation.listUnits()).some((unit) => unit.id === unitId))
        throw notFound('unit_not_found', `${(await wordsIn(repositories)).unit} ${unitId} 不存在`, { unitId });
      const detail: Record<string, unknown> = {};
      if (phone !== undefined) {
        await repositories.organisation.setUnitPhone(unitId, phone);
        detail.phone = phone;
      }
      if (input.email !== undefined || input.webhook !== undefined)
        Object.assign(detail, await applyUnitAddressChange(repositories, codec, unitId, input, now));
      // Nothing changed (an address sent again as it was): nothing to audit.
      if (Object.keys(detail).length > 0) await audit(repositories, actor, now, 'unit.update', 'unit', unitId, detail);
    });
    return (await unitViews(reader)).find((u) => u.id === unitId)!;
  }

  /**
   * Marks a unit collective (各处(室), 直属单位 …: nobody logs in for it, it is never chased and
   * its tasks go to the units the office maps it to) or a real unit again.
   */
  async function setUnitCollective(actor: Actor, unitId: number, collective: boolean): Promise<UnitView> {
    assertSystemAdmin(actor, '设置集体单位');
    const now = clock().toISOString();
    await inTransaction(database, async (repositories) => {
      const { unit: word } = await wordsIn(repositories);
      if (collective) {
        // A unit people log in for, or one that answers for a collective name, is a real unit.
        const { accounts, memberOf } = await repositories.organisation.findCollectiveMarkObstacles(unitId);
        if (accounts > 0) throw conflict('unit_has_accounts', `该${word}有 ${accounts} 个账号，是实际填报的单位，不能设为集体名称`, { unitId, accounts });
        if (memberOf.length > 0)
          throw conflict(
            'unit_is_member',
            `该${word}代表“${memberOf.join('、')}”填报，不能再设为集体名称；请先在单位管理页或发起调度页调整这些集体单位的成员单位`,
            { unitId, memberOf },
          );
      }
      if ((await repositories.organisation.setUnitCollective(unitId, collective)) === 0)
        throw notFound('unit_not_found', `${word} ${unitId} 不存在`, { unitId });
      const membersCleared = collective ? 0 : await repositories.organisation.clearCollectiveMembers(unitId);
      await audit(repositories, actor, now, 'unit.collective', 'unit', unitId, { collective, ...(membersCleared ? { membersCleared } : {}) });
    });
    return (await unitViews(reader)).find((u) => u.id === unitId)!;
  }

  /** The running configuration, without secrets. */
  function settings(actor: Actor): SystemSettingsView {
    assertSystemAdmin(actor, '查看系统设置');
    return {
      database: config.databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres',
      tls: config.tls,
      trustProxy: config.trustProxy,
      demo: config.demo,
      session: { ...config.session },
      login: { ...config.login },
      totpSecretsSealed: config.totpKey !== null,
    };
  }

  async function target(userId: number): Promise<UserWithUnit> {
    const user = await reader.users.findUserById(userId);
    if (!user) throw notFound('user_not_found', `用户 ${userId} 不存在`, { userId });
    return user;
  }

  async function accountView(userId: number): Promise<AccountView> {
    return presentAccount(await target(userId), clock());
  }

  /**
   * Issue 16: every unit or person address whose messages on a channel failed for good since the
   * last one that went through, so the system admin fixes it (the units page flags the unit).
   */
  async function deliveryFailures(actor: Actor): Promise<DeliveryFailureView[]> {
    assertSystemAdmin(actor, '查看发送失败的地址');
    const [rows, units, users] = await Promise.all([reader.outbox.listFailuresSinceLastSent(), reader.organisation.listUnits(), reader.users.listUsers()]);
    return presentDeliveryFailures(rows, new Map(units.map((u) => [u.id, u.name])), new Map(users.map((u) => [u.id, u.display_name])));
  }

  /** The policy screen is the security admin's (anyone reads the policy via /api/auth/password-policy). */
  function assertCanSetPasswordPolicy(actor: Actor): void {
    assertSecurityAdmin(actor, '查看密码策略设置');
  }

  return {
    assertCanSetPasswordPolicy,
    listAccounts,
    createAccount,
    setDisabled,
    resetPassword,
    changeRole,
    unlock,
    resetTotp,
    listUnits,
    setUnitMembers,
    createUnit,
    updateUnit,
    setUnitCollective,
    deliveryFailures,
    settings,
    passwordPolicy,
  };
}

export type AdminService = ReturnType<typeof createAdminService>;

/** One account for the admin screens: never its hash or its TOTP secret. */
export function presentAccount(user: UserWithUnit, at: Date): AccountView {
  const locked = user.locked_until !== null && Date.parse(user.locked_until) > at.getTime();
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role as Role,
    unit: user.unit_id !== null && user.unit_name !== null ? { id: user.unit_id, name: user.unit_name } : null,
    phone: user.phone,
    disabled: Number(user.disabled) === 1,
    lockedUntil: locked ? user.locked_until : null,
    failedLogins: user.failed_logins,
    mustChangePassword: Number(user.must_change_password) === 1,
    totpEnabled: user.totp_secret !== null,
    managedByCli: ADMIN_ROLES.includes(user.role as Role),
    createdAt: user.created_at,
  };
}

/** Through the one audit writer (decision 037). */
async function audit(
  repositories: Repositories,
  actor: Actor,
  at: string,
  action: AuditAction,
  objectType: string,
  objectId: number,
  detail: Record<string, unknown>,
): Promise<void> {
  await writeAudit(repositories, actor, at, { action, objectType, objectId, result: 'success', detail });
}
