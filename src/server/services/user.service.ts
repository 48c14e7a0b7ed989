import type { AuditAction } from '../../domain/audit-vocabulary.ts';
import type { Actor } from '../../domain/actor.ts';
import { AccountLimits, DEFAULT_PASSWORD_POLICY, normaliseUsername } from '../../domain/accounts.ts';
import { ROLES, UNIT_ROLES, type Role } from '../../domain/api/roles.ts';
import { conflict, invalid, notFound } from '../../domain/errors.ts';
import { isUniqueViolation, type Database } from '../db/database.ts';
import { createRepositories, type Repositories } from '../db/repositories/index.ts';
import { inTransaction } from '../db/transaction.ts';
import type { Config } from '../config.ts';
import { assertGrantableRole } from '../policies/admin.policy.ts';
import { assertRole } from '../policies/policy.ts';
import { hashPassword } from './auth-passwords.ts';
import { createPasswordPolicyService } from './password-policy.ts';
import { audit as writeAudit } from './audit-writer.ts';

export type NewUserInput = {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  /** Required for reporters and unit heads, refused for every other role. */
  unitId: number | null;
  phone?: string | null;
  /** Default true: a password someone else chose is changed at first login (docs/promises.md). */
  mustChangePassword?: boolean;
};

export type UserServiceDeps = { database: Database; config?: Pick<Config, 'passwordPolicy'>; now?: () => Date };

/**
 * Accounts: creation and disabling, by the system admin (三员: accounts are theirs alone) or
 * the machine's operator through the CLI. Role changes, unlocks and resets are in
 * admin.service.ts; a user's own password change in auth.service.ts.
 */
export function createUserService(deps: UserServiceDeps) {
  const { database } = deps;
  const clock = deps.now ?? (() => new Date());
  const passwordPolicy = createPasswordPolicyService({ database, config: deps.config ?? { passwordPolicy: DEFAULT_PASSWORD_POLICY }, now: clock });

  /**
   * Creates an account; returns its id. The password must meet the policy in force (a
   * precomputed hash — the demo's published password — skips that check). An admin on the web
   * creates business accounts only; admin accounts come from the CLI (decision 010).
   */
  async function createUser(actor: Actor, input: NewUserInput, options: { passwordHash?: string } = {}): Promise<number> {
    assertRole(actor, 'system_admin');
    assertGrantableRole(actor, input.role);
    const user = validate(input);
    if (options.passwordHash === undefined)
      await passwordPolicy.assertAcceptable(createRepositories(database.db), { id: null, username: user.username }, input.password);
    const passwordHash = options.passwordHash ?? (await hashPassword(input.password));
    const now = clock().toISOString();
    try {
      return await inTransaction(database, async (repositories) => {
        const id = await repositories.users.insertUser({ ...user, passwordHash, now });
        await repositories.users.addPasswordHistory(id, passwordHash, now);
        await audit(repositories, actor, now, 'user.create', id, { username: user.username, role: user.role, unitId: user.unitId });
        return id;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('username_taken', `用户名“${user.username}”已被使用`, { field: 'username' });
      throw error;
    }
  }

  /** Disables (or re-enables) an account; disabling ends its sessions on the server at once. */
  async function setDisabled(actor: Actor, userId: number, disabled: boolean): Promise<void> {
    assertRole(actor, 'system_admin');
    const now = clock().toISOString();
    await inTransaction(database, async (repositories) => {
      const changed = await repositories.users.setUserDisabled(userId, disabled, now);
      if (changed === 0) throw notFound('user_not_found', `用户 ${userId} 不存在`, { userId });
      const endedSessions = disabled ? await repositories.sessions.endSessionsOfUser(userId, 'disabled', now) : 0;
      await audit(repositories, actor, now, disabled ? 'user.disable' : 'user.enable', userId, { endedSessions });
    });
  }

  return { createUser, setDisabled };
}

export type UserService = ReturnType<typeof createUserService>;

function validate(input: NewUserInput) {
  const username = normaliseUsername(input.username);
  const displayName = input.displayName.trim();
  const problems: { field: string; message: string }[] = [];
  const { min, max, pattern } = AccountLimits.username;
  if (username.length < min || username.length > max || !pattern.test(username))
    problems.push({ field: 'username', message: `用户名须为 ${min}–${max} 位小写字母、数字、“.”“_”“-”` });
  if (displayName.length === 0 || displayName.length > AccountLimits.displayName.max)
    problems.push({ field: 'displayName', message: `姓名须为 1–${AccountLimits.displayName.max} 个字` });
  if (!ROLES.includes(input.role)) problems.push({ field: 'role', message: '未知角色' });
  const unitRole = UNIT_ROLES.includes(input.role);
  if (unitRole && input.unitId === null) problems.push({ field: 'unitId', message: '处室填报员和处室负责人须指定处室' });
  if (!unitRole && input.unitId !== null) problems.push({ field: 'unitId', message: '只有处室填报员和处室负责人属于处室' });
  const phone = input.phone?.trim() || null;
  if (phone !== null && phone.length > AccountLimits.phone.max) problems.push({ field: 'phone', message: `电话最多 ${AccountLimits.phone.max} 位` });
  if (problems.length > 0) throw invalid('user_invalid', `账号信息不正确：${problems.map((problem) => problem.message).join('；')}`, { problems });
  return { username, displayName, role: input.role, unitId: input.unitId, phone, mustChangePassword: input.mustChangePassword ?? true };
}

/** Through the one audit writer (decision 037). */
async function audit(
  repositories: Repositories,
  actor: Actor,
  at: string,
  action: AuditAction,
  userId: number,
  detail: Record<string, unknown>,
): Promise<void> {
  await writeAudit(repositories, actor, at, { action, objectType: 'user', objectId: userId, result: 'success', detail });
}
