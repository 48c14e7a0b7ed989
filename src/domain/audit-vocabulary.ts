/**
 * Every action the server writes to the audit log, with its Chinese name: one list for the
 * services (the audit helpers take an `AuditAction`, so a new action does not compile until it
 * has a name here) and for the 审计日志 screen (which shows the name beside the stored word).
 * `src/domain/audit-vocabulary.test.ts` also scans src/server for action strings, both ways.
 */
export const AUDIT_ACTION_LABELS = {
  'auth.login': '登录',
  'auth.logout': '退出',
  'auth.lock': '账号锁定',
  'auth.unlock': '账号解锁',
  'auth.session_end': '会话结束',
  'access.denied': '拒绝访问',
  'user.create': '创建账号',
  'user.disable': '停用账号',
  'user.enable': '启用账号',
  'user.password_change': '修改密码',
  'user.password_reset': '重置密码',
  'user.role_change': '变更角色',
  'user.totp_enable': '绑定动态验证码',
  'user.totp_reset': '解除动态验证码',
  'user.delivery': '设置提醒方式',
  'unit.create': '新增单位',
  'unit.update': '修改单位',
  'settings.password_policy': '修改密码策略',
  'settings.organisation_profile': '设置单位信息',
  'plan.import': '导入方案',
  'plan.export': '导出方案',
  'plan.create': '新建分工方案',
  'plan.copy': '复制分工方案',
  'plan.archive': '归档分工方案',
  'plan.chapter': '修改方案的章',
  'plan.section': '修改方案的节',
  'plan.task_add': '新增任务',
  'plan.task_edit': '修改任务',
  'plan.task_move': '移动任务',
  'plan.task_retire': '撤销任务',
  'round.open': '发起调度',
  'round.deadline': '修改截止时间',
  'round.close': '结束调度',
  'round.void': '作废调度',
  'round.extend': '延长单位截止时间',
  'unit.collective': '设置集体单位',
  'round.remind': '催办',
  'round.reminders': '设置催办提醒',
  'round.export': '导出调度文件',
  'notice.update': '保存通报',
  'notice.submit': '通报送核稿',
  'notice.review': '通报核稿',
  'notice.sign': '签发通报',
  'notice.return': '退回通报',
  'notice.reopen': '撤回签发',
  'answer.save': '保存填报',
  'answer.return': '退回单项填报',
  'answer.approve': '处室负责人审核单项',
  'answer.accept': '采纳单项填报',
  'attachment.upload': '上传佐证材料',
  'attachment.delete': '删除佐证材料',
  'answers.import_returned': '导入回传表',
  'submission.submit': '提交填报',
  'submission.approve': '审核通过',
  'submission.accept': '办公室采纳',
  'submission.return': '退回修改',
  'submission.reopen': '重新打开',
  'submission.approve_for_head': '办公室代处室负责人审核',
  'indicator.decide': '确认或更正指标',
  'indicator.actual': '确认指标实际值',
  'instruction.create': '领导批示',
  'instruction.feedback': '落实反馈',
  'explanation.request': '要求单位说明',
  'explanation.reply': '单位作出说明',
  'evaluation.export': '导出考核表',
  'audit.read': '查阅审计日志',
  'audit.export': '导出审计日志',
  'organisation.create': '创建组织',
  'organisation.archive': '归档组织',
  backup: '备份',
  restore: '恢复',
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;

export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];

/** What each object type of the audit rows is, in words (the screen's filter and its object column). */
export const AUDIT_OBJECT_LABELS: Record<string, string> = {
  user: '用户',
  unit: '处室',
  round: '调度轮次',
  notice: '通报',
  plan: '分工方案',
  task: '任务',
  answer: '填报',
  submission: '报送',
  unit_submission: '报送',
  settings: '设置',
  database: '数据库',
  audit_log: '审计日志',
  organisation: '组织',
  request: '请求',
  explanation: '说明要求',
};

/** The results services write, with the screen's name and tag colour. */
export const AUDIT_RESULT_LABELS: Record<string, { label: string; color: string }> = {
  success: { label: '成功', color: 'green' },
  ok: { label: '成功', color: 'green' },
  created: { label: '新建', color: 'green' },
  failure: { label: '失败', color: 'red' },
  failed: { label: '失败', color: 'red' },
  denied: { label: '拒绝', color: 'volcano' },
  rejected: { label: '被拒', color: 'volcano' },
  noop: { label: '无变化', color: 'default' },
  unchanged: { label: '无变化', color: 'default' },
};

/** `登录` for a known action, as the audit screen shows it (the stored word is for exports and filters); an unknown one as stored. */
export function auditActionName(action: string): string {
  return Object.hasOwn(AUDIT_ACTION_LABELS, action) ? AUDIT_ACTION_LABELS[action as AuditAction] : action;
}

/** `登录（auth.login）` for a known action; an unknown one (an older version's) as stored. */
export function auditActionLabel(action: string): string {
  return Object.hasOwn(AUDIT_ACTION_LABELS, action) ? `${AUDIT_ACTION_LABELS[action as AuditAction]}（${action}）` : action;
}
