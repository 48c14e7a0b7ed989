import { createHash } from 'node:crypto';
import { type Actor } from '../../domain/actor.ts';
import { EXPORT_FORMATS, type ExportFormat, type ExportJobView } from '../../domain/api/export-view.ts';
import { conflict, failed, invalid, isDomainError, type DomainError } from '../../domain/errors.ts';
import {
  DEFAULT_TABLE_OPTIONS,
  DRAFT_MARK,
  EXPORT_VERSIONS,
  STATUS_MARK_PLACEMENTS,
  UNANSWERED_DISPLAYS,
  type TableOptions,
  type UsedTableOptions,
} from '../../domain/export-options.ts';
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
import { DEFAULT_TIME_ZONE } from '../../domain/dates.ts';
import { timeZoneIn, wordsIn } from './organisation-words.ts';
import { audit as writeAudit } from './audit-writer.ts';

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
 * 1 GiB (docs/benchmarks.md); beyond 2 GiB the worker dies and its job fails, instead of the
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
  const jobs = createExportJobStore({ database, now, limits: options.limits });
  // The worker starts at the first export, not when the services are composed (every CLI command composes them).
  let pool: RenderPool | null = null;
  const renderPool = () =>
    (pool ??= createRenderPool({ resourceLimits: WORKER_HEAP_LIMITS, ...options.worker, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }));
  // Renders this server has started and not yet recorded (close waits for them to settle).
  const inFlight = new Set<Promise<void>>();
  let closing = false;
  // Every third of a lease: this server's claims are renewed, finished jobs past their time deleted,
  // and a job whose server died is taken over (decision 040). It never keeps the process alive.
  // Started by the HTTP server (`serve`), never by a CLI command that merely composes the services.
  let ticker: NodeJS.Timeout | null = null;

  /** Renders a claimed job in this server's worker and records the file or the failure, if the claim is still ours. */
  function render(job: ExportJob, task: RenderTask): void {
    const done = produce(task, job.format, () => void jobs.running(job).catch(() => undefined))
      .then(
        async (bytes) => void (await jobs.finish(job, bytes)),
        async (error: unknown) => {
          // A server that stops leaves the job to another (its claim was released in close), not failed.
          if (closing && isDomainError(error) && error.code === 'export_shutdown') return;
          await jobs.fail(job, asDomainError(error));
        },
      )
      // The database unreachable while recording: the claim expires and another server renders it again.
      .catch(() => undefined)
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  }

  /** Renews claims, prunes, and takes over one abandoned job when this server's worker is free. */
  async function tick(): Promise<void> {
    if (closing) return;
    await jobs.tick();
    if (inFlight.size > 0) return;
    for (const job of await jobs.claimAbandoned(1)) {
      try {
        const source = await read({ roundId: job.roundId }, job.format, tableOptions(job.options ?? {}));
        render(job, source.task);
      } catch (error) {
        await jobs.fail(job, asDomainError(error));
      }
    }
  }

  async function start(actor: Actor, roundId: number, format: ExportFormat, options: Partial<TableOptions> = {}): Promise<ExportJobView> {
    assertCanExportRounds(actor);
    const chosen = tableOptions(options);
    // Refuse a user over their limit before the round is read: reading 10,000 tasks is not free.
    await jobs.assertRoom(ownerOf(actor));
    const source = await read({ roundId }, format, chosen);
    const job = await jobs.add(ownerOf(actor), { roundId: source.roundId, format, fileName: source.fileName, options: source.options });
    render(job, source.task);
    return jobs.present(job);
  }

  async function status(actor: Actor, jobId: string): Promise<ExportJobView> {
    return jobs.present(await jobs.get(ownerOf(actor), jobId));
  }

  /** The finished file; 409 `export_not_ready` while it runs, 409 `export_failed` (with why) when it failed. */
  async function takeFile(actor: Actor, jobId: string): Promise<ExportFile> {
    const job = await jobs.get(ownerOf(actor), jobId);
    if (job.status === 'failed') throw failedJob(job);
    const bytes = job.status === 'done' ? await jobs.content(job) : null;
    if (!bytes) throw notReady(job);
    await audit(actor, job.roundId, job.format, job.fileName, bytes, job.id, job.options);
    return { fileName: job.fileName, contentType: EXPORT_FILE_TYPES[job.format].contentType, bytes };
  }

  /** Renders and hands out one file, waiting for it (the CLI). Same reading, worker and audit as a job. */
  async function exportFile(actor: Actor, target: ExportTarget, format: ExportFormat, options: Partial<TableOptions> = {}): Promise<ExportFile> {
    assertCanExportRounds(actor);
    if (!(EXPORT_FORMATS as readonly string[]).includes(format))
      throw invalid('export_format_unknown', `不支持的导出格式“${format}”，可用：${EXPORT_FORMATS.join('、')}`, { format, available: EXPORT_FORMATS });
    const source = await read(target, format, tableOptions(options));
    const bytes = await produce(source.task, format);
    await audit(actor, source.roundId, format, source.fileName, bytes, null, source.options);
    return { fileName: source.fileName, contentType: EXPORT_FILE_TYPES[format].contentType, bytes };
  }

  /** What the worker needs, read in one transaction: the compiled notice and table, or the round as diaodu.plan/1. */
  async function read(
    target: ExportTarget,
    format: ExportFormat,
    options: TableOptions,
  ): Promise<{ roundId: number; fileName: string; task: RenderTask; options: UsedTableOptions | null }> {
    return inReadTransaction(database, async (repositories) => {
      const roundId = 'roundId' in target ? target.roundId : (await findPlanRound(repositories, target)).round.id;
      const { document, compiled, withDefaultMarks } = await readRoundIn(repositories, roundId, options);
      // The department's clock: the organisation profile's time zone, else the configured one.
      const timeZone = await timeZoneIn(repositories, deps.timeZone ?? DEFAULT_TIME_ZONE);
      // The json export is the round's data (diaodu.plan/1), which no option changes.
      if (format === 'json') return { roundId, fileName: exportFileName(compiled.fileBaseName, format), task: { kind: 'json', document }, options: null };
      // The 发文稿纸 records the sign-off as it stands; it is never a draft itself.
      if (format === 'cover-docx' || format === 'cover-pdf')
        return {
          roundId,
          fileName: exportFileName(compiled.fileBaseName, format),
          options: null,
          task: { kind: 'cover-docx', cover: await coverSheetIn(repositories, roundId, compiled.notice, timeZone) },
        };
      // A 征求意见稿 when asked for (decision 024) or when the notice is not signed as it stands (decision 025).
      // The signature covers the round's content, not how the marks are laid out: it is checked on the default compilation.
      const laidOutAsSigned = options.unanswered === DEFAULT_TABLE_OPTIONS.unanswered && options.statusMarks === DEFAULT_TABLE_OPTIONS.statusMarks;
      const signed = !compiled.draft && (await isNoticeSignedIn(repositories, roundId, laidOutAsSigned ? compiled : withDefaultMarks()));
      const draft = compiled.draft || !signed;
      const fileName = exportFileName(draft ? `${compiled.fileBaseName}（${DRAFT_MARK}）` : compiled.fileBaseName, format);
      // What the file was made with, for the audit row: an imported round is official and blank where it was.
      const used: UsedTableOptions = compiled.imported ? { ...options, version: 'official', unanswered: 'blank', imported: true } : options;
      // The Excel file carries the round's 报送情况统计 (times in the department's zone); the Word and PDF notice never do.
      if (format === 'xlsx')
        return {
          roundId,
          fileName,
          options: used,
          task: {
            kind: 'xlsx',
            notice: compiled.notice,
            table: compiled.table,
            statistics: { view: await roundStatisticsIn(repositories, roundId), timeZone, unitWord: (await wordsIn(repositories)).unit },
            draft,
          },
        };
      return { roundId, fileName, options: used, task: { kind: format === 'pdf' ? 'docx' : format, notice: compiled.notice, table: compiled.table, draft } };
    });
  }

  async function produce(task: RenderTask, format: ExportFormat, onStart?: () => void): Promise<Uint8Array> {
    const rendered = await renderPool().run(task, onStart);
    if (format !== 'pdf' && format !== 'cover-pdf') return rendered;
    return convertDocxToPdf(rendered, {
      ...(options.soffice ? { soffice: options.soffice } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  async function audit(
    actor: Actor,
    roundId: number,
    format: ExportFormat,
    fileName: string,
    bytes: Uint8Array,
    jobId: string | null,
    options: UsedTableOptions | null,
  ): Promise<void> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await inTransaction(database, (repositories) =>
      writeAudit(repositories, actor, now(), {
        action: 'round.export',
        objectType: 'round',
        objectId: roundId,
        result: 'success',
        detail: { format, fileName, bytes: bytes.byteLength, sha256, ...(jobId ? { jobId } : {}), ...(options ? { options } : {}) },
      }),
    );
  }

  return {
    start,
    status,
    takeFile,
    exportFile,
    /**
     * Ends the render worker and the ticker (the server's close). This server's unfinished jobs are
     * released first, so another server takes them over at its next tick instead of after the lease.
     */
    async close(): Promise<void> {
      if (closing) return;
      closing = true;
      if (ticker) clearInterval(ticker);
      await jobs.release().catch(() => undefined);
      await pool?.close();
      await Promise.all(inFlight);
    },
    /**
     * Starts the ticker (the HTTP server does, once per store): renewals, pruning and taking over
     * abandoned jobs, every third of the lease (`everyMs`: tests).
     */
    serve(everyMs = Math.max(1_000, Math.floor(jobs.limits.leaseMs / 3))): void {
      if (ticker || closing) return;
      ticker = setInterval(() => void tick().catch(() => undefined), everyMs);
      ticker.unref();
    },
    /** Runs the ticker's work now (tests: a takeover without waiting a third of the lease). */
    tick,
    /** This server's name on its claims. */
    workerId: jobs.workerId,
    /** For tests and the benchmark: this server's renders in flight, and the worker's queue. */
    stats: () => ({ jobs: inFlight.size, ...(pool?.stats() ?? { queued: 0, running: false, workersStarted: 0, workersReused: 0 }) }),
  };
}

export type ExportService = ReturnType<typeof createExportService>;

/**
 * The options with their defaults; a value that is none of the option's is refused naming the
 * option (the API's schema refuses it first; this is the CLI's and every other caller's check).
 */
export function tableOptions(options: Partial<TableOptions>): TableOptions {
  const check = <T extends string>(value: T | undefined, allowed: readonly T[], name: string, label: string): T | undefined => {
    if (value === undefined || allowed.includes(value)) return value;
    throw invalid('export_option_unknown', `导出选项“${label}”不支持“${String(value)}”，可用：${allowed.join('、')}`, {
      option: name,
      value,
      available: allowed,
    });
  };
  return {
    version: check(options.version, EXPORT_VERSIONS, 'version', '文稿') ?? DEFAULT_TABLE_OPTIONS.version,
    unanswered: check(options.unanswered, UNANSWERED_DISPLAYS, 'unanswered', '无人报送的任务') ?? DEFAULT_TABLE_OPTIONS.unanswered,
    statusMarks: check(options.statusMarks, STATUS_MARK_PLACEMENTS, 'statusMarks', '滞后与暂缓的标注') ?? DEFAULT_TABLE_OPTIONS.statusMarks,
  };
}

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
