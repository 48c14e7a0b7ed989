import type { Directory } from '../organisations/directory.ts';

/**
 * Every organisation's store runs its export ticker (decision 040's renewals, pruning and takeover
 * of a stopped server's jobs; decision 043): export jobs live in the store of the organisation that
 * asked (decision 028), so a ticker on the home store alone left other organisations' jobs
 * unrenewed, never taken over and never deleted. The home store is served at once; the others
 * when the directory has been read, and organisations created later at the next look (default
 * every 60 s), as the delivery workers do. `tickMs`: tests. A store's ticker stops when its services close (the
 * directory's close; the home's in the export routes' onClose).
 */
export function serveExportsOfEveryStore(
  directory: Directory,
  options: { rescanMs?: number; tickMs?: number; onError?: (error: unknown) => void } = {},
): { scanned: Promise<void>; stop(): void } {
  directory.home.services.exports.serve(options.tickMs);
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  async function scan(): Promise<void> {
    for (const organisation of await directory.list()) {
      if (stopped) return;
      // Idempotent: a store already served keeps its ticker.
      (await directory.servicesOf(organisation.id)).exports.serve(options.tickMs);
    }
  }

  const report = (error: unknown) => {
    // Closing while a store was being opened is not a failure.
    if (!stopped) options.onError?.(error);
  };
  const scanned = scan().catch(report);
  const loop = () => {
    timer = setTimeout(() => {
      void scan()
        .catch(report)
        .finally(() => {
          if (!stopped) loop();
        });
    }, options.rescanMs ?? 60_000);
    timer.unref();
  };
  loop();
  return {
    scanned,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
