import { Worker, type ResourceLimits } from 'node:worker_threads';
import { DomainError, failed, unavailable, type DomainErrorKind } from '../../domain/errors.ts';
import type { RenderTask } from './render.ts';
import type { WorkerError, WorkerMessage, WorkerRequest } from './render.worker.ts';

/**
 * One worker thread that renders export files, jobs in FIFO order, one at a time (decision 012:
 * on two cores one thread renders while the other serves HTTP; a second worker would take the
 * server's core and double the peak memory). The worker starts at the first job, stays warm for
 * `idleMs` after the last, and never keeps the process alive while idle. A job that runs longer
 * than `timeoutMs` is stopped by ending the worker (rendering is synchronous: nothing else can
 * interrupt it) and fails `export_timeout`; a worker that dies (out of memory under
 * `resourceLimits`, an uncaught error) fails only the job it was running with
 * `export_worker_crashed`, and the next job gets a fresh worker.
 */

export const RENDER_DEFAULT_TIMEOUT_MS = 300_000;
export const RENDER_DEFAULT_IDLE_MS = 120_000;

export interface RenderPoolOptions {
  /** Longest a job may render, from the moment the worker receives it (its wait in the queue and the worker's start do not count). */
  timeoutMs?: number;
  /** The worker's heap limits; beyond them the worker dies and its job fails, the server lives on. */
  resourceLimits?: ResourceLimits;
  /** How long an idle worker is kept for the next job before it is ended to free its memory. */
  idleMs?: number;
}

export interface RenderPoolStats {
  queued: number;
  running: boolean;
  /** Workers started since the pool was made (each crash or timeout costs one). */
  workersStarted: number;
  /** Idle workers taken over from a pool closed before (see `parked`). */
  workersReused: number;
}

/**
 * The idle, ready worker a closed pool left, for the next pool of the process with the same heap
 * limits: a worker is stateless between jobs, and starting one from the sources costs about a
 * second of CPU (loading the writers). A process that composes its services again and again (the
 * test suite: ten of its files started 51 workers) then starts one; a server process closes its
 * pool once, at exit. Kept unreferenced (it keeps no process alive) and ended after the closed
 * pool's idle time. A busy, crashed or timed-out worker is never parked.
 */
let parked: { worker: Worker; limits: string; timer: NodeJS.Timeout } | null = null;

function takeParked(limits: string): Worker | null {
  if (!parked || parked.limits !== limits) return null;
  const { worker, timer } = parked;
  parked = null;
  clearTimeout(timer);
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  return worker;
}

function park(worker: Worker, limits: string, idleMs: number): void {
  if (parked) {
    clearTimeout(parked.timer);
    void parked.worker.terminate();
  }
  worker.removeAllListeners('message');
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  worker.unref();
  const entry = {
    worker,
    limits,
    timer: setTimeout(() => {
      if (parked === entry) parked = null;
      void worker.terminate();
    }, idleMs),
  };
  entry.timer.unref();
  // A parked worker that dies is simply forgotten.
  worker.on('error', () => undefined);
  worker.on('exit', () => {
    if (parked === entry) {
      clearTimeout(entry.timer);
      parked = null;
    }
  });
  parked = entry;
}

type Pending = {
  id: number;
  task: RenderTask;
  onStart?: () => void;
  resolve: (bytes: Uint8Array) => void;
  reject: (error: DomainError) => void;
};

type Slot = { worker: Worker; ready: boolean; current: Pending | null; timer: NodeJS.Timeout | null; gone: boolean };

// Compiled (dist/, decision 039) the worker is plain JavaScript and starts by itself; from the sources
// (tsx: tests, `npm run dev`) the .mjs shim registers tsx in the thread first (decision 012).
const COMPILED = import.meta.url.endsWith('.js');
const WORKER_ENTRY = new URL(COMPILED ? './render.worker.js' : './render.worker.mjs', import.meta.url);
const WORKER_DATA = COMPILED ? {} : { entry: new URL('./render.worker.ts', import.meta.url).href };

export function createRenderPool(options: RenderPoolOptions = {}) {
  const timeoutMs = options.timeoutMs ?? RENDER_DEFAULT_TIMEOUT_MS;
  const idleMs = options.idleMs ?? RENDER_DEFAULT_IDLE_MS;
  const queue: Pending[] = [];
  let slot: Slot | null = null;
  let idleTimer: NodeJS.Timeout | null = null;
  let nextId = 1;
  let workersStarted = 0;
  let workersReused = 0;
  let closed = false;
  const limits = JSON.stringify(options.resourceLimits ?? {});

  function start(): Slot {
    const reused = takeParked(limits);
    const worker =
      reused ?? new Worker(WORKER_ENTRY, { workerData: WORKER_DATA, ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}) });
    if (reused) workersReused += 1;
    else workersStarted += 1;
    const started: Slot = { worker, ready: reused !== null, current: null, timer: null, gone: false };
    worker.on('message', (message: WorkerMessage) => onMessage(started, message));
    worker.on('error', (error) => onGone(started, error));
    worker.on('exit', (code) => onGone(started, new Error(`exit code ${code}`)));
    return started;
  }

  function pump(): void {
    if (closed || queue.length === 0) return;
    if (idleTimer) {
      clearTimeout(idleTimer);
      idleTimer = null;
    }
    if (!slot) slot = start();
    slot.worker.ref();
    if (!slot.ready || slot.current) return;
    const job = queue.shift()!;
    const running = slot;
    running.current = job;
    job.onStart?.();
    running.timer = setTimeout(() => {
      job.reject(
        unavailable('export_timeout', `生成文件超过 ${seconds(timeoutMs)} 秒仍未完成，已中止；请稍后重试`, {
          timeoutMs,
        }),
      );
      running.current = null;
      retire(running);
      void running.worker.terminate();
      pump();
    }, timeoutMs);
    running.worker.postMessage({ id: job.id, task: job.task } satisfies WorkerRequest);
  }

  function onMessage(from: Slot, message: WorkerMessage): void {
    if (from.gone) return;
    if (message.type === 'ready') {
      from.ready = true;
      return pump();
    }
    const job = from.current;
    if (!job || job.id !== message.id) return;
    if (from.timer) {
      clearTimeout(from.timer);
      from.timer = null;
    }
    from.current = null;
    if (message.ok) job.resolve(message.bytes);
    else job.reject(fromWorker(message.error));
    if (queue.length > 0) return pump();
    from.worker.unref();
    idleTimer = setTimeout(() => {
      idleTimer = null;
      if (slot === from && !from.current && queue.length === 0) {
        retire(from);
        void from.worker.terminate();
      }
    }, idleMs);
    idleTimer.unref();
  }

  /** The worker died (crash, out of memory, exit): fail what it was doing, start afresh for the rest. */
  function onGone(from: Slot, cause: Error): void {
    if (from.gone) return;
    const wasReady = from.ready;
    const job = from.current;
    retire(from);
    if (closed) return;
    const reason = describeCrash(cause);
    if (job)
      job.reject(
        failed('export_worker_crashed', `生成文件的工作线程意外退出（${reason}），本次导出失败，其他导出不受影响；请重试或联系管理员`, {
          reason,
        }),
      );
    else if (!wasReady) {
      // It died before it could take any job: the worker cannot start at all (a missing module …).
      // Failing the waiting jobs keeps the pool from starting workers in a loop.
      const error = failed('export_worker_unavailable', `无法启动生成文件的工作线程（${reason}），请联系管理员`, { reason });
      for (const waiting of queue.splice(0)) waiting.reject(error);
      return;
    }
    pump();
  }

  function retire(from: Slot): void {
    from.gone = true;
    if (from.timer) {
      clearTimeout(from.timer);
      from.timer = null;
    }
    from.worker.removeAllListeners('message');
    // Keep listening for 'error' so a late one is not an uncaught exception.
    if (slot === from) slot = null;
  }

  return {
    /** Renders in the worker; `onStart` runs when the worker takes the job (the job is "running"). */
    run(task: RenderTask, onStart?: () => void): Promise<Uint8Array> {
      if (closed) return Promise.reject(shutDown());
      return new Promise<Uint8Array>((resolve, reject) => {
        queue.push({ id: nextId++, task, onStart, resolve, reject });
        pump();
      });
    },

    stats(): RenderPoolStats {
      return { queued: queue.length, running: slot?.current != null, workersStarted, workersReused };
    },

    /** Ends the worker (an idle, ready one is parked for the next pool); queued and running jobs fail `export_shutdown`. */
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (idleTimer) {
        clearTimeout(idleTimer);
        idleTimer = null;
      }
      const error = shutDown();
      for (const waiting of queue.splice(0)) waiting.reject(error);
      const last = slot;
      if (!last) return;
      const idle = last.ready && !last.current && !last.gone;
      last.current?.reject(error);
      retire(last);
      if (idle) park(last.worker, limits, idleMs);
      else await last.worker.terminate();
    },
  };
}

export type RenderPool = ReturnType<typeof createRenderPool>;

const seconds = (ms: number) => Math.round(ms / 100) / 10;

const shutDown = () => unavailable('export_shutdown', '服务器正在停止，导出未完成，请稍后重试');

function describeCrash(cause: Error): string {
  const code = (cause as { code?: string }).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return '内存超出上限 out of memory';
  return cause.message;
}

const KINDS: ReadonlySet<string> = new Set<DomainErrorKind>(['not_found', 'forbidden', 'invalid', 'conflict', 'rate_limited', 'unavailable', 'failed']);

/** A writer's domain error keeps its kind and code across the thread; anything else is ours to fix. */
function fromWorker(error: WorkerError): DomainError {
  if (error.kind && error.code && KINDS.has(error.kind)) return new DomainError(error.kind as DomainErrorKind, error.code, error.message, error.details ?? {});
  return failed('export_render_failed', `生成文件失败：${error.message}`, { reason: error.message });
}
