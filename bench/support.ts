import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let clockTicks: number | undefined;

/** The kernel's clock ticks a second, the unit of the CPU times in /proc (Linux); asked once, when first needed. */
export function clockTicksPerSecond(): number {
  return (clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100);
}

/** CPU seconds (user + system) of this process's children that have exited and been waited for. */
export function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // After the command name in parentheses: state is field 3, cutime 16 and cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / clockTicksPerSecond();
}

/** What the load benchmarks' server children measure of themselves. */
export type ServerStats = { loopP50: number; loopP99: number; loopMax: number; rssMb: number };

const BENCHMARKS_MD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'benchmarks.md');

/** Replaces (or appends) the section between `<!-- bench:<name>:start -->` and its end marker in docs/benchmarks.md. */
export function writeBenchSection(name: string, section: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${section}\n${end}`;
  const current = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : '# Benchmarks\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  writeFileSync(BENCHMARKS_MD, from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${block}\n`);
}

/** Resets the server child's event-loop histogram, or reads it with the child's RSS. */
export function serverStats(child: ChildProcess, what: 'reset' | 'read'): Promise<ServerStats | undefined> {
  if (what === 'reset') {
    child.send({ stats: 'reset' });
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const listener = (message: { stats?: ServerStats }) => {
      if (message.stats) {
        child.off('message', listener);
        resolve(message.stats);
      }
    };
    child.on('message', listener);
    child.send({ stats: 'read' });
  });
}

export const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** One submit of the spike: the unit's submit path, its session, and its Idempotency-Key. */
export type SpikeSubmit = { path: string; cookie: string; csrf: string; key: string };

/**
 * Sends every submit at once (one connection each) and waits for all: the latencies sorted, the
 * statuses counted ('error' for a connection that failed), and the wall-clock seconds.
 */
export async function submitAtOnce(
  base: string,
  csrfHeader: string,
  submits: readonly SpikeSubmit[],
): Promise<{ latencies: number[]; statuses: Record<string, number>; seconds: number }> {
  const started = performance.now();
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  await Promise.all(
    submits.map(async (submit) => {
      const sent = performance.now();
      let status = 'error';
      try {
        const response = await fetch(`${base}${submit.path}`, {
          method: 'POST',
          headers: { cookie: submit.cookie, [csrfHeader]: submit.csrf, 'content-type': 'application/json', 'idempotency-key': submit.key },
          body: '{}',
        });
        await response.text();
        status = String(response.status);
      } catch {
        // counted as an error
      }
      latencies.push(performance.now() - sent);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }),
  );
  latencies.sort((a, b) => a - b);
  return { latencies, statuses, seconds: (performance.now() - started) / 1000 };
}

/** A command-line flag's value as a positive integer, or exit 2 naming the flag. */
export function positive(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${flag} needs a positive integer`);
    process.exit(2);
  }
  return n;
}

/** A port of 127.0.0.1 free right now, for a server started in another process. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** scripts/run-tests.mjs's closing summary (`# tests N`, `# pass N`, …) and its count of files, from its output; null without them. */
export function runnerCounts(output: string): { tests: number; pass: number; fail: number; files: number } | null {
  const count = (name: string) => {
    const found = [...output.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].at(-1);
    return found ? Number(found[1]) : null;
  };
  const files = /^run-tests: (\d+) test file\(s\)/m.exec(output);
  const [tests, pass, fail] = [count('tests'), count('pass'), count('fail')];
  if (tests === null || pass === null || fail === null || !files) return null;
  return { tests, pass, fail, files: Number(files[1]) };
}
