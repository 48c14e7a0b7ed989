/**
 * Export benchmark: the notice with its table as .docx and the table as .xlsx for plans of 100,
 * 1,000 and 10,000 tasks, and the seed round as PDF.
 *
 *   npm run bench:export                        measure and rewrite the export section of docs/benchmarks.md
 *   npm run bench:export -- --no-write          print only
 *   npm run bench:export -- --max-tasks 1000    skip the 10,000-task plan (a quick look)
 *   npm run bench:export -- --tasks 10000 --api-only   one size, the job API only (prints, never writes)
 *
 * Three figures per size and format:
 * 1. **Render** in the render worker (src/server/exports/render-pool.ts), worker warm, in a child
 *    process of its own: median time, file size, and the **peak memory** of that process while it
 *    renders — `process.resourceUsage().maxRSS` after the runs minus before them (main thread and
 *    worker together: the table's copy posted to the worker, the writer's objects, the zip).
 * 2. **Event-loop delay of the server** while the export runs through the job API: the app as
 *    `npm start` composes it, in a child process (SQLite, the synthetic round imported), measures
 *    its own loop with `monitorEventLoopDelay` (10 ms resolution) from the POST until the job is
 *    done; this process meanwhile asks `GET /api/health` every 25 ms, has four reporters' clients save
 *    drafts one after another (each into its own boxes of a round the office opened over the plan),
 *    polls the job every 100 ms, over loopback, and times the health answers and the saves. The same with the writer called on the server's
 *    main thread ("inline"), for comparison: that is what the worker saves the server from.
 * 3. **PDF** of the seed round through the job API (LibreOffice headless), when it is installed.
 *
 * Plans are synthesised by repeating the seed's chapters (tasks, owners and progress), copies
 * marked 〔2〕, 〔3〕 …, and cut at the size wanted.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { systemActor } from '../src/domain/actor.ts';
import type { ExportJobView } from '../src/domain/api/export-view.ts';
import { compileTable } from '../src/domain/compiled-table.ts';
import type { PlanChapter, PlanDocument } from '../src/domain/plan-document.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { createOrganisationDirectory } from '../src/server/organisations/directory.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { findSoffice } from '../src/server/documents/pdf/docx-to-pdf.ts';
import { readSeedText } from '../src/server/documents/seed-text.reader.ts';
import { renderExport } from '../src/server/exports/render.ts';
import { createRenderPool } from '../src/server/exports/render-pool.ts';
import { buildApp } from '../src/server/http/app.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/server/http/session-cookie.ts';
import { DEMO_PASSWORD } from '../src/server/services/demo-accounts.ts';
import { createServices } from '../src/server/services/index.ts';
import { flattenFigures, recordFigures, type Figures } from './figures.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const SEED = path.join(ROOT, 'fixtures/seed/sichuan-2017-q2-notice.txt');
const BENCHMARKS_MD = path.join(ROOT, 'docs/benchmarks.md');
const START = '<!-- bench:export:start -->';
const END = '<!-- bench:export:end -->';
const HOST = '127.0.0.1';
const SIZES = [100, 1_000, 10_000];
const FORMATS = ['docx', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];
const runsFor = (tasks: number) => (tasks <= 100 ? 5 : tasks <= 1_000 ? 3 : 1);

/* ------------------------------------------------------------------ data */

function seedDocument(): PlanDocument {
  return readSeedText(readFileSync(SEED, 'utf8'), SEED).document;
}

/** The seed's chapters over and over until `tasks` tasks; copies marked 〔2〕, 〔3〕 … so that no two tasks read the same. */
export function synthesise(seed: PlanDocument, tasks: number): PlanDocument {
  const chapters: PlanChapter[] = [];
  let count = 0;
  for (let pass = 1; count < tasks; pass++) {
    for (const chapter of seed.chapters) {
      if (count >= tasks) break;
      const sections = [];
      for (const section of chapter.sections) {
        if (count >= tasks) break;
        const taken = section.tasks.slice(0, tasks - count).map((task) => (pass === 1 ? task : { ...task, text: `${task.text}〔${pass}〕` }));
        count += taken.length;
        sections.push({ ...section, tasks: taken });
      }
      chapters.push({ ...chapter, number: chapters.length + 1, sections });
    }
  }
  return { ...seed, chapters };
}

/* ------------------------------------------------------------------ small helpers */

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (value: number) => (Number.isNaN(value) ? '–' : value >= 100 ? String(Math.round(value)) : value.toFixed(1));
const thousands = (value: number) => Math.round(value).toLocaleString('en-US');
const sleep = (time: number) => new Promise((resolve) => setTimeout(resolve, time));

/* ------------------------------------------------------------------ 1. render in the worker (child process) */

type RenderFigure = { tasks: number; format: Format; runs: number; medianMs: number; minMs: number; maxMs: number; bytes: number; peakMb: number };

async function measureRender(tasks: number, format: Format, runs: number): Promise<RenderFigure> {
  const document = synthesise(seedDocument(), tasks);
  const table = compileTable(document);
  const pool = createRenderPool();
  // Warm: the worker started, its modules loaded, the writers run once on the seed.
  const seed = seedDocument();
  await pool.run({ kind: format, notice: seed.notice!, table: compileTable(seed) });
  const before = process.resourceUsage().maxRSS;
  const times: number[] = [];
  let bytes = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    bytes = (await pool.run({ kind: format, notice: document.notice!, table })).byteLength;
    times.push(performance.now() - started);
  }
  const peakMb = (process.resourceUsage().maxRSS - before) / 1024;
  await pool.close();
  return { tasks, format, runs, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), bytes, peakMb };
}

function renderInChild(tasks: number, format: Format, runs: number): RenderFigure {
  const child = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--render', String(tasks), format, String(runs)], { cwd: ROOT, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`render child failed (${tasks} ${format}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as RenderFigure;
}

/* ------------------------------------------------------------------ 2. the server, in a child process */

type DelayStats = { p50: number; p99: number; max: number; samples: number };
type ServerMessage = { ready: true; port: number; roundId: number } | { delay: DelayStats } | { inlineDone: number; bytes: number };

async function serve(databaseFile: string, tasks: number | null): Promise<void> {
  const config = loadConfig({ DIAODU_DATABASE_URL: `sqlite:${databaseFile}`, HOST, DIAODU_LOG_LEVEL: 'warn', DIAODU_EXPORT_RATE_LIMIT: '10000' });
  const database = await openDatabase(config.databaseUrl);
  await migrateToLatest(database.db);
  const services = createServices({ database, config });
  const actor = systemActor('bench');
  await services.demo.seedAccounts(actor);
  const document = tasks === null ? seedDocument() : synthesise(seedDocument(), tasks);
  const outcome = await services.planImport.importDocument(actor, document, {
    fileName: `bench-${tasks ?? 'seed'}.json`,
    contentHash: `bench-${tasks ?? 'seed'}`,
  });
  const app = await buildApp({
    directory: await createOrganisationDirectory({ home: database, homeUrl: config.databaseUrl, config, homeServices: services }),
    config,
    logger: { level: config.logLevel },
    webRoot: null,
  });
  await app.listen({ host: HOST, port: 0 });
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  process.on('message', async (message: { command: string; format?: Format }) => {
    if (message.command === 'delay-start') {
      histogram.reset();
      histogram.enable();
      process.send!({ started: true });
    } else if (message.command === 'delay-stop') {
      histogram.disable();
      const toMs = (ns: number) => ns / 1e6;
      process.send!({
        delay: { p50: toMs(histogram.percentile(50)), p99: toMs(histogram.percentile(99)), max: toMs(histogram.max), samples: histogram.count },
      });
    } else if (message.command === 'inline') {
      // What the job API would cost without the worker: compile and render on the main thread.
      const started = performance.now();
      const compiled = await services.compileRound.compileRound(
        { kind: 'user', userId: 0, username: 'bench', name: 'bench', role: 'office', unitId: null },
        outcome.roundId!,
      );
      const bytes = await renderExport({ kind: message.format!, notice: compiled.notice, table: compiled.table });
      process.send!({ inlineDone: performance.now() - started, bytes: bytes.byteLength });
    } else if (message.command === 'stop') {
      await app.close();
      await database.close();
      process.exit(0);
    }
  });
  process.send!({ ready: true, port: (app.server.address() as AddressInfo).port, roundId: outcome.roundId! });
}

class ServerChild {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly roundId: number,
    private readonly folder: string,
  ) {}

  static async start(tasks: number | null): Promise<ServerChild> {
    const folder = mkdtempSync(path.join(tmpdir(), 'diaodu-bench-export-'));
    const child = fork(SELF, ['--serve', path.join(folder, 'diaodu.db'), String(tasks ?? 'seed')], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<{ port: number; roundId: number }>((resolve, reject) => {
      child.once('message', (message: ServerMessage) => ('ready' in message ? resolve(message) : reject(new Error('unexpected message'))));
      child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
    });
    return new ServerChild(child, ready.port, ready.roundId, folder);
  }

  ask<T>(command: Record<string, unknown>): Promise<T> {
    return new Promise((resolve) => {
      this.child.once('message', (message: T) => resolve(message));
      this.child.send(command);
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ command: 'stop' });
    await exited;
    rmSync(this.folder, { recursive: true, force: true });
  }
}

type Session = { cookie: string; csrf: string; unitId: number | null };

async function login(base: string, username = 'office'): Promise<Session> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const token = /diaodu_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!;
  const body = (await response.json()) as { csrfToken: string; user: { unit: { id: number } | null } };
  return { cookie: `${SESSION_COOKIE}=${token}`, csrf: body.csrfToken, unitId: body.user.unit?.id ?? null };
}

/** Asks for health every 25 ms until stopped; the answers' times in ms. */
function pingHealth(base: string) {
  const latencies: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      await (await fetch(`${base}/api/health`)).arrayBuffer();
      latencies.push(performance.now() - started);
      await sleep(25);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return latencies;
    },
  };
}

/** Answer boxes a reporter saves into while an export runs: a round the office opened over the whole plan. */
type SaveBoxes = { base: string; session: Session; roundId: number; unitId: number; boxes: { taskId: number; version: number }[] };

const SAVERS = 4;

async function openRoundForSaves(base: string, office: Session): Promise<SaveBoxes> {
  const json = { 'content-type': 'application/json' };
  const plans = (await (await fetch(`${base}/api/plans`, { headers: { cookie: office.cookie } })).json()) as { id: number }[];
  const opened = await fetch(`${base}/api/plans/${plans[0]!.id}/rounds`, {
    method: 'POST',
    headers: { ...json, cookie: office.cookie, [CSRF_HEADER]: office.csrf },
    body: JSON.stringify({ label: '保存测试轮次', periodStart: null, periodEnd: null, deadline: null, note: 'bench:export' }),
  });
  if (opened.status !== 201) throw new Error(`round not opened: ${opened.status} ${await opened.text()}`);
  const roundId = ((await opened.json()) as { id: number }).id;
  const reporter = await login(base, 'shengtai');
  const unitId = reporter.unitId!;
  const todo = (await (await fetch(`${base}/api/rounds/${roundId}/units/${unitId}/todo`, { headers: { cookie: reporter.cookie } })).json()) as {
    items: { task: { id: number }; answer: { version: number } }[];
  };
  const boxes = todo.items.slice(0, SAVERS * 2).map((item) => ({ taskId: item.task.id, version: item.answer.version }));
  if (boxes.length < SAVERS) throw new Error(`shengtai has ${boxes.length} tasks in the opened round`);
  return { base, session: reporter, roundId, unitId, boxes };
}

/** Four clients saving drafts one after another until stopped, each into its own boxes; each save's time in ms. */
function keepSaving(target: SaveBoxes) {
  const latencies: number[] = [];
  let refused = 0;
  let running = true;
  const headers = { 'content-type': 'application/json', cookie: target.session.cookie, [CSRF_HEADER]: target.session.csrf };
  const client = async (index: number) => {
    const mine = target.boxes.filter((_, at) => at % SAVERS === index);
    for (let turn = 0; running; turn++) {
      const box = mine[turn % mine.length]!;
      const started = performance.now();
      const response = await fetch(`${target.base}/api/rounds/${target.roundId}/tasks/${box.taskId}/units/${target.unitId}/answer`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ text: `导出期间保存的草稿 ${index}-${turn}`, status: 'on_track', reason: null, version: box.version }),
      });
      const body = (await response.json()) as { version?: number };
      latencies.push(performance.now() - started);
      if (response.status === 200 && body.version !== undefined) box.version = body.version;
      else refused++;
    }
  };
  const done = Promise.all(Array.from({ length: SAVERS }, (_, index) => client(index)));
  return {
    async stop() {
      running = false;
      await done;
      return { latencies, refused };
    },
  };
}

type ApiFigure = {
  tasks: number | 'seed';
  format: Format | 'pdf' | 'json';
  mode: 'worker' | 'inline' | 'idle';
  exportMs: number;
  bytes: number;
  delay: DelayStats;
  health: { p50: number; p99: number; max: number; count: number };
  saves: { p50: number; p99: number; max: number; count: number; refused: number };
  pages?: number;
};

async function measureThroughApi(
  server: ServerChild,
  session: Session,
  saves: SaveBoxes,
  tasks: number | 'seed',
  format: Format | 'pdf' | 'json',
): Promise<ApiFigure> {
  const base = `http://${HOST}:${server.port}`;
  const headers = { cookie: session.cookie, [CSRF_HEADER]: session.csrf, 'content-type': 'application/json' };
  await server.ask({ command: 'delay-start' });
  const pinger = pingHealth(base);
  const saver = keepSaving(saves);
  const started = performance.now();
  const created = await fetch(`${base}/api/rounds/${server.roundId}/exports`, { method: 'POST', headers, body: JSON.stringify({ format }) });
  if (created.status !== 202) throw new Error(`export not started: ${created.status} ${await created.text()}`);
  const { jobId } = (await created.json()) as ExportJobView;
  let job: ExportJobView;
  for (;;) {
    await sleep(100);
    job = (await (await fetch(`${base}/api/exports/${jobId}`, { headers })).json()) as ExportJobView;
    if (job.status === 'done' || job.status === 'failed') break;
  }
  const exportMs = performance.now() - started;
  const latencies = await pinger.stop();
  const saved = await saver.stop();
  const { delay } = await server.ask<{ delay: DelayStats }>({ command: 'delay-stop' });
  if (job.status === 'failed') throw new Error(`export failed: ${job.errorCode} ${job.error}`);
  const file = new Uint8Array(await (await fetch(`${base}/api/exports/${jobId}/file`, { headers })).arrayBuffer());
  let pages: number | undefined;
  if (format === 'pdf') {
    const folder = mkdtempSync(path.join(tmpdir(), 'diaodu-bench-pdf-'));
    writeFileSync(path.join(folder, 'seed.pdf'), file);
    const info = spawnSync('pdfinfo', [path.join(folder, 'seed.pdf')], { encoding: 'utf8' });
    pages = Number(/^Pages:\s+(\d+)/m.exec(info.stdout ?? '')?.[1] ?? NaN);
    rmSync(folder, { recursive: true, force: true });
  }
  return {
    tasks,
    format,
    mode: 'worker',
    exportMs,
    bytes: file.byteLength,
    delay,
    health: healthStats(latencies),
    saves: saveStats(saved),
    ...(pages !== undefined ? { pages } : {}),
  };
}

async function measureInline(server: ServerChild, saves: SaveBoxes, tasks: number, format: Format): Promise<ApiFigure> {
  const base = `http://${HOST}:${server.port}`;
  await server.ask({ command: 'delay-start' });
  const pinger = pingHealth(base);
  const saver = keepSaving(saves);
  await sleep(50);
  const done = await server.ask<{ inlineDone: number; bytes: number }>({ command: 'inline', format });
  const latencies = await pinger.stop();
  const saved = await saver.stop();
  const { delay } = await server.ask<{ delay: DelayStats }>({ command: 'delay-stop' });
  return { tasks, format, mode: 'inline', exportMs: done.inlineDone, bytes: done.bytes, delay, health: healthStats(latencies), saves: saveStats(saved) };
}

/** The same two seconds with no export: what the loop and health read on their own. */
async function measureIdle(server: ServerChild, saves: SaveBoxes, tasks: number): Promise<ApiFigure> {
  const base = `http://${HOST}:${server.port}`;
  await server.ask({ command: 'delay-start' });
  const pinger = pingHealth(base);
  const saver = keepSaving(saves);
  await sleep(2_000);
  const latencies = await pinger.stop();
  const saved = await saver.stop();
  const { delay } = await server.ask<{ delay: DelayStats }>({ command: 'delay-stop' });
  return { tasks, format: 'docx', mode: 'idle', exportMs: NaN, bytes: 0, delay, health: healthStats(latencies), saves: saveStats(saved) };
}

const healthStats = (latencies: number[]) => ({
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
  max: Math.max(...latencies),
  count: latencies.length,
});
const saveStats = ({ latencies, refused }: { latencies: number[]; refused: number }) => ({ ...healthStats(latencies), refused });

/* ------------------------------------------------------------------ report */

function report(renders: RenderFigure[], api: ApiFigure[], load: { start: number; end: number }, pdfNote: string | null): string {
  const cpu = cpus();
  const busy = Math.max(load.start, load.end) > cpu.length;
  const lines = [
    '## Export (`npm run bench:export`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with Node ${process.version} on ${cpu[0]?.model.trim() ?? 'unknown CPU'} (${cpu.length} cores),`,
    `1-minute load average ${load.start.toFixed(2)} at the start and ${load.end.toFixed(2)} at the end${busy ? ` (above ${cpu.length}: other work shared the cores, compare figures of one run only)` : ''}.`,
    "Plans: the seed's chapters repeated (tasks, owners and progress; copies marked 〔2〕, 〔3〕 …) up to the size shown. Decision 012 says why the writers run in a worker.",
    '',
    '**Render in the worker** (warm, in a child process of its own; median of the runs, fastest–slowest in brackets). **Peak MiB**:',
    "how far the process's peak resident memory (`maxRSS`, main thread and worker) rose above its level before the runs.",
    '',
    '| tasks | format | runs | ms | tasks/s | file KiB | peak MiB |',
    '|---:|---|---:|---:|---:|---:|---:|',
    ...renders.map(
      (r) =>
        `| ${thousands(r.tasks)} | ${r.format} | ${r.runs} | ${ms(r.medianMs)}${r.runs > 1 ? ` (${ms(r.minMs)}–${ms(r.maxMs)})` : ''} | ${thousands((r.tasks / r.medianMs) * 1000)} | ${thousands(r.bytes / 1024)} | ${thousands(r.peakMb)} |`,
    ),
    '',
    perTask(renders),
    '',
    '**The server while an export runs through the job API** (`POST /api/rounds/:id/exports`, polled every 100 ms, then the file fetched):',
    'the server in a child process (SQLite, the round imported, log level warn) records its own event-loop delay',
    '(`monitorEventLoopDelay`, 10 ms resolution) from the POST until the job is done, while this process asks',
    `\`GET /api/health\` every 25 ms and ${SAVERS} clients of 生态处's reporter save drafts one after another (each into its own boxes of`,
    'a round the office opened over the plan; **saves** counts them and times them, **refused** any answer but 200),',
    "all over loopback. **inline**: the same compile and writer called on the server's main",
    'thread instead of the worker, for comparison. The histogram counts the 10 ms sampling interval itself: an idle',
    'loop reads about 10 ms (the first row). Each size has a server of its own, and its worker loads exceljs at the',
    'first Excel file it renders (decision 012): the xlsx rows through the worker include that load, which a Word or',
    'PDF export never waits for.',
    '',
    '| tasks | format | writer on | export ms | loop delay p50 / p99 / max ms | health answers | health p50 / p99 / max ms | saves (refused) | save p50 / p99 / max ms |',
    '|---:|---|---|---:|---|---:|---|---:|---|',
    ...api.map(
      (a) =>
        `| ${typeof a.tasks === 'number' ? thousands(a.tasks) : a.tasks} | ${a.mode === 'idle' ? '–' : a.format} | ${a.mode === 'worker' ? 'worker' : a.mode === 'idle' ? 'no export (idle, 2 s)' : '**main thread**'} | ${ms(a.exportMs)} | ${ms(a.delay.p50)} / ${ms(a.delay.p99)} / ${ms(a.delay.max)} | ${a.health.count} | ${ms(a.health.p50)} / ${ms(a.health.p99)} / ${ms(a.health.max)} | ${thousands(a.saves.count)} (${a.saves.refused}) | ${ms(a.saves.p50)} / ${ms(a.saves.p99)} / ${ms(a.saves.max)} |`,
    ),
    '',
    perTaskApi(api),
    '',
  ];
  const pdf = api.find((a) => a.format === 'pdf');
  if (pdf)
    lines.push(
      `**PDF** of the seed round (111 tasks) through the job API: ${ms(pdf.exportMs)} ms from the POST to done (the .docx in the worker, then LibreOffice headless in a child process), ${thousands(pdf.bytes / 1024)} KiB, ${pdf.pages} pages; the server's loop delay meanwhile p99 ${ms(pdf.delay.p99)} ms, max ${ms(pdf.delay.max)} ms.`,
      '',
    );
  else if (pdfNote) lines.push(`**PDF**: ${pdfNote}`, '');
  lines.push(
    'Run: `npm run bench:export` (writes this section); `-- --no-write` prints only; `-- --max-tasks 1000` leaves out the 10,000-task plan.',
    "The health and save clients and the job polling run in the benchmark's process, on the same two cores as the server and its worker.",
  );
  return lines.join('\n');
}

/** The run's figures by stable key (docs/figures/export.json): `render.<tasks>.<format>.*`, `api.<tasks>.<format>.<writer>.*`. */
function figuresOf(renders: RenderFigure[], api: ApiFigure[]): Figures {
  const figures: Figures = {};
  for (const r of renders)
    flattenFigures(
      `render.${r.tasks}.${r.format}`,
      { ...r, tasks: undefined, format: undefined, kib: r.bytes / 1024, tasksPerSecond: (r.tasks / r.medianMs) * 1000 },
      figures,
    );
  for (const a of api)
    flattenFigures(
      `api.${a.tasks}.${a.mode === 'idle' ? 'idle' : `${a.format}.${a.mode}`}`,
      { ...a, tasks: undefined, format: undefined, mode: undefined, kib: a.bytes / 1024 },
      figures,
    );
  for (const format of FORMATS) {
    const small = renders.find((r) => r.format === format && r.tasks === 1_000);
    const large = renders.find((r) => r.format === format && r.tasks === 10_000);
    if (small && large) figures[`perTask10000vs1000.render.${format}`] = large.medianMs / large.tasks / (small.medianMs / small.tasks);
    const smallApi = api.find((a) => a.mode === 'worker' && a.format === format && a.tasks === 1_000);
    const largeApi = api.find((a) => a.mode === 'worker' && a.format === format && a.tasks === 10_000);
    if (smallApi && largeApi) figures[`perTask10000vs1000.api.${format}`] = largeApi.exportMs / 10_000 / (smallApi.exportMs / 1_000);
  }
  // The run's settings, as the section quotes them.
  Object.assign(figures, { idleSeconds: 2, pollMs: 100, healthEveryMs: 25, histogramResolutionMs: 10 });
  return figures;
}

function perTask(renders: RenderFigure[]): string {
  const parts: string[] = [];
  for (const format of FORMATS) {
    const small = renders.find((r) => r.format === format && r.tasks === 1_000);
    const large = renders.find((r) => r.format === format && r.tasks === 10_000);
    if (small && large) parts.push(`${format} **${(large.medianMs / large.tasks / (small.medianMs / small.tasks)).toFixed(2)}**`);
  }
  return parts.length ? `Per-task render time, 10,000 vs 1,000 tasks (1.00 = linear): ${parts.join(', ')}.` : '';
}

/** The same ratio from the job API's rows (POST to done): a second reading of the same work, a run of its own. */
function perTaskApi(api: ApiFigure[]): string {
  const parts: string[] = [];
  for (const format of FORMATS) {
    const small = api.find((a) => a.mode === 'worker' && a.format === format && a.tasks === 1_000);
    const large = api.find((a) => a.mode === 'worker' && a.format === format && a.tasks === 10_000);
    if (small && large) parts.push(`${format} **${(large.exportMs / 10_000 / (small.exportMs / 1_000)).toFixed(2)}**`);
  }
  return parts.length
    ? `Per-task export time through the job API, 10,000 vs 1,000 tasks: ${parts.join(', ')}. A single run on a shared machine can land on someone else's busy minute: where this and the render table disagree, rerun.`
    : '';
}

function writeSection(section: string) {
  const block = `${START}\n${section}\n${END}`;
  const current = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next = start >= 0 && end > start ? current.slice(0, start) + block + current.slice(end + END.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(BENCHMARKS_MD, next);
}

/* ------------------------------------------------------------------ main */

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--render') {
    process.stdout.write(`${JSON.stringify(await measureRender(Number(argv[1]), argv[2] as Format, Number(argv[3])))}\n`);
    return;
  }
  if (argv[0] === '--serve') return serve(argv[1]!, argv[2] === 'seed' ? null : Number(argv[2]));

  let write = true;
  let maxTasks = Infinity;
  let only: number | null = null;
  let skipRender = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--no-write') write = false;
    else if (argv[i] === '--max-tasks') maxTasks = Number(argv[++i]);
    else if (argv[i] === '--tasks') only = Number(argv[++i]);
    else if (argv[i] === '--api-only') skipRender = true;
    else {
      console.error(`usage: npm run bench:export -- [--no-write] [--max-tasks N] [--tasks N] [--api-only]\nunknown argument: ${argv[i]}`);
      process.exit(2);
    }
  }
  const sizes = only !== null ? [only] : SIZES.filter((size) => size <= maxTasks);
  if (only !== null || skipRender) write = false;
  const loadAtStart = loadavg()[0]!;

  const renders: RenderFigure[] = [];
  for (const tasks of skipRender ? [] : sizes)
    for (const format of FORMATS) {
      const figure = renderInChild(tasks, format, runsFor(tasks));
      console.log(`render ${tasks} ${format}: ${ms(figure.medianMs)} ms, ${thousands(figure.bytes / 1024)} KiB, peak +${thousands(figure.peakMb)} MiB`);
      renders.push(figure);
    }

  const api: ApiFigure[] = [];
  for (const tasks of sizes) {
    const server = await ServerChild.start(tasks);
    try {
      const session = await login(`http://${HOST}:${server.port}`);
      const saves = await openRoundForSaves(`http://${HOST}:${server.port}`, session);
      if (api.length === 0) api.push(await measureIdle(server, saves, tasks));
      // A json export first, unmeasured: the server's worker starts and loads the writers.
      await measureThroughApi(server, session, saves, tasks, 'json');
      for (const format of FORMATS) {
        for (const figure of [await measureThroughApi(server, session, saves, tasks, format), await measureInline(server, saves, tasks, format)]) {
          console.log(
            `api ${tasks} ${format} ${figure.mode}: ${ms(figure.exportMs)} ms, loop delay p99 ${ms(figure.delay.p99)} max ${ms(figure.delay.max)} ms, health p99 ${ms(figure.health.p99)} ms (${figure.health.count}), saves p99 ${ms(figure.saves.p99)} ms (${figure.saves.count}, ${figure.saves.refused} refused)`,
          );
          api.push(figure);
        }
      }
    } finally {
      await server.stop();
    }
  }

  let pdfNote: string | null = null;
  if (only !== null || skipRender) pdfNote = 'not measured in this run.';
  else if (findSoffice()) {
    const server = await ServerChild.start(null);
    try {
      const session = await login(`http://${HOST}:${server.port}`);
      const saves = await openRoundForSaves(`http://${HOST}:${server.port}`, session);
      await measureThroughApi(server, session, saves, 'seed', 'json');
      const figure = await measureThroughApi(server, session, saves, 'seed', 'pdf');
      console.log(`api seed pdf: ${ms(figure.exportMs)} ms, ${figure.pages} pages`);
      api.push(figure);
    } finally {
      await server.stop();
    }
  } else pdfNote = 'not measured: LibreOffice (soffice) is not installed on this machine.';

  const section = report(renders, api, { start: loadAtStart, end: loadavg()[0]! }, pdfNote);
  console.log(`\n${section}`);
  if (write) {
    writeSection(section);
    console.log(`\nwritten to ${path.relative(process.cwd(), BENCHMARKS_MD)}`);
    console.log(`figures written to ${path.relative(process.cwd(), recordFigures('export', figuresOf(renders, api), { loadBefore: loadAtStart }))}`);
  }
}

await main();
