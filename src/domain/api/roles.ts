/**
 * Roles. One role per account: the three admin roles (三员) must never share an account,
 * and none of them enters business data (docs/promises.md).
 */
export const ROLES = ['office', 'reporter', 'unit_head', 'leader', 'system_admin', 'security_admin', 'audit_admin', 'platform_admin', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** Role names in neutral words; pages say them in the organisation's (roleLabelOf). */
export const ROLE_LABELS: Record<Role, string> = {
  office: '办公室（调度管理员）',
  reporter: '单位填报员',
  unit_head: '单位负责人',
  leader: '领导',
  system_admin: '系统管理员',
  security_admin: '安全管理员',
  audit_admin: '审计管理员',
  platform_admin: '平台管理员',
  supervisor: '省级督查员',
};

/** Roles bound to one unit: they see and write only that unit's answers. */
export const UNIT_ROLES: readonly Role[] = ['reporter', 'unit_head'];
/**
 * The admin roles: none enters business data, each must enrol TOTP, each comes from the CLI.
 * `platform_admin` (decision 028) creates and archives organisations, in the home store only.
 */
export const ADMIN_ROLES: readonly Role[] = ['system_admin', 'security_admin', 'audit_admin', 'platform_admin'];

/** A role's name in the organisation's words: 科室填报员 / 科室负责人 / 局领导 …; the others as ROLE_LABELS. */
export function roleLabelOf(role: Role, words: { leader: string; unit: string }): string {
  if (role === 'reporter') return `${words.unit}填报员`;
  if (role === 'unit_head') return `${words.unit}负责人`;
  if (role === 'leader') return words.leader;
  return ROLE_LABELS[role];
}
