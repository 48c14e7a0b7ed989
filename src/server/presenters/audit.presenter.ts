import type { AuditEventView } from '../../domain/api/audit-view.ts';
import { AUDIT_OBJECT_LABELS } from '../../domain/audit-vocabulary.ts';
import type { AuditEventWithUser, AuditObjectIds, AuditObjectNames } from '../db/repositories/audit.repository.ts';

/**
 * One audit row as the audit screen shows it. People by name (张敏), things by what they are
 * (任务“…”, 用户 张敏, 调度轮次“2017年第三季度”, 处室 环评处), looked up now beside the row: the
 * row itself, hash-chained, keeps the login name and ids it was written with.
 */
export function presentAuditEvent(row: AuditEventWithUser, names: AuditObjectNames = NO_NAMES): AuditEventView {
  return {
    id: Number(row.id),
    at: row.at,
    actorKind: row.actor_kind,
    actor: row.actor_name,
    actorLabel: actorLabelOf(row),
    actorLogin: row.actor_login ?? (row.actor_kind === 'user' ? row.username : null),
    chainFormat: Number(row.chain_format ?? 1),
    userId: row.user_id === null ? null : Number(row.user_id),
    username: row.username,
    userDisplayName: row.user_display_name,
    ip: row.ip,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    objectLabel: objectLabelOf(row.object_type, row.object_id, names),
    result: row.result,
    detail: parseDetail(row.detail),
    hash: row.hash,
  };
}

/** The ids a page of rows refers to, for `auditObjectNames`. */
export function auditObjectIds(rows: readonly AuditEventWithUser[]): AuditObjectIds {
  const ids: AuditObjectIds = { users: [], units: [], rounds: [], plans: [], tasks: [], submissions: [] };
  for (const row of rows) {
    const parts = (row.object_id ?? '').split('/').map(idOf);
    const [first, second, third] = parts;
    switch (row.object_type) {
      case 'user':
        if (first != null) ids.users.push(first);
        break;
      case 'unit':
        if (first != null) ids.units.push(first);
        break;
      case 'round':
      case 'notice':
        if (first != null) ids.rounds.push(first);
        break;
      case 'plan':
        if (first != null) ids.plans.push(first);
        break;
      case 'task':
        if (first != null) ids.tasks.push(first);
        break;
      case 'unit_submission':
        if (first != null) ids.submissions.push(first);
        break;
      case 'submission':
        if (first != null) ids.rounds.push(first);
        if (second != null) ids.units.push(second);
        break;
      case 'answer':
        if (first != null) ids.rounds.push(first);
        if (second != null) ids.tasks.push(second);
        if (third != null) ids.units.push(third);
        break;
    }
  }
  return ids;
}

const NO_NAMES: AuditObjectNames = { users: new Map(), units: new Map(), rounds: new Map(), plans: new Map(), tasks: new Map(), submissions: new Map() };

/** The names the system's own jobs act under (`system:<job>` in the rows). */
const SYSTEM_JOBS: Record<string, string> = { cli: '命令行', demo: '演示数据', 'backup-job': '定时备份', test: '测试' };

/**
 * Who acted. Rows from the one writer (chain format 2, decision 037) carry the person's display
 * name as it was when they acted: that is shown. Older rows wrote a login name or a display name
 * in `actor_name`, depending on the service: they show the account's display name now, as before.
 * A system job by what it is (old rows wrote `test` or `system:test`: both read 系统（测试）); an
 * unknown login as typed.
 */
function actorLabelOf(row: AuditEventWithUser): string {
  if (row.actor_kind === 'system') {
    const job = row.actor_name.replace(/^system:/, '');
    return `系统（${SYSTEM_JOBS[job] ?? job}）`;
  }
  if (row.actor_display_name) return row.actor_display_name;
  if (row.user_display_name) return row.user_display_name;
  return row.actor_name || '—';
}

function idOf(text: string): number | null {
  return /^[1-9]\d{0,15}$/.test(text) ? Number(text) : null;
}

/** A task as people find it: its number in the plan and the start of its text. */
function taskLabel(task: { position: number; text: string } | undefined, id: number | null): string {
  if (!task) return id === null ? '任务' : `任务（编号 ${id}，已不存在）`;
  const text = task.text.replace(/\s+/g, ' ').trim();
  return `第${task.position}项任务“${text.length > 24 ? `${text.slice(0, 24)}…` : text}”`;
}

function objectLabelOf(type: string, objectId: string | null, names: AuditObjectNames): string {
  const parts = (objectId ?? '').split('/').map(idOf);
  const [first = null, second = null, third = null] = parts;
  const gone = (what: string, id: number | null) => (id === null ? what : `${what}（编号 ${id}，已不存在）`);
  const user = (id: number | null) => (id !== null && names.users.has(id) ? `用户 ${names.users.get(id)!}` : gone('用户', id));
  const unit = (id: number | null) => (id !== null && names.units.has(id) ? `处室 ${names.units.get(id)!}` : gone('处室', id));
  const round = (id: number | null) => (id !== null && names.rounds.has(id) ? `调度轮次“${names.rounds.get(id)!}”` : gone('调度轮次', id));
  const unitName = (id: number | null) => (id !== null && names.units.has(id) ? names.units.get(id)! : gone('处室', id));
  switch (type) {
    case 'user':
      return user(first);
    case 'unit':
      return unit(first);
    case 'round':
      return round(first);
    case 'notice':
      return `${round(first)}的通报`;
    case 'plan':
      return first !== null && names.plans.has(first) ? `分工方案“${names.plans.get(first)!}”` : gone('分工方案', first);
    case 'task':
      return taskLabel(first === null ? undefined : names.tasks.get(first), first);
    case 'unit_submission': {
      const submission = first === null ? undefined : names.submissions.get(first);
      return submission ? `${unitName(submission.unitId)}在${round(submission.roundId)}的报送` : gone('报送', first);
    }
    case 'submission':
      return `${unitName(second)}在${round(first)}的报送`;
    case 'answer':
      return `${unitName(third)}对${taskLabel(second === null ? undefined : names.tasks.get(second), second)}的填报（${round(first)}）`;
    case 'settings':
      return `设置：${SETTING_LABELS[objectId ?? ''] ?? objectId ?? ''}`;
    case 'request':
      return objectId ? `请求 ${objectId}` : '请求';
    default: {
      const label = AUDIT_OBJECT_LABELS[type] ?? type;
      return objectId ? `${label} ${objectId}` : label;
    }
  }
}

const SETTING_LABELS: Record<string, string> = { password_policy: '密码策略', organisation_profile: '单位信息' };

function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { text };
  }
}
