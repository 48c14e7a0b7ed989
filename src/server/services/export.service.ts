import { createHash } from 'node:crypto';
import { type Actor, actorLabel, clientIpOf } from '../../domain/actor.ts';
import { EXPORT_FORMATS, type ExportFormat, type ExportJobView } from '../../domain/api/export-view.ts';
import { conflict, failed, invalid, isDomainError, type DomainError } from '../../domain/errors.ts';
import type { Database } from '../db/database.ts';
import { inReadTransaction, inTransaction } from '../db/transaction.ts';
import { convertDocxToPdf } from '../documents/pdf/docx-to-pdf.ts';
import { EXPORT_FILE_TYPES, exportFileName } from '../exports/export-formats.ts';
import { createExportJobStore, type ExportJob, type ExportJobLimits } from '../exports/export-jobs.ts';
import { createRenderPool, type RenderPool, type RenderPoolOptions } from '../exports/render-pool.ts';
import type { RenderTask } from '../exports/render.ts';
import { assertCanExportRounds } from '../policies/export.policy.ts';
import { readRoundIn } from './compile-round.service.ts';
import { coverSheetIn, isNoticeSignedIn } from './notice-signoff.service.ts';
import { findPlanRound, type ExportOptions } from './plan-export.service.ts';
import { roundStatisticsIn } from './round-statistics.service.ts';

export type ExportServiceOptions = {
  /** LibreOffice's soffice; null or unset: looked up on PATH at each PDF export. */
  soffice?: string | null;
  /** Longest a file may take to render, and a PDF to convert (each on its own). */
  timeoutMs?: number;
  /** The render worker's heap limits and idle time (render-pool.ts). */
  worker?: Omit<RenderPoolOptions, 'timeoutMs'>;
  limits?: Partial<ExportJobLimits>;
};

/**
 * The render worker's heap cap: a 10,000-task .docx raised the process's peak memory by about
 * 1.1 GiB (docs/benchmarks.md); beyond 2 GiB the worker dies and its job fails, instead of the
 * whole server growing until the system kills it (decision 012).
 */
export const WORKER_HEAP_LIMITS = { maxOldGenerationSizeMb: 2048 } as const;

export type ExportFile = { fileName: string; contentType: string; bytes: Uint8Array };

/** Where an export's round is: by id (the API), or by plan and label as the CLI names it. */
export type ExportTarget = { roundId: number } | ExportOptions;

/**
 * Exports of a round as Word, Excel, PDF or JSON (decision 012). The data is read here, on the
 * main thread, in one read transaction (a consistent snapshot, and the policy checked before
 * anything runs); the file is rendered in the render worker so that a 10,000-task table never
 * stalls the server; a PDF is then converted by LibreOffice in a child process. The API runs
 * exports as jobs (`start`, `status`, `takeFile`); the CLI waits for one (`exportFile`). Every
 * file handed out writes a `round.export` audit row with its size and SHA-256.
 */
export function createExportService(deps: { database: Database; now?: () => Date; options?: ExportServiceOptions; timeZone?: string }) {
  const { database } = deps;
  const now = deps.now ?? (() => new Date());
  const options = deps.options ?? {};
  const jobs = createExportJobStore({ now, limits: options.limits });
  // The worker starts at the first export, not when the services are composed (every CLI command composes them).
  let pool: RenderPool | null = null;
  const renderPool = () =>
    (pool ??= createRenderPool({ resourceLimits: WORKER_HEAP_LIMITS, ...options.worker, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }));
  // A sweep now and then frees the files nobody came back for; it never keeps the process alive.
  const sweeper = setInterval(() => jobs.sweep(), 60_000);
  sweeper.unref();

  async function start(actor: Actor, roundId: number, format: ExportFormat): Promise<ExportJobView> {
    assertCanExportRounds(actor);
    // Refuse a user over their limit before the round is read: reading 10,000 tasks is not free.
    jobs.assertRoom(ownerOf(actor));
    const source = await read({ roundId }, format);
    const job = jobs.add(ownerOf(actor), { roundId: source.roundId, format, fileName: source.fileName });
    void produce(source.task, format, () => jobs.running(job)).then(
      (bytes) => jobs.finish(job, bytes),
      (error: unknown) => jobs.fail(job, asDomainError(error)),
    );
    return jobs.present(job);
  }

  function status(actor: Actor, jobId: string): ExportJobView {
    return jobs.present(jobs.get(ownerOf(actor), jobId));
  }

  /** The finished file; 409 `export_not_ready` while it runs, 409 `export_failed` (with why) when it failed. */
  async function takeFile(actor: Actor, jobId: string): Promise<ExportFile> {
    const job = jobs.get(ownerOf(actor), jobId);
    if (job.status === 'failed') throw failedJob(job);
    if (job.status !== 'done' || !job.bytes) throw notReady(job);
    await audit(actor, job.roundId, job.format, job.fileName, job.bytes, job.id);
    return { fileName: job.fileName, contentType: EXPORT_FILE_TYPES[job.format].contentType, bytes: job.bytes };
  }

  /** Renders and hands out one file, waiting for it (the CLI). Same reading, worker and audit as a job. */
  async function exportFile(actor: Actor, target: ExportTarget, format: ExportFormat): Promise<ExportFile> {
    assertCanExportRounds(actor);
    if (!(EXPORT_FORMATS as readonly string[]).includes(format))
      throw invalid('export_format_unknown', `不支持的导出格式“${format}”，可用：${EXPORT_FORMATS.join('、')}`, { format, available: EXPORT_FORMATS });
    const source = await read(target, format);
    const bytes = await produce(source.task, format);
    await audit(actor, source.roundId, format, source.fileName, bytes, null);
    return { fileName: source.fileName, contentType: EXPORT_FILE_TYPES[format].contentType, bytes };
  }

  /** What the worker needs, read in one transaction: the compiled notice and table, or the round as diaodu.plan/1. */
  async function read(target: ExportTarget, format: ExportFormat): Promise<{ roundId: number; fileName: string; task: RenderTask }> {
    return inReadTransaction(database, async (repositories) => {
      const roundId = 'roundId' in target ? target.roundId : (await findPlanRound(repositories, target)).round.id;
      const { document, compiled } = await readRoundIn(repositories, roundId);
      const fileName = exportFileName(compiled.fileBaseName, format);
      if (format === 'json') return { roundId, fileName, task: { kind: 'json', document } };
      // The Excel file carries the round's 报送情况统计 (times in the department's zone); the Word and PDF notice never do.
      if (format === 'xlsx')
        return { roundId, fileName, task: { kind: 'xlsx', notice: compiled.notice, table: compiled.table, statistics: { view: await roundStatisticsIn(repositories, roundId), timeZone: deps.timeZone } } };
      if (format === 'cover-docx' || format === 'cover-pdf') return { roundId, fileName, task: { kind: 'cover-docx', cover: await coverSheetIn(repositories, roundId, compiled.notice, deps.timeZone) } };
      const draft = !(await isNoticeSignedIn(repositories, roundId, compiled));
      return { roundId, fileName, task: { kind: format === 'pdf' ? 'docx' : format, notice: compiled.notice, table: compiled.table, draft } };
    });
  }

  async function produce(task: RenderTask, format: ExportFormat, onStart?: () => void): Promise<Uint8Array> {
    const rendered = await renderPool().run(task, onStart);
    if (format !== 'pdf' && format !== 'cover-pdf') return rendered;
    return convertDocxToPdf(rendered, { ...(options.soffice ? { soffice: options.soffice } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  }

  async function audit(actor: Actor, roundId: number, format: ExportFormat, fileName: string, bytes: Uint8Array, jobId: string | null): Promise<void> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await inTransaction(database, (repositories) =>
      repositories.audit.appendAuditEvent({
        at: now().toISOString(),
        actor_kind: actor.kind,
        actor_name: actorLabel(actor),
        user_id: actor.userId,
        ip: clientIpOf(actor),
        action: 'round.export',
        object_type: 'round',
        object_id: String(roundId),
        result: 'success',
        detail: JSON.stringify({ format, fileName, bytes: bytes.byteLength, sha256, ...(jobId ? { jobId } : {}) }),
      }),
    );
  }

  return {
    start,
    status,
    takeFile,
    exportFile,
    /** Ends the render worker and the sweep (the server's close). */
    async close(): Promise<void> {
      clearInterval(sweeper);
      await pool?.close();
    },
    /** For tests and the benchmark: jobs held, and the worker's queue. */
    stats: () => ({ jobs: jobs.size(), ...(pool?.stats() ?? { queued: 0, running: false, workersStarted: 0 }) }),
  };
}

export type ExportService = ReturnType<typeof createExportService>;

/** Jobs belong to a person (a user id), or to the CLI's operator. */
const ownerOf = (actor: Actor) => (actor.kind === 'user' ? `user:${actor.userId}` : `system:${actor.name}`);


function asDomainError(error: unknown): DomainError {
  if (isDomainError(error)) return error;
  return failed('export_failed', `导出失败：${error instanceof Error ? error.message : String(error)}`);
}

function failedJob(job: ExportJob): DomainError {
  const cause = job.error!;
  return conflict('export_failed', `导出失败，没有文件：${cause.message}`, { jobId: job.id, cause: cause.code });
}

function notReady(job: ExportJob): DomainError {
  return conflict('export_not_ready', `导出尚未完成（${job.status === 'queued' ? '排队中' : '生成中'}），请稍候`, { jobId: job.id, status: job.status });
}
