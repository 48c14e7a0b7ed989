import type { Kysely } from 'kysely';
import { autoId } from './dialect-helpers.ts';

/**
 * The sign-off of a round's notice (拟稿 → 核稿 → 签发, issue 13; docs/decisions/025).
 *
 * - `notice_signoffs`: one row per round once its notice is first sent for review: where it is
 *   (`drafting` after a return or a re-open, `reviewing`, `signing`, `signed`), who drafted it,
 *   who reviews and who signs it (chosen by the previous step, with their display names as they
 *   were), when each acted, the leader's opinion, the 印数 (copies) of the 发文稿纸, and the
 *   SHA-256 of what was signed (the notice and its compiled table) so a later change is seen.
 *   `version` counts transitions: a step taken on a stale view is refused.
 * - `notice_signoff_events`: the history the notice page shows (each step, each return with
 *   its comment). The audit log holds the same events in its hash chain.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notice_signoffs')
    .addColumn('round_id', 'integer', (c) => c.primaryKey().references('rounds.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('copies', 'integer')
    .addColumn('drafter_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('drafter_name', 'text')
    .addColumn('drafted_at', 'text')
    .addColumn('reviewer_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('reviewer_name', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('review_opinion', 'text')
    .addColumn('signer_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('signer_name', 'text')
    .addColumn('signed_at', 'text')
    .addColumn('sign_opinion', 'text')
    .addColumn('fingerprint', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notice_signoff_events')
    .addColumn('id', 'integer', autoId(db))
    .addColumn('round_id', 'integer', (c) => c.notNull().references('rounds.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notice_signoff_events_round').on('notice_signoff_events').columns(['round_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notice_signoff_events').execute();
  await db.schema.dropTable('notice_signoffs').execute();
}
