/**
 * Account rules shared by the server (user service, login) and the web forms: name limits and
 * the password policy of QUALITY.md (at least 8 characters, 3 of 4 character classes, not
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

/** What is wrong with a new password, in Chinese for the form; empty when it is acceptable. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  const { min, max, classes } = AccountLimits.password;
  if (password.length < min) problems.push(`密码至少 ${min} 位`);
  if (password.length > max) problems.push(`密码最多 ${max} 位`);
  const present = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((pattern) => pattern.test(password)).length;
  if (present < classes) problems.push(`密码须包含大写字母、小写字母、数字、符号中的至少 ${classes} 类`);
  const name = normaliseUsername(username);
  if (name.length > 0 && password.toLowerCase().includes(name)) problems.push('密码不能包含用户名');
  return problems;
}
