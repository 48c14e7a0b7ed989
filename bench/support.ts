import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
