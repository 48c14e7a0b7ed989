/** One audit event, as GET /api/audit shows it. */
export interface AuditEventView {
  id: number;
  /** ISO time (UTC) the event was written. */
  at: string;
  /** user, system (CLI, start-up) or anonymous (a login with no such account). */
  actorKind: string;
  /** The name written in the row: the login name, or system:<job> (older rows: sometimes the display name, or the job without `system:`). */
  actor: string;
  /** Who, as people read it: the account's display name (张敏), 系统（命令行）, or a login name as typed when no account has it. */
  actorLabel: string;
  /**
   * The person's login name: as written in the row (rows since decision 037), or the account's now
   * for older rows, which did not all keep it; null for system and anonymous rows.
   */
  actorLogin: string | null;
  /** 2 for rows written by the one audit writer (separate actor fields), 1 for older rows (decision 037). */
  chainFormat: number;
  userId: number | null;
  /** The account's login name now (null for system and anonymous rows). */
  username: string | null;
  /** The account's display name now. */
  userDisplayName: string | null;
  ip: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  /** What, as people read it: 任务“…”, 用户 张敏, 调度轮次“2017年第三季度”, 处室 环评处. */
  objectLabel: string;
  result: string;
  detail: Record<string, unknown>;
  hash: string;
}

/** GET /api/audit: one page, the total and the values the filters offer. */
export interface AuditPageView {
  events: AuditEventView[];
  total: number;
  page: number;
  pageSize: number;
}

/** GET /api/audit/vocabulary: what the action, result and object filters can pick from. */
export interface AuditVocabularyView {
  actions: string[];
  results: string[];
  objectTypes: string[];
}

/** Columns the audit list may be sorted by; anything else is refused (400). */
export const AUDIT_SORTS = ['id', 'at', 'actor_name', 'action', 'object_type', 'result', 'ip'] as const;
export type AuditSort = (typeof AUDIT_SORTS)[number];

export const AuditLimits = { pageSize: { max: 200, default: 50 }, exportRows: { max: 100_000 }, filterText: { max: 200 } } as const;

/** How long the audit log is kept at least (docs/promises.md; docs/decisions/009-audit-hash-chain.md). */
export const AUDIT_RETENTION_DAYS = 190;
