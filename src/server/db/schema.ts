import type { Generated, Insertable, Selectable } from 'kysely';
import type { AccountTables } from './schema-accounts.ts';
import type { RoundWorkTables } from './schema-round-work.ts';
import type { SearchTables } from './schema-search.ts';
import type { AttachmentTables } from './schema-attachments.ts';
import type { ProfileTables } from './schema-profile.ts';
import type { OrganisationTables } from './schema-organisations.ts';
import type { SignoffTables } from './schema-signoff.ts';
import type { InsightTables } from './schema-insights.ts';
import type { ExplanationTables } from './schema-explanations.ts';
import type { AddressTables } from './schema-addresses.ts';
import type { DeliveryTables } from './schema-delivery.ts';
import type { ExportTables } from './schema-exports.ts';

/**
 * Table types for kysely, written by hand to match `migrations/`. One interface serves both
 * engines, so columns use only types both store alike: integers, text, ISO-8601 timestamps
 * as text, JSON as text (see docs/decisions/002-one-migration-set-for-sqlite-and-postgres.md).
 */

export interface UnitsTable {
  id: Generated<number>;
  name: string;
  created_at: string;
  /** Contact phone shown on the chasing board (003). */
  phone: string | null;
  /** 1 for a collective name (各处(室), 直属单位 …) nobody logs in for (012): never chased itself. */
  collective: Generated<number>;
}

/** Organisation-wide short names, e.g. `总队` → `监察总队`: one alias names one unit. */
export interface UnitAliasesTable {
  alias: string;
  unit_id: number;
  created_at: string;
}

export interface LeadersTable {
  id: Generated<number>;
  name: string;
  created_at: string;
}

/** Provincial lead departments (省级牵头部门). */
export interface DepartmentsTable {
  id: Generated<number>;
  name: string;
  created_at: string;
}

export interface PlansTable {
  id: Generated<number>;
  /** `doc:<document number>` when the plan has one, else `title:<title>`: how a re-import finds it. */
  identity_key: string;
  title: string;
  doc_number: string | null;
  created_at: string;
  /** 归档 (020): no new rounds, hidden from the default list. */
  archived_at: string | null;
  /** The plan this one was copied from (020), whose last round a first round may 沿用. */
  copied_from_plan_id: number | null;
}

export interface ChaptersTable {
  id: Generated<number>;
  plan_id: number;
  number: number;
  title: string;
  position: number;
  /** Withdrawn (020). */
  retired_at: string | null;
}

export interface SectionsTable {
  id: Generated<number>;
  chapter_id: number;
  number: number;
  title: string;
  position: number;
  /** Withdrawn (020). */
  retired_at: string | null;
}

export interface TasksTable {
  id: Generated<number>;
  plan_id: number;
  section_id: number;
  /** Order in the whole plan, from 1. */
  position: number;
  text: string;
  lead_department_id: number | null;
  /** 完成时限 as the table wrote it (migration 017); null when it has none. */
  due: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** The id every version of this task shares (020): the first version's id. */
  lineage: number | null;
  /** Not in future rounds (020): withdrawn, or replaced by a new version (`replaced_by`). */
  retired_at: string | null;
  replaced_by: number | null;
}

export interface TaskLeadersTable {
  task_id: number;
  leader_id: number;
  position: number;
}

export interface TaskUnitsTable {
  task_id: number;
  unit_id: number;
  position: number;
  role: 'lead' | 'co';
}

export interface RoundsTable {
  id: Generated<number>;
  plan_id: number;
  label: string;
  period_start: string | null;
  period_end: string | null;
  deadline: string | null;
  status: string;
  /** JSON array of strings: warnings about the round's document as a whole. */
  warnings: string;
  created_at: string;
  /** Round run in the app (003). */
  note: string | null;
  requires_approval: Generated<number>;
  opened_at: string | null;
  closed_at: string | null;
  opened_by: string | null;
  /** Voided (作废) by the office before any unit saved anything (012): status 'void'. */
  voided_at: string | null;
  voided_by: string | null;
  void_reason: string | null;
}

/** The tasks a round covers, with the warnings the round's document raised about each. */
export interface RoundTasksTable {
  round_id: number;
  task_id: number;
  /** JSON array of strings. */
  warnings: string;
}

/** The aliases a round's document used, in its order, so an export gives them back. */
export interface RoundUnitAliasesTable {
  round_id: number;
  position: number;
  alias: string;
  unit_id: number;
}

export interface ProgressEntriesTable {
  id: Generated<number>;
  round_id: number;
  task_id: number;
  /** Null where the document did not say which unit wrote the entry (never guessed). */
  unit_id: number | null;
  position: number;
  text: string;
  status: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** Why 滞后/暂缓 (003). */
  reason: string | null;
  updated_by: string | null;
  /** 011: the review of this answer: null (not yet reviewed) | returned | approved (unit head) | accepted (office). */
  review_state: string | null;
  /** 011: the reviewer's comment (required when returned; kept after a resubmit as the last one). */
  review_comment: string | null;
  reviewed_at: string | null;
  /** 011: the reviewer's display name. */
  reviewed_by: string | null;
  /** 沿用上轮: the earlier round whose text this answer was started from (013). */
  copied_from_round_id: number | null;
  /** For a copied answer, 1 while the saved text is exactly that round's, else 0 (013). */
  copied_unchanged: number | null;
  /** The name the document wrote in the entry's bracket when it is not the unit's (`总队`), else null (015). */
  attribution: string | null;
}

export interface NoticesTable {
  id: Generated<number>;
  round_id: number;
  issuing_office: string | null;
  doc_number: string | null;
  title: string | null;
  recipients: string | null;
  /** JSON array of paragraphs. */
  body: string;
  attachment: string | null;
  issuer: string | null;
  date: string | null;
  contact_unit: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  /** JSON array of strings. */
  cc: string;
  printed_by: string | null;
  printed_date: string | null;
  /** Optimistic-save counter (008): 1 when stored, +1 on every save. */
  version: Generated<number>;
  /** Last save in the app (008); null for a notice that came with an import. */
  updated_at: string | null;
  updated_by: string | null;
}

export interface ImportsTable {
  id: Generated<number>;
  content_hash: string;
  source_name: string;
  plan_id: number;
  round_id: number;
  status: string;
  created_at: string;
}

/** Append-only: triggers refuse UPDATE and DELETE. */
export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  actor_kind: string;
  actor_name: string;
  user_id: number | null;
  action: string;
  object_type: string;
  object_id: string | null;
  result: string;
  /** JSON object. */
  detail: string;
  /** The client's address when written during a request (007); null from the CLI. */
  ip: string | null;
  /** The previous row's `hash` (007; docs/decisions/009-audit-hash-chain.md). */
  prev_hash: string;
  /** SHA-256 over this row's fields and `prev_hash` (src/server/db/audit-chain.ts). */
  hash: string;
  /** Which serialisation `hash` covers (025, decision 037): 1 for rows written before, 2 after. */
  chain_format: Generated<number>;
  /** A person's login name as it was when they acted (025); null for system actors, failed logins and old rows. */
  actor_login: string | null;
  /** A person's display name as it was when they acted (025); null for system actors, failed logins and old rows. */
  actor_display_name: string | null;
}

/** Every change of a plan (020): who, when, why, and what changed (JSON array of {field, from, to}). */
export interface PlanRevisionsTable {
  id: Generated<number>;
  plan_id: number;
  /** plan | chapter | section | task */
  object_type: string;
  /** The row the change produced or acted on (for a task: its new version). */
  object_id: number;
  /** A task's lineage, so its history gathers every version. */
  lineage: number | null;
  kind: string;
  changes: string;
  /** The plan's newest round when the change was made: the change applies from the first round after it. */
  last_round_id: number | null;
  reason: string;
  author_user_id: number | null;
  author_name: string;
  at: string;
}

export interface DB
  extends
    AccountTables,
    RoundWorkTables,
    SearchTables,
    AttachmentTables,
    SignoffTables,
    ProfileTables,
    OrganisationTables,
    InsightTables,
    ExplanationTables,
    AddressTables,
    DeliveryTables,
    ExportTables {
  units: UnitsTable;
  unit_aliases: UnitAliasesTable;
  leaders: LeadersTable;
  departments: DepartmentsTable;
  plans: PlansTable;
  chapters: ChaptersTable;
  sections: SectionsTable;
  tasks: TasksTable;
  task_leaders: TaskLeadersTable;
  task_units: TaskUnitsTable;
  rounds: RoundsTable;
  round_tasks: RoundTasksTable;
  round_unit_aliases: RoundUnitAliasesTable;
  progress_entries: ProgressEntriesTable;
  notices: NoticesTable;
  imports: ImportsTable;
  audit_events: AuditEventsTable;
  plan_revisions: PlanRevisionsTable;
}

export type PlanRow = Selectable<PlansTable>;
export type RoundRow = Selectable<RoundsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
/** What a service writes; the repository adds the client's address and the chain. */
export type NewAuditEvent = Omit<Insertable<AuditEventsTable>, 'id' | 'ip' | 'prev_hash' | 'hash' | 'chain_format'> & { ip: string | null };
