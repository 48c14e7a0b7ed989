/**
 * Test suite benchmark (`npm run bench:suite`, issue 17 "Fast tests"): how long `npm test` takes on
 * this machine, step by step, and how much of the machine it uses. The target is the whole
 * suite under 10 minutes on the 2-core machine.
 *
 * The steps are those of package.json's `test` script (`a && b`), each run in turn as npm runs it
 * (a shell, node_modules/.bin first on PATH). Each step's wall time; the CPU time of the step and
 * everything it started that was waited for (user + system, from this process's children's times
 * in /proc/self/stat); and the CPU time of the whole machine over the step (/proc/stat: every
 * core's user, nice, system, irq and softirq time), which also counts the PostgreSQL server the
 * tests use. The runner's own summary gives the counts of tests.
 *
 *   npm run bench:suite                  written to docs/benchmarks.md and docs/figures/suite.json
 *   npm run bench:suite -- --no-write    printed only
 *
 * Nothing is written when a step fails: the figures of a failing suite are not the suite's. Exits 1 then.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordFigures, type Figures } from './figures.ts';
import { childrenCpuSeconds, clockTicksPerSecond, runnerCounts, writeBenchSection } from './support.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_SECONDS = 600;

function parseOptions(argv: string[]): { write: boolean } {
  const options = { write: true };
  for (const arg of argv) {
    if (arg === '--no-write') options.write = false;
    else {
      console.error(`usage: npm run bench:suite -- [--no-write]\nunknown argument: ${arg}`);
      process.exit(2);
    }
  }
  return options;
}

/** CPU seconds the whole machine has spent busy since it started: user, nice, system, irq, softirq of every core. */
function machineCpuSeconds(): number {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return (user! + nice! + system! + irq! + softirq!) / clockTicksPerSecond();
}

interface StepResult {
  command: string;
  code: number;
  wall: number;
  cpu: number;
  machineCpu: number;
  output: string;
}

/** Runs one step of the test script as npm would, its output shown as it comes and kept. */
function runStep(command: string): Promise<StepResult> {
  const cpuBefore = childrenCpuSeconds();
  const machineBefore = machineCpuSeconds();
  const started = process.hrtime.bigint();
  const child = spawn(command, {
    cwd: ROOT,
    shell: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}` },
  });
  let output = '';
  const keep = (chunk: Buffer, to: NodeJS.WriteStream) => {
    output += chunk.toString();
    to.write(chunk);
  };
  child.stdout.on('data', (chunk: Buffer) => keep(chunk, process.stdout));
  child.stderr.on('data', (chunk: Buffer) => keep(chunk, process.stderr));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        command,
        code: code ?? (signal ? 128 : 1),
        wall: Number(process.hrtime.bigint() - started) / 1e9,
        cpu: childrenCpuSeconds() - cpuBefore,
        machineCpu: machineCpuSeconds() - machineBefore,
        output,
      }),
    );
  });
}

const seconds = (value: number) => `${value.toFixed(0)} s`;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const loadBefore = loadavg()[0]!;
  const script = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.test!;
  const commands = script.split(' && ');
  const results: StepResult[] = [];
  for (const command of commands) {
    console.log(`::: bench:suite: ${command}`);
    const result = await runStep(command);
    results.push(result);
    console.log(`::: bench:suite: ${command}: exit ${result.code}, ${result.wall.toFixed(1)} s`);
    if (result.code !== 0) break;
  }
  const failed = results.find((result) => result.code !== 0);
  if (failed) {
    console.error(`bench:suite: \`${failed.command}\` failed (exit ${failed.code}); nothing written`);
    process.exit(1);
  }
  const runner = results.at(-1)!;
  const counts = runnerCounts(runner.output);
  if (!counts) throw new Error(`bench:suite: no closing summary (# tests, # pass, # fail) in the output of \`${runner.command}\``);

  const total = { wall: 0, cpu: 0, machineCpu: 0 };
  for (const result of results) {
    total.wall += result.wall;
    total.cpu += result.cpu;
    total.machineCpu += result.machineCpu;
  }
  const figures: Figures = {
    'total.wall': total.wall,
    'total.cpu': total.cpu,
    'total.machineCpu': total.machineCpu,
    tests: counts.tests,
    pass: counts.pass,
    fail: counts.fail,
    files: counts.files,
  };
  results.forEach((result, index) => {
    figures[`step${index + 1}.wall`] = result.wall;
    figures[`step${index + 1}.cpu`] = result.cpu;
    figures[`step${index + 1}.machineCpu`] = result.machineCpu;
  });

  const cores = cpus().length;
  const today = new Date().toISOString().slice(0, 10);
  const section = [
    '## The test suite (`npm run bench:suite`)',
    '',
    `${today}, ${cores} cores (load ${loadBefore.toFixed(1)} at the start), Node ${process.version}. The steps of \`npm test\` run in turn as npm runs them; **CPU** is the step's own and that of everything it started and waited for, **machine CPU** all the machine's cores over the step (the PostgreSQL server the tests use included: a second of wall time holds at most one second of it per core).`,
    '',
    '| step | wall (s) | CPU (s) | machine CPU (s) |',
    '|---|---:|---:|---:|',
    ...results.map((result) => `| \`${result.command}\` | ${result.wall.toFixed(0)} | ${result.cpu.toFixed(0)} | ${result.machineCpu.toFixed(0)} |`),
    `| all of \`npm test\` | **${total.wall.toFixed(0)}** | ${total.cpu.toFixed(0)} | ${total.machineCpu.toFixed(0)} |`,
    '',
    `${counts.tests.toLocaleString('en-US')} tests in ${counts.files} files: ${counts.pass.toLocaleString('en-US')} passed, ${counts.fail} failed.`,
    '',
    `Target (issue 17): the whole suite under 10 minutes on the 2-core machine: ${seconds(total.wall)} — ${total.wall < TARGET_SECONDS ? 'met' : '**not met**'}.`,
    '',
    "Run: `npm run bench:suite` (writes this section and docs/figures/suite.json; nothing when a step fails); `-- --no-write` prints only. A clean clone on CI runs the same steps after `npm ci` (`.ci/run` prints each phase's time).",
  ].join('\n');
  console.log(`\n${section}\n`);
  if (!options.write) return;
  console.log(`figures written to ${path.relative(process.cwd(), recordFigures('suite', figures, { loadBefore }))}`);
  writeBenchSection('suite', section);
  console.log('section written to docs/benchmarks.md');
}

await main();
