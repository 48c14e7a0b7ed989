import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import { dialectOf } from './database.ts';
import * as foundation from './migrations/001_foundation.ts';
import * as accounts from './migrations/002_accounts.ts';
import * as roundWork from './migrations/003_round_work.ts';
import * as search from './migrations/004_search.ts';
import * as auditChain from './migrations/007_audit_chain.ts';
import * as identity from './migrations/006_identity.ts';
import * as noticeVersions from './migrations/008_notice_versions.ts';
import * as deferredProgressSearch from './migrations/009_deferred_progress_search.ts';
import * as sqliteAuditChainWithoutPrevHashIndex from './migrations/010_sqlite_audit_chain_without_prev_hash_index.ts';
import * as reviewPerAnswer from './migrations/011_review_per_answer.ts';
import * as roundSafety from './migrations/012_round_safety.ts';
import * as answerCopiesAndAttachments from './migrations/013_answer_copies_and_attachments.ts';
import * as notificationReads from './migrations/014_notification_reads.ts';
import * as writtenAttributions from './migrations/015_written_attributions.ts';
import * as noticeSignoff from './migrations/016_notice_signoff.ts';
import * as taskDue from './migrations/017_task_due.ts';
import * as organisationProfile from './migrations/018_organisation_profile.ts';
import * as organisations from './migrations/019_organisations.ts';
import * as planRevisions from './migrations/020_plan_revisions.ts';
import * as insightDecisions from './migrations/021_insight_decisions.ts';
import * as explanationRequests from './migrations/022_explanation_requests.ts';
import * as outbox from './migrations/023_outbox.ts';
import * as deliveryAddresses from './migrations/024_delivery_addresses.ts';
import * as auditActorFields from './migrations/025_audit_actor_fields.ts';
import * as exportJobs from './migrations/026_export_jobs.ts';
import * as changeNotices from './migrations/027_change_notices.ts';

/**
 * Every migration, listed by hand: one set for both engines, no directory scanning (which
 * breaks once the code is bundled and would pick up helper files). Names sort in run order.
 */
const migrations: Record<string, Migration> = {
  '001_foundation': foundation,
  '002_accounts': accounts,
  '003_round_work': roundWork,
  '004_search': search,
  '007_audit_chain': auditChain,
  '006_identity': identity,
  '008_notice_versions': noticeVersions,
  '009_deferred_progress_search': deferredProgressSearch,
  '010_sqlite_audit_chain_without_prev_hash_index': sqliteAuditChainWithoutPrevHashIndex,
  '011_review_per_answer': reviewPerAnswer,
  '012_round_safety': roundSafety,
  '013_answer_copies_and_attachments': answerCopiesAndAttachments,
  '014_notification_reads': notificationReads,
  '015_written_attributions': writtenAttributions,
  '016_notice_signoff': noticeSignoff,
  '017_task_due': taskDue,
  '018_organisation_profile': organisationProfile,
  '019_organisations': organisations,
  '020_plan_revisions': planRevisions,
  '021_insight_decisions': insightDecisions,
  '022_explanation_requests': explanationRequests,
  '023_outbox': outbox,
  '024_delivery_addresses': deliveryAddresses,
  '025_audit_actor_fields': auditActorFields,
  '026_export_jobs': exportJobs,
  '027_change_notices': changeNotices,
};

/** The names of every migration, in run order. */
export const migrationNames: readonly string[] = Object.keys(migrations).sort();

const provider: MigrationProvider = { getMigrations: async () => migrations };

export type MigrationReport = { applied: string[] };

/** Brings the schema up to date; throws (and leaves the failed migration rolled back) on error. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator runs on any schema type
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider, migrationTableSchema: await migrationSchema(db) });
  let { error, results } = await migrator.migrateToLatest();
  // kysely looks for its bookkeeping table by introspecting every schema of the database; on
  // PostgreSQL a schema dropped meanwhile (another organisation's store discarded, a test run's
  // schema cleaned up) fails that read with 3F000, 42P01 or 42703 when the schema, a table or a
  // column goes between listing and reading, before anything of ours ran. Reading again is safe.
  for (let attempt = 1; attempt < 4 && isSchemaDroppedMeanwhile(error, results); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    ({ error, results } = await migrator.migrateToLatest());
  }
  // The cause's own words go into the message: a CLI prints only the message, and without them a
  // failure before the first migration (a lock, a permission, a lost connection) cannot be told apart.
  if (error) throw new Error(`migration failed: ${describe(results)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  return { applied: (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName) };
}

/**
 * On PostgreSQL, kysely looks for its bookkeeping tables in every schema unless told which:
 * with two deployments (or test runs) in one database it would find the other's tables.
 * Pinning it to the schema the connection writes to keeps each schema's history its own.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
async function migrationSchema(db: Kysely<any>): Promise<string | undefined> {
  if (dialectOf(db) === 'sqlite') return undefined;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('PostgreSQL search_path names no existing schema to migrate');
  return schema;
}

/** invalid_schema_name, undefined_table, undefined_column: what a read of a catalog row dropped meanwhile gives. */
export const CATALOG_RACE_CODES: ReadonlySet<string> = new Set(['3F000', '42P01', '42703']);

function isSchemaDroppedMeanwhile(error: unknown, results: MigrationResult[] | undefined): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  const noneRan = !results?.some((result) => result.status !== 'NotExecuted');
  return noneRan && typeof code === 'string' && CATALOG_RACE_CODES.has(code);
}

function describe(results: MigrationResult[] | undefined): string {
  const failed = results?.find((result) => result.status === 'Error');
  return failed ? failed.migrationName : 'before any migration ran';
}
