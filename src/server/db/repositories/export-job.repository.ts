import type { Kysely } from 'kysely';
import { dialectOf } from '../database.ts';
import type { DB } from '../schema.ts';
import type { ExportJobRow } from '../schema-exports.ts';

/** A job as asked: who, which round, format and options, and the file's name. */
export type NewExportJob = { id: string; owner: string; roundId: number; format: string; fileName: string; options: string | null };

/** What a job that failed records. */
export type ExportJobFailure = { kind: string; code: string; message: string; details: string | null };

/** A job without its file (the poll never reads the bytes). */
export type ExportJobHead = Omit<ExportJobRow, 'content'>;

const HEAD = [
  'id',
  'owner',
  'round_id',
  'format',
  'file_name',
  'options',
  'state',
  'error_kind',
  'error_code',
  'error_message',
  'error_details',
  'bytes',
  'claimed_by',
  'claimed_until',
  'created_at',
  'finished_at',
] as const;

/**
 * Export jobs and their files (migration 026, decision 040): all their SQL. A job is claimed by
 * the server that renders it (`claimed_by` until `claimed_until`); results are recorded only by
 * the server still holding the claim, as the outbox's sends are (decision 035).
 */
export function createExportJobRepository(db: Kysely<DB>) {
  const postgres = dialectOf(db) === 'postgres';

  return {
    /** Stores a job already claimed by `workerId` (the server that read the round renders it). */
    async insertClaimed(job: NewExportJob, claim: { workerId: string; claimedUntil: string; now: string }): Promise<void> {
      await db
        .insertInto('export_jobs')
        .values({
          id: job.id,
          owner: job.owner,
          round_id: job.roundId,
          format: job.format,
          file_name: job.fileName,
          options: job.options,
          state: 'queued',
          claimed_by: claim.workerId,
          claimed_until: claim.claimedUntil,
          created_at: claim.now,
        })
        .execute();
    },

    /** Jobs of `owner` queued or running, and every active job. */
    async counts(owner: string): Promise<{ active: number; everyActive: number }> {
      const row = await db
        .selectFrom('export_jobs')
        .select((eb) => [
          eb.fn
            .sum<number | string | null>(
              eb
                .case()
                .when(eb.and([eb('owner', '=', owner), eb('state', 'in', ['queued', 'running'])]))
                .then(1)
                .else(0)
                .end(),
            )
            .as('active'),
          eb.fn
            .sum<number | string | null>(
              eb
                .case()
                .when(eb('state', 'in', ['queued', 'running']))
                .then(1)
                .else(0)
                .end(),
            )
            .as('every_active'),
        ])
        .executeTakeFirstOrThrow();
      return { active: Number(row.active ?? 0), everyActive: Number(row.every_active ?? 0) };
    },

    async find(id: string): Promise<ExportJobHead | undefined> {
      return db.selectFrom('export_jobs').select(HEAD).where('id', '=', id).executeTakeFirst();
    },

    async content(id: string): Promise<Uint8Array | null> {
      const row = await db.selectFrom('export_jobs').select('content').where('id', '=', id).executeTakeFirst();
      return row?.content ?? null;
    },

    /** The owner's finished jobs, oldest first (to make room for a new one). */
    async finishedOf(owner: string): Promise<{ id: string }[]> {
      return db
        .selectFrom('export_jobs')
        .select('id')
        .where('owner', '=', owner)
        .where('state', 'in', ['done', 'failed'])
        .orderBy('finished_at')
        .orderBy('id')
        .execute();
    },

    async countOf(owner: string): Promise<number> {
      const row = await db
        .selectFrom('export_jobs')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('owner', '=', owner)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async remove(ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const result = await db.deleteFrom('export_jobs').where('id', 'in', ids).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Marks the job running, if `workerId` still holds it. */
    async markRunning(id: string, workerId: string): Promise<boolean> {
      const result = await db
        .updateTable('export_jobs')
        .set({ state: 'running' })
        .where('id', '=', id)
        .where('state', '=', 'queued')
        .where('claimed_by', '=', workerId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Stores the file; only the server holding the claim may (a reclaimed job is its new server's). */
    async markDone(id: string, workerId: string, content: Uint8Array, now: string): Promise<boolean> {
      const result = await db
        .updateTable('export_jobs')
        .set({ state: 'done', content, bytes: content.byteLength, finished_at: now, claimed_by: null, claimed_until: null })
        .where('id', '=', id)
        .where('state', 'in', ['queued', 'running'])
        .where('claimed_by', '=', workerId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async markFailed(id: string, workerId: string | null, failure: ExportJobFailure, now: string): Promise<boolean> {
      let update = db
        .updateTable('export_jobs')
        .set({
          state: 'failed',
          error_kind: failure.kind,
          error_code: failure.code,
          error_message: failure.message,
          error_details: failure.details,
          finished_at: now,
          claimed_by: null,
          claimed_until: null,
        })
        .where('id', '=', id)
        .where('state', 'in', ['queued', 'running']);
      if (workerId !== null) update = update.where('claimed_by', '=', workerId);
      const result = await update.executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /**
     * Claims up to `limit` jobs whose server's claim has expired (it stopped or crashed while
     * rendering) for `workerId` until `claimedUntil`. Run inside a transaction: on PostgreSQL the
     * rows are locked with SKIP LOCKED, so two servers never claim the same job; SQLite has one writer.
     */
    async claimAbandoned(claim: { now: string; workerId: string; claimedUntil: string; limit: number }): Promise<ExportJobHead[]> {
      let pick = db
        .selectFrom('export_jobs')
        .select('id')
        .where('state', 'in', ['queued', 'running'])
        .where('claimed_until', '<', claim.now)
        .orderBy('created_at')
        .orderBy('id')
        .limit(claim.limit);
      if (postgres) pick = pick.forUpdate().skipLocked();
      const ids = (await pick.execute()).map((row) => row.id);
      if (ids.length === 0) return [];
      return db
        .updateTable('export_jobs')
        .set({ state: 'queued', claimed_by: claim.workerId, claimed_until: claim.claimedUntil })
        .where('id', 'in', ids)
        .returning(HEAD)
        .execute();
    },

    /** Extends the claims `workerId` holds (it is alive and its jobs are waiting or rendering). */
    async renewClaims(workerId: string, claimedUntil: string): Promise<number> {
      const result = await db
        .updateTable('export_jobs')
        .set({ claimed_until: claimedUntil })
        .where('claimed_by', '=', workerId)
        .where('state', 'in', ['queued', 'running'])
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /** Deletes finished jobs (and their files) that finished before `before`. */
    async pruneFinished(before: string): Promise<number> {
      const result = await db.deleteFrom('export_jobs').where('state', 'in', ['done', 'failed']).where('finished_at', '<=', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type ExportJobRepository = ReturnType<typeof createExportJobRepository>;
