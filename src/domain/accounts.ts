/**
 * Account rules shared by the server (user service, login) and the web forms: name limits and
 * the password policy of docs/promises.md (at least 8 characters, 3 of 4 character classes, not
 * containing the user name).
 */
export const AccountLimits = {
  /** Lower-case letters, digits, `.`, `_`, `-`; starts with a letter or digit. */
  username: { min: 2, max: 32, pattern: /^[a-z0-9][a-z0-9._-]*$/ },
  displayName: { max: 32 },
  phone: { max: 32 },
  /** argon2 hashes any length; the cap keeps one login from costing seconds of CPU. */
  password: { min: 8, max: 128, classes: 3 },
} as const;

/** Lower-cased and trimmed: `Office ` and `office` are one account. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

/**
 * The password policy in force (decision 010): defaults from the configuration, changed at run
 * time by the security admin. `history` is checked by the server only (it needs the old hashes).
 */
export interface PasswordPolicy {
  /** At least this many characters (never below 8). */
  minLength: number;
  /** Of the four classes: lower case, upper case, digits, symbols. */
  minClasses: number;
  /** Not one of the last this many passwords of the account (0: no check). */
  history: number;
}

/** The default policy of docs/promises.md: 8 characters, 3 of 4 classes, not the user name, not one of the last 5. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 8, minClasses: 3, history: 5 };

/** The bounds a policy may be set within (the security admin's form and the server agree). */
export const PasswordPolicyLimits = {
  minLength: { min: 8, max: 64 },
  minClasses: { min: 1, max: 4 },
  history: { min: 0, max: 24 },
} as const;

/** How many of the four character classes a password uses. */
export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((pattern) => pattern.test(password)).length;
}

/**
 * What is wrong with a new password, one Chinese sentence per broken rule, for the form and the
 * server alike; empty when it is acceptable. The history rule is the server's (see above).
 */
export function passwordProblems(password: string, username: string, policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): string[] {
  const problems: string[] = [];
  const min = Math.max(policy.minLength, AccountLimits.password.min);
  const { max } = AccountLimits.password;
  if (password.length < min) problems.push(`密码至少 ${min} 位（现为 ${password.length} 位）`);
  if (password.length > max) problems.push(`密码最多 ${max} 位`);
  if (characterClasses(password) < policy.minClasses)
    problems.push(`密码须包含大写字母、小写字母、数字、符号中的至少 ${policy.minClasses} 类（现为 ${characterClasses(password)} 类）`);
  const name = normaliseUsername(username);
  if (name.length > 0 && password.toLowerCase().includes(name)) problems.push('密码不能包含用户名');
  return problems;
}

/**
 * What a session may do before it is a full one: change the password chosen by someone else
 * (first login, after a reset), then — for the three admin roles — enrol a second factor.
 */
export type SessionRestriction = 'password_change' | 'totp_enrolment';
