/**
 * The province at the deadline hour (`npm run bench:load -- --province`; issue 14): a generated
 * province on PostgreSQL — 22 organisations (the department and 21 city bureaus), each its own
 * store (decision 028), 1,496 units, 30,008 tasks and 99,504 answers drafted for the quarter —
 * and the deadline-hour spike across all of them.
 *
 *   1. Set-up, in the server child before it listens, through the services (what an office and
 *      its reporters would do): each organisation created through the directory, its plan
 *      imported as a diaodu.plan/1 document (bench/province-plan.ts), one office account and one
 *      reporter per unit, the quarter's round opened, and every (task, unit) answer drafted by the
 *      unit's reporter. The organisations are filled concurrently; the figures say how long.
 *   2. The parent logs every reporter in over the API, each choosing its organisation.
 *   3. The spike: every unit of every organisation submits at once (one connection each, an
 *      Idempotency-Key each). Then every store is read: each (round, unit) submitted, one submit
 *      audit row each — zero lost, zero duplicated.
 *   4. Mixed reads across the province (autocannon): to-do reads 60%, the office's board 30%,
 *      the supervisor's roll-up over the 22 stores 10%.
 *   5. The roll-up alone, read one after another.
 *
 * Needs a PostgreSQL server: DIAODU_BENCH_POSTGRES_URL, else the test URL in tests/.postgres-url
 * (`bash scripts/test-deps.sh` writes it). Everything is made in fresh schemas and dropped after.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { systemActor, type UserActor } from '../src/domain/actor.ts';
import type { Role } from '../src/domain/api/roles.ts';
import type { SessionView } from '../src/domain/api/session.ts';
import { loadConfig } from '../src/server/config.ts';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { buildApp } from '../src/server/http/app.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/server/http/session-cookie.ts';
import { createOrganisationDirectory } from '../src/server/organisations/directory.ts';
import { hashPassword } from '../src/server/services/auth-passwords.ts';
import { DEMO_PASSWORD } from '../src/server/services/demo-accounts.ts';
import type { Services } from '../src/server/services/index.ts';
import { provincePlan } from './province-plan.ts';
import { flattenFigures, recordFigures } from './figures.ts';
import { quantile, serverStats, submitAtOnce, writeBenchSection, type ServerStats } from './support.ts';
import { compiledFile } from '../scripts/compile-tests.mjs';

const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(THIS_FILE), '..');
const HOST = '127.0.0.1';
/** Connections per organisation's store: 22 stores × 3 + the home pool stay under PostgreSQL's default 100. */
const STORE_POOL_MAX = 3;
/** Organisations filled at once during the set-up. */
const FILLING_AT_ONCE = 6;

type Organisation = { id: number; code: string; name: string; office: string; roundId: number; units: { unitId: number; username: string }[] };
type Setup = {
  organisations: Organisation[];
  seconds: { organisations: number; imports: number; drafts: number; total: number };
  tasks: number;
  answers: number;
  units: number;
  bytes: number;
};
type ChildMessage = { ready: true; port: number; setup: Setup } | { ready: false; error: string } | { stats: ServerStats };

// ------------------------------------------------------------------------------------- child

async function actorOf(database: Database, username: string): Promise<UserActor> {
  const row = await database.db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'unit_id'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return { kind: 'user', userId: row.id, username: row.username, name: row.display_name, role: row.role as Role, unitId: row.unit_id };
}

async function serveProvince(url: string, organisations: number): Promise<void> {
  const config = loadConfig({ DIAODU_DATABASE_URL: url, HOST, DIAODU_LOG_LEVEL: 'warn', DIAODU_DEMO: 'false', DIAODU_STORE_POOL_MAX: String(STORE_POOL_MAX) });
  const home = await openDatabase(config.databaseUrl);
  await migrateToLatest(home.db);
  const directory = await createOrganisationDirectory({ home, homeUrl: config.databaseUrl, config });
  const started = performance.now();
  const hash = await hashPassword(DEMO_PASSWORD);
  const bench = systemActor('bench');
  const account = async (services: Services, username: string, displayName: string, role: Role, unitId: number | null) =>
    services.users.createUser(bench, { username, displayName, password: DEMO_PASSWORD, role, unitId, mustChangePassword: false }, { passwordHash: hash });
  await account(directory.home.services, 'supervisor', '省级督查员', 'supervisor', null);

  const records = [directory.homeOrganisation()];
  for (let i = 1; i < organisations; i++) records.push(await directory.create(bench, { code: `city-${String(i).padStart(2, '0')}`, name: `示例第${i + 1}局` }));
  const organisationsSeconds = (performance.now() - started) / 1000;

  let importSeconds = 0;
  let draftSeconds = 0;
  let tasks = 0;
  let answers = 0;
  let units = 0;
  const filled: Organisation[] = [];
  const fill = async (index: number) => {
    const record = records[index]!;
    const services = await directory.servicesOf(record.id);
    const database = await directory.databaseOf(record.id);
    const plan = provincePlan({ organisation: index });
    const office = `office-${record.code}`;
    await account(services, office, `办公室${index + 1}`, 'office', null);
    const importStarted = performance.now();
    const bytes = Buffer.from(JSON.stringify(plan.document));
    const outcome = await services.planImport.importDocument(bench, plan.document, {
      fileName: `${record.code}.json`,
      contentHash: createHash('sha256').update(bytes).digest('hex'),
    });
    importSeconds += (performance.now() - importStarted) / 1000;
    const officeActor = await actorOf(database, office);
    const round = await services.rounds.openRound(officeActor, outcome.planId, {
      label: '2027年第一季度',
      periodStart: null,
      periodEnd: null,
      deadline: null,
      note: null,
      requiresApproval: false,
    });
    const unitIds = new Map((await database.db.selectFrom('units').select(['id', 'name']).execute()).map((unit) => [unit.name, unit.id]));
    const organisation: Organisation = { id: record.id, code: record.code, name: record.name, office, roundId: round.id, units: [] };
    const draftStarted = performance.now();
    for (const [u, unitName] of plan.units.entries()) {
      const unitId = unitIds.get(unitName);
      if (unitId === undefined) continue; // a unit no task names
      const username = `r-${record.code}-${u + 1}`;
      await account(services, username, `填报员${u + 1}`, 'reporter', unitId);
      const reporter = await actorOf(database, username);
      const todo = await services.answers.todo(reporter, round.id, unitId);
      for (const item of todo.items) {
        await services.answers.saveAnswer(reporter, round.id, item.task.id, unitId, {
          text: `第一季度进展：已召开专题会议研究部署，正在按期推进落实（${record.code}-${item.task.id}-${unitId}）。`,
          status: 'on_track',
          reason: null,
          version: item.answer.version,
        });
        answers++;
      }
      organisation.units.push({ unitId, username });
    }
    draftSeconds += (performance.now() - draftStarted) / 1000;
    tasks += plan.document.chapters.flatMap((c) => c.sections).reduce((sum, s) => sum + s.tasks.length, 0);
    units += organisation.units.length;
    filled[index] = organisation;
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: FILLING_AT_ONCE }, async () => {
      while (next < records.length) await fill(next++);
    }),
  );
  const totalSeconds = (performance.now() - started) / 1000;
  const size = await sql<{ bytes: string }>`select pg_database_size(current_database())::text as bytes`.execute(home.db);

  const app = await buildApp({ directory, config, logger: { level: config.logLevel }, webRoot: null });
  await app.listen({ host: HOST, port: 0 });
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  process.on('message', (message: { stats?: 'reset' | 'read' }) => {
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
      .then(() => directory.close())
      .then(() => home.close())
      .finally(() => process.exit(0));
  });
  const setup: Setup = {
    organisations: filled,
    seconds: { organisations: organisationsSeconds, imports: importSeconds, drafts: draftSeconds, total: totalSeconds },
    tasks,
    answers,
    units,
    bytes: Number(size.rows[0]?.bytes ?? 0),
  };
  process.send!({ ready: true, port: (app.server.address() as AddressInfo).port, setup } satisfies ChildMessage);
}

// ------------------------------------------------------------------------------------ parent

type Session = { cookie: string; csrf: string };
const log = (line: string) => process.stderr.write(`${line}\n`);
const int = (value: number) => Math.round(value).toLocaleString('en');
const msf = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

function postgresUrl(): string {
  const fromEnv = process.env.DIAODU_BENCH_POSTGRES_URL;
  if (fromEnv) return fromEnv;
  const file = path.join(ROOT, 'tests', '.postgres-url');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new Error('bench:load --province needs PostgreSQL: set DIAODU_BENCH_POSTGRES_URL or run `bash scripts/test-deps.sh`');
}

async function login(base: string, organisation: string, username: string): Promise<Session> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organisation, username, password: DEMO_PASSWORD }),
    });
    if (response.status === 200) {
      const session = (await response.json()) as SessionView;
      const cookie = response.headers
        .getSetCookie()
        .map((h) => h.split(';')[0]!)
        .find((pair) => pair.startsWith(`${SESSION_COOKIE}=`))!;
      return { cookie, csrf: session.csrfToken };
    }
    if (attempt === 3) throw new Error(`login ${organisation}/${username}: ${response.status} ${await response.text()}`);
  }
}

export async function runProvinceBench(options: { write: boolean; duration: number; organisations: number }): Promise<void> {
  const baseUrl = postgresUrl();
  const schema = `bench_province_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  let child: ChildProcess | null = null;
  const problems: string[] = [];
  const loadBefore = loadavg()[0]!;
  try {
    log(`1. set-up: ${options.organisations} organisations on PostgreSQL (schema ${schema}…), plans, accounts, the quarter's drafts — in the server child`);
    child = fork(await compiledFile(THIS_FILE), ['--child', url.toString(), String(options.organisations)], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const running = child;
    const { port, setup } = await new Promise<{ port: number; setup: Setup }>((resolve, reject) => {
      running.once('message', (message: ChildMessage) =>
        'ready' in message && message.ready ? resolve(message) : reject(new Error('error' in message ? message.error : 'child failed')),
      );
      running.once('exit', (code) => reject(new Error(`child exited (${code})`)));
    });
    const base = `http://${HOST}:${port}`;
    log(
      `   ${setup.organisations.length} organisations, ${int(setup.units)} units, ${int(setup.tasks)} tasks, ${int(setup.answers)} drafts in ${setup.seconds.total.toFixed(0)} s`,
    );

    log('2. logging every reporter, office and the supervisor in');
    const pairs = setup.organisations.flatMap((o) => o.units.map((u) => ({ organisation: o, ...u })));
    const sessions = new Map<string, Session>();
    for (let i = 0; i < pairs.length; i += 16)
      await Promise.all(
        pairs.slice(i, i + 16).map(async (p) => sessions.set(`${p.organisation.code}/${p.username}`, await login(base, p.organisation.code, p.username))),
      );
    const offices = await Promise.all(setup.organisations.map(async (o) => ({ organisation: o, session: await login(base, o.code, o.office) })));
    const supervisor = await login(base, setup.organisations[0]!.code, 'supervisor');

    log(`3. spike: ${pairs.length} submits at once across ${setup.organisations.length} organisations`);
    await serverStats(child, 'reset');
    const {
      latencies,
      statuses,
      seconds: spikeSeconds,
    } = await submitAtOnce(
      base,
      CSRF_HEADER,
      pairs.map((pair) => {
        const session = sessions.get(`${pair.organisation.code}/${pair.username}`)!;
        return {
          path: `/api/rounds/${pair.organisation.roundId}/units/${pair.unitId}/submit`,
          cookie: session.cookie,
          csrf: session.csrf,
          key: `spike-${pair.organisation.code}-${pair.unitId}`,
        };
      }),
    );
    const spikeServer = (await serverStats(child, 'read'))!;
    const check = await verifySubmits(admin, schema, setup.organisations);
    if (check.lost + check.duplicated > 0) problems.push(`spike: ${check.lost} lost, ${check.duplicated} duplicated`);
    if ((statuses['200'] ?? 0) !== pairs.length) problems.push(`spike: statuses ${JSON.stringify(statuses)}`);
    log(
      `   ${msf(quantile(latencies, 0.5))} / ${msf(quantile(latencies, 0.99))} ms p50/p99 in ${spikeSeconds.toFixed(1)} s; ${check.stored} stored, ${check.lost} lost, ${check.duplicated} duplicated`,
    );

    log(`4. mixed reads across the province, 50 connections, ${options.duration} s`);
    await serverStats(child, 'reset');
    let serial = 0;
    const mixed = await autocannon({
      url: base,
      connections: 50,
      duration: options.duration,
      timeout: 30,
      requests: [
        {
          setupRequest: (request: autocannon.Request) => {
            const pick = serial++ % 10;
            if (pick < 6) {
              const pair = pairs[(serial * 7_919) % pairs.length]!;
              const session = sessions.get(`${pair.organisation.code}/${pair.username}`)!;
              return {
                ...request,
                method: 'GET' as const,
                path: `/api/rounds/${pair.organisation.roundId}/units/${pair.unitId}/todo`,
                headers: { cookie: session.cookie },
                body: undefined,
              };
            }
            if (pick < 9) {
              const office = offices[serial % offices.length]!;
              return {
                ...request,
                method: 'GET' as const,
                path: `/api/rounds/${office.organisation.roundId}/board`,
                headers: { cookie: office.session.cookie },
                body: undefined,
              };
            }
            return { ...request, method: 'GET' as const, path: '/api/province/rollup', headers: { cookie: supervisor.cookie }, body: undefined };
          },
        },
      ],
    });
    const mixedServer = (await serverStats(child, 'read'))!;
    const mixedStatuses: Record<string, number> = {};
    for (const [code, { count }] of Object.entries(mixed.statusCodeStats ?? {})) mixedStatuses[code] = count ?? 0;
    const mixedTotal = Object.values(mixedStatuses).reduce((sum, n) => sum + n, 0);
    const mixedBad = mixedTotal - mixed['2xx'] + mixed.errors + mixed.timeouts;
    if (mixedBad > 0) problems.push(`mixed reads: ${mixedBad} not 2xx ${JSON.stringify(mixedStatuses)}`);
    const latency = mixed.latency as unknown as Record<string, number>;
    log(`   ${int(mixed.requests.average)} req/s, p50 ${latency.p50} ms, p99 ${latency.p99} ms`);

    log('5. the roll-up alone, 20 reads one after another');
    const rollups: number[] = [];
    let rows = 0;
    for (let i = 0; i < 20; i++) {
      const sent = performance.now();
      const response = await fetch(`${base}/api/province/rollup`, { headers: { cookie: supervisor.cookie } });
      const body = (await response.json()) as { organisations?: unknown[] };
      rollups.push(performance.now() - sent);
      rows = body.organisations?.length ?? 0;
      if (response.status !== 200) problems.push(`roll-up: ${response.status}`);
    }
    rollups.sort((a, b) => a - b);
    if (rows !== setup.organisations.length) problems.push(`roll-up: ${rows} rows for ${setup.organisations.length} organisations`);

    const cpu = cpus();
    const section = [
      '## The province at the deadline hour (`npm run bench:load -- --province`)',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} with Node ${process.version} on ${cpu[0]?.model.trim() ?? 'unknown CPU'} (${cpu.length} cores), PostgreSQL ${await serverVersion(admin)} on the same machine, loopback; the server compiled, as production runs it (no tsx); the load generator runs in the benchmark process on the same cores. 1-minute load average ${loadBefore.toFixed(2)} before the run.`,
      '',
      `A generated province (bench/province-plan.ts): **${setup.organisations.length} organisations** — the department and ${setup.organisations.length - 1} city bureaus, each its own PostgreSQL schema (decision 028) with ${STORE_POOL_MAX} connections — **${int(setup.units)} units, ${int(setup.tasks)} tasks, ${int(setup.answers)} answers** drafted for the quarter; the database was ${int(setup.bytes / 2 ** 20)} MiB after the set-up.`,
      '',
      '| what | figure |',
      '|---|---:|',
      `| set-up through the services: organisations created (stores made and migrated) | ${setup.seconds.organisations.toFixed(1)} s |`,
      `| plans imported (summed over organisations, ${FILLING_AT_ONCE} filled at once) | ${setup.seconds.imports.toFixed(1)} s |`,
      `| drafts saved by the reporters (summed over organisations) | ${setup.seconds.drafts.toFixed(0)} s |`,
      `| whole set-up, wall clock | ${setup.seconds.total.toFixed(0)} s |`,
      `| **spike: ${int(pairs.length)} submits at once**, every unit of every organisation | ${spikeSeconds.toFixed(1)} s in all |`,
      `| spike latency p50 / p95 / p99 / max | ${msf(quantile(latencies, 0.5))} / ${msf(quantile(latencies, 0.95))} / ${msf(quantile(latencies, 0.99))} / ${msf(latencies.at(-1) ?? 0)} ms |`,
      `| spike: checked in every store | ${check.stored} submitted, ${check.lost} lost, ${check.duplicated} duplicated |`,
      `| spike: server event-loop delay p99 / max, RSS | ${msf(spikeServer.loopP99)} / ${msf(spikeServer.loopMax)} ms, ${int(spikeServer.rssMb)} MiB |`,
      `| mixed reads (to-do 60%, board 30%, roll-up 10%), 50 connections, ${options.duration} s | ${int(mixed.requests.average)} req/s, p50 ${msf(latency.p50!)} ms, p99 ${msf(latency.p99!)} ms, ${mixedBad} errors |`,
      `| mixed reads: server event-loop delay p99 / max | ${msf(mixedServer.loopP99)} / ${msf(mixedServer.loopMax)} ms |`,
      `| the supervisor's roll-up over ${setup.organisations.length} stores, alone, p50 / max of 20 | ${msf(quantile(rollups, 0.5))} / ${msf(rollups.at(-1) ?? 0)} ms |`,
      '',
      'Run: `npm run bench:load -- --province` (writes this section; needs PostgreSQL: DIAODU_BENCH_POSTGRES_URL or tests/.postgres-url); `-- --province --no-write` prints only; `--organisations 4 --duration 5` is a quick look.',
      'Exits 1 if a spike submit is lost, duplicated or not acknowledged, a read fails, or the roll-up misses an organisation.',
      ...(problems.length > 0 ? ['', '**Problems in this run** (the benchmark exits 1):', '', ...problems.map((p) => `- ${p}`)] : []),
    ].join('\n');
    console.log(`\n${section}\n`);
    if (options.write) {
      writeBenchSection('load-province', section);
      console.log('written to docs/benchmarks.md');
      const figures = flattenFigures('', {
        organisations: setup.organisations.length,
        storePoolMax: STORE_POOL_MAX,
        fillingAtOnce: FILLING_AT_ONCE,
        units: setup.units,
        tasks: setup.tasks,
        answers: setup.answers,
        databaseMiB: setup.bytes / 2 ** 20,
        setupSeconds: setup.seconds,
        spike: {
          submits: pairs.length,
          seconds: spikeSeconds,
          p50: quantile(latencies, 0.5),
          p95: quantile(latencies, 0.95),
          p99: quantile(latencies, 0.99),
          max: latencies.at(-1) ?? 0,
          ...check,
          loopP99: spikeServer.loopP99,
          loopMax: spikeServer.loopMax,
          rssMb: spikeServer.rssMb,
        },
        mixedReads: {
          connections: 50,
          seconds: options.duration,
          perSecond: mixed.requests.average,
          p50: latency.p50,
          p99: latency.p99,
          errors: mixedBad,
          loopP99: mixedServer.loopP99,
          loopMax: mixedServer.loopMax,
        },
        rollup: { reads: 20, p50: quantile(rollups, 0.5), max: rollups.at(-1) ?? 0 },
      });
      console.log(`figures written to ${recordFigures('load-province', figures, { loadBefore })}`);
    }
    if (problems.length > 0) {
      console.error(`bench:load --province FAILED:\n${problems.map((p) => `- ${p}`).join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    if (child?.connected) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.disconnect();
      await exited;
    }
    const schemas = await admin.query<{ nspname: string }>(`select nspname from pg_namespace where nspname = $1 or nspname like $2`, [
      schema,
      `${schema}\\_org\\_%`,
    ]);
    for (const row of schemas.rows) await admin.query(`drop schema ${row.nspname} cascade`);
    await admin.end();
  }
}

async function serverVersion(client: pg.Client): Promise<string> {
  return (await client.query<{ server_version: string }>('show server_version')).rows[0]!.server_version.split(' ')[0]!;
}

/** Each (round, unit) of the spike submitted, with exactly one `submission.submit` audit row, in its organisation's store. */
async function verifySubmits(
  client: pg.Client,
  homeSchema: string,
  organisations: Organisation[],
): Promise<{ stored: number; lost: number; duplicated: number }> {
  let stored = 0;
  let lost = 0;
  let duplicated = 0;
  for (const organisation of organisations) {
    const schema = organisation.id === 1 ? homeSchema : `${homeSchema}_org_${organisation.id}`;
    const submissions = await client.query<{ id: number; unit_id: number; state: string }>(
      `select id, unit_id, state from ${schema}.unit_submissions where round_id = $1`,
      [organisation.roundId],
    );
    const audits = await client.query<{ object_id: string; n: string }>(
      `select object_id, count(*)::text as n from ${schema}.audit_events where action = 'submission.submit' group by object_id`,
    );
    const auditCount = new Map(audits.rows.map((row) => [row.object_id, Number(row.n)]));
    const byUnit = new Map(submissions.rows.map((row) => [row.unit_id, row]));
    for (const unit of organisation.units) {
      const row = byUnit.get(unit.unitId);
      if (row?.state !== 'submitted') {
        lost++;
        continue;
      }
      stored++;
      if (auditCount.get(String(row.id)) !== 1) duplicated++;
    }
  }
  return { stored, lost, duplicated };
}

if (process.argv[2] === '--child') {
  try {
    await serveProvince(process.argv[3]!, Number(process.argv[4]));
  } catch (error) {
    process.send!({ ready: false, error: (error as Error).stack ?? String(error) } satisfies ChildMessage);
    process.exit(1);
  }
}
