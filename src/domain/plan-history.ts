import { formatDateZh } from './dates.ts';

/** One field a revision changed, as stored in `plan_revisions.changes`. */
export type RevisionChange = { field: string; from: unknown; to: unknown };

/** What the history names a field. */
const FIELD_WORDS: Record<string, string> = {
  text: '任务内容',
  leadDepartment: '牵头部门',
  leaders: '牵头领导',
  units: '责任单位',
  due: '完成时限',
  title: '标题',
};

/** A unit list as stored in a revision: `[{ name, role }]`, the lead unit marked. */
function unitsText(value: unknown): string {
  if (!Array.isArray(value) || value.length === 0) return '无';
  return value.map((unit: { name?: unknown; role?: unknown }) => `${String(unit.name)}${unit.role === 'lead' ? '（牵头）' : ''}`).join('、');
}

function valueText(field: string, value: unknown): string {
  if (field === 'units') return unitsText(value);
  if (Array.isArray(value)) return value.length === 0 ? '无' : value.map(String).join('、');
  if (value === null || value === undefined || value === '') return '无';
  const text = String(value);
  return field === 'text' ? `“${text.length > 40 ? `${text.slice(0, 40)}…` : text}”` : text;
}

/** `牵头部门由省发展改革委改为省经济和信息化委`, one change of a revision. */
export function describeChange(change: RevisionChange): string {
  if (change.field === 'section') return `由“${String(change.from)}”移至“${String(change.to)}”`;
  const word = FIELD_WORDS[change.field] ?? change.field;
  if (change.from === null || (Array.isArray(change.from) && change.from.length === 0)) return `${word}设为${valueText(change.field, change.to)}`;
  if (change.to === null || (Array.isArray(change.to) && change.to.length === 0)) return `不再设${word}（原为${valueText(change.field, change.from)}）`;
  return `${word}由${valueText(change.field, change.from)}改为${valueText(change.field, change.to)}`;
}

/**
 * A task's change as its page tells it:
 * `自2017年第三季度起牵头部门由省发展改革委改为省经济和信息化委（张敏，2017年9月1日，原因：机构调整）`.
 * `appliesFrom` is the first round opened after the change; none yet: 自下一轮起.
 */
export function historySentence(
  revision: { kind: string; changes: readonly RevisionChange[]; author: string; at: string; reason: string },
  appliesFrom: string | null,
  timeZone?: string,
): string {
  const from = appliesFrom === null ? '自下一轮起' : `自${appliesFrom}起`;
  const what =
    revision.kind === 'task.add'
      ? '新增该任务'
      : revision.kind === 'task.retire'
        ? '撤销该任务'
        : revision.kind === 'task.copy'
          ? '由上一年度分工方案复制而来'
          : revision.changes.map(describeChange).join('；');
  return `${from}${what}（${revision.author}，${formatDateZh(revision.at, timeZone)}，原因：${revision.reason}）`;
}
