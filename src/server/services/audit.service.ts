import type { Actor } from '../../domain/actor.ts';
import { AUDIT_SORTS, AuditLimits, type AuditPageView, type AuditSort, type AuditVocabularyView } from '../../domain/api/audit-view.ts';
import { invalid } from '../../domain/errors.ts';
import { checkChainedRow, GENESIS_HASH, type ChainBreak } from '../db/audit-chain.ts';
import type { Database } from '../db/database.ts';
import type { AuditEventWithUser, AuditQuery } from '../db/repositories/audit.repository.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { assertCanReadAudit } from '../policies/audit.policy.ts';
import { auditObjectIds, presentAuditEvent } from '../presenters/audit.presenter.ts';
import { audit } from './audit-writer.ts';

export interface AuditServiceDeps {
  database: Database;
  now?: () => Date;
}

export type AuditListInput = AuditQuery & { sort?: AuditSort; order?: 'asc' | 'desc'; page?: number; pageSize?: number };

/** What `diaodu audit verify` reports: the chain's length and head, and the first break if any. */
export type ChainReport = { ok: true; count: number; head: string } | { ok: false; count: number; broken: ChainBreak };

/** A CSV export: the file's name and bytes (UTF-8 with BOM, so Excel reads the Chinese). */
export type AuditExport = { fileName: string; bytes: Buffer; rows: number };

const VERIFY_BATCH = 1000;

/**
 * Reading, exporting and verifying the audit log. Only the audit admin (and the CLI's system
 * actor) may; each query and each export is itself audited, in the transaction that reads the rows.
 */
export function createAuditService(deps: AuditServiceDeps) {
  const { database } = deps;
  const now = deps.now ?? (() => new Date());

  async function list(actor: Actor, input: AuditListInput): Promise<AuditPageView> {
    assertCanReadAudit(actor);
    const query = normaliseQuery(input);
    const sort = input.sort ?? 'id';
    if (!AUDIT_SORTS.includes(sort)) throw invalid('audit_sort_invalid', `不能按“${String(sort)}”排序`, { field: 'sort', allowed: AUDIT_SORTS });
    const page = Math.max(1, Math.trunc(input.page ?? 1));
    const pageSize = Math.min(AuditLimits.pageSize.max, Math.max(1, Math.trunc(input.pageSize ?? AuditLimits.pageSize.default)));
    const order = input.order ?? 'desc';
    // Every query of the log is itself audited (等保 8.1.5.2 a: the audit admin's operations are
    // audited; decision 009), in the transaction that reads the page, so the row is written after
    // the read and is never on the page it describes.
    const { rows, total, names } = await inTransaction(database, async (repositories) => {
      const found = await repositories.audit.searchAuditEvents(query, { sort, order, offset: (page - 1) * pageSize, limit: pageSize });
      const names = await repositories.audit.auditObjectNames(auditObjectIds(found.rows));
      await audit(repositories, actor, now(), {
        action: 'audit.read',
        objectType: 'audit_log',
        objectId: null,
        result: 'success',
        detail: { filter: query, sort, order, page, pageSize, total: found.total, shown: found.rows.length },
      });
      return { ...found, names };
    });
    return { events: rows.map((row) => presentAuditEvent(row, names)), total, page, pageSize };
  }

  async function vocabulary(actor: Actor): Promise<AuditVocabularyView> {
    assertCanReadAudit(actor);
    return inReadTransaction(database, (repositories) => repositories.audit.auditVocabulary());
  }

  /**
   * The matching events as CSV, oldest first, at most AuditLimits.exportRows of them (more is
   * refused: narrow the filter). Every cell that a spreadsheet would read as a formula
   * (= + - @, tab, CR, and their full-width forms) is prefixed with an apostrophe.
   */
  async function exportCsv(actor: Actor, input: AuditQuery): Promise<AuditExport> {
    assertCanReadAudit(actor);
    const query = normaliseQuery(input);
    const at = now();
    return inTransaction(database, async (repositories) => {
      const rows: AuditEventWithUser[] = [];
      let after = 0;
      for (;;) {
        const batch = await repositories.audit.auditEventsAfter(query, after, VERIFY_BATCH);
        rows.push(...batch);
        if (rows.length > AuditLimits.exportRows.max)
          throw invalid('audit_export_too_large', `符合条件的审计记录超过 ${AuditLimits.exportRows.max} 条，请缩小时间范围或筛选条件`, {
            max: AuditLimits.exportRows.max,
          });
        if (batch.length < VERIFY_BATCH) break;
        after = Number(batch[batch.length - 1]!.id);
      }
      await audit(repositories, actor, at, {
        action: 'audit.export',
        objectType: 'audit_log',
        objectId: null,
        result: 'success',
        detail: { rows: rows.length, filter: query },
      });
      const stamp = at.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
      return { fileName: `审计日志-${stamp}.csv`, bytes: Buffer.from(`\uFEFF${toCsv(rows)}`, 'utf8'), rows: rows.length };
    });
  }

  /**
   * Walks the whole chain in id order: each row must link to the previous row's hash and its
   * contents must hash to its `hash`. Stops at the first break. Deleting the newest rows leaves
   * a shorter chain that still verifies: compare `head` with one noted earlier to see that.
   */
  async function verify(actor: Actor): Promise<ChainReport> {
    assertCanReadAudit(actor);
    return inReadTransaction(database, async (repositories) => {
      let prev = GENESIS_HASH;
      let count = 0;
      let after = 0;
      for (;;) {
        const batch = await repositories.audit.chainAfter(after, VERIFY_BATCH);
        for (const row of batch) {
          const broken = checkChainedRow({ ...row, id: Number(row.id) }, prev);
          if (broken) return { ok: false as const, count, broken };
          prev = row.hash;
          count += 1;
        }
        if (batch.length < VERIFY_BATCH) return { ok: true as const, count, head: prev };
        after = Number(batch[batch.length - 1]!.id);
      }
    });
  }

  return { list, vocabulary, exportCsv, verify };
}

export type AuditService = ReturnType<typeof createAuditService>;

/** Times become ISO UTC (the stored form, so text comparison orders them); empty filters are dropped. */
function normaliseQuery(input: AuditQuery): AuditQuery {
  const time = (value: string | undefined, field: 'from' | 'to') => {
    if (value === undefined || value === '') return undefined;
    const parsed = new Date(value);
    if (Number.isNaN(parsed.getTime())) throw invalid('audit_filter_invalid', `时间“${value}”无法识别`, { field });
    return parsed.toISOString();
  };
  const text = (value: string | undefined, field: string) => {
    const trimmed = value?.trim();
    if (!trimmed) return undefined;
    if (trimmed.length > AuditLimits.filterText.max)
      throw invalid('audit_filter_invalid', `筛选条件 ${field} 过长（最多 ${AuditLimits.filterText.max} 字）`, { field });
    return trimmed;
  };
  return {
    from: time(input.from, 'from'),
    to: time(input.to, 'to'),
    user: text(input.user, 'user'),
    action: text(input.action, 'action'),
    objectType: text(input.objectType, 'objectType'),
    objectId: text(input.objectId, 'objectId'),
    result: text(input.result, 'result'),
    ip: text(input.ip, 'ip'),
  };
}

const CSV_HEADER = [
  '编号',
  '时间(UTC)',
  '用户',
  '账号',
  '用户类型',
  'IP',
  '操作',
  '对象类型',
  '对象',
  '结果',
  '详情',
  '哈希',
  '记录时的账号',
  '记录时的姓名',
  '哈希格式',
];

function toCsv(rows: readonly AuditEventWithUser[]): string {
  const lines = [CSV_HEADER.map(csvCell).join(',')];
  for (const row of rows)
    lines.push(
      [
        row.id,
        row.at,
        row.actor_name,
        row.username,
        row.actor_kind,
        row.ip,
        row.action,
        row.object_type,
        row.object_id,
        row.result,
        row.detail,
        row.hash,
        row.actor_login,
        row.actor_display_name,
        row.chain_format,
      ]
        .map((value) => csvCell(value === null ? '' : String(value)))
        .join(','),
    );
  return `${lines.join('\r\n')}\r\n`;
}

/** Cells a spreadsheet would evaluate start with one of these (full-width forms too: Excel folds them). */
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

/** One CSV cell: formula starts defused with an apostrophe, control characters dropped, always quoted. */
export function csvCell(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  const clean = value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
  const safe = FORMULA_START.test(clean) ? `'${clean}` : clean;
  return `"${safe.replace(/"/g, '""')}"`;
}
