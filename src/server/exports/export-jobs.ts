import { randomUUID } from 'node:crypto';
import type { ExportFormat, ExportJobStatus, ExportJobView } from '../../domain/api/export-view.ts';
import type { UsedTableOptions } from '../../domain/export-options.ts';
import { notFound, rateLimited, unavailable, type DomainError } from '../../domain/errors.ts';

/**
 * The export jobs, in the server's memory (decision 012): a job and its file live until
 * `keepMinutes` after it finished, a user keeps at most `keptPerUser` of them (the oldest finished
 * ones make room), runs at most `activePerUser` at once, and the server queues at most `queued`
 * in all. Nothing survives a restart: the page then gets 404 and asks again. Every lookup is by
 * owner, so another user's job id is "not found", never "forbidden" (ids are not confirmed).
 */

export type ExportJobLimits = {
  /** Minutes a finished job and its file are kept for the download. */
  keepMinutes: number;
  /** Jobs (with their files) one user keeps; a new one pushes out the oldest finished one. */
  keptPerUser: number;
  /** Jobs one user may have queued or running; one more is 429. */
  activePerUser: number;
  /** Jobs queued or running in the whole server; one more is 503. */
  queued: number;
};

export const EXPORT_JOB_LIMITS: ExportJobLimits = { keepMinutes: 15, keptPerUser: 10, activePerUser: 3, queued: 30 };

export type ExportJob = {
  id: string;
  owner: string;
  roundId: number;
  format: ExportFormat;
  fileName: string;
  /** What the file is made with (decision 024), for its audit row; null for json. */
  options?: UsedTableOptions | null;
  status: ExportJobStatus;
  createdAt: Date;
  finishedAt: Date | null;
  error: DomainError | null;
  bytes: Uint8Array | null;
};

export function createExportJobStore(deps: { now: () => Date; limits?: Partial<ExportJobLimits> }) {
  const limits = { ...EXPORT_JOB_LIMITS, ...deps.limits };
  const jobs = new Map<string, ExportJob>();
  const keepMs = limits.keepMinutes * 60_000;
  const isActive = (job: ExportJob) => job.status === 'queued' || job.status === 'running';
  const expiresAt = (job: ExportJob) => (job.finishedAt ? new Date(job.finishedAt.getTime() + keepMs) : null);

  /** Forgets finished jobs past their time (a Map iterates in insertion order: oldest first). */
  function sweep(): void {
    const now = deps.now().getTime();
    for (const job of jobs.values()) if (job.finishedAt && job.finishedAt.getTime() + keepMs <= now) jobs.delete(job.id);
  }

  function assertRoom(owner: string): void {
    const active = [...jobs.values()].filter((job) => job.owner === owner && isActive(job)).length;
    if (active >= limits.activePerUser)
      throw rateLimited('export_busy', `您已有 ${active} 个导出正在进行，请等其完成后再试`, {
        retryAfterSeconds: 5,
        active,
      });
    const everyActive = [...jobs.values()].filter(isActive).length;
    if (everyActive >= limits.queued)
      throw unavailable('export_queue_full', `服务器上排队的导出已达 ${limits.queued} 个，请稍后再试`, {
        queued: everyActive,
      });
  }

  return {
    /** Throws 429 `export_busy` or 503 `export_queue_full` when `add` would: checked before the round is read. */
    assertRoom(owner: string): void {
      sweep();
      assertRoom(owner);
    },

    add(owner: string, input: { roundId: number; format: ExportFormat; fileName: string; options?: UsedTableOptions | null }): ExportJob {
      sweep();
      assertRoom(owner);
      const mine = [...jobs.values()].filter((job) => job.owner === owner);
      const finished = mine.filter((job) => !isActive(job));
      for (let excess = mine.length + 1 - limits.keptPerUser; excess > 0 && finished.length > 0; excess--) jobs.delete(finished.shift()!.id);
      const job: ExportJob = { id: randomUUID(), owner, ...input, status: 'queued', createdAt: deps.now(), finishedAt: null, error: null, bytes: null };
      jobs.set(job.id, job);
      return job;
    },

    /** The owner's job, or 404 `export_job_not_found` (also for another user's job and an expired one). */
    get(owner: string, jobId: string): ExportJob {
      sweep();
      const job = jobs.get(jobId);
      if (!job || job.owner !== owner)
        throw notFound('export_job_not_found', `导出任务 ${jobId} 不存在或已过期（文件保留 ${limits.keepMinutes} 分钟），请重新导出`, { jobId });
      return job;
    },

    running(job: ExportJob): void {
      if (job.status === 'queued') job.status = 'running';
    },

    finish(job: ExportJob, bytes: Uint8Array): void {
      Object.assign(job, { status: 'done', bytes, finishedAt: deps.now() });
    },

    fail(job: ExportJob, error: DomainError): void {
      Object.assign(job, { status: 'failed', error, finishedAt: deps.now() });
    },

    present(job: ExportJob): ExportJobView {
      const expires = expiresAt(job);
      return {
        jobId: job.id,
        roundId: job.roundId,
        format: job.format,
        fileName: job.fileName,
        status: job.status,
        ...(job.error ? { error: job.error.message, errorCode: job.error.code } : {}),
        ...(job.bytes ? { bytes: job.bytes.byteLength } : {}),
        createdAt: job.createdAt.toISOString(),
        finishedAt: job.finishedAt?.toISOString() ?? null,
        expiresAt: expires?.toISOString() ?? null,
      };
    },

    sweep,
    /** Jobs held (with files), for tests and the benchmark. */
    size: () => jobs.size,
    limits,
  };
}

export type ExportJobStore = ReturnType<typeof createExportJobStore>;
