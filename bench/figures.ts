import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The figures a benchmark run measured, in a file of the repository (decision 044): one JSON
 * file per benchmark, `docs/figures/<bench>.json`, replaced by every run that writes its section of
 * docs/benchmarks.md. Each figure has a stable key (`save.perSecond`, `ramp.800.p99`, …) and its
 * value as measured (not rounded): the documents format it, and `scripts/doc-figures.ts` checks
 * that every figure docs/benchmarks.md, docs/security.md and README.md quote is one of these.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIGURES_DIR = path.join(ROOT, 'docs', 'figures');

/** A figure's value: a number as measured, or a count. */
export type Figures = Record<string, number>;

export interface FigureFile {
  bench: string;
  /** The day of the run, YYYY-MM-DD (UTC). */
  date: string;
  node: string;
  machine: string;
  /** The code measured: `git rev-parse --short HEAD`, with `+changes` if the tree had changes outside docs/. */
  commit: string;
  /** How the benchmark was called (its command-line arguments). */
  args: string[];
  /** 1-minute load average when the run started (other work on the machine shows here). */
  loadBefore: number;
  figures: Figures;
}

function commitOf(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    // Changes to docs/ (the benchmarks' own output) do not change the code measured.
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!docs'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

/** The machine as the documents name it: CPU model and core count. */
export function machineName(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'} (${cpu.length} cores)`;
}

/**
 * Writes docs/figures/<bench>.json. Every value must be a finite number: a NaN or a missing figure
 * is a bug of the benchmark, and the file would then quote nothing the documents could check.
 */
export function recordFigures(bench: string, figures: Figures, run: { loadBefore: number; args?: string[] } = { loadBefore: loadavg()[0]! }): string {
  const bad = Object.entries(figures).filter(([, value]) => typeof value !== 'number' || !Number.isFinite(value));
  if (bad.length > 0) throw new Error(`${bench}: figures that are not finite numbers: ${bad.map(([key, value]) => `${key}=${String(value)}`).join(', ')}`);
  const file: FigureFile = {
    bench,
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    machine: machineName(),
    commit: commitOf(),
    args: run.args ?? process.argv.slice(2),
    loadBefore: Math.round(run.loadBefore * 100) / 100,
    figures: Object.fromEntries(Object.entries(figures).sort(([a], [b]) => a.localeCompare(b))),
  };
  mkdirSync(FIGURES_DIR, { recursive: true });
  const target = path.join(FIGURES_DIR, `${bench}.json`);
  writeFileSync(target, `${JSON.stringify(file, null, 2)}\n`);
  return target;
}

/**
 * An object's numbers as figures, keys joined by dots under `prefix` (`render.10000.docx.medianMs`);
 * strings, booleans and non-finite numbers (a figure not measured) are left out.
 */
export function flattenFigures(prefix: string, value: unknown, into: Figures = {}): Figures {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) into[prefix] = value;
  } else if (Array.isArray(value)) value.forEach((item, i) => flattenFigures(`${prefix}.${i}`, item, into));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) flattenFigures(prefix ? `${prefix}.${key}` : key, item, into);
  return into;
}
