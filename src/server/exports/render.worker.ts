import { parentPort } from 'node:worker_threads';
import { isDomainError } from '../../domain/errors.ts';
import { renderExport, type RenderTask } from './render.ts';

/**
 * The render worker's body (started by render-pool.ts through render.worker.mjs): one message in,
 * one file out, the bytes transferred rather than copied. Says `ready` once its modules are
 * loaded, so the pool's per-job timeout never counts the worker's start.
 */

export type WorkerRequest = { id: number; task: RenderTask };
export type WorkerError = { kind?: string; code?: string; message: string; details?: Record<string, unknown> };
export type WorkerMessage =
  { type: 'ready' } | { type: 'result'; id: number; ok: true; bytes: Uint8Array } | { type: 'result'; id: number; ok: false; error: WorkerError };

const port = parentPort;
if (!port) throw new Error('render.worker.ts runs only as a worker thread (see render-pool.ts)');

port.on('message', async ({ id, task }: WorkerRequest) => {
  try {
    const rendered = await renderExport(task);
    // A small Buffer may sit in Node's shared 8 KiB pool, whose ArrayBuffer cannot be transferred:
    // copy those into one of their own; a big file is transferred as it is.
    const bytes = rendered.byteOffset === 0 && rendered.byteLength === rendered.buffer.byteLength ? rendered : rendered.slice();
    port.postMessage({ type: 'result', id, ok: true, bytes } satisfies WorkerMessage, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    const shown: WorkerError = isDomainError(error)
      ? { kind: error.kind, code: error.code, message: error.message, details: error.details }
      : { message: error instanceof Error ? error.message : String(error) };
    port.postMessage({ type: 'result', id, ok: false, error: shown } satisfies WorkerMessage);
  }
});

port.postMessage({ type: 'ready' } satisfies WorkerMessage);
