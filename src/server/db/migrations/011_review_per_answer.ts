import { sql, type Kysely } from 'kysely';

/**
 * Review per answer, late submits and per-unit deadlines.
 *
 * - `progress_entries.review_state` (null: not yet reviewed | returned | approved | accepted),
 *   with the reviewer's comment, time and name: the office (and the unit head before it) returns
 *   or accepts single answers; the unit's submission state follows from them.
 * - `unit_submissions.submitted_late` (1 when the last submit came after the unit's deadline),
 *   `unit_submissions.deadline` (a unit's own deadline, null: the round's) and
 *   `unit_submissions.note` (why the submission took the path it took, e.g. a unit without a
 *   head account that went straight to the office).
 *
 * Submissions already reviewed as a whole keep their meaning: the answers of an accepted unit
 * become accepted, of an approved unit approved, of a returned unit returned (so the unit may
 * edit all of them, as before).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('progress_entries').addColumn('review_state', 'text').execute();
  await db.schema.alterTable('progress_entries').addColumn('review_comment', 'text').execute();
  await db.schema.alterTable('progress_entries').addColumn('reviewed_at', 'text').execute();
  await db.schema.alterTable('progress_entries').addColumn('reviewed_by', 'text').execute();
  await db.schema
    .alterTable('unit_submissions')
    .addColumn('submitted_late', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('unit_submissions').addColumn('deadline', 'text').execute();
  await db.schema.alterTable('unit_submissions').addColumn('note', 'text').execute();
  await sql`
    update progress_entries set review_state = (
      select s.state from unit_submissions s
      where s.round_id = progress_entries.round_id and s.unit_id = progress_entries.unit_id
    )
    where unit_id is not null and exists (
      select 1 from unit_submissions s
      where s.round_id = progress_entries.round_id and s.unit_id = progress_entries.unit_id
        and s.state in ('accepted', 'approved', 'returned')
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['note', 'deadline', 'submitted_late']) await db.schema.alterTable('unit_submissions').dropColumn(column).execute();
  for (const column of ['reviewed_by', 'reviewed_at', 'review_comment', 'review_state'])
    await db.schema.alterTable('progress_entries').dropColumn(column).execute();
}
