import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ExportFormat, ExportJobStatus, ExportJobView } from '../../domain/api/export-view.ts';
import type { UsedTableOptions } from '../../domain/export-options.ts';
import { DomainError, notFound, rateLimited, unavailable, type DomainErrorKind } from '../../domain/errors.ts';
import type { Database } from '../db/database.ts';
import { createExportJobRepository, type ExportJobHead } from '../db/repositories/export-job.repository.ts';
import { inTransaction } from '../db/transaction.ts';

/**
 * The export jobs, in the database (migration 026, decision 040; decision 012 for the rest): a
 * job and its file are rows, so any server on one PostgreSQL answers the poll and the download.
 * The server that read the round claims the job and renders it; it renews its claims while it
 * lives, and a job whose server died (its claim expired) is claimed again by another with SKIP
 * LOCKED and rendered there. A finished job and its file are kept `keepMinutes`, then deleted; a
 * user keeps at most `keptPerUser` (the oldest finished ones make room), runs at most
 * `activePerUser` at once, and all servers together run at most `queued` — all counted from the
 * table, so they hold across servers (how many a user asks a minute is the route's rate limit). Every lookup is by
 * owner, so another user's job id is "not found", never "forbidden" (ids are not confirmed).
 */

export type ExportJobLimits = {
  /** Minutes a finished job and its file are kept for the download. */
  keepMinutes: number;
  /** Jobs (with their files) one user keeps; a new one pushes out the oldest finished one. */
  keptPerUser: number;
  /** Jobs one user may have queued or running; one more is 429. */
  activePerUser: number;
  /** Jobs queued or running on all servers; one more is 503. */
  queued: number;
  /** How long a server's claim on a job lasts without being renewed (it renews every third of it). */
  leaseMs: number;
};

export const EXPORT_JOB_LIMITS: ExportJobLimits = { keepMinutes: 15, keptPerUser: 10, activePerUser: 3, queued: 30, leaseMs: 120_000 };

export type ExportJob = {
  id: string;
  owner: string;
  roundId: number;
  format: ExportFormat;
  fileName: string;
  /** What the file is made with (decision 024), for its audit row; null for json. */
  options: UsedTableOptions | null;
  status: ExportJobStatus;
  createdAt: Date;
  finishedAt: Date | null;
  error: DomainError | null;
  /** The file's size once done (the bytes themselves are read only for the download). */
  bytes: number | null;
};

/** This server's name on the claims it holds: host, process and a random part (a restarted process is another server). */
export const exportWorkerId = () => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export function createExportJobStore(deps: { database: Database; now: () => Date; limits?: Partial<ExportJobLimits>; workerId?: string }) {
  const { database } = deps;
  const limits = { ...EXPORT_JOB_LIMITS, ...deps.limits };
  const workerId = deps.workerId ?? exportWorkerId();
  const keepMs = limits.keepMinutes * 60_000;
  const iso = (offsetMs = 0) => new Date(deps.now().getTime() + offsetMs).toISOString();
  // Single-statement reads need no transaction.
  const reads = () => createExportJobRepository(database.db);
  const expired = (row: ExportJobHead) => row.finished_at !== null && new Date(row.finished_at).getTime() + keepMs <= deps.now().getTime();

  async function assertRoom(owner: string): Promise<void> {
    // How many a user asks a minute is the route's limit alone (http/hardening.ts, shared by every
    // server on PostgreSQL): one refusal with one message, not a second count here (decision 043).
    const { active, everyActive } = await reads().counts(owner);
    if (active >= limits.activePerUser) throw rateLimited('export_busy', `您已有 ${active} 个导出正在进行，请等其完成后再试`, { retryAfterSeconds: 5, active });
    if (everyActive >= limits.queued) throw unavailable('export_queue_full', `服务器上排队的导出已达 ${limits.queued} 个，请稍后再试`, { queued: everyActive });
  }

  return {
    workerId,
    limits,

    /** Throws 429 `export_busy` / `export_too_often` or 503 `export_queue_full`: checked before the round is read. */
    assertRoom,

    /** Stores a new job claimed by this server (which renders it), making room among the owner's kept jobs. */
    async add(owner: string, input: { roundId: number; format: ExportFormat; fileName: string; options?: UsedTableOptions | null }): Promise<ExportJob> {
      await assertRoom(owner);
      const job: ExportJob = {
        id: randomUUID(),
        owner,
        roundId: input.roundId,
        format: input.format,
        fileName: input.fileName,
        options: input.options ?? null,
        status: 'queued',
        createdAt: deps.now(),
        finishedAt: null,
        error: null,
        bytes: null,
      };
      await inTransaction(database, async ({ exportJobs }) => {
        const excess = (await exportJobs.countOf(owner)) + 1 - limits.keptPerUser;
        if (excess > 0) await exportJobs.remove((await exportJobs.finishedOf(owner)).slice(0, excess).map((row) => row.id));
        await exportJobs.insertClaimed(
          { id: job.id, owner, roundId: job.roundId, format: job.format, fileName: job.fileName, options: job.options ? JSON.stringify(job.options) : null },
          { workerId, claimedUntil: iso(limits.leaseMs), now: job.createdAt.toISOString() },
        );
      });
      return job;
    },

    /** The owner's job, or 404 `export_job_not_found` (also for another user's job and an expired one). */
    async get(owner: string, jobId: string): Promise<ExportJob> {
      const row = await reads().find(jobId);
      if (!row || row.owner !== owner || expired(row))
        throw notFound('export_job_not_found', `导出任务 ${jobId} 不存在或已过期（文件保留 ${limits.keepMinutes} 分钟），请重新导出`, { jobId });
      return fromRow(row);
    },

    /** The finished file's bytes. */
    async content(job: ExportJob): Promise<Uint8Array | null> {
      const bytes = await reads().content(job.id);
      return bytes ? new Uint8Array(bytes) : null;
    },

    async running(job: ExportJob): Promise<void> {
      await inTransaction(database, ({ exportJobs }) => exportJobs.markRunning(job.id, workerId));
    },

    // The time a job finished is when its rendering ended, taken before the transaction: on
    // PostgreSQL two jobs ending a few milliseconds apart get their connections in either order.
    async finish(job: ExportJob, bytes: Uint8Array): Promise<boolean> {
      const at = iso();
      return inTransaction(database, ({ exportJobs }) => exportJobs.markDone(job.id, workerId, bytes, at));
    },

    async fail(job: ExportJob, error: DomainError): Promise<boolean> {
      const at = iso();
      const failure = { kind: error.kind, code: error.code, message: error.message, details: JSON.stringify(error.details ?? {}) };
      return inTransaction(database, ({ exportJobs }) => exportJobs.markFailed(job.id, workerId, failure, at));
    },

    /** Jobs whose server's claim expired, now this server's to render. */
    async claimAbandoned(limit: number): Promise<ExportJob[]> {
      const rows = await inTransaction(database, ({ exportJobs }) =>
        exportJobs.claimAbandoned({ now: iso(), workerId, claimedUntil: iso(limits.leaseMs), limit }),
      );
      return rows.map(fromRow);
    },

    /** Keeps this server's claims alive, and deletes finished jobs past their keep time. */
    async tick(): Promise<{ renewed: number; pruned: number }> {
      return inTransaction(database, async ({ exportJobs }) => ({
        renewed: await exportJobs.renewClaims(workerId, iso(limits.leaseMs)),
        pruned: await exportJobs.pruneFinished(iso(-keepMs)),
      }));
    },

    /** Gives up this server's claims (it is stopping): another server takes the jobs over at its next tick. */
    async release(): Promise<number> {
      return inTransaction(database, ({ exportJobs }) => exportJobs.renewClaims(workerId, iso(-1)));
    },

    present(job: ExportJob): ExportJobView {
      return {
        jobId: job.id,
        roundId: job.roundId,
        format: job.format,
        fileName: job.fileName,
        status: job.status,
        ...(job.error ? { error: job.error.message, errorCode: job.error.code } : {}),
        ...(job.bytes !== null ? { bytes: job.bytes } : {}),
        createdAt: job.createdAt.toISOString(),
        finishedAt: job.finishedAt?.toISOString() ?? null,
        expiresAt: job.finishedAt ? new Date(job.finishedAt.getTime() + keepMs).toISOString() : null,
      };
    },
  };
}

export type ExportJobStore = ReturnType<typeof createExportJobStore>;

function fromRow(row: ExportJobHead): ExportJob {
  return {
    id: row.id,
    owner: row.owner,
    roundId: row.round_id,
    format: row.format as ExportFormat,
    fileName: row.file_name,
    options: row.options ? (JSON.parse(row.options) as UsedTableOptions) : null,
    status: row.state as ExportJobStatus,
    createdAt: new Date(row.created_at),
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
    error:
      row.state === 'failed'
        ? new DomainError(
            (row.error_kind ?? 'failed') as DomainErrorKind,
            row.error_code ?? 'export_failed',
            row.error_message ?? '导出失败',
            row.error_details ? (JSON.parse(row.error_details) as Record<string, unknown>) : {},
          )
        : null,
    bytes: row.bytes,
  };
}
