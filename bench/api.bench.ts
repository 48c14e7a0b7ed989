/**
 * API benchmark (`npm run bench:api`): throughput and p50/p99 latency of "read my to-do list"
 * and "save a draft" on the real server, each beside a baseline measured in the same run
 * (promises.md, "Fast enough"; issue 17's targets):
 *
 *   A. SQLite's durable commit rate: better-sqlite3 on a temp file, WAL, `synchronous=FULL`, one
 *      UPDATE per transaction, a different row and text every time (SQLite skips unchanged pages).
 *      Measured right before the save run and right after it (the app idle), and the save is
 *      compared with their mean: this machine's speed drifts within a minute, and a baseline
 *      taken a minute earlier moved the ratio by a fifth either way.
 *   B. A bare fastify route answering `{ok:true}`, in a child process; B′ the same route sending
 *      the five to-do lists' own bytes (fetched from the app after the to-do run), in turn.
 *   Then reads and saves at once (half the connections each): the to-do read under saves against
 *   B′ (target: at least half), the save against A (target: at least A, p99 under 50 ms).
 *   C. The app in a child process (the composition of `npm start`: migrate, demo data and demo
 *      accounts on a fresh temp SQLite file, services, buildApp; no web app, log level warn),
 *      on a free port of 127.0.0.1. The office opens a round over all tasks; five reporters of
 *      different units log in; then autocannon reads their to-do lists and saves drafts.
 *
 * autocannon runs in this process, on the same 2 cores as the server: the load generator takes a
 * core of its own, so absolute figures are lower than from a separate load machine. Compare the
 * ratios, and only figures from one run. Every save carries the version it read (the server
 * answers 409 to a stale one): each (task, unit) answer is used by one connection at a time, and
 * its version is taken from the answer to the previous save. After the run the database is
 * opened and every acknowledged save must be stored.
 *
 *   npm run bench:api                           figures written to docs/benchmarks.md
 *   npm run bench:api -- --no-write             print only
 *   npm run bench:api -- --duration 3 --warmup 1 --commit-seconds 2   a quick look
 *   npm run bench:api -- --no-write --profile DIR   also a V8 CPU profile of the app (read it with
 *                                               `node bench/profile-top.mjs DIR/*.cpuprofile`)
 *
 * Exits 1 if anything failed: a phase threw, a server error or connection error, a to-do read
 * that was not 2xx, fewer than 95% of saves acknowledged, an acknowledged save not stored.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import { systemActor } from '../src/domain/actor.ts';
import type { SessionView } from '../src/domain/api/session.ts';
import type { AnswerView, RoundView, TodoView } from '../src/domain/api/round-view.ts';
import type { PlanSummaryView } from '../src/domain/api/plan-view.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { createOrganisationDirectory } from '../src/server/organisations/directory.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { groupCommitStats, type GroupCommitStats } from '../src/server/db/transaction.ts';
import { buildApp } from '../src/server/http/app.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/server/http/session-cookie.ts';
import { DEMO_PASSWORD } from '../src/server/services/demo-accounts.ts';
import { createServices } from '../src/server/services/index.ts';
import { recordFigures, type Figures } from './figures.ts';
import { compiledFile } from '../scripts/compile-tests.mjs';

const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(THIS_FILE), '..');
const BENCHMARKS_MD = path.join(ROOT, 'docs', 'benchmarks.md');
const START = '<!-- bench:api:start -->';
const END = '<!-- bench:api:end -->';
const HOST = '127.0.0.1';
const REPORTERS = ['huanping', 'guicai', 'shuichu', 'shengtai', 'daqi'] as const;
/** Rows the raw commit loop cycles through (a round of the seed has about 100 answers). */
const COMMIT_ROWS = 1_000;
/** Share of acknowledged saves below which the save figure measures refusals, not saves. */
const MIN_SAVE_2XX_SHARE = 0.95;

// ---------------------------------------------------------------------------------------------
// Children: `--child bare` and `--child api`. They report their port over IPC and exit when the
// parent disconnects (also when the parent dies), or on SIGTERM.

type ChildReady = { ready: true; port: number } | { ready: false; error: string };

function reportToParent(message: ChildReady): void {
  if (process.send) process.send(message);
}

/**
 * Closes and exits on SIGTERM/SIGINT, or when the IPC channel drops (the parent died, even by
 * SIGKILL); then `orphaned` runs too, to remove what the parent can no longer remove.
 */
function exitWithParent(close: () => Promise<void>, orphaned: () => void = () => {}): void {
  let closing = false;
  const stop = (parentGone: boolean) => {
    if (closing) return;
    closing = true;
    const finish = (code: number) => {
      if (parentGone) orphaned();
      process.exit(code);
    };
    const force = setTimeout(() => finish(0), 3_000);
    force.unref();
    close().then(
      () => finish(0),
      () => finish(1),
    );
  };
  process.on('disconnect', () => stop(true));
  process.on('SIGTERM', () => stop(false));
  process.on('SIGINT', () => stop(false));
}

/**
 * `{ok:true}`; or, given a file of JSON strings, the same bytes the to-do route answered, one body
 * after another in turn (read once, sent as they are, with the route's content type).
 */
async function serveBare(bodiesFile?: string): Promise<void> {
  const app = await listenBare(bodiesFile);
  exitWithParent(() => app.close());
  reportToParent({ ready: true, port: (app.server.address() as AddressInfo).port });
}

/** A bare fastify route on a free port of this process: `{ok:true}`, or the bodies in the file one after another. */
async function listenBare(bodiesFile?: string) {
  const app = Fastify({ logger: false });
  const bodies = bodiesFile ? (JSON.parse(readFileSync(bodiesFile, 'utf8')) as string[]).map((body) => Buffer.from(body)) : [];
  let next = 0;
  app.get('/', async (_request, reply) =>
    bodies.length > 0 ? reply.type('application/json; charset=utf-8').send(bodies[next++ % bodies.length]) : { ok: true },
  );
  await app.listen({ host: HOST, port: 0 });
  return app;
}

async function serveApi(databaseFile: string): Promise<void> {
  // A clean environment: no DIAODU_* of the caller's shell changes what is measured.
  const config = loadConfig({ DIAODU_DATABASE_URL: `sqlite:${databaseFile}`, HOST, DIAODU_LOG_LEVEL: 'warn', DIAODU_DEMO: 'true' });
  const database = await openDatabase(config.databaseUrl);
  await migrateToLatest(database.db);
  const services = createServices({ database, config });
  await services.demo.loadDemoData(systemActor('demo'));
  const app = await buildApp({
    directory: await createOrganisationDirectory({ home: database, homeUrl: config.databaseUrl, config, homeServices: services }),
    config,
    logger: { level: config.logLevel },
    webRoot: null,
  });
  await app.listen({ host: HOST, port: 0 });
  exitWithParent(
    async () => {
      await app.close();
      await database.close();
    },
    // The parent's temp folder (mkdtemp, holding only this database and the raw-commit file).
    () => rmSync(path.dirname(databaseFile), { recursive: true, force: true }),
  );
  // The parent asks how many saves each commit carried, and how the kept to-do lists answered;
  // and, for the mixed run's baseline, for the bare same-bytes route in this process (B′ mixed).
  process.on('message', (message: unknown) => {
    if (message === 'server-stats' && process.send)
      process.send({
        groupCommit: groupCommitStats(database),
        todoLists: services.answers.todoListStats(),
        sessions: services.auth.keptSessionStats(),
        cpuMicros: cpuMicros(),
      });
    const bodiesFile = (message as { sameBytes?: string } | null)?.sameBytes;
    if (bodiesFile) void listenBare(bodiesFile).then((bare) => process.send?.({ sameBytesPort: (bare.server.address() as AddressInfo).port }));
  });
  reportToParent({ ready: true, port: (app.server.address() as AddressInfo).port });
}

type KeptListStats = { hits: number; carried: number; misses: number };

/** Of the reads counted, the share the kept list answered and the share carried across commits (0–1). */
function keptShares(stats: KeptListStats): { kept: number; carried: number } {
  const reads = Math.max(1, stats.hits + stats.misses);
  return { kept: stats.hits / reads, carried: stats.carried / reads };
}
/** CPU this process has used, all its threads (the event loop, libuv's pool that fsyncs, V8's helpers), in µs. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
type ServerStats = { groupCommit: GroupCommitStats; todoLists: KeptListStats; sessions: KeptListStats | null; cpuMicros: number };

/** What a kept cache answered between two readings of its counters. */
function keptBetween(before: KeptListStats, after: KeptListStats): KeptListStats {
  return { hits: after.hits - before.hits, carried: after.carried - before.carried, misses: after.misses - before.misses };
}

/** The app child's group-commit counters (db/transaction.ts) and kept to-do lists' (services/read-cache.ts), or null if it does not answer. */
function askServerStats(child: Child): Promise<ServerStats | null> {
  return new Promise((resolve) => {
    const listener = (message: Partial<ServerStats>) => {
      clearTimeout(timer);
      resolve(message.groupCommit && message.todoLists ? (message as ServerStats) : null);
    };
    // A late answer must not be taken for the next question's: the listener goes with the timeout.
    const timer = setTimeout(() => {
      child.process.off('message', listener);
      resolve(null);
    }, 5_000);
    child.process.once('message', listener);
    child.process.send('server-stats');
  });
}

async function runChild(kind: string | undefined, arg: string | undefined): Promise<void> {
  try {
    if (kind === 'bare') await serveBare(arg);
    else if (kind === 'api' && arg) await serveApi(arg);
    else throw new Error(`unknown child: ${kind}`);
  } catch (error) {
    reportToParent({ ready: false, error: (error as Error).stack ?? String(error) });
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------
// The parent: options, child processes, cleanup.

interface Options {
  write: boolean;
  /** Seconds of each measured autocannon run. */
  duration: number;
  /** Seconds of the unrecorded warm-up before each measured run. */
  warmup: number;
  connections: number;
  /** Seconds of the raw commit loop. */
  commitSeconds: number;
  /** Folder for a V8 CPU profile of the app's child process (`--cpu-prof`), or null. */
  profileDir: string | null;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { write: true, duration: 10, warmup: 2, connections: 50, commitSeconds: 5, profileDir: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--no-write') options.write = false;
    else if (arg === '--duration') options.duration = positive(arg, argv[++i], 120);
    else if (arg === '--warmup') options.warmup = positive(arg, argv[++i], 60);
    else if (arg === '--connections') options.connections = positive(arg, argv[++i], 500);
    else if (arg === '--commit-seconds') options.commitSeconds = positive(arg, argv[++i], 60);
    else if (arg === '--profile' && argv[i + 1]) options.profileDir = path.resolve(argv[++i]!);
    else {
      console.error(
        `usage: npm run bench:api -- [--no-write] [--duration S] [--warmup S] [--connections N] [--commit-seconds S] [--profile DIR]\nunknown argument: ${arg}`,
      );
      process.exit(2);
    }
  }
  return options;
}

function positive(flag: string, value: string | undefined, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    console.error(`${flag} needs a whole number 1–${max}`);
    process.exit(2);
  }
  return n;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Child {
  name: string;
  process: ChildProcess;
  port: number;
  /** The child's last output lines (its log at warn and above), for the report. */
  output: string[];
}

const children = new Set<ChildProcess>();
let tempDir: string | null = null;

/** Synchronous last resort (exit, signals): no child and no temp file outlives the benchmark. */
function cleanUpNow(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  tempDir = null;
}

/** In the parent only: a child closes its own server on these signals. */
function cleanUpOnExit(): void {
  process.on('exit', cleanUpNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      log(`${signal}: stopping the children and removing the temp files`);
      cleanUpNow();
      process.exit(130);
    });
}

async function startChild(name: string, args: string[], profileDir: string | null = null): Promise<Child> {
  // Compiled, as production runs the app (dist/, decision 039), not the sources through tsx; side by
  // side the CPU a save was the same within this VM's noise (decision 017, 2026-12-08 amendment).
  const child = fork(await compiledFile(THIS_FILE), ['--child', ...args], {
    cwd: ROOT,
    execArgv: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.add(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) output.push(line);
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready after 120 s\n${output.slice(-20).join('\n')}`)), 120_000);
    child.once('message', (message: ChildReady) => {
      clearTimeout(timer);
      if (message.ready) resolve(message.port);
      else reject(new Error(`${name} failed to start: ${message.error}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (${signal ?? code})\n${output.slice(-20).join('\n')}`));
    });
  });
  return { name, process: child, port, output };
}

/** SIGTERM (the child closes its server and database), SIGKILL after 10 s. */
async function stopChild(child: Child): Promise<void> {
  const proc = child.process;
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  children.delete(proc);
}

// ---------------------------------------------------------------------------------------------
// Measurements.

interface Load {
  /** Mean responses per second (any status). */
  rps: number;
  /** Mean 2xx responses per second. */
  okPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  ok: number;
  conflicts: number;
  otherNon2xx: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  duration: number;
  bytesPerResponse: number;
}

/** Fresh text for every save: a progress sentence of typical length with a unique tail. */
const PHRASES = [
  '已完成年度目标任务的阶段性工作，相关制度文件已印发实施',
  '正在组织开展专项督查，对发现的问题建立台账、限期整改',
  '已召开专题会议研究部署，明确责任分工和时间节点',
  '按计划推进项目前期工作，已完成可研报告编制和专家评审',
  '会同相关部门开展联合调研，形成调研报告报厅领导审阅',
  '已督促各市（州）报送进展情况，汇总分析后形成季度报告',
];
let textSerial = 0;
function freshText(): string {
  const n = ++textSerial;
  const parts = [PHRASES[n % PHRASES.length], PHRASES[(n * 7 + 3) % PHRASES.length], PHRASES[(n * 13 + 5) % PHRASES.length]];
  return `（第${n}次保存）${parts.join('；')}。共完成${(n * 37) % 1000}项，编号${randomBytes(4).toString('hex')}。`;
}

interface CommitRate {
  commits: number;
  seconds: number;
  perSecond: number;
}

/** Baseline A twice, around the save run: each rate and their mean. */
interface CommitRates extends CommitRate {
  before: number;
  after: number;
}

/**
 * Baseline A: one UPDATE per transaction on a file in WAL mode with `synchronous=FULL`, each
 * to another row with text never written before; bounded by time and by count.
 */
function rawCommitRate(dir: string, seconds: number): CommitRate {
  const file = path.join(dir, 'raw-commits.db');
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE answer (id INTEGER PRIMARY KEY, text TEXT NOT NULL, version INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO answer (id, text, version) VALUES (?, ?, 1)');
    db.transaction(() => {
      for (let id = 1; id <= COMMIT_ROWS; id++) insert.run(id, freshText());
    })();
    const begin = db.prepare('BEGIN IMMEDIATE');
    const update = db.prepare('UPDATE answer SET text = ?, version = version + 1 WHERE id = ?');
    const commit = db.prepare('COMMIT');
    const loop = (ms: number, maxCommits: number) => {
      const started = performance.now();
      let commits = 0;
      while (commits < maxCommits && performance.now() - started < ms) {
        begin.run();
        // A stride co-prime with the row count: consecutive commits touch distant rows.
        const changed = update.run(freshText(), 1 + ((commits * 7_919 + textSerial) % COMMIT_ROWS)).changes;
        commit.run();
        if (changed !== 1) throw new Error(`raw commit loop: UPDATE changed ${changed} rows`);
        commits++;
      }
      return { commits, seconds: (performance.now() - started) / 1000 };
    };
    loop(500, 100_000); // warm-up
    const { commits, seconds: elapsed } = loop(seconds * 1000, 1_000_000);
    return { commits, seconds: elapsed, perSecond: commits / elapsed };
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}

/** One autocannon run, stopped by force if it overruns its duration by 30 s. */
function cannon(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const guard: { timer?: NodeJS.Timeout } = {};
    const instance = autocannon(options, (error, result) => {
      clearTimeout(guard.timer);
      if (error) reject(error);
      else resolve(result);
    });
    guard.timer = setTimeout(() => instance.stop(), (Number(options.duration ?? 10) + 30) * 1000);
  });
}

function toLoad(result: autocannon.Result): Load {
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = count ?? 0;
  const total = Object.values(statuses).reduce((sum, n) => sum + n, 0);
  const conflicts = statuses['409'] ?? 0;
  return {
    rps: result.requests.average,
    okPerSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total,
    ok: result['2xx'],
    conflicts,
    otherNon2xx: result.non2xx - conflicts,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    duration: result.duration,
    bytesPerResponse: total > 0 ? result.throughput.total / total : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// The API, as a client: login, a round, to-do lists, drafts.

interface Reporter {
  username: string;
  unitId: number;
  unitName: string;
  cookie: string;
  csrf: string;
}

/** One answer box (a task of a unit) that the save phase writes. */
interface Slot {
  reporter: Reporter;
  taskId: number;
  /** The version the next save sends. */
  version: number;
  /** Requests in flight for this slot (0 or 1 unless the pool ran dry). */
  busy: number;
  /** The last save the server acknowledged: its version and text. */
  ackedVersion: number;
  ackedText: string | null;
}

class Api {
  constructor(readonly base: string) {}

  async request<T>(
    method: string,
    url: string,
    options: { cookie?: string; csrf?: string; body?: unknown } = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.csrf) headers[CSRF_HEADER] = options.csrf;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.base + url, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: body as T, headers: response.headers };
  }

  async expect<T>(status: number, method: string, url: string, options: { cookie?: string; csrf?: string; body?: unknown } = {}): Promise<T> {
    const response = await this.request<T>(method, url, options);
    if (response.status !== status)
      throw new Error(`${method} ${url}: expected ${status}, got ${response.status}: ${JSON.stringify(response.body).slice(0, 500)}`);
    return response.body;
  }

  async login(username: string): Promise<{ cookie: string; session: SessionView }> {
    const response = await this.request<SessionView>('POST', '/api/auth/login', { body: { username, password: DEMO_PASSWORD } });
    if (response.status !== 200) throw new Error(`login as ${username}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
    const token = response.headers
      .getSetCookie()
      .map((header) => header.split(';')[0]!)
      .find((pair) => pair.startsWith(`${SESSION_COOKIE}=`));
    if (!token) throw new Error(`login as ${username}: no ${SESSION_COOKIE} cookie`);
    return { cookie: token, session: response.body };
  }
}

const answerPath = (roundId: number, slot: Slot) => `/api/rounds/${roundId}/tasks/${slot.taskId}/units/${slot.reporter.unitId}/answer`;
const todoPath = (roundId: number, reporter: Reporter) => `/api/rounds/${roundId}/units/${reporter.unitId}/todo`;

/** Brings every slot's version in line with the server (after a run stopped with saves in flight). */
async function resync(api: Api, roundId: number, reporters: Reporter[], slots: Slot[]): Promise<void> {
  for (const reporter of reporters) {
    const todo = await api.expect<TodoView>(200, 'GET', todoPath(roundId, reporter), { cookie: reporter.cookie });
    for (const item of todo.items) {
      const slot = slots.find((s) => s.reporter === reporter && s.taskId === item.task.id);
      if (slot) {
        slot.version = item.answer.version;
        slot.busy = 0;
      }
    }
  }
}

interface SaveTally {
  acknowledged: number;
  poolDry: number;
  otherSamples: string[];
}

/**
 * The save requests: `setupRequest` takes a free slot from the pool (cycling through every
 * task of every reporter), writes fresh text with the slot's version; `onResponse` takes the
 * new version (or, on 409, the stored one) and puts the slot back.
 */
function saveRequests(roundId: number, slots: Slot[], tally: SaveTally): autocannon.Request[] {
  const pool: Slot[] = slots.map((slot) => ((slot.busy = 0), slot));
  type SaveContext = { slot?: Slot; text?: string };
  return [
    {
      method: 'PUT',
      setupRequest: (request, context) => {
        const ctx = context as SaveContext;
        let slot = pool.shift();
        if (!slot) {
          // More connections than free answers: share one (a 409 is then likely and counted).
          tally.poolDry++;
          slot = slots[tally.poolDry % slots.length]!;
        }
        slot.busy++;
        const text = freshText();
        ctx.slot = slot;
        ctx.text = text;
        return {
          ...request,
          method: 'PUT',
          path: answerPath(roundId, slot),
          headers: { ...request.headers, cookie: slot.reporter.cookie, [CSRF_HEADER]: slot.reporter.csrf, 'content-type': 'application/json' },
          body: JSON.stringify({ text, status: 'on_track', reason: null, version: slot.version }),
        };
      },
      onResponse: (status, body, context) => {
        const ctx = context as SaveContext;
        const slot = ctx.slot;
        if (!slot) return;
        ctx.slot = undefined;
        try {
          if (status === 200) {
            const answer = JSON.parse(body) as AnswerView;
            slot.version = answer.version;
            if (answer.version > slot.ackedVersion) {
              slot.ackedVersion = answer.version;
              slot.ackedText = ctx.text ?? null;
            }
            tally.acknowledged++;
          } else if (status === 409) {
            const stored = (JSON.parse(body) as { error?: { details?: { stored?: AnswerView } } }).error?.details?.stored;
            if (stored) slot.version = stored.version;
          } else if (tally.otherSamples.length < 5) tally.otherSamples.push(`${status} ${body.slice(0, 300)}`);
        } catch {
          if (tally.otherSamples.length < 5) tally.otherSamples.push(`${status} (unparsable) ${body.slice(0, 200)}`);
        }
        slot.busy = Math.max(0, slot.busy - 1);
        if (slot.busy === 0) pool.push(slot);
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// The run.

interface Results {
  /** 1-minute load average before and after the run: other work on the machine shows here. */
  load: { before: number; after: number };
  commit: CommitRates;
  bare: Load;
  /** A bare route sending the to-do lists' own bytes (the same bodies, in the same turn). */
  bareSame: Load;
  todo: Load;
  save: Load;
  /** Reads and saves at once, half the connections each: the reads find lists the saves have changed (decision 046). */
  mixedTodo: Load;
  mixedSave: Load;
  /** B′ mixed: the same bytes from a bare route in the app's process, read while the app takes the same saves. */
  mixedBareSame: Load;
  mixedBareSameSave: Load;
  /** How the kept to-do lists answered the mixed run's reads (the server's counters before and after it). */
  mixedKept: KeptListStats | null;
  /** How the kept session lookups answered during the save run (its warm-up included) and the mixed run (decision 047). */
  saveSessions: KeptListStats | null;
  mixedSessions: KeptListStats | null;
  todoItems: string;
  slots: number;
  refusedFirstSaves: string[];
  poolDry: number;
  stored: { acknowledged: number; storedVersions: number; lost: string[] };
  /** The server's group-commit counters over the whole run (set-up saves included). */
  groupCommit: GroupCommitStats | null;
  /**
   * The app process's CPU (all its threads) over the measured to-do and save runs, per response
   * (to-do) and per acknowledged save, in µs; null if the server did not answer for its counters.
   */
  serverCpu: { todo: number | null; save: number | null };
  problems: string[];
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  cleanUpOnExit();
  const loadBefore = loadavg()[0]!;
  tempDir = mkdtempSync(path.join(tmpdir(), 'diaodu-bench-api-'));
  const problems: string[] = [];
  const run = { connections: options.connections, duration: options.duration, warmup: options.warmup };
  /**
   * A warm-up run, then the measured run; `requests` is called before each. With `server`, also the
   * app child's CPU over the measured run alone (µs; null if it did not answer for its counters).
   */
  const cannonRun = async (
    label: string,
    target: Omit<autocannon.Options, 'duration' | 'connections'>,
    requests?: () => Promise<autocannon.Request[]>,
    server?: Child,
  ) => {
    log(`   ${label}: warm-up ${run.warmup} s …`);
    await cannon({ ...target, connections: run.connections, duration: run.warmup, ...(requests ? { requests: await requests() } : {}) });
    log(`   ${label}: ${run.duration} s, ${run.connections} connections …`);
    const measured = { ...target, connections: run.connections, duration: run.duration, ...(requests ? { requests: await requests() } : {}) };
    const before = server ? await askServerStats(server) : null;
    const load = toLoad(await cannon(measured));
    const after = server ? await askServerStats(server) : null;
    return { load, serverCpuMicros: before && after ? after.cpuMicros - before.cpuMicros : null };
  };

  const commitLoop = (when: string) => {
    log(`A. raw commit loop (better-sqlite3, WAL, synchronous=FULL), ${options.commitSeconds} s, ${when} …`);
    const rate = rawCommitRate(tempDir!, options.commitSeconds);
    log(`   ${Math.round(rate.perSecond).toLocaleString('en')} commits/s`);
    return rate;
  };
  let commit: CommitRates;

  log('B. bare fastify route in a child process …');
  const bareChild = await startChild('bare fastify', ['bare']);
  let bare: Load;
  try {
    ({ load: bare } = await cannonRun('GET / {ok:true}', { url: `http://${HOST}:${bareChild.port}/` }));
  } finally {
    await stopChild(bareChild);
  }
  log(`   ${Math.round(bare.rps).toLocaleString('en')} req/s`);

  log('C. the app in a child process (migrate, demo data, demo accounts) …');
  const databaseFile = path.join(tempDir, 'diaodu.db');
  const server = await startChild('diaodu', ['api', databaseFile], options.profileDir);
  let todo: Load;
  let save: Load;
  let todoCpuMicros: number | null = null;
  let saveCpuMicros: number | null = null;
  let bareSame: Load;
  let mixedTodo: Load;
  let mixedSave: Load;
  let todoItems: string;
  const reporters: Reporter[] = [];
  const slots: Slot[] = [];
  const refusedFirstSaves: string[] = [];
  const tally: SaveTally = { acknowledged: 0, poolDry: 0, otherSamples: [] };
  let roundId: number;
  let groupCommit: GroupCommitStats | null = null;
  let mixedKept: KeptListStats | null = null;
  let saveSessions: KeptListStats | null = null;
  let mixedSessions: KeptListStats | null = null;
  let mixedBareSame: Load;
  let mixedBareSameSave: Load;
  try {
    const api = new Api(`http://${HOST}:${server.port}`);
    const office = await api.login('office');
    const plans = await api.expect<PlanSummaryView[]>(200, 'GET', '/api/plans', { cookie: office.cookie });
    const plan = plans[0];
    if (!plan) throw new Error('GET /api/plans: no plan (the demo data did not load)');
    const round = await api.expect<RoundView>(201, 'POST', `/api/plans/${plan.id}/rounds`, {
      cookie: office.cookie,
      csrf: office.session.csrfToken,
      body: { label: '2017年第三季度', periodStart: '2017-07-01', periodEnd: '2017-09-30', deadline: '2017-10-10', note: 'bench:api' },
    });
    roundId = round.id;
    log(`   round ${round.id} “${round.label}” opened over ${round.tasks} tasks of plan ${plan.id}`);

    const sizes: string[] = [];
    for (const username of REPORTERS) {
      const { cookie, session } = await api.login(username);
      if (!session.user.unit) throw new Error(`${username} has no unit`);
      const reporter: Reporter = { username, unitId: session.user.unit.id, unitName: session.user.unit.name, cookie, csrf: session.csrfToken };
      reporters.push(reporter);
      const list = await api.expect<TodoView>(200, 'GET', todoPath(round.id, reporter), { cookie });
      sizes.push(`${reporter.unitName} ${list.items.length}`);
      for (const item of list.items)
        slots.push({ reporter, taskId: item.task.id, version: item.answer.version, busy: 0, ackedVersion: item.answer.version, ackedText: null });
    }
    todoItems = sizes.join(', ');
    log(`   reporters' to-do lists: ${todoItems} tasks`);

    // One first draft in every box, one at a time: it checks the route before the load, and the
    // to-do lists read under load carry text as they do mid-round.
    const usable: Slot[] = [];
    for (const slot of slots) {
      const text = freshText();
      const response = await api.request<AnswerView & { error?: { code: string; details?: { stored?: AnswerView } } }>('PUT', answerPath(round.id, slot), {
        cookie: slot.reporter.cookie,
        csrf: slot.reporter.csrf,
        body: { text, status: 'on_track', reason: null, version: slot.version },
      });
      if (response.status === 200) {
        slot.version = slot.ackedVersion = response.body.version;
        slot.ackedText = text;
        tally.acknowledged++;
        usable.push(slot);
      } else {
        const stored = response.body.error?.details?.stored;
        refusedFirstSaves.push(
          `task ${slot.taskId} × ${slot.reporter.unitName}: ${response.status} ${response.body.error?.code ?? ''}${stored ? ` (stored version ${stored.version})` : ''}`,
        );
      }
    }
    if (refusedFirstSaves.length > 0)
      problems.push(
        `${refusedFirstSaves.length} of ${slots.length} first saves (version 0, one at a time, no other writer) were refused; ` +
          `they are left out of the save run. First: ${refusedFirstSaves.slice(0, 3).join('; ')}`,
      );
    if (usable.length <= options.connections)
      problems.push(`only ${usable.length} answer boxes for ${options.connections} connections: connections share boxes, so 409s are expected`);
    log(`   ${usable.length} answer boxes saved once (${refusedFirstSaves.length} refused)`);

    let nextReader = 0;
    const todoRequests = async (): Promise<autocannon.Request[]> => [
      {
        method: 'GET',
        setupRequest: (request) => {
          const reporter = reporters[nextReader++ % reporters.length]!;
          return { ...request, method: 'GET', path: todoPath(round.id, reporter), headers: { ...request.headers, cookie: reporter.cookie } };
        },
      },
    ];
    ({ load: todo, serverCpuMicros: todoCpuMicros } = await cannonRun('GET to-do list', { url: api.base }, todoRequests, server));
    log(`   ${Math.round(todo.rps).toLocaleString('en')} req/s`);

    // B'. The same bytes from a bare route: the five lists as the app sent them, in the same turn.
    const bodies: string[] = [];
    for (const reporter of reporters)
      bodies.push(JSON.stringify(await api.expect<TodoView>(200, 'GET', todoPath(round.id, reporter), { cookie: reporter.cookie })));
    const bodiesFile = path.join(tempDir!, 'todo-bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    log("B'. bare fastify route sending the to-do lists' bytes …");
    const sameChild = await startChild('bare fastify, same bytes', ['bare', bodiesFile]);
    try {
      ({ load: bareSame } = await cannonRun('GET / (the lists)', { url: `http://${HOST}:${sameChild.port}/` }));
    } finally {
      await stopChild(sameChild);
    }
    log(`   ${Math.round(bareSame.rps).toLocaleString('en')} req/s`);

    // A run stops with saves in flight, which may commit unacknowledged: before each run (and
    // before the check below), let the server finish them and take the versions it stored.
    const settle = async () => {
      await sleep(1_000);
      await resync(api, round.id, reporters, usable);
    };
    await settle();
    const before = commitLoop('right before the save run');
    const saveStatsBefore = await askServerStats(server);
    ({ load: save, serverCpuMicros: saveCpuMicros } = await cannonRun(
      'PUT answer (draft)',
      { url: api.base },
      async () => {
        await settle();
        return saveRequests(round.id, usable, tally);
      },
      server,
    ));
    const saveStatsAfter = await askServerStats(server);
    if (saveStatsBefore?.sessions && saveStatsAfter?.sessions) saveSessions = keptBetween(saveStatsBefore.sessions, saveStatsAfter.sessions);
    log(`   ${Math.round(save.okPerSecond).toLocaleString('en')} saves/s acknowledged`);
    // Reads and saves at once, half the connections each, in two autocannon instances.
    log(`   mixed: to-do reads and draft saves at once, ${Math.ceil(run.connections / 2)} + ${Math.floor(run.connections / 2)} connections …`);
    // B′ mixed: the bare same-bytes route inside the app's own process, read on the same connections
    // while the app takes saves on the same others: what the app adds to sending the bytes on a server
    // that is saving too. (The server is not equally busy: cheaper reads leave it more saves.)
    const sameBytesPort = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the app did not start its same-bytes route')), 10_000);
      const listener = (message: { sameBytesPort?: number }) => {
        if (message.sameBytesPort === undefined) return;
        clearTimeout(timer);
        server.process.off('message', listener);
        resolve(message.sameBytesPort);
      };
      server.process.on('message', listener);
      server.process.send({ sameBytes: bodiesFile });
    });
    const mixedRun = async (duration: number, readsFrom: 'todo' | 'sameBytes' = 'todo') => {
      await settle();
      const [reads, saves] = await Promise.all([
        readsFrom === 'todo'
          ? cannon({ url: api.base, connections: Math.ceil(run.connections / 2), duration, requests: await todoRequests() })
          : cannon({ url: `http://${HOST}:${sameBytesPort}/`, connections: Math.ceil(run.connections / 2), duration }),
        cannon({ url: api.base, connections: Math.max(1, Math.floor(run.connections / 2)), duration, requests: saveRequests(round.id, usable, tally) }),
      ]);
      return { reads: toLoad(reads), saves: toLoad(saves) };
    };
    await mixedRun(run.warmup);
    const statsBefore = await askServerStats(server);
    ({ reads: mixedTodo, saves: mixedSave } = await mixedRun(run.duration));
    const statsAfter = await askServerStats(server);
    if (statsBefore && statsAfter) mixedKept = keptBetween(statsBefore.todoLists, statsAfter.todoLists);
    if (statsBefore?.sessions && statsAfter?.sessions) mixedSessions = keptBetween(statsBefore.sessions, statsAfter.sessions);
    log(`   ${Math.round(mixedTodo.rps).toLocaleString('en')} reads/s with ${Math.round(mixedSave.okPerSecond).toLocaleString('en')} saves/s`);
    log("   B′ mixed: the same bytes from a bare route in the app's process, read while it takes the same saves …");
    await mixedRun(run.warmup, 'sameBytes');
    ({ reads: mixedBareSame, saves: mixedBareSameSave } = await mixedRun(run.duration, 'sameBytes'));
    log(`   ${Math.round(mixedBareSame.rps).toLocaleString('en')} reads/s with ${Math.round(mixedBareSameSave.okPerSecond).toLocaleString('en')} saves/s`);
    // Saves still in flight finish first: the loop measures the disk, not the server's tail.
    await settle();
    const after = commitLoop('right after the save run');
    commit = {
      commits: before.commits + after.commits,
      seconds: before.seconds + after.seconds,
      perSecond: (before.perSecond + after.perSecond) / 2,
      before: before.perSecond,
      after: after.perSecond,
    };
    groupCommit = (await askServerStats(server))?.groupCommit ?? null;
  } finally {
    await stopChild(server);
  }
  if (server.output.some((line) => /"level":(50|60)/.test(line)))
    problems.push(
      `the server logged errors: ${server.output
        .filter((line) => /"level":(50|60)/.test(line))
        .slice(0, 3)
        .join(' | ')
        .slice(0, 1_500)}`,
    );

  // Every acknowledged save is stored: a box's stored version is at least its last
  // acknowledged one and, if equal, holds that text. (Saves in flight when a run stopped may
  // have committed unacknowledged: stored versions may exceed acknowledged saves by that many.)
  const db = new BetterSqlite3(databaseFile, { readonly: true });
  let storedVersions = 0;
  const lost: string[] = [];
  try {
    const find = db.prepare('SELECT version, text FROM progress_entries WHERE round_id = ? AND task_id = ? AND unit_id = ?');
    for (const slot of slots) {
      const row = find.get(roundId, slot.taskId, slot.reporter.unitId) as { version: number; text: string } | undefined;
      storedVersions += row?.version ?? 0;
      if (slot.ackedText === null) continue;
      if (!row || row.version < slot.ackedVersion || (row.version === slot.ackedVersion && row.text !== slot.ackedText))
        lost.push(`task ${slot.taskId} × ${slot.reporter.unitName}: acknowledged v${slot.ackedVersion}, stored ${row ? `v${row.version}` : 'nothing'}`);
    }
  } finally {
    db.close();
  }
  if (lost.length > 0) problems.push(`${lost.length} acknowledged saves not stored: ${lost.slice(0, 3).join('; ')}`);
  if (storedVersions < tally.acknowledged)
    problems.push(`stored versions add up to ${storedVersions}, fewer than the ${tally.acknowledged} acknowledged saves`);

  for (const [name, load] of [
    ['bare fastify', bare],
    ['bare fastify, same bytes', bareSame],
    ['to-do read', todo],
    ['draft save', save],
    ['mixed: to-do read', mixedTodo],
    ['mixed: draft save', mixedSave],
    ['mixed: bare same bytes', mixedBareSame],
    ['mixed: draft save beside the bare route', mixedBareSameSave],
  ] as const) {
    if (load.errors > 0) problems.push(`${name}: ${load.errors} connection errors (${load.timeouts} timeouts)`);
    const serverErrors = Object.entries(load.statuses).filter(([code]) => code.startsWith('5'));
    if (serverErrors.length > 0) problems.push(`${name}: server errors ${serverErrors.map(([code, n]) => `${n}× ${code}`).join(', ')}`);
    if (load.total === 0) problems.push(`${name}: no responses`);
  }
  if (todo.ok !== todo.total) problems.push(`to-do read: ${todo.total - todo.ok} answers were not 2xx (${JSON.stringify(todo.statuses)})`);
  if (mixedTodo.ok !== mixedTodo.total)
    problems.push(`mixed: ${mixedTodo.total - mixedTodo.ok} to-do reads were not 2xx (${JSON.stringify(mixedTodo.statuses)})`);
  if (save.total > 0 && save.ok / save.total < MIN_SAVE_2XX_SHARE)
    problems.push(`draft save: only ${pct(save.ok / save.total)} acknowledged (${JSON.stringify(save.statuses)}); the figure measures refusals, not saves`);
  if (save.otherNon2xx > 0) problems.push(`draft save: ${save.otherNon2xx} answers neither 2xx nor 409: ${tally.otherSamples.join(' | ')}`);

  const cpuPer = (micros: number | null, count: number) => (micros === null || count === 0 ? null : micros / count);
  const results: Results = {
    serverCpu: { todo: cpuPer(todoCpuMicros, todo.total), save: cpuPer(saveCpuMicros, save.ok) },
    load: { before: loadBefore, after: loadavg()[0]! },
    commit,
    bare,
    bareSame,
    todo,
    save,
    mixedTodo,
    mixedSave,
    mixedKept,
    saveSessions,
    mixedSessions,
    mixedBareSame,
    mixedBareSameSave,
    todoItems,
    slots: slots.length - refusedFirstSaves.length,
    refusedFirstSaves,
    poolDry: tally.poolDry,
    stored: { acknowledged: tally.acknowledged, storedVersions, lost },
    groupCommit,
    problems,
  };
  const section = report(results, options);
  console.log(`\n${section}\n`);
  if (options.write) {
    writeSection(section);
    console.log(`figures written to ${path.relative(process.cwd(), recordFigures('api', figuresOf(results, options), { loadBefore }))}`);
    console.log(`written to ${path.relative(process.cwd(), BENCHMARKS_MD) || BENCHMARKS_MD}`);
  }
  if (problems.length > 0) {
    console.error(`\nbench:api FAILED:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    process.exitCode = 1;
  }
}

// ---------------------------------------------------------------------------------------------
// The report.

const int = (value: number) => Math.round(value).toLocaleString('en');
const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const ratio = (value: number) => (value >= 0.1 ? value.toFixed(2) : value.toFixed(3));

function loadRow(name: string, what: string, load: Load, rate: number, extra: string): string {
  const other = load.otherNon2xx + load.errors;
  return `| ${name} | ${what} | ${int(rate)} | ${ms(load.p50)} | ${ms(load.p99)} | ${int(load.ok)} | ${int(load.conflicts)} | ${int(other)} | ${extra} |`;
}

/** The run's figures by stable key (docs/figures/api.json), the report's numbers as measured. */
function figuresOf(r: Results, options: Options): Figures {
  const load = (prefix: string, l: Load, rate: number): Figures => ({
    [`${prefix}.perSecond`]: rate,
    [`${prefix}.p50`]: l.p50,
    [`${prefix}.p99`]: l.p99,
    [`${prefix}.ok`]: l.ok,
    [`${prefix}.conflicts`]: l.conflicts,
    [`${prefix}.otherAndErrors`]: l.otherNon2xx + l.errors,
    [`${prefix}.kib`]: l.bytesPerResponse / 1024,
  });
  return {
    // The run's settings and the issue's targets, as the section quotes them.
    'options.duration': options.duration,
    'options.warmup': options.warmup,
    'options.connections': options.connections,
    'options.commitSeconds': options.commitSeconds,
    'target.saveP99Ms': 50,
    'target.todoOfSameBytes': 0.5,
    'commit.perSecond': r.commit.perSecond,
    'commit.before': r.commit.before,
    'commit.after': r.commit.after,
    'commit.commits': r.commit.commits,
    ...load('bare', r.bare, r.bare.rps),
    ...load('bareSame', r.bareSame, r.bareSame.rps),
    ...load('todo', r.todo, r.todo.rps),
    ...load('save', r.save, r.save.okPerSecond),
    ...load('mixed.todo', r.mixedTodo, r.mixedTodo.rps),
    ...load('mixed.save', r.mixedSave, r.mixedSave.okPerSecond),
    'todo.ratioOfBare': r.todo.rps / r.bare.rps,
    'todo.ratioOfSameBytes': r.todo.rps / r.bareSame.rps,
    'mixed.todo.ratioOfSameBytes': r.mixedTodo.rps / r.bareSame.rps,
    ...load('mixed.bareSame', r.mixedBareSame, r.mixedBareSame.rps),
    ...load('mixed.bareSameSave', r.mixedBareSameSave, r.mixedBareSameSave.okPerSecond),
    'mixed.todo.ratioOfSameBytesMixed': r.mixedTodo.rps / r.mixedBareSame.rps,
    'mixed.bareSameSave.ratioOfCommits': r.mixedBareSameSave.okPerSecond / r.commit.perSecond,
    'save.ratioOfCommits': r.save.okPerSecond / r.commit.perSecond,
    ...(r.mixedKept
      ? {
          'mixed.todo.keptShare': keptShares(r.mixedKept).kept * 100,
          'mixed.todo.carriedShare': keptShares(r.mixedKept).carried * 100,
        }
      : {}),
    ...(r.saveSessions ? { 'save.session.keptShare': keptShares(r.saveSessions).kept * 100 } : {}),
    ...(r.serverCpu.todo === null ? {} : { 'todo.serverCpuMicros': r.serverCpu.todo }),
    ...(r.serverCpu.save === null ? {} : { 'save.serverCpuMicros': r.serverCpu.save, 'commit.wallMicros': 1e6 / r.commit.perSecond }),
    ...(r.mixedSessions ? { 'mixed.session.keptShare': keptShares(r.mixedSessions).kept * 100 } : {}),
    'mixed.save.ratioOfCommits': r.mixedSave.okPerSecond / r.commit.perSecond,
    'save.total': r.save.total,
    'save.acknowledgedShare': r.save.total > 0 ? (r.save.ok / r.save.total) * 100 : 0,
    slots: r.slots,
    'stored.acknowledged': r.stored.acknowledged,
    'stored.versions': r.stored.storedVersions,
    ...(r.groupCommit
      ? {
          'groupCommit.items': r.groupCommit.items,
          'groupCommit.groups': r.groupCommit.groups,
          'groupCommit.perCommit': r.groupCommit.items / Math.max(1, r.groupCommit.groups),
        }
      : {}),
  };
}

function report(r: Results, options: Options): string {
  const cpu = cpus();
  const todoRatio = r.todo.rps / r.bare.rps;
  const sameRatio = r.todo.rps / r.bareSame.rps;
  const mixedRatio = r.mixedTodo.rps / r.bareSame.rps;
  const mixedSameRatio = r.mixedTodo.rps / r.mixedBareSame.rps;
  const saveRatio = r.save.okPerSecond / r.commit.perSecond;
  const mixedSaveRatio = r.mixedSave.okPerSecond / r.commit.perSecond;
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  const saveShare = r.save.total > 0 ? r.save.ok / r.save.total : 0;
  const lines = [
    '## API (`npm run bench:api`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with Node ${process.version} on ${cpu[0]?.model.trim() ?? 'unknown CPU'} (${cpu.length} cores), loopback (127.0.0.1).`,
    `autocannon, ${options.connections} connections, ${options.duration} s per figure after a ${options.warmup} s warm-up, **runs in the benchmark's own process on the`,
    'same cores as the server: the load generator takes a core of its own**, so absolute figures are below',
    'what a separate load machine would see. Read the ratios, and compare only figures from one run.',
    `1-minute load average ${r.load.before.toFixed(2)} before the run, ${r.load.after.toFixed(2)} after it` +
      // The average trails by a minute: a run just before this one reads as about 1 on its own.
      (r.load.before > cpus().length ? ' (**the machine was busy with other work before the run: every figure is low**)' : '') +
      '.',
    '',
    '| figure | what | per second | p50 ms | p99 ms | 2xx | 409 | other non-2xx + errors | ratio |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|',
    `| A. raw durable commit | better-sqlite3, WAL, \`synchronous=FULL\`, 1 UPDATE per transaction, row and text varied; ${options.commitSeconds} s right before the save run (${int(r.commit.before)}/s) and ${options.commitSeconds} s right after it (${int(r.commit.after)}/s): their mean | ${int(r.commit.perSecond)} commits | | | ${int(r.commit.commits)} | | | baseline |`,
    loadRow('B. bare fastify', '`GET /` → `{ok:true}`, child process', r.bare, r.bare.rps, 'baseline'),
    loadRow(
      '**read my to-do list**',
      `\`GET /api/rounds/:roundId/units/:unitId/todo\`, 5 reporters in turn (${r.todoItems} tasks; ${(r.todo.bytesPerResponse / 1024).toFixed(1)} KiB a list)`,
      r.todo,
      r.todo.rps,
      `**${ratio(todoRatio)}** of B`,
    ),
    loadRow(
      '**save a draft**',
      `\`PUT /api/rounds/:roundId/tasks/:taskId/units/:unitId/answer\`, fresh text, right version, ${r.slots} answer boxes in rotation`,
      r.save,
      r.save.okPerSecond,
      `**${ratio(saveRatio)}** of A`,
    ),
    loadRow(
      'B′. bare fastify, same bytes',
      '`GET /` → the five to-do lists as the app sent them, in the same turn, child process',
      r.bareSame,
      r.bareSame.rps,
      'baseline',
    ),
    loadRow(
      'read my to-do list, beside B′',
      'the to-do row above, against the bare route sending the same bytes',
      r.todo,
      r.todo.rps,
      `**${ratio(sameRatio)}** of B′`,
    ),
    loadRow(
      '**mixed: to-do read**',
      `the same reads on ${Math.ceil(options.connections / 2)} connections while ${Math.max(1, Math.floor(options.connections / 2))} others save drafts (the row below), for ${options.duration} s`,
      r.mixedTodo,
      r.mixedTodo.rps,
      `**${ratio(mixedRatio)}** of B′`,
    ),
    loadRow(
      '**mixed: draft save**',
      'the same saves, at the same time as the reads above',
      r.mixedSave,
      r.mixedSave.okPerSecond,
      `**${ratio(mixedSaveRatio)}** of A`,
    ),
    loadRow(
      'B′ mixed. bare route, same bytes, beside the saves',
      "B′'s route started inside the app's own process, read on the same connections while the app takes the same saves (the row below)",
      r.mixedBareSame,
      r.mixedBareSame.rps,
      'baseline',
    ),
    loadRow(
      'draft save beside B′ mixed',
      'the same saves, at the same time as the bare reads above',
      r.mixedBareSameSave,
      r.mixedBareSameSave.okPerSecond,
      `${ratio(r.mixedBareSameSave.okPerSecond / r.commit.perSecond)} of A`,
    ),
    loadRow(
      '**mixed: to-do read, beside B′ mixed**',
      'the mixed to-do row above, against the bare route on the same server beside the same save connections',
      r.mixedTodo,
      r.mixedTodo.rps,
      `**${ratio(mixedSameRatio)}** of B′ mixed`,
    ),
    '',
    'Targets (issue 17; [promises.md](promises.md#fast-enough-for-the-deadline-hour-and-cheap-at-scale)):',
    `- a draft save at least A, p99 under 50 ms: ${ratio(saveRatio)} of A, p99 ${ms(r.save.p99)} ms alone — ${met(saveRatio >= 1 && r.save.p99 < 50)}; ${ratio(mixedSaveRatio)} of A, p99 ${ms(r.mixedSave.p99)} ms beside the reads.`,
    `- a to-do read within half of a bare route sending the same bytes (at least 0.50 of B′), under a mixed load of reads and saves: ${ratio(mixedSameRatio)} of the bare route on the same server beside the same save connections (B′ mixed) — ${met(mixedSameRatio >= 0.5)}; ${ratio(mixedRatio)} of B′ on an idle server, whose whole CPU the bare route had while here the saves take much of it; ${ratio(sameRatio)} of B′ with nothing written (the kept list every time).` +
      (r.mixedKept
        ? ` In the mixed run ${pct(keptShares(r.mixedKept).kept)} of the to-do reads came from the kept list, ${pct(keptShares(r.mixedKept).carried)} of them carried across saves since they were read (decision 046); the rest were read again.`
        : ''),
    '',
    `"per second": commits/s for A; mean responses/s for B and the to-do read; **acknowledged (2xx) saves/s** for the draft save.`,
    `Saves acknowledged: ${pct(saveShare)} of ${int(r.save.total)} answered in the measured run` +
      (r.poolDry > 0 ? ` (${r.poolDry} times a connection found no free answer box and shared one)` : '') +
      `. After the run the database held every acknowledged save (${int(r.stored.acknowledged)} acknowledged in all, stored versions add up to ${int(r.stored.storedVersions)}; the difference is saves in flight when a run stopped)` +
      (r.stored.lost.length > 0 ? `, **except ${r.stored.lost.length}**` : '') +
      '.' +
      (r.groupCommit
        ? ` Group commit (decision 013): ${int(r.groupCommit.items)} saves in ${int(r.groupCommit.groups)} commits over the whole run, ${(r.groupCommit.items / Math.max(1, r.groupCommit.groups)).toFixed(1)} saves a commit on average` +
          (r.groupCommit.retriedAlone > 0 ? `; ${r.groupCommit.retriedAlone} groups failed and ran again save by save` : '') +
          '.'
        : '') +
      (r.saveSessions && r.mixedSessions
        ? ` Session lookups answered from the kept session (decision 047): ${pct(keptShares(r.saveSessions).kept)} in the save run (its warm-up included), ${pct(keptShares(r.mixedSessions).kept)} in the mixed run; the rest read the database.`
        : ''),
    ...(r.serverCpu.save === null || r.serverCpu.todo === null
      ? []
      : [
          '',
          `The server's CPU (its process, all threads, \`process.cpuUsage\` around each measured run): **${r.serverCpu.save.toFixed(0)} µs an acknowledged save**, ` +
            `against ${(1e6 / r.commit.perSecond).toFixed(0)} µs of wall time a commit in A; ${r.serverCpu.todo.toFixed(0)} µs a to-do read. ` +
            "With the server on about one core (the load generator has the other), a save reaches A roughly when its CPU falls below A's wall time a commit. This figure moves less with the load generator than the rates do, but still with the host.",
        ]),
    '',
    'The server is the app as `npm start` composes it (migrations, the seed and demo accounts on a fresh',
    'temp SQLite file in WAL mode with `synchronous=FULL`, the services, `buildApp`), without the web app and',
    'with log level `warn` (no log line per request), in a child process running compiled JavaScript as',
    'production does (no tsx: scripts/compile-tests.mjs `compiledFile`); every request carries a session',
    'cookie (and a save its CSRF token), so session lookup is part of each figure (kept between requests',
    'until something it reads is written, decision 047; a draft save is not such a write). The office opens a round',
    'over all tasks; `huanping`, `guicai`, `shuichu`, `shengtai` and `daqi` log in and save one draft per task',
    'before the load, so the lists read carry text. Each save takes a free (task, unit) box, sends the version',
    "the previous save's answer gave, and frees the box when its answer arrives: one save per box at a time.",
    'Nothing is written during the to-do run, so after the first read of each list it is the kept list',
    "(decision 016: kept until a write changes it, encoded once); in the mixed run a save is applied to its own unit's kept list and to those of the units leading its task (decision 046).",
    'B′ sends the bytes of the five lists (fetched once after the to-do run) from a bare fastify route, so the ratio to B′',
    'is what the app adds to sending the bytes: the session lookup, the permission check and the kept list or the database.',
    '',
    'Run: `npm run bench:api` (writes this section); `npm run bench:api -- --no-write` prints only;',
    '`-- --duration 3 --warmup 1 --commit-seconds 2` is a quick look; `--connections N` changes the load;',
    '`--profile DIR` also writes a CPU profile of the server (`node bench/profile-top.mjs DIR/<file>` lists its top frames).',
    'Exits 1 on a server error, a connection error, a to-do read that is not 2xx, fewer than 95% of',
    'saves acknowledged, an acknowledged save not stored, or a first save refused.',
  ];
  if (r.problems.length > 0) lines.push('', '**Problems in this run** (the benchmark exits 1):', '', ...r.problems.map((p) => `- ${p}`));
  return lines.join('\n');
}

/** Replaces this benchmark's section of docs/benchmarks.md, keeping every other section. */
function writeSection(section: string) {
  const block = `${START}\n${section}\n${END}`;
  const current = existsSync(BENCHMARKS_MD)
    ? readFileSync(BENCHMARKS_MD, 'utf8')
    : '# Benchmarks\n\nHow to run each benchmark, and the last figures measured. Compare only figures from the same run.\n';
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next = start >= 0 && end > start ? current.slice(0, start) + block + current.slice(end + END.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(BENCHMARKS_MD, next);
}

if (process.argv[2] === '--child') await runChild(process.argv[3], process.argv[4]);
else
  await main().catch((error: unknown) => {
    console.error(`bench:api failed: ${(error as Error).stack ?? String(error)}`);
    cleanUpNow();
    process.exit(1);
  });
