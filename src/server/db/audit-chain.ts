import { hash } from 'node:crypto';

/**
 * The audit log's hash chain (docs/decisions/009-audit-hash-chain.md). Each row stores the
 * hash of the row before it (`prev_hash`) and its own `hash` = SHA-256 over a canonical
 * serialisation of its fields and `prev_hash`. Changing a row breaks its own hash; deleting or
 * reordering rows breaks the next row's link. The first row links to GENESIS_HASH.
 *
 * The serialisation is frozen per version: a JSON array, fields in the order below, nulls as
 * null. Changing one would make every stored chain unverifiable, so a new format gets a new
 * version tag, and the verifier knows both. Version 1 (until migration 025) covers the fields of
 * `ChainedFields` without the actor's login and display name; version 2 (decision 037) adds them
 * after the version-1 fields. A row says which it is in `chain_format` (1 for every row written
 * before 025); that column is inside the hash too, since the tag opens the serialised array.
 */

export const GENESIS_HASH = '0'.repeat(64);
export const CHAIN_FORMAT = 'diaodu.audit/1';
export const CHAIN_FORMAT_2 = 'diaodu.audit/2';
/** The format new rows are written in (decision 037). */
export const CURRENT_CHAIN_FORMAT = 2;

/** The fields a row's hash covers: everything but its id and its own hash. */
export type ChainedFields = {
  at: string;
  actor_kind: string;
  actor_name: string;
  user_id: number | null;
  ip: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  result: string;
  detail: string;
  prev_hash: string;
  /** 2 for rows written by the one audit writer (025, decision 037); 1 or absent for the rows before. */
  chain_format?: number | null;
  /** Version 2: the account's login name when a person acted, else null. */
  actor_login?: string | null;
  /** Version 2: the person's display name as it was when they acted, else null. */
  actor_display_name?: string | null;
};

export function canonicalAuditRow(row: ChainedFields): string {
  // Format 1's fields, in its order; format 2 tags itself and adds the actor's login and display name.
  const shared = [
    row.at,
    row.actor_kind,
    row.actor_name,
    row.user_id === null ? null : Number(row.user_id),
    row.ip,
    row.action,
    row.object_type,
    row.object_id,
    row.result,
    row.detail,
    row.prev_hash,
  ];
  if (Number(row.chain_format ?? 1) === 2) return JSON.stringify([CHAIN_FORMAT_2, ...shared, row.actor_login ?? null, row.actor_display_name ?? null]);
  return JSON.stringify([CHAIN_FORMAT, ...shared]);
}

export function auditRowHash(row: ChainedFields): string {
  return hash('sha256', canonicalAuditRow(row), 'hex');
}

/** Why a row breaks the chain, or null when it is intact. */
export type ChainBreak = { id: number; reason: 'link' | 'hash'; message: string };

/** Checks one row against the hash of the row before it. */
export function checkChainedRow(row: ChainedFields & { id: number; hash: string }, expectedPrev: string): ChainBreak | null {
  if (row.prev_hash !== expectedPrev)
    return {
      id: row.id,
      reason: 'link',
      message: `第 ${row.id} 条的 prev_hash 与前一条的哈希不符：其前的记录被删除、插入或改动 (row ${row.id}: prev_hash does not match the previous row's hash — a row before it was deleted, inserted or changed)`,
    };
  if (auditRowHash(row) !== row.hash)
    return {
      id: row.id,
      reason: 'hash',
      message: `第 ${row.id} 条的内容与其哈希不符：该记录被改动`,
    };
  return null;
}
