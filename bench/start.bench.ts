/**
 * Start benchmark (`npm run bench:start`, issue 17 "Start like a compiled tool", decision 039): how
 * long the CLI and the server take to start, each beside `tsc --version` measured in the same run.
 * The issue's targets: `npx diaodu --help` no slower than `npx tsc --version`; a dry-run import of
 * the seed at most 1.5× it; `npm start` on a built tree serving in under 2 s.
 *
 * The commands run in turn — one of each, then again — after one warm-up turn, so a drift of the
 * machine's speed falls on all of them alike. Each figure is the mean wall time of its runs, and
 * the mean CPU time (user + system) of the command and everything it started, read from this
 * process's waited-for children's times in /proc/self/stat (Linux). The same commands through
 * tsx (the sources transpiled at start, as before decision 039) are measured beside them.
 *
 * The server: the time from spawning the command to the first 200 on `GET /api/health`, with
 * `DIAODU_DEMO=false` on a SQLite file the warm-up start migrated, and a built web app; then it is
 * stopped (SIGTERM) before the next start. Median, lowest and highest of the runs.
 *
 *   npm run bench:start                     written to docs/benchmarks.md and docs/figures/start.json
 *   npm run bench:start -- --no-write       printed only
 *   npm run bench:start -- --runs 3         fewer runs (default 7 for commands, 5 for the server)
 *
 * Builds dist/ first when it is missing or older than the sources. Exits 1 if a command fails.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { recordFigures, type Figures } from './figures.ts';
import { childrenCpuSeconds, freePort, positive, quantile, writeBenchSection } from './support.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEED = 'fixtures/seed/sichuan-2017-q2-notice.txt';
const HEALTH_DEADLINE_MS = 120_000;

type Options = { write: boolean; runs: number; serverRuns: number };

function parseOptions(argv: string[]): Options {
  const options: Options = { write: true, runs: 7, serverRuns: 5 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--no-write') options.write = false;
    else if (arg === '--runs') options.serverRuns = options.runs = positive(arg, argv[++i]);
    else {
      console.error(`usage: npm run bench:start -- [--no-write] [--runs N]\nunknown argument: ${arg}`);
      process.exit(2);
    }
  }
  return options;
}

type Command = { key: string; label: string; file: string; args: string[] };
type Timing = { wall: number[]; cpu: number[] };

/** Runs the command once, waits for it, and returns its wall and CPU seconds; throws if it fails. */
function timeOnce(command: Command): { wall: number; cpu: number } {
  const cpuBefore = childrenCpuSeconds();
  const started = process.hrtime.bigint();
  const result = spawnSync(command.file, command.args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command.label} exited ${String(result.status ?? result.signal)}:\n${result.stderr}${result.stdout}`);
  return { wall, cpu: childrenCpuSeconds() - cpuBefore };
}

/** Seconds from spawning the server command to its first 200 on /api/health; the server is stopped before this returns. */
async function timeServerStart(file: string, args: string[], databaseFile: string): Promise<number> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  // A process group of its own: `npm start` runs node under a shell, and the whole group is stopped.
  const child = spawn(file, args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NO_UPDATE_NOTIFIER: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      DIAODU_DEMO: 'false',
      DIAODU_DATABASE_URL: `sqlite:${databaseFile}`,
      DIAODU_LOG_LEVEL: 'warn',
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    const deadline = Date.now() + HEALTH_DEADLINE_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${[file, ...args].join(' ')} exited ${child.exitCode} before serving:\n${output}`);
      if (Date.now() > deadline) throw new Error(`${[file, ...args].join(' ')} did not answer /api/health in ${HEALTH_DEADLINE_MS / 1000} s:\n${output}`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return Number(process.hrtime.bigint() - started) / 1e9;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const median = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const seconds = (value: number) => `${value.toFixed(2)} s`;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const loadBefore = loadavg()[0]!;
  // The compiled tree, as `npm start` would build it (nothing happens when it is current).
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const scratch = mkdtempSync(path.join(tmpdir(), 'diaodu-bench-start-'));
  try {
    // The CLI through tsx, as bin/diaodu.js ran it before decision 039.
    const tsxCli = path.join(scratch, 'cli-through-tsx.mjs');
    writeFileSync(
      tsxCli,
      `import { main } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/cli/main.ts')).href)};\nprocess.exitCode = await main(process.argv.slice(2));\n`,
    );
    const node = process.execPath;
    const commands: Command[] = [
      { key: 'npxTsc', label: 'npx tsc --version', file: 'npx', args: ['tsc', '--version'] },
      { key: 'npxHelp', label: 'npx diaodu --help', file: 'npx', args: ['diaodu', '--help'] },
      { key: 'npxDryRun', label: 'npx diaodu import … --dry-run', file: 'npx', args: ['diaodu', 'import', SEED, '--dry-run'] },
      { key: 'nodeTsc', label: 'node node_modules/typescript/bin/tsc --version', file: node, args: ['node_modules/typescript/bin/tsc', '--version'] },
      { key: 'nodeHelp', label: 'node bin/diaodu.js --help', file: node, args: ['bin/diaodu.js', '--help'] },
      { key: 'nodeDryRun', label: 'node bin/diaodu.js import … --dry-run', file: node, args: ['bin/diaodu.js', 'import', SEED, '--dry-run'] },
      { key: 'npmRunHelp', label: 'npm run -s diaodu -- --help', file: 'npm', args: ['run', '-s', 'diaodu', '--', '--help'] },
      { key: 'tsxHelp', label: 'the CLI through tsx: --help', file: node, args: ['--import', 'tsx', tsxCli, '--help'] },
      { key: 'tsxDryRun', label: 'the CLI through tsx: import … --dry-run', file: node, args: ['--import', 'tsx', tsxCli, 'import', SEED, '--dry-run'] },
    ];
    const timings = new Map<string, Timing>(commands.map((command) => [command.key, { wall: [], cpu: [] }]));
    for (let turn = 0; turn <= options.runs; turn++) {
      for (const command of commands) {
        const { wall, cpu } = timeOnce(command);
        // Turn 0 is the warm-up: files read into the page cache, npm's cache of the tree.
        if (turn === 0) continue;
        timings.get(command.key)!.wall.push(wall);
        timings.get(command.key)!.cpu.push(cpu);
      }
      process.stdout.write(turn === 0 ? 'commands: warm-up done\n' : `commands: turn ${turn} of ${options.runs}\n`);
    }

    // The server: the warm-up start migrates the file (and builds the web app if dist/web is missing).
    const databaseFile = path.join(scratch, 'server.db');
    const servers = [
      { key: 'npmStart', label: '`npm start`', file: 'npm', args: ['start'] },
      { key: 'startMjs', label: '`node scripts/start.mjs`', file: node, args: ['scripts/start.mjs'] },
      { key: 'devStart', label: '`npm run dev` (the server through tsx)', file: 'npm', args: ['run', 'dev'] },
    ];
    const starts = new Map<string, number[]>(servers.map((server) => [server.key, []]));
    for (let turn = 0; turn <= options.serverRuns; turn++) {
      for (const server of servers) {
        const wall = await timeServerStart(server.file, server.args, databaseFile);
        if (turn > 0) starts.get(server.key)!.push(wall);
      }
      process.stdout.write(turn === 0 ? 'server: warm-up done\n' : `server: turn ${turn} of ${options.serverRuns}\n`);
    }

    const figures: Figures = {};
    for (const command of commands) {
      const { wall, cpu } = timings.get(command.key)!;
      figures[`${command.key}.wall`] = mean(wall);
      figures[`${command.key}.cpu`] = mean(cpu);
    }
    const ofTsc = (key: string, tsc: string) => figures[`${key}.wall`]! / figures[`${tsc}.wall`]!;
    for (const key of ['npxHelp', 'npxDryRun']) figures[`${key}.ofTsc`] = ofTsc(key, 'npxTsc');
    for (const key of ['nodeHelp', 'nodeDryRun', 'tsxHelp', 'tsxDryRun']) figures[`${key}.ofTsc`] = ofTsc(key, 'nodeTsc');
    for (const server of servers) {
      const walls = starts.get(server.key)!;
      figures[`${server.key}.median`] = median(walls);
      figures[`${server.key}.min`] = Math.min(...walls);
      figures[`${server.key}.max`] = Math.max(...walls);
    }

    const f = (key: string) => figures[key]!;
    const row = (command: Command, ratio: boolean) =>
      `| \`${command.label}\` | ${seconds(f(`${command.key}.wall`))} | ${seconds(f(`${command.key}.cpu`))} | ${ratio ? `**${f(`${command.key}.ofTsc`).toFixed(2)}×**` : ''} |`;
    const byKey = new Map(commands.map((command) => [command.key, command]));
    const met = (ok: boolean) => (ok ? 'met' : '**not met**');
    const today = new Date().toISOString().slice(0, 10);
    const section = [
      '## Start: the compiled server and CLI (`npm run bench:start`)',
      '',
      `${today}, ${cpus().length} cores (load ${loadBefore.toFixed(1)} at the start), Node ${process.version}. Each command ran ${options.runs} times in turn with the others after one warm-up turn: mean wall time, and mean CPU time (user + system) of the command and all it started. A ratio is to the \`tsc --version\` run the same way (through \`npx\` for \`npx\`, else through \`node\`). The seed's dry run is \`diaodu import ${SEED} --dry-run\`. "Through tsx" is the CLI's TypeScript transpiled at start, as every start ran before decision 039.`,
      '',
      '| command | wall | CPU | of `tsc --version` |',
      '|---|---:|---:|---:|',
      row(byKey.get('npxTsc')!, false),
      row(byKey.get('npxHelp')!, true),
      row(byKey.get('npxDryRun')!, true),
      row(byKey.get('nodeTsc')!, false),
      row(byKey.get('nodeHelp')!, true),
      row(byKey.get('nodeDryRun')!, true),
      row(byKey.get('npmRunHelp')!, false),
      row(byKey.get('tsxHelp')!, true),
      row(byKey.get('tsxDryRun')!, true),
      '',
      `The server, from spawning the command to the first 200 on \`GET /api/health\` (\`DIAODU_DEMO=false\`, a migrated SQLite file, a built web app), ${options.serverRuns} starts each in turn after one warm-up:`,
      '',
      '| command | median (s) | lowest (s) | highest (s) |',
      '|---|---:|---:|---:|',
      ...servers.map(
        (server) =>
          `| ${server.label} | ${f(`${server.key}.median`).toFixed(2)} | ${f(`${server.key}.min`).toFixed(2)} | ${f(`${server.key}.max`).toFixed(2)} |`,
      ),
      '',
      'Targets (issue 17):',
      `- \`npx diaodu --help\` no slower than \`npx tsc --version\`: ${f('npxHelp.ofTsc').toFixed(2)}× — ${met(f('npxHelp.ofTsc') <= 1)}; without npx, \`node bin/diaodu.js --help\` ${f('nodeHelp.ofTsc').toFixed(2)}× of \`node …/tsc --version\` — ${met(f('nodeHelp.ofTsc') <= 1)}.`,
      `- the seed's dry run at most 1.5× \`tsc --version\`: through npx ${f('npxDryRun.ofTsc').toFixed(2)}× — ${met(f('npxDryRun.ofTsc') <= 1.5)}; through node ${f('nodeDryRun.ofTsc').toFixed(2)}× — ${met(f('nodeDryRun.ofTsc') <= 1.5)}.`,
      `- \`npm start\` serving in under 2 s: median ${seconds(f('npmStart.median'))} — ${met(f('npmStart.median') < 2)}.`,
      '',
      "`npx diaodu` runs the CLI linked into node_modules/.bin by `npm ci` (scripts/link-cli.mjs), as `npx tsc` runs tsc: for a project's own `bin` in package.json, npm would read the whole installed tree before every run (decision 039).",
      '',
      'Run: `npm run bench:start` (writes this section and docs/figures/start.json); `-- --no-write` prints only; `-- --runs N` changes the number of runs.',
    ].join('\n');
    console.log(`\n${section}\n`);
    if (!options.write) return;
    console.log(`figures written to ${path.relative(process.cwd(), recordFigures('start', figures, { loadBefore }))}`);
    writeBenchSection('start', section);
    console.log('section written to docs/benchmarks.md');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
