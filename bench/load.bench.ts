/**
 * Deadline-hour benchmark (`npm run bench:load`, promises.md "Fast enough for the deadline hour"),
 * on loopback, against the app in a child process (the composition of `npm start`: migrations,
 * demo data, services, buildApp; no web app; log level warn) on a fresh temp SQLite file.
 *
 *   0. Baselines measured in the same run: SQLite's durable commit rate (WAL, synchronous=FULL,
 *      one UPDATE per transaction, row and text varied) and a bare fastify route.
 *   1. Set-up, in the server child before it listens: 500 reporter accounts spread over the
 *      seed's units; "spike" rounds giving each reporter a (round, unit) with every draft saved;
 *      three "working" rounds of answer boxes. The parent logs all 500 in over the API.
 *   2. The spike: 500 submits sent at once (one connection each, each with an Idempotency-Key).
 *      Then the database is read: every (round, unit) submitted, one submit audit row and one
 *      idempotency record each — zero lost, zero duplicated.
 *   3. Sustained mixed load (autocannon), a number of requests: of each twenty, 8 to-do reads,
 *      7 draft saves (right version, fresh text), 2 submits, 3 board reads; meanwhile the json
 *      export of the plan runs in a loop **in this process** on its own connection to the file.
 *   4. The same mix at rising connection counts until p99 passes 1 s.
 *
 * Before each phase (untimed) the server child makes, through the services, a submit pair for
 * every submit the phase holds and answer boxes for all its connections: the mix is kept at
 * every connection count (decision 044), and each phase reports what it sent, by kind.
 *
 * For every phase: throughput, p50/p95/p99 (p95 interpolated between autocannon's p90 and
 * p97.5), error rate, the server's event-loop delay (perf_hooks.monitorEventLoopDelay in the
 * server child) and its RSS. autocannon runs in this process, on the same 2 cores as the server.
 * Figures go to docs/benchmarks.md and docs/figures/load.json.
 *
 *   npm run bench:load                         the run above, figures written
 *   npm run bench:load -- --no-write           print only
 *   npm run bench:load -- --reporters 100 --requests 3000 --phase-requests 2000   a quick look
 *   npm run bench:load -- --servers            one app server against two on PostgreSQL behind nginx
 *   npm run bench:load -- --province           the generated province on PostgreSQL (bench/province-load.ts)
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import Fastify from 'fastify';
import { systemActor, type UserActor } from '../src/domain/actor.ts';
import type { Role } from '../src/domain/api/roles.ts';
import type { SessionView } from '../src/domain/api/session.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase, type Database } from '../src/server/db/database.ts';
import { createOrganisationDirectory } from '../src/server/organisations/directory.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { buildApp } from '../src/server/http/app.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/server/http/session-cookie.ts';
import { hashPassword } from '../src/server/services/auth-passwords.ts';
import { DEMO_PASSWORD } from '../src/server/services/demo-accounts.ts';
import { createServices } from '../src/server/services/index.ts';
import { flattenFigures, machineName, recordFigures, type Figures } from './figures.ts';
import { freePort, quantile, serverStats, submitAtOnce, writeBenchSection, type ServerStats } from './support.ts';
import { compiledFile } from '../scripts/compile-tests.mjs';

const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(THIS_FILE), '..');
const HOST = '127.0.0.1';
const WORKING_ROUNDS = 3;

type Pair = { username: string; unitId: number; roundId: number };
type Box = { username: string; unitId: number; roundId: number; taskId: number };
type Setup = { spike: Pair[]; boxes: Box[]; boardRoundId: number; planId: number };
/** Before a phase, the parent asks the server child for submit pairs and answer boxes of its own (not timed). */
type More = { pairs: number; boxes: number };
type ChildMessage =
  { ready: true; port: number; setup?: Setup } | { ready: false; error: string } | { stats: ServerStats } | { more: { pairs: Pair[]; boxes: Box[] } };

// ------------------------------------------------------------------------------------ children

async function serveBare(): Promise<void> {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ ok: true }));
  await app.listen({ host: HOST, port: 0 });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
  process.send!({ ready: true, port: (app.server.address() as AddressInfo).port });
}

/**
 * The app on a SQLite file, or on PostgreSQL (`postgres://…`). With `reporters` 0 it is a second
 * server on a database the first one has set up: no demo data, no set-up, no pairs of its own.
 */
async function serveApi(target: string, reporters: number): Promise<void> {
  const postgres = target.startsWith('postgres');
  const config = loadConfig({
    DIAODU_DATABASE_URL: postgres ? target : `sqlite:${target}`,
    HOST,
    DIAODU_LOG_LEVEL: 'warn',
    DIAODU_DEMO: reporters > 0 ? 'true' : 'false',
  });
  const database = await openDatabase(config.databaseUrl);
  if (reporters > 0) await migrateToLatest(database.db);
  const services = createServices({ database, config });
  if (reporters > 0) await services.demo.loadDemoData(systemActor('demo'));
  const { setup, more } = reporters > 0 ? await prepare(database, services, reporters) : { setup: undefined, more: async () => ({ pairs: [], boxes: [] }) };
  const app = await buildApp({
    directory: await createOrganisationDirectory({ home: database, homeUrl: config.databaseUrl, config, homeServices: services }),
    config,
    logger: { level: config.logLevel },
    webRoot: null,
  });
  await app.listen({ host: HOST, port: 0 });
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  process.on('message', (message: { stats?: 'reset' | 'read'; more?: More }) => {
    if (message.more) void more(message.more).then((made) => process.send!({ more: made } satisfies ChildMessage));
    if (message.stats === 'reset') histogram.reset();
    if (message.stats === 'read')
      process.send!({
        stats: {
          loopP50: histogram.percentile(50) / 1e6,
          loopP99: histogram.percentile(99) / 1e6,
          loopMax: histogram.max / 1e6,
          rssMb: process.memoryUsage().rss / 2 ** 20,
        },
      } satisfies ChildMessage);
  });
  process.on('disconnect', () => {
    void app
      .close()
      .then(() => database.close())
      .finally(() => {
        if (!postgres) rmSync(path.dirname(target), { recursive: true, force: true });
        process.exit(0);
      });
  });
  process.send!({ ready: true, port: (app.server.address() as AddressInfo).port, setup } satisfies ChildMessage);
}

async function actorOf(database: Database, username: string): Promise<UserActor> {
  const row = await database.db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'unit_id'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return { kind: 'user', userId: row.id, username: row.username, name: row.display_name, role: row.role as Role, unitId: row.unit_id };
}

/** Accounts, rounds and drafts for the load, through the services (the office and reporters as actors). */
async function prepare(
  database: Database,
  services: ReturnType<typeof createServices>,
  reporters: number,
): Promise<{ setup: Setup; more: (want: More) => Promise<{ pairs: Pair[]; boxes: Setup['boxes'] }> }> {
  const office = await actorOf(database, 'office');
  const planId = (await database.db.selectFrom('plans').select('id').executeTakeFirstOrThrow()).id;
  // Units people report for: collective names (各处(室), 直属单位) have no accounts and no to-do of their own.
  const units = (
    await database.db
      .selectFrom('task_units')
      .innerJoin('tasks', 'tasks.id', 'task_units.task_id')
      .innerJoin('units', 'units.id', 'task_units.unit_id')
      .select('task_units.unit_id')
      .distinct()
      .where('tasks.plan_id', '=', planId)
      .where('units.collective', '=', 0)
      .orderBy('task_units.unit_id')
      .execute()
  ).map((row) => row.unit_id);
  const hash = await hashPassword(DEMO_PASSWORD);
  const names: { username: string; unitId: number }[] = [];
  for (let i = 0; i < reporters; i++) {
    const unitId = units[i % units.length]!;
    const username = `load${String(i + 1).padStart(3, '0')}`;
    await services.users.createUser(
      systemActor('bench'),
      { username, displayName: `填报员${i + 1}`, password: DEMO_PASSWORD, role: 'reporter', unitId, mustChangePassword: false },
      { passwordHash: hash },
    );
    names.push({ username, unitId });
  }
  let label = 0;
  const open = async () =>
    (
      await services.rounds.openRound(office, planId, {
        label: `负载第${++label}轮`,
        periodStart: null,
        periodEnd: null,
        deadline: null,
        note: null,
        requiresApproval: false,
      })
    ).id;
  const text = (n: number) => `负载测试草稿${n}：已召开专题会议研究部署，正在按期推进落实，相关制度文件已印发实施。`;
  let serial = 0;
  const byUnit = new Map<number, { username: string; unitId: number }[]>();
  for (const reporter of names) byUnit.set(reporter.unitId, [...(byUnit.get(reporter.unitId) ?? []), reporter]);
  let turn = 0;

  /** At least `wanted` unsubmitted (round, unit) pairs with every draft saved: one round gives each unit with reporters a pair. */
  const pairs = async (wanted: number): Promise<Pair[]> => {
    const result: Pair[] = [];
    while (result.length < wanted) {
      const roundId = await open();
      turn++;
      for (const sharers of byUnit.values()) {
        if (result.length >= wanted) break;
        const reporter = sharers[turn % sharers.length]!;
        const actor = await actorOf(database, reporter.username);
        const todo = await services.answers.todo(actor, roundId, reporter.unitId);
        for (const item of todo.items)
          await services.answers.saveAnswer(actor, roundId, item.task.id, reporter.unitId, {
            text: text(++serial),
            status: 'on_track',
            reason: null,
            version: item.answer.version,
          });
        result.push({ ...reporter, roundId });
      }
    }
    return result;
  };
  /** Working rounds until there are at least `wanted` more answer boxes (no draft saved: each starts at version 0). */
  const boxes = async (wanted: number): Promise<Setup['boxes']> => {
    const result: Setup['boxes'] = [];
    while (result.length < wanted) {
      const roundId = await open();
      boardRoundId = roundId;
      for (const [unitId, sharers] of byUnit) {
        const todo = await services.answers.todo(await actorOf(database, sharers[0]!.username), roundId, unitId);
        todo.items.forEach((item, i) => result.push({ username: sharers[i % sharers.length]!.username, unitId, roundId, taskId: item.task.id }));
      }
    }
    return result;
  };
  let boardRoundId = 0;
  const spike = await pairs(reporters);
  const first = await boxes(1);
  for (let w = 1; w < WORKING_ROUNDS; w++) first.push(...(await boxes(1)));
  return {
    setup: { spike, boxes: first, boardRoundId, planId },
    more: async (want) => ({ pairs: await pairs(want.pairs), boxes: want.boxes > 0 ? await boxes(want.boxes) : [] }),
  };
}

// -------------------------------------------------------------------------------------- parent

interface Options {
  write: boolean;
  /** Seconds of the province's mixed reads (--province only). */
  duration: number;
  reporters: number;
  connections: number;
  /** Requests of the sustained phase. */
  requests: number;
  /** Requests of each ramp phase (at least 10 a connection). */
  phaseRequests: number;
  /** The generated province on PostgreSQL instead (bench/province-load.ts). */
  province: boolean;
  /** One server against two on PostgreSQL behind nginx instead. */
  servers: boolean;
  organisations: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    write: true,
    duration: 20,
    reporters: 500,
    connections: 50,
    requests: 12_000,
    phaseRequests: 6_000,
    province: false,
    servers: false,
    organisations: 22,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 100_000) {
        console.error(`${arg} needs a whole number 1–100000`);
        process.exit(2);
      }
      return n;
    };
    if (arg === '--no-write') options.write = false;
    else if (arg === '--duration') options.duration = value();
    else if (arg === '--reporters') options.reporters = value();
    else if (arg === '--connections') options.connections = value();
    else if (arg === '--requests') options.requests = value();
    else if (arg === '--phase-requests') options.phaseRequests = value();
    else if (arg === '--province') options.province = true;
    else if (arg === '--servers') options.servers = true;
    else if (arg === '--organisations') options.organisations = value();
    else {
      console.error(
        `usage: npm run bench:load -- [--no-write] [--reporters N] [--connections N] [--requests N] [--phase-requests N] [--servers] [--province [--organisations N] [--duration S]]\nunknown argument: ${arg}`,
      );
      process.exit(2);
    }
  }
  return options;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const children = new Set<ChildProcess>();
let tempDir: string | null = null;

function cleanUpNow(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}

async function startChild(args: string[]): Promise<{ process: ChildProcess; port: number; setup?: Setup; output: string[] }> {
  const child = fork(await compiledFile(THIS_FILE), ['--child', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  children.add(child);
  const output: string[] = [];
  const keep = (chunk: Buffer) =>
    output.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim()),
    );
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child not ready after 600 s\n${output.slice(-20).join('\n')}`)), 600_000);
    child.once('message', (message: ChildMessage) => {
      clearTimeout(timer);
      if ('ready' in message && message.ready) resolve({ process: child, port: message.port, setup: message.setup, output });
      else reject(new Error(`child failed: ${'error' in message ? message.error : JSON.stringify(message)}`));
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code})\n${output.slice(-20).join('\n')}`)));
  });
}

type Session = { username: string; cookie: string; csrf: string; unitId: number | null };

async function login(base: string, username: string): Promise<Session> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  const session = (await response.json()) as SessionView;
  const cookie = response.headers
    .getSetCookie()
    .map((h) => h.split(';')[0]!)
    .find((pair) => pair.startsWith(`${SESSION_COOKIE}=`))!;
  return { username, cookie, csrf: session.csrfToken, unitId: session.user.unit?.id ?? null };
}

type Phase = {
  name: string;
  connections: number;
  seconds: number;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errorRate: number;
  statuses: Record<string, number>;
  server: ServerStats;
  /** The spike's check in the database. */
  note?: string;
  /** What a mixed phase sent and got answered, by kind. */
  mix?: Mix;
  /** json exports completed in this process during the phase (the sustained one). */
  exports?: number;
  /** Submits of the phase found submitted in the database afterwards. */
  submitsStored?: number;
};

const mixText = (mix: Mix | undefined) =>
  mix
    ? `sent ${mix.reads} to-do reads, ${mix.saves} saves (${mix.savesAcknowledged} acknowledged, ${mix.conflicts} stale), ${mix.submits} submits, ${mix.boards} board reads`
    : '';

/** Asks the server child for the phase's submit pairs and answer boxes (made through the services, not timed). */
function askMore(child: ChildProcess, want: More): Promise<{ pairs: Pair[]; boxes: Box[] }> {
  return new Promise((resolve) => {
    const listener = (message: ChildMessage) => {
      if ('more' in message) {
        child.off('message', listener);
        resolve(message.more);
      }
    };
    child.on('message', listener);
    child.send({ more: want });
  });
}

/** What one phase of the mix sent and got answered, by kind. */
type Mix = {
  reads: number;
  saves: number;
  submits: number;
  boards: number;
  savesAcknowledged: number;
  conflicts: number;
  saveFellBack: number;
  submitFellBack: number;
};
const emptyMix = (): Mix => ({ reads: 0, saves: 0, submits: 0, boards: 0, savesAcknowledged: 0, conflicts: 0, saveFellBack: 0, submitFellBack: 0 });

/** The answer boxes of the working rounds and the version each holds, shared by every phase. */
type Slot = { box: Box; version: number; busy: boolean };

/**
 * Mixed load, by the request's turn in twenty: to-do reads 8, draft saves 7 (a free box, the version
 * it holds), submits 2 (the phase's own unsubmitted pairs), board reads 3. The phase is given
 * boxes for all its connections and a pair for every submit its requests hold, so nothing falls
 * back; if something did (a to-do read instead), `mix` counts it and the report says so.
 */
function mixedRequests(setup: Setup, slots: Slot[], pairs: Pair[], sessions: Map<string, Session>, office: Session, mix: Mix): autocannon.Request[] {
  let nextSlot = 0;
  let nextPair = 0;
  let nextReader = 0;
  let serial = 0;
  const readers = setup.spike;
  type Context = { kind?: 'read' | 'save' | 'submit' | 'board'; slot?: Slot };
  const todo = (request: autocannon.Request, context: Context) => {
    const pair = readers[nextReader++ % readers.length]!;
    const session = sessions.get(pair.username)!;
    context.kind = 'read';
    return {
      ...request,
      method: 'GET' as const,
      path: `/api/rounds/${pair.roundId}/units/${pair.unitId}/todo`,
      headers: { cookie: session.cookie },
      body: undefined,
    };
  };
  return [
    {
      setupRequest: (request: autocannon.Request, context: object) => {
        const ctx = context as Context;
        ctx.slot = undefined;
        const pick = serial++ % 20;
        if (pick < 8) return todo(request, ctx);
        if (pick < 15) {
          for (let tries = 0; tries < slots.length; tries++) {
            const slot = slots[nextSlot++ % slots.length]!;
            if (slot.busy) continue;
            slot.busy = true;
            ctx.kind = 'save';
            ctx.slot = slot;
            const session = sessions.get(slot.box.username)!;
            return {
              ...request,
              method: 'PUT' as const,
              path: `/api/rounds/${slot.box.roundId}/tasks/${slot.box.taskId}/units/${slot.box.unitId}/answer`,
              headers: { cookie: session.cookie, [CSRF_HEADER]: session.csrf, 'content-type': 'application/json' },
              body: JSON.stringify({
                text: `持续负载${serial}-${randomBytes(4).toString('hex')}：正在按期推进落实。`,
                status: 'on_track',
                reason: null,
                version: slot.version,
              }),
            };
          }
          mix.saveFellBack++;
          return todo(request, ctx);
        }
        if (pick < 17) {
          const pair = pairs[nextPair++];
          if (!pair) {
            mix.submitFellBack++;
            return todo(request, ctx);
          }
          const session = sessions.get(pair.username)!;
          ctx.kind = 'submit';
          return {
            ...request,
            method: 'POST' as const,
            path: `/api/rounds/${pair.roundId}/units/${pair.unitId}/submit`,
            headers: {
              cookie: session.cookie,
              [CSRF_HEADER]: session.csrf,
              'content-type': 'application/json',
              'idempotency-key': `load-${pair.roundId}-${pair.unitId}`,
            },
            body: '{}',
          };
        }
        ctx.kind = 'board';
        return { ...request, method: 'GET' as const, path: `/api/rounds/${setup.boardRoundId}/board`, headers: { cookie: office.cookie }, body: undefined };
      },
      onResponse: (status: number, body: string, context: object) => {
        const ctx = context as Context;
        if (ctx.kind === 'read') mix.reads++;
        else if (ctx.kind === 'submit') mix.submits++;
        else if (ctx.kind === 'board') mix.boards++;
        else if (ctx.kind === 'save') {
          mix.saves++;
          const slot = ctx.slot;
          ctx.slot = undefined;
          if (!slot) return;
          if (status === 200) {
            slot.version = (JSON.parse(body) as { version: number }).version;
            mix.savesAcknowledged++;
          } else if (status === 409 && body.includes('answer_stale')) {
            slot.version = (JSON.parse(body) as { error: { details: { stored: { version: number } } } }).error.details.stored.version;
            mix.conflicts++;
          }
          slot.busy = false;
        }
      },
    },
  ];
}

/** Where a phase sends its load, and what it needs around it. */
interface Stage {
  /** The URL autocannon loads (the server, or the proxy in front of the servers). */
  base: string;
  /** The server children whose event loop and memory the phase reports (the first makes the pairs and boxes). */
  servers: ChildProcess[];
  database: Database;
  setup: Setup;
  slots: Slot[];
  sessions: Map<string, Session>;
  office: Session;
  problems: string[];
}

/**
 * An autocannon run of a number of requests, timed to its last response. autocannon checks for the
 * amount once a second, so its own duration is the run rounded up to whole seconds: every ramp phase
 * read 5.0 s and 1,200 req/s whatever its connections.
 */
function untilLastResponse(options: autocannon.Options): Promise<{ result: autocannon.Result; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let last = started;
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ result, seconds: (last - started) / 1000 })));
    instance.on('response', () => {
      last = performance.now();
    });
  });
}

/**
 * One phase of `amount` requests on `connections` connections. Before it (not timed) the first
 * server child makes a submit pair for each submit the amount holds and answer boxes until every
 * connection can hold one, so the mix stays 8 : 7 : 2 : 3 whatever the connections. `during`
 * runs beside the load (the json export loop) and says how many it completed.
 */
async function mixedPhase(
  stage: Stage,
  connections: number,
  amount: number,
  name: string,
  during?: { start(): void; stop(): Promise<number> },
): Promise<Phase> {
  const made = performance.now();
  const wanted: More = { pairs: Math.ceil(amount / 10) + connections, boxes: Math.max(0, connections + 50 - stage.slots.length) };
  const { pairs, boxes } = await askMore(stage.servers[0]!, wanted);
  for (const box of boxes) stage.slots.push({ box, version: 0, busy: false });
  for (const slot of stage.slots) slot.busy = false;
  log(
    `   (${pairs.length} submit pairs and ${boxes.length} more answer boxes made in ${((performance.now() - made) / 1000).toFixed(0)} s; ${stage.slots.length} boxes)`,
  );
  const mix = emptyMix();
  const requests = mixedRequests(stage.setup, stage.slots, pairs, stage.sessions, stage.office, mix);
  for (const server of stage.servers) await serverStats(server, 'reset');
  during?.start();
  const { result, seconds } = await untilLastResponse({ url: stage.base, connections, amount, requests, timeout: 30 });
  const exports = during ? await during.stop() : undefined;
  const each = await Promise.all(stage.servers.map(async (server) => (await serverStats(server, 'read'))!));
  // Two servers: the worse loop of the two, and their memory together.
  const server: ServerStats = {
    loopP50: Math.max(...each.map((e) => e.loopP50)),
    loopP99: Math.max(...each.map((e) => e.loopP99)),
    loopMax: Math.max(...each.map((e) => e.loopMax)),
    rssMb: each.reduce((sum, e) => sum + e.rssMb, 0),
  };
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = count ?? 0;
  const total = Object.values(statuses).reduce((sum, n) => sum + n, 0);
  const bad = total - result['2xx'] - (statuses['409'] ?? 0) + result.errors + result.timeouts;
  const latency = result.latency as unknown as Record<string, number>;
  await new Promise((resolve) => setTimeout(resolve, 500)); // submits in flight when a request timed out
  const check = await verifySubmits(stage.database, pairs.slice(0, mix.submits), 'load');
  if (check.lost + check.duplicated > 0) stage.problems.push(`${name}: ${check.lost} submits lost, ${check.duplicated} duplicated`);
  if (mix.saveFellBack + mix.submitFellBack > 0)
    stage.problems.push(`${name}: the mix was not kept (${mix.saveFellBack} saves and ${mix.submitFellBack} submits became to-do reads)`);
  const serverErrors = Object.entries(statuses).filter(([code]) => code.startsWith('5'));
  if (serverErrors.length > 0) stage.problems.push(`${name}: server errors ${JSON.stringify(Object.fromEntries(serverErrors))}`);
  return {
    name,
    connections,
    seconds,
    requests: total,
    perSecond: total / seconds,
    p50: latency.p50!,
    p95: latency.p90! <= latency.p97_5! ? interpolate(latency.p90!, latency.p97_5!, 90, 97.5, 95) : latency.p97_5!,
    p99: latency.p99!,
    errorRate: total + result.errors > 0 ? bad / (total + result.errors) : 0,
    statuses,
    server,
    mix,
    exports,
    submitsStored: check.stored,
  };
}

/** Logs in the office and every load reporter through `base`. */
async function sessionsOf(base: string, reporters: number): Promise<{ office: Session; sessions: Map<string, Session> }> {
  const office = await login(base, 'office');
  const sessions = new Map<string, Session>();
  const usernames = Array.from({ length: reporters }, (_, i) => `load${String(i + 1).padStart(3, '0')}`);
  for (let i = 0; i < usernames.length; i += 8)
    for (const session of await Promise.all(usernames.slice(i, i + 8).map((name) => login(base, name)))) sessions.set(session.username, session);
  return { office, sessions };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.province) {
    const { runProvinceBench } = await import('./province-load.ts');
    return runProvinceBench({ write: options.write, duration: options.duration, organisations: options.organisations });
  }
  process.on('exit', cleanUpNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      cleanUpNow();
      process.exit(130);
    });
  tempDir = mkdtempSync(path.join(tmpdir(), 'diaodu-bench-load-'));
  if (options.servers) return runServers(options);
  const loadBefore = loadavg()[0]!;
  const problems: string[] = [];

  log('0. baselines: raw durable commits, bare fastify');
  const commit = rawCommitRate(tempDir, 5);
  const bare = await startChild(['bare']);
  const bareRun = await autocannon({ url: `http://${HOST}:${bare.port}/`, connections: options.connections, duration: 10 });
  bare.process.disconnect();
  log(`   ${Math.round(commit)} commits/s, bare ${Math.round(bareRun.requests.average)} req/s`);

  log(`1. set-up: ${options.reporters} reporters, rounds and drafts (in the server child)…`);
  const databaseFile = path.join(tempDir, 'load.db');
  const setupStarted = performance.now();
  const api = await startChild(['api', databaseFile, String(options.reporters)]);
  const setup = api.setup!;
  const base = `http://${HOST}:${api.port}`;
  const { office, sessions } = await sessionsOf(base, options.reporters);
  const database = await openDatabase(`sqlite:${databaseFile}`);
  log(`   ${setup.spike.length} spike pairs, ${setup.boxes.length} answer boxes; ${((performance.now() - setupStarted) / 1000).toFixed(0)} s`);

  log(`2. spike: ${setup.spike.length} submits at once`);
  await serverStats(api.process, 'reset');
  const {
    latencies,
    statuses: spikeStatuses,
    seconds: spikeSeconds,
  } = await submitAtOnce(
    base,
    CSRF_HEADER,
    setup.spike.map((pair) => {
      const session = sessions.get(pair.username)!;
      return {
        path: `/api/rounds/${pair.roundId}/units/${pair.unitId}/submit`,
        cookie: session.cookie,
        csrf: session.csrf,
        key: `spike-${pair.roundId}-${pair.unitId}`,
      };
    }),
  );
  const spikeServer = (await serverStats(api.process, 'read'))!;
  const spikeCheck = await verifySubmits(database, setup.spike, 'spike');
  if (spikeCheck.lost + spikeCheck.duplicated > 0) problems.push(`spike: ${spikeCheck.lost} lost, ${spikeCheck.duplicated} duplicated`);
  if ((spikeStatuses['200'] ?? 0) !== setup.spike.length) problems.push(`spike: statuses ${JSON.stringify(spikeStatuses)}`);
  const spike: Phase = {
    name: `spike: ${setup.spike.length} submits at once`,
    connections: setup.spike.length,
    seconds: spikeSeconds,
    requests: setup.spike.length,
    perSecond: setup.spike.length / spikeSeconds,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    errorRate: 1 - (spikeStatuses['200'] ?? 0) / setup.spike.length,
    statuses: spikeStatuses,
    server: spikeServer,
    note: `in the database: ${spikeCheck.stored} submitted, ${spikeCheck.lost} lost, ${spikeCheck.duplicated} duplicated`,
  };
  log(`   ${spike.p50.toFixed(0)} / ${spike.p99.toFixed(0)} ms p50/p99, ${spike.note}`);

  const stage: Stage = {
    base,
    servers: [api.process],
    database,
    setup,
    slots: setup.boxes.map((box) => ({ box, version: 0, busy: false })),
    sessions,
    office,
    problems,
  };
  const exportServices = createServices({ database, config: { ...loadConfig({}), databaseUrl: `sqlite:${databaseFile}` } });
  let exporting = false;
  let exports = 0;
  let loop: Promise<void> = Promise.resolve();
  const exportLoop = {
    start() {
      exporting = true;
      exports = 0;
      loop = (async () => {
        while (exporting) {
          await exportServices.planExport.exportDocument(systemActor('bench'), { planId: setup.planId, roundLabel: '负载第1轮' });
          exports++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
    },
    async stop() {
      exporting = false;
      await loop;
      return exports;
    },
  };

  log(`3. sustained mixed load, ${options.connections} connections, ${options.requests} requests, json export looping`);
  const sustained = await mixedPhase(
    stage,
    options.connections,
    options.requests,
    `sustained mix, ${options.connections} connections, export running`,
    exportLoop,
  );
  log(`   ${Math.round(sustained.perSecond)} req/s, p99 ${sustained.p99} ms, ${mixText(sustained.mix)}`);

  log('4. raising the connections until p99 passes 1 s');
  const ramp: Phase[] = [];
  for (const connections of [10, 25, 50, 100, 200, 400, 800, 1_600]) {
    const phase = await mixedPhase(stage, connections, Math.max(options.phaseRequests, 10 * connections), `mix, ${connections} connections`);
    ramp.push(phase);
    log(`   ${connections}: ${Math.round(phase.perSecond)} req/s, p99 ${phase.p99} ms, errors ${(phase.errorRate * 100).toFixed(1)}%, ${mixText(phase.mix)}`);
    if (phase.p99 > 1_000) break;
  }
  await database.close();
  api.process.disconnect();

  const result: Report = { options, loadBefore, commit, bare: bareRun.requests.average, spike, sustained, ramp, problems, spikeCheck };
  const section = report(result);
  console.log(`\n${section}\n`);
  if (options.write) {
    writeBenchSection('load', section);
    console.log('written to docs/benchmarks.md');
    console.log(`figures written to ${path.relative(process.cwd(), recordFigures('load', figuresOf(result), { loadBefore }))}`);
  }
  if (problems.length > 0) {
    console.error(`bench:load FAILED:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    process.exitCode = 1;
  }
}

const SERVER_CONNECTIONS = [50, 200];

/**
 * `--servers`: one app server against two on one PostgreSQL schema, each behind Debian's nginx
 * (as tests/integration/multi-server.test.ts starts them): port one proxies to server A alone,
 * port two round-robins over A and B. The same mix at 50 and 200 connections, one then two.
 */
async function runServers(options: Options): Promise<void> {
  const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((candidate) => existsSync(candidate));
  if (!nginxBinary) throw new Error('--servers needs nginx: run `bash scripts/test-deps.sh` (installs it)');
  const { createTestDatabase } = await import('../tests/support/databases.ts');
  const loadBefore = loadavg()[0]!;
  const problems: string[] = [];
  log('1. set-up: a fresh PostgreSQL schema, server A (demo data, reporters, rounds and drafts), then server B on the same schema');
  const schema = await createTestDatabase('postgres');
  const url = schema.url;
  await schema.close();
  const a = await startChild(['api', url, String(options.reporters)]);
  const b = await startChild(['api', url, '0']);
  const [one, two] = [await freePort(), await freePort()];
  const dir = tempDir!;
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  access_log off;
  upstream one { server ${HOST}:${a.port}; keepalive 64; }
  upstream two { server ${HOST}:${a.port}; server ${HOST}:${b.port}; keepalive 64; }
  server { listen ${HOST}:${one}; location / { proxy_pass http://one; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; } }
  server { listen ${HOST}:${two}; location / { proxy_pass http://two; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; } }
}
`,
  );
  const nginx = fork(await compiledFile(THIS_FILE), ['--child', 'nginx', nginxBinary, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  children.add(nginx);
  await new Promise<void>((resolve, reject) => {
    nginx.once('message', (message: ChildMessage) =>
      'ready' in message && message.ready ? resolve() : reject(new Error(`nginx: ${'error' in message ? message.error : ''}`)),
    );
    nginx.once('exit', (code) => reject(new Error(`nginx exited (${code})`)));
  });
  const base = (port: number) => `http://${HOST}:${port}`;
  const database = await openDatabase(url);
  try {
    const { office, sessions } = await sessionsOf(base(two), options.reporters);
    const setup = a.setup!;
    const slots: Slot[] = setup.boxes.map((box) => ({ box, version: 0, busy: false }));
    const stage = (port: number, servers: ChildProcess[]): Stage => ({ base: base(port), servers, database, setup, slots, sessions, office, problems });
    const phases: { one: Phase; two: Phase }[] = [];
    for (const connections of SERVER_CONNECTIONS) {
      const amount = Math.max(options.phaseRequests, 10 * connections);
      log(`2. ${connections} connections, ${amount} requests: one server, then two`);
      const onePhase = await mixedPhase(stage(one, [a.process]), connections, amount, `one server, ${connections} connections`);
      log(`   one: ${Math.round(onePhase.perSecond)} req/s, p99 ${onePhase.p99} ms, ${mixText(onePhase.mix)}`);
      const twoPhase = await mixedPhase(stage(two, [a.process, b.process]), connections, amount, `two servers, ${connections} connections`);
      log(`   two: ${Math.round(twoPhase.perSecond)} req/s, p99 ${twoPhase.p99} ms, ${mixText(twoPhase.mix)}`);
      phases.push({ one: onePhase, two: twoPhase });
    }
    const postgresVersion =
      String((await sql<{ server_version: string }>`show server_version`.execute(database.db)).rows[0]?.server_version ?? '').split(' ')[0] ?? '';
    const section = serversReport({ options, loadBefore, phases, problems, postgresVersion });
    console.log(`\n${section}\n`);
    if (options.write) {
      writeBenchSection('load-servers', section);
      console.log('written to docs/benchmarks.md');
      const figures = flattenFigures('', {
        options: { reporters: options.reporters, phaseRequests: options.phaseRequests },
        phases: Object.fromEntries(
          phases.map((p) => [p.one.connections, { one: phaseFigures(p.one), two: phaseFigures(p.two), twoOverOne: p.two.perSecond / p.one.perSecond }]),
        ),
      });
      console.log(`figures written to ${path.relative(process.cwd(), recordFigures('load-servers', figures, { loadBefore }))}`);
    }
  } finally {
    await database.close();
    for (const child of [nginx, b.process, a.process]) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    await schema.dispose();
  }
  if (problems.length > 0) {
    console.error(`bench:load --servers FAILED:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    process.exitCode = 1;
  }
}

/** nginx in the foreground, stopped when the parent disconnects (or dies). */
async function serveNginx(binary: string, dir: string): Promise<void> {
  const conf = path.join(dir, 'nginx.conf');
  const checked = spawnSync(binary, ['-t', '-p', dir, '-c', conf], { encoding: 'utf8' });
  if (checked.status !== 0) throw new Error(checked.stderr);
  const nginx = spawn(binary, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  nginx.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  nginx.once('exit', (code) => {
    process.send?.({ ready: false, error: `nginx exited (${code}): ${output}` } satisfies ChildMessage);
    process.exit(1);
  });
  process.on('disconnect', () => {
    nginx.removeAllListeners('exit');
    nginx.once('exit', () => process.exit(0));
    nginx.kill('SIGQUIT');
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  process.send!({ ready: true, port: 0 } satisfies ChildMessage);
}

const phaseFigures = (p: Phase) => ({
  connections: p.connections,
  seconds: p.seconds,
  requests: p.requests,
  perSecond: p.perSecond,
  p50: p.p50,
  p95: p.p95,
  p99: p.p99,
  errorPercent: p.errorRate * 100,
  loopP99: p.server.loopP99,
  loopMax: p.server.loopMax,
  rssMb: p.server.rssMb,
  mix: p.mix,
  exports: p.exports,
  submitsStored: p.submitsStored,
});

function serversReport(r: { options: Options; loadBefore: number; phases: { one: Phase; two: Phase }[]; problems: string[]; postgresVersion: string }): string {
  const cpu = cpus();
  const mixCell = (p: Phase) => `${int(p.mix!.reads)} / ${int(p.mix!.saves)} / ${int(p.mix!.submits)} / ${int(p.mix!.boards)}`;
  const row = (p: Phase) =>
    `| ${p.name} | ${int(p.requests)} | ${mixCell(p)} | ${msf(p.seconds)} | ${int(p.perSecond)} | ${msf(p.p50)} | ${msf(p.p95)} | ${msf(p.p99)} | ${(p.errorRate * 100).toFixed(2)}% | ${msf(p.server.loopP99)} / ${msf(p.server.loopMax)} | ${int(p.server.rssMb)} |`;
  const lines = [
    '## One server against two (`npm run bench:load -- --servers`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with Node ${process.version} on ${machineName()}, PostgreSQL ${r.postgresVersion} on the same machine, loopback.`,
    `1-minute load average ${r.loadBefore.toFixed(2)} before the run${r.loadBefore > cpu.length ? ' (**the machine was busy with other work: every figure is low**)' : ''}.`,
    `The app servers (as \`npm start\` composes them, compiled as production runs them, log level warn) share one PostgreSQL schema (decision 040); Debian's nginx (one worker, keep-alive to the servers) proxies one port to server A alone and another round-robin to A and B, so both rows pay the same proxy hop.`,
    `The mix of \`npm run bench:load\` (of each twenty requests 8 to-do reads, 7 draft saves, 2 submits of the phase's own pairs, 3 board reads; ${int(r.options.reporters)} reporters), each phase ${int(r.options.phaseRequests)} requests or 10 a connection if more.`,
    `**Everything runs on the same ${cpu.length} cores**: the servers, PostgreSQL, nginx and the load generator. A second server adds an event loop, not a core, so this shows that two servers behave as one under load (nothing lost, no errors), not what a second machine would add.`,
    '',
    '| phase | requests | sent: to-do reads / saves / submits / board reads | s | req/s | p50 ms | p95 ms | p99 ms | error rate | server event-loop delay p99 / max ms (worse server) | servers RSS MiB (together) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.phases.flatMap((p) => [row(p.one), row(p.two)]),
    '',
    ...r.phases.map(
      (p) =>
        `- ${p.one.connections} connections: two servers **${(p.two.perSecond / p.one.perSecond).toFixed(2)}×** the requests a second of one; submits found submitted after: ${p.one.submitsStored} and ${p.two.submitsStored}, none lost or duplicated.`,
    ),
    '',
    'Run: `npm run bench:load -- --servers` (writes this section and docs/figures/load-servers.json; needs PostgreSQL, tests/.postgres-url, and nginx); `-- --servers --reporters 100 --phase-requests 2000` is a quick look.',
  ];
  if (r.problems.length > 0) lines.push('', '**Problems in this run** (the benchmark exits 1):', '', ...r.problems.map((p) => `- ${p}`));
  return lines.join('\n');
}

function interpolate(a: number, b: number, qa: number, qb: number, q: number): number {
  return a + ((b - a) * (q - qa)) / (qb - qa);
}

/** Reads the database: each pair submitted, with one submit audit row and one idempotency record. */
async function verifySubmits(database: Database, pairs: Pair[], prefix: string): Promise<{ stored: number; lost: number; duplicated: number }> {
  let stored = 0;
  let lost = 0;
  let duplicated = 0;
  for (const pair of pairs) {
    const row = await database.db
      .selectFrom('unit_submissions')
      .select(['id', 'state'])
      .where('round_id', '=', pair.roundId)
      .where('unit_id', '=', pair.unitId)
      .executeTakeFirst();
    if (row?.state !== 'submitted') {
      lost++;
      continue;
    }
    stored++;
    const audits = await database.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'submission.submit')
      .where('object_id', '=', String(row.id))
      .executeTakeFirstOrThrow();
    const keys = await database.db
      .selectFrom('idempotency_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key', '=', `${prefix}-${pair.roundId}-${pair.unitId}`)
      .executeTakeFirstOrThrow();
    if (Number(audits.n) !== 1 || Number(keys.n) !== 1) duplicated++;
  }
  return { stored, lost, duplicated };
}

function rawCommitRate(dir: string, seconds: number): number {
  const file = path.join(dir, 'raw-commits.db');
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE answer (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO answer (id, text) VALUES (?, ?)');
    db.transaction(() => {
      for (let id = 1; id <= 1_000; id++) insert.run(id, randomBytes(40).toString('hex'));
    })();
    const update = db.prepare('UPDATE answer SET text = ? WHERE id = ?');
    const started = performance.now();
    let commits = 0;
    while (performance.now() - started < seconds * 1000) {
      db.prepare('BEGIN IMMEDIATE').run();
      update.run(randomBytes(40).toString('hex'), 1 + ((commits * 7_919) % 1_000));
      db.prepare('COMMIT').run();
      commits++;
    }
    return commits / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}

const int = (value: number) => Math.round(value).toLocaleString('en');
const msf = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

type Report = {
  options: Options;
  loadBefore: number;
  commit: number;
  bare: number;
  spike: Phase;
  sustained: Phase;
  ramp: Phase[];
  problems: string[];
  spikeCheck: { stored: number; lost: number; duplicated: number };
};

/** The run's figures by stable key (docs/figures/load.json): `spike.*`, `sustained.*`, `ramp.<connections>.*`. */
function figuresOf(r: Report): Figures {
  return flattenFigures('', {
    options: { reporters: r.options.reporters, connections: r.options.connections, requests: r.options.requests, phaseRequests: r.options.phaseRequests },
    /** The ramp stops when p99 passes this many seconds. */
    stopAtP99Seconds: 1,
    commit: { perSecond: r.commit },
    bare: { perSecond: r.bare },
    spike: { ...phaseFigures(r.spike), stored: r.spikeCheck.stored, lost: r.spikeCheck.lost, duplicated: r.spikeCheck.duplicated },
    sustained: phaseFigures(r.sustained),
    ramp: Object.fromEntries(r.ramp.map((p) => [p.connections, phaseFigures(p)])),
    ...(r.ramp.find((p) => p.p99 > 1_000) ? { passedAt: { connections: r.ramp.find((p) => p.p99 > 1_000)!.connections } } : {}),
  });
}

function report(r: Report): string {
  const cpu = cpus();
  const share = (n: number, m: Mix) => `${((n / Math.max(1, m.reads + m.saves + m.submits + m.boards)) * 100).toFixed(0)}%`;
  const mixCell = (p: Phase) =>
    p.mix ? `${int(p.mix.reads)} / ${int(p.mix.saves)} / ${int(p.mix.submits)} / ${int(p.mix.boards)}` : `– / – / ${int(p.requests)} / –`;
  const row = (p: Phase) =>
    `| ${p.name} | ${int(p.requests)} | ${mixCell(p)} | ${msf(p.seconds)} | ${int(p.perSecond)} | ${msf(p.p50)} | ${msf(p.p95)} | ${msf(p.p99)} | ${(p.errorRate * 100).toFixed(2)}% | ${msf(p.server.loopP99)} / ${msf(p.server.loopMax)} | ${int(p.server.rssMb)} |`;
  const passed = r.ramp.find((p) => p.p99 > 1_000);
  const kept = [r.sustained, ...r.ramp].every((p) => p.mix && p.mix.saveFellBack + p.mix.submitFellBack === 0);
  const m = r.sustained.mix!;
  const lines = [
    '## Deadline hour (`npm run bench:load`)',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with Node ${process.version} on ${cpu[0]?.model.trim() ?? 'unknown CPU'} (${cpu.length} cores), loopback; the app compiled, as production runs it (no tsx).`,
    '**The load generator (autocannon, and the fetches of the spike) runs in the benchmark process on the same',
    'cores as the server**, and so does the looping json export: absolute figures are below what a separate load',
    `machine would see. 1-minute load average ${r.loadBefore.toFixed(2)} before the run` +
      // The average trails by a minute: a run just before this one reads as about 1 on its own.
      (r.loadBefore > cpu.length ? ' (**the machine was busy with other work: every figure is low**)' : '') +
      '.',
    `Same-run baselines: raw durable SQLite commits **${int(r.commit)}/s**; bare fastify route **${int(r.bare)} req/s** (${r.options.connections} connections).`,
    '',
    '| phase | requests | sent: to-do reads / saves / submits / board reads | s | req/s | p50 ms | p95 ms | p99 ms | error rate | server event-loop delay p99 / max ms | server RSS MiB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    row(r.spike),
    row(r.sustained),
    ...r.ramp.map(row),
    '',
    `- Spike: ${r.spike.note} (checked in the SQLite file after the spike: state, one \`submission.submit\` audit row and one idempotency record per pair).`,
    `- The mix, in every phase: of each twenty requests 8 to-do reads, 7 draft saves (fresh text, the version the previous save returned; a box is used by one connection at a time), 2 submits (each a (round, unit) pair of the phase's own, drafts all saved), 3 board reads. ` +
      `Each phase is a number of requests, not of seconds (the sustained one ${int(r.options.requests)}; each ramp phase ${int(r.options.phaseRequests)}, at least 10 a connection), and before it, untimed, the server makes a submit pair for each of its submits and answer boxes for all its connections: ` +
      (kept
        ? '**no phase ran out of either** (the "sent" column counts the answers by kind).'
        : '**some phase ran out** (see the problems below: the mix was not kept there).'),
    `- Sustained: ${share(m.reads, m)} to-do reads, ${share(m.saves, m)} saves (${int(m.savesAcknowledged)} acknowledged, ${int(m.conflicts)} stale), ${share(m.submits, m)} submits (${int(r.sustained.submitsStored ?? 0)} found submitted after, none lost or duplicated), ${share(m.boards, m)} board reads; ${r.sustained.exports ?? 0} json exports of the plan completed in this process meanwhile.`,
    `- The json export runs **in the benchmark process** on its own connection to the same SQLite file: it competes for the disk and the cores, not for the server's event loop (the Word/Excel export jobs run in the server's worker thread; \`npm run bench:export\` measures the loop delay they cause).`,
    `- Error rate: answers neither 2xx nor 409 (a stale save is a correct answer), plus connection errors and timeouts, over all requests.`,
    `- p95 is interpolated between autocannon's p90 and p97.5; p50 and p99 are autocannon's own. Event-loop delay: \`perf_hooks.monitorEventLoopDelay\` in the server child, reset at the start of each phase.`,
    passed
      ? `- **p99 passed 1 s at ${passed.connections} connections** (${int(passed.perSecond)} req/s, p99 ${msf(passed.p99)} ms).`
      : `- p99 stayed under 1 s up to ${r.ramp.at(-1)?.connections ?? r.options.connections} connections.`,
    '',
    'Run: `npm run bench:load` (writes this section and docs/figures/load.json); `-- --no-write` prints only; `-- --reporters 100 --requests 3000 --phase-requests 2000` is a quick look.',
    'Exits 1 if a submit is lost or duplicated, not every spike submit was acknowledged, a phase ran out of pairs or boxes, or any phase saw a 5xx.',
  ];
  if (r.problems.length > 0) lines.push('', '**Problems in this run** (the benchmark exits 1):', '', ...r.problems.map((p) => `- ${p}`));
  return lines.join('\n');
}

if (process.argv[2] === '--child') {
  try {
    if (process.argv[3] === 'bare') await serveBare();
    else if (process.argv[3] === 'nginx') await serveNginx(process.argv[4]!, process.argv[5]!);
    else await serveApi(process.argv[4]!, Number(process.argv[5]));
  } catch (error) {
    process.send!({ ready: false, error: (error as Error).stack ?? String(error) } satisfies ChildMessage);
    process.exit(1);
  }
} else
  await main().catch((error: unknown) => {
    console.error(`bench:load failed: ${(error as Error).stack ?? String(error)}`);
    cleanUpNow();
    process.exit(1);
  });
