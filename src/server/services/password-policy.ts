import { randomInt } from 'node:crypto';
import type { Actor } from '../../domain/actor.ts';
import { actorLabel } from '../../domain/actor.ts';
import { passwordProblems, PasswordPolicyLimits, type PasswordPolicy } from '../../domain/accounts.ts';
import type { PasswordPolicyView } from '../../domain/api/admin.ts';
import { invalid } from '../../domain/errors.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { createRepositories, type Repositories } from '../db/repositories/index.ts';
import { inTransaction } from '../db/transaction.ts';
import { assertSecurityAdmin } from '../policies/admin.policy.ts';
import { verifyPassword } from './auth-passwords.ts';
import { displayNameOf } from './people.ts';
import { audit } from './audit-writer.ts';

/** The settings key of the security admin's policy. */
const POLICY_KEY = 'password_policy';

export type PasswordPolicyDeps = { database: Database; config: Pick<Config, 'passwordPolicy'>; now?: () => Date };

/**
 * The password policy in force: the configuration's defaults (DIAODU_PASSWORD_*), or what the
 * security admin set since (stored in `settings`, audited). Every new password — first login,
 * change, reset by an admin — is checked against it here, including "not one of the last N".
 */
export function createPasswordPolicyService(deps: PasswordPolicyDeps) {
  const { database, config } = deps;
  const clock = deps.now ?? (() => new Date());

  async function view(repositories: Repositories = createRepositories(database.db)): Promise<PasswordPolicyView> {
    const stored = await repositories.settings.findSetting(POLICY_KEY);
    if (!stored) return { ...config.passwordPolicy, customised: false, updatedAt: null, updatedBy: null };
    const policy = JSON.parse(stored.value) as PasswordPolicy;
    return {
      minLength: policy.minLength,
      minClasses: policy.minClasses,
      history: policy.history,
      customised: true,
      updatedAt: stored.updated_at,
      updatedBy: await displayNameOf(repositories, stored.updated_by),
    };
  }

  /** The policy in force (any signed-in user may read it: the change-password form shows it). */
  async function current(repositories?: Repositories): Promise<PasswordPolicy> {
    const { minLength, minClasses, history } = await view(repositories);
    return { minLength, minClasses, history };
  }

  /**
   * Refuses `password` for the account (or a new account, `userId` null) with one Chinese
   * sentence per broken rule; the history rule verifies it against the last N hashes.
   */
  async function assertAcceptable(
    repositories: Repositories,
    user: { id: number | null; username: string },
    password: string,
    field = 'password',
  ): Promise<void> {
    const policy = await current(repositories);
    const problems = passwordProblems(password, user.username, policy);
    if (problems.length === 0 && user.id !== null && policy.history > 0) {
      for (const hash of await repositories.users.recentPasswordHashes(user.id, policy.history))
        if (await verifyPassword(hash, password)) {
          problems.push(`新密码不能与最近 ${policy.history} 次使用过的密码相同`);
          break;
        }
    }
    if (problems.length > 0)
      throw invalid('password_policy', `密码不符合要求：${problems.join('；')}`, {
        field,
        problems: problems.map((message) => ({ field, message })),
      });
  }

  /** The security admin changes the policy; audited with the old and new values. */
  async function update(actor: Actor, input: PasswordPolicy): Promise<PasswordPolicyView> {
    assertSecurityAdmin(actor, '修改密码策略');
    const problems: { field: string; message: string }[] = [];
    for (const [field, label] of [
      ['minLength', '最小长度'],
      ['minClasses', '字符类别数'],
      ['history', '历史密码个数'],
    ] as const) {
      const { min, max } = PasswordPolicyLimits[field];
      const value = input[field];
      if (!Number.isInteger(value) || value < min || value > max) problems.push({ field, message: `${label}须为 ${min}–${max} 的整数` });
    }
    if (problems.length > 0) throw invalid('password_policy_invalid', `密码策略不正确：${problems.map((p) => p.message).join('；')}`, { problems });
    const at = clock().toISOString();
    const policy: PasswordPolicy = { minLength: input.minLength, minClasses: input.minClasses, history: input.history };
    return inTransaction(database, async (repositories) => {
      const before = await current(repositories);
      await repositories.settings.putSetting(POLICY_KEY, JSON.stringify(policy), at, actorLabel(actor));
      await audit(repositories, actor, at, {
        action: 'settings.password_policy',
        objectType: 'settings',
        objectId: POLICY_KEY,
        result: 'success',
        detail: { before, after: policy },
      });
      return view(repositories);
    });
  }

  return { view, current, assertAcceptable, update };
}

export type PasswordPolicyService = ReturnType<typeof createPasswordPolicyService>;

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '@#%+=';

/**
 * A temporary password for `username`'s new account or reset: 14 characters of all four classes,
 * without look-alikes (l/1, O/0), so it can be read out on the phone. It meets any allowed policy
 * (14 ≥ the usual minimum; longer minimums get a longer password), including "not containing the
 * username": a short name such as "x3" turns up by chance in about one password in 150, and the
 * account's creation would then refuse its own password.
 */
export function temporaryPassword(username: string, minLength = 8): string {
  const length = Math.max(14, minLength);
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  const policy = { minLength: length, minClasses: 4, history: 0 };
  for (;;) {
    const chars = [LOWER, UPPER, DIGITS, SYMBOLS].map((set) => set[randomInt(set.length)]!);
    while (chars.length < length) chars.push(all[randomInt(all.length)]!);
    for (let i = chars.length - 1; i > 0; i -= 1) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const password = chars.join('');
    if (passwordProblems(password, username, policy).length === 0) return password;
  }
}
